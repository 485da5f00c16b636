"""Translator objects, language negotiation and the catalogue check.

The bot's own sentences are English msgids in the code, translated in gettext
`.po` files under `locales/<lang>/LC_MESSAGES/bot.po`. The `.po` files are read
directly at start (no compiled `.mo`): no build step, and no stale `.mo` can
shadow a newer `.po`. Each language becomes one immutable `Translator`, created
once and passed explicitly to whatever renders text; nothing here is global.

`python -m bot.i18n.translators extract|update|check` runs the translation workflow; the
Makefile fragment `make/i18n.mk` only calls it, so the pybabel options live in
one place.
"""

from __future__ import annotations

import argparse
import functools
import re
import string
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from types import MappingProxyType

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po, write_po
from babel.support import Translations

SHIPPED_LANGUAGES: tuple[str, ...] = ("de", "en", "uk", "ru", "ar", "tr", "fa")
"""Languages the bot speaks; the order is the order of the language menu."""

SOURCE_LANGUAGE = "en"
_ENGLISH = Locale("en")
"""The msgids are English, and English is the fallback after the user's own choices."""

DOMAIN = "bot"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_LOCALES_DIR = PROJECT_ROOT / "locales"

FORMATTING_LOCALES: Mapping[str, str] = MappingProxyType({"en": "en_GB"})
"""Babel locale used for dates and numbers where it differs from the language code.

English is formatted the British way ("1 October 2026", 24-hour clock): day
before month, as on every German letter our users also receive.
"""

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
_PO_LINE_RE = re.compile(
    r'^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"$'
)


class TranslationFileError(Exception):
    """A `.po` file is missing or cannot be read; the message names the file and line."""


def N_(msgid: str) -> str:
    """Mark a string for extraction where it is defined; translate it where it is shown."""
    return msgid


@dataclass(frozen=True, eq=False)
class Translator:
    """One language: its translated sentences and the Babel locale for formatting.

    Immutable after loading, so concurrent handlers can share one instance.
    """

    code: str
    locale: Locale
    native_name: str
    _translations: Translations = field(repr=False)

    @functools.cached_property
    def is_rtl(self) -> bool:
        """Right-to-left script; asked for every fragment of every card, so computed once."""
        return self.locale.text_direction == "rtl"

    def gettext(self, msgid: str) -> str:
        return self._translations.gettext(msgid)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translations.ngettext(singular, plural, n)

    def pgettext(self, context: str, msgid: str) -> str:
        return self._translations.pgettext(context, msgid)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self._translations.npgettext(context, singular, plural, n)


MAX_REMEMBERED_NEGOTIATIONS = 1024
"""Distinct (choice, Telegram language, region default) combinations kept; then start over."""


class TranslatorRegistry(Mapping[str, Translator]):
    """The loaded languages, by code, plus the rule for choosing one per user."""

    def __init__(self, translators: Iterable[Translator]) -> None:
        self._by_code: Mapping[str, Translator] = MappingProxyType(
            {translator.code: translator for translator in translators}
        )
        # negotiate() runs for every update and parses tags with Babel; people bring only a
        # few dozen distinct tag combinations, so the answers are kept (bounded anyway).
        self._negotiated: dict[tuple[str | None, str | None, str], Translator] = {}

    def __getitem__(self, code: str) -> Translator:
        return self._by_code[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_code)

    def __len__(self) -> int:
        return len(self._by_code)

    def negotiate(
        self,
        explicit_choice: str | None,
        telegram_language_code: str | None,
        region_default: str,
    ) -> Translator:
        """Pick the user's language: their choice, Telegram's language, English, the region's.

        A choice we do not ship (say a language removed since) is skipped, not an error.
        """
        key = (explicit_choice, telegram_language_code, region_default)
        translator = self._negotiated.get(key)
        if translator is None:
            translator = self._negotiate(*key)
            if len(self._negotiated) >= MAX_REMEMBERED_NEGOTIATIONS:
                self._negotiated.clear()
            self._negotiated[key] = translator
        return translator

    def _negotiate(
        self,
        explicit_choice: str | None,
        telegram_language_code: str | None,
        region_default: str,
    ) -> Translator:
        for candidate in (
            _match_language(explicit_choice, self._by_code),
            _match_language(telegram_language_code, self._by_code),
            SOURCE_LANGUAGE if SOURCE_LANGUAGE in self._by_code else None,
            _match_language(region_default, self._by_code),
        ):
            if candidate is not None:
                return self._by_code[candidate]
        return next(iter(self._by_code.values()))


