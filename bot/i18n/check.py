"""The translation workflow: extract the English strings, update the `.po` files, check them.

`python -m bot.i18n.check extract|update|check` runs it; the Makefile fragment
`make/i18n.mk` only calls it, so the pybabel options live in one place and `make` and the
check that compares `bot.pot` with the code can never disagree about keywords. The bot itself
never imports this module: :mod:`bot.i18n.translators` reads the `.po` files at start.

The check fails a release on anything a reader would notice: a missing or fuzzy entry, a
placeholder or HTML tag that differs from the English text (Telegram refuses a message with
a broken tag), a wrong number of plural forms, or a `bot.pot` that no longer matches the code.
"""

from __future__ import annotations

import re
import string
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Message
from babel.messages.plurals import get_plural
from babel.messages.pofile import write_po

from bot.i18n.translators import (
    DEFAULT_LOCALES_DIR,
    DOMAIN,
    PROJECT_ROOT,
    SHIPPED_LANGUAGES,
    SOURCE_LANGUAGE,
    TranslationFileError,
    po_path,
    read_catalog,
)

EXTRACT_KEYWORDS: tuple[str, ...] = (
    "gettext",
    "ngettext:1,2",
    "pgettext:1c,2",
    "npgettext:1c,2,3",
    "_",
    "N_",
)
"""Translator methods (and the `N_` marker) whose string arguments pybabel extracts."""

TRANSLATOR_COMMENT_TAG = "I18N:"

TELEGRAM_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre"}
    | {"tg-spoiler", "span", "blockquote"}
)
"""The HTML tags Telegram's `parse_mode=HTML` accepts (Bot API, "HTML style")."""

_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^<>]*)?)>")
_TAG_START_RE = re.compile(r"<[/A-Za-z]")


@dataclass(frozen=True)
class LanguageReport:
    """Completeness of one language, for the table `make i18n-check` prints."""

    code: str
    total: int
    translated: int
    missing: int
    fuzzy: int

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


@dataclass(frozen=True)
class CheckReport:
    languages: tuple[LanguageReport, ...]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def format_table(self) -> str:
        lines = [f"{'language':<10}{'translated':>12}{'missing':>9}{'fuzzy':>7}{'percent':>9}"]
        for row in self.languages:
            lines.append(
                f"{row.code:<10}{row.translated:>12}{row.missing:>9}{row.fuzzy:>7}"
                f"{row.percent:>8.1f}%"
            )
        return "\n".join(lines)


def _message_key(message: Message) -> tuple[str | None, str | tuple[str, ...]]:
    return (message.context, message.id)


def _placeholders(text: str) -> set[str] | None:
    """Named `{placeholders}` in a text, or None if its braces are malformed."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None


def html_problem(text: str) -> str | None:
    """Why a text would break Telegram's HTML parse mode, or None if it is fine."""
    stack: list[str] = []
    for match in _TAG_RE.finditer(text):
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if name not in TELEGRAM_TAGS:
            return f"tag <{name}> is not allowed by Telegram"
        if name == "span" and not closing and "tg-spoiler" not in attributes:
            return '<span> is allowed only as <span class="tg-spoiler">'
        if closing:
            if not stack or stack[-1] != name:
                return f"</{name}> does not close an open tag"
            stack.pop()
        else:
            stack.append(name)
    if stack:
        return f"<{stack[-1]}> is not closed"
    stray = _TAG_START_RE.search(_TAG_RE.sub("", text))
    if stray:
        return f"broken tag near {text[stray.start() : stray.start() + 12]!r}"
    return None


def _tags(text: str) -> list[str]:
    return sorted(match.group(0) for match in _TAG_RE.finditer(text))


def _entry_problems(message: Message, expected_forms: int) -> list[str]:
    """Placeholder, HTML and plural-count problems of one translated entry."""
    problems = []
    sources = [message.id] if isinstance(message.id, str) else list(message.id)
    strings = [message.string] if isinstance(message.string, str) else list(message.string)
    if message.pluralizable and len(strings) != expected_forms:
        problems.append(f"has {len(strings)} plural forms, the language needs {expected_forms}")
    source_names: set[str] = set()
    for source in sources:
        names = _placeholders(source)
        if names is None:
            problems.append("source text has unbalanced { }")
            return problems
        source_names |= names
    seen_names: set[str] = set()
    for translation in strings:
        if not translation:
            continue
        names = _placeholders(translation)
        if names is None:
            problems.append("unbalanced { } (write {{ and }} for literal braces)")
            continue
        if names - source_names:
            unknown = ", ".join("{" + name + "}" for name in sorted(names - source_names))
            problems.append(f"unknown placeholder {unknown}")
        if not message.pluralizable and names != source_names:
            lost = ", ".join("{" + name + "}" for name in sorted(source_names - names))
            problems.append(f"placeholder {lost} is missing")
        seen_names |= names
        html = html_problem(translation)
        if html:
            problems.append(html)
        elif _tags(translation) != _tags(sources[-1]):
            problems.append("uses other HTML tags than the English text")
    if message.pluralizable and all(strings) and source_names - seen_names:
        lost = ", ".join("{" + name + "}" for name in sorted(source_names - seen_names))
        problems.append(f"placeholder {lost} is missing in every plural form")
    return problems


def _describe(message: Message) -> str:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    context = f"[{message.context}] " if message.context else ""
    return f"{context}{msgid[:50]!r}"


