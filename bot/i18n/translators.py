"""Translator objects, language negotiation and reading the `.po` files.

The bot's own sentences are English msgids in the code, translated in gettext
`.po` files under `locales/<lang>/LC_MESSAGES/bot.po`. The `.po` files are read
directly at start (no compiled `.mo`): no build step, and no stale `.mo` can
shadow a newer `.po`. Each language becomes one immutable `Translator`, created
once and passed explicitly to whatever renders text; nothing here is global.

The translation workflow (extract, update, check) is :mod:`bot.i18n.check`; the bot never
needs it at run time.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from types import MappingProxyType

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po
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