def _match_language(tag: str | None, available: Mapping[str, object]) -> str | None:
    """Map an IETF tag such as "pt-br", "zh-hans", "de-AT" to a code we ship, if any."""
    if not tag or not tag.strip():
        return None
    tag = tag.strip().replace("_", "-")
    try:
        parsed = Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        language = tag.split("-", 1)[0].lower()
        return language if language in available else None
    # Most specific first; our codes are bare languages today, but a shipped
    # "pt_BR" or "sr_Latn" would be found the same way.
    candidates = []
    if parsed.script and parsed.territory:
        candidates.append(f"{parsed.language}_{parsed.script}_{parsed.territory}")
    if parsed.script:
        candidates.append(f"{parsed.language}_{parsed.script}")
    if parsed.territory:
        candidates.append(f"{parsed.language}_{parsed.territory}")
    candidates.append(parsed.language)
    return next((code for code in candidates if code in available), None)


def po_path(locales_dir: Path, code: str) -> Path:
    return locales_dir / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(path: Path, code: str) -> Catalog:
    """Parse one `.po` file strictly; any syntax error names the file and line.

    Babel alone silently accepts an unterminated quote (it drops the last
    character), so every line is first checked against the `.po` grammar.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TranslationFileError(f"{path}: file not found") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise TranslationFileError(f"{path}:{line}: not valid UTF-8") from None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and not _PO_LINE_RE.match(stripped):
            raise TranslationFileError(
                f"{path}:{number}: cannot read this line: {stripped[:60]!r} "
                '(each line must be a keyword followed by a quoted text "...", '
                "or a quoted continuation line)"
            )
    try:
        return read_po(BytesIO(raw), locale=code, domain=DOMAIN, abort_invalid=True)
    except PoFileError as error:
        lineno = getattr(error, "lineno", None)
        where = f"{path}:{lineno + 1}" if isinstance(lineno, int) else str(path)
        reason = re.sub(r" on \d+$", "", str(error))  # Babel's own 0-based line number
        raise TranslationFileError(f"{where}: {reason}") from None
    except (ValueError, UnknownLocaleError) as error:
        raise TranslationFileError(f"{path}: {error}") from None


def _translations_from_catalog(catalog: Catalog, code: str) -> Translations:
    # The plural rule always comes from CLDR (Babel), never from a hand-edited
    # Plural-Forms header; `make i18n-check` reports a header that disagrees.
    expected = get_plural(code)
    catalog.mime_headers = [
        (name, expected.plural_forms if name.lower() == "plural-forms" else value)
        for name, value in catalog.mime_headers
    ]
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def english_language_name(code: str) -> str:
    """The language's English name ("Ukrainian"), for staff reports and open data."""
    return _ENGLISH.languages.get(code) or code


def native_language_name(code: str) -> str:
    """The language's name in itself, capitalised as it stands alone in a menu."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:]


def load_translator(locales_dir: Path, code: str) -> Translator:
    catalog = read_catalog(po_path(locales_dir, code), code)
    return Translator(
        code=code,
        locale=Locale.parse(FORMATTING_LOCALES.get(code, code)),
        native_name=native_language_name(code),
        _translations=_translations_from_catalog(catalog, code),
    )


def load_translators(
    locales_dir: Path = DEFAULT_LOCALES_DIR, languages: Sequence[str] = SHIPPED_LANGUAGES
) -> TranslatorRegistry:
    """Read every language's `.po` once at start; raises `TranslationFileError`."""
    return TranslatorRegistry(load_translator(locales_dir, code) for code in languages)


# --- The catalogue check (`make i18n-check`) -------------------------------------------


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.i18n.translators", description="Translations: extract, update or check."
    )
    parser.add_argument("command", choices=("check", "extract", "update"))
    parser.add_argument("--locales", type=Path, default=DEFAULT_LOCALES_DIR)
    arguments = parser.parse_args(argv)
    if arguments.command == "extract":
        extract_messages(arguments.locales / f"{DOMAIN}.pot")
        return 0
    if arguments.command == "update":
        update_catalogs(arguments.locales)
        return 0
    report = check_catalogs(arguments.locales)
    print(report.format_table())
    for problem in report.problems:
        print(problem, file=sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