def extract_messages(output: Path, project_root: Path = PROJECT_ROOT) -> None:
    """Run `pybabel extract` over `bot/` with the project's keywords into `output`."""
    arguments = [
        sys.executable,
        "-m",
        "babel.messages.frontend",
        "--quiet",
        "extract",
        "-F",
        "pyproject.toml",
        "--no-default-keywords",
        *(f"--keyword={keyword}" for keyword in EXTRACT_KEYWORDS),
        f"--add-comments={TRANSLATOR_COMMENT_TAG}",
        "--sort-by-file",
        "--add-location=file",
        "--project=Wegweiser",
        "--copyright-holder=Wegweiser contributors",
        "-o",
        str(output.resolve()),
        ".",
    ]
    completed = subprocess.run(
        arguments, cwd=project_root, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(f"pybabel extract failed:\n{completed.stderr}")


def update_catalogs(locales_dir: Path = DEFAULT_LOCALES_DIR) -> None:
    """Merge `bot.pot` into every `.po` (`pybabel update`); fill English from the source.

    New strings stay empty, never guessed by fuzzy matching; removed ones stay
    as obsolete `#~` entries. English is the source language, so its empty
    entries get the msgid itself.
    """
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "--quiet",
            "update",
            "-i",
            str(locales_dir / f"{DOMAIN}.pot"),
            "-d",
            str(locales_dir),
            "-D",
            DOMAIN,
            "--no-fuzzy-matching",
        ],
        check=True,
    )
    english = po_path(locales_dir, SOURCE_LANGUAGE)
    if english.exists():
        catalog = read_catalog(english, SOURCE_LANGUAGE)
        for message in catalog:
            if not message.id:
                continue
            if isinstance(message.id, str):
                message.string = message.string or message.id
            else:
                forms = list(message.string)
                singular, plural = message.id[0], message.id[1]
                message.string = tuple(
                    form or (singular if index == 0 else plural) for index, form in enumerate(forms)
                )
        with english.open("wb") as handle:
            write_po(handle, catalog, width=76)


def check_catalogs(
    locales_dir: Path = DEFAULT_LOCALES_DIR,
    languages: Sequence[str] = SHIPPED_LANGUAGES,
    project_root: Path | None = PROJECT_ROOT,
) -> CheckReport:
    """Everything a release needs from the translations, as one report.

    Fails on: a `.pot` that differs from the strings in the code (skipped when
    `project_root` is None), an untranslated or fuzzy entry, a placeholder or
    HTML tag that differs from the English text, a wrong number of plural forms.
    """
    problems: list[str] = []
    template_path = locales_dir / f"{DOMAIN}.pot"
    try:
        template = read_catalog(template_path, SOURCE_LANGUAGE)
    except TranslationFileError as error:
        return CheckReport((), (str(error),))
    expected_keys = {_message_key(message) for message in template if message.id}

    if project_root is not None:
        with tempfile.TemporaryDirectory() as scratch:
            fresh_path = Path(scratch) / f"{DOMAIN}.pot"
            extract_messages(fresh_path, project_root)
            fresh = read_catalog(fresh_path, SOURCE_LANGUAGE)
        fresh_keys = {_message_key(message) for message in fresh if message.id}
        for message in fresh:
            if message.id and _message_key(message) not in expected_keys:
                problems.append(f"{template_path}: stale, lacks {_describe(message)}")
        for message in template:
            if message.id and _message_key(message) not in fresh_keys:
                problems.append(f"{template_path}: stale, has {_describe(message)} (not in code)")
        if any("stale" in problem for problem in problems):
            problems.append("run `make i18n-extract i18n-update` and translate the new strings")

    for message in template:
        if message.id:
            html = html_problem(message.id if isinstance(message.id, str) else message.id[1])
            if html:
                problems.append(f"{template_path}: source {_describe(message)}: {html}")

    rows = []
    for code in languages:
        path = po_path(locales_dir, code)
        try:
            catalog = read_catalog(path, code)
        except TranslationFileError as error:
            problems.append(str(error))
            rows.append(LanguageReport(code, len(expected_keys), 0, len(expected_keys), 0))
            continue
        plural = get_plural(code)
        declared = catalog.mime_headers
        header = next((value for name, value in declared if name.lower() == "plural-forms"), "")
        if header.replace(" ", "") != plural.plural_forms.replace(" ", ""):
            problems.append(f"{path}: Plural-Forms header must be {plural.plural_forms!r}")
        translated = missing = fuzzy = 0
        for key in sorted(expected_keys, key=repr):
            message = catalog.get(key[1], context=key[0])
            strings = [] if message is None else message.string
            forms = [strings] if isinstance(strings, str) else list(strings)
            where = f"{path}:{message.lineno}" if message is not None else str(path)
            label = _describe(message) if message is not None else repr(key[1])
            if message is None or not forms or not all(forms):
                missing += 1
                problems.append(f"{where}: {label} is not translated")
                continue
            if message.fuzzy:
                fuzzy += 1
                problems.append(f"{where}: {label} is marked fuzzy (review, then remove the flag)")
                continue
            entry_problems = _entry_problems(message, plural.num_plurals)
            problems.extend(f"{where}: {label}: {problem}" for problem in entry_problems)
            translated += 1
        rows.append(LanguageReport(code, len(expected_keys), translated, missing, fuzzy))
    return CheckReport(tuple(rows), tuple(problems))
