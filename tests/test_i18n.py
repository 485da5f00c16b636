"""Translators, language negotiation, plural rules and the catalogue check, on real `.po` files."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.i18n.check import check_catalogs, html_problem
from bot.i18n.translators import (
    DEFAULT_LOCALES_DIR,
    MAX_REMEMBERED_NEGOTIATIONS,
    PROJECT_ROOT,
    SHIPPED_LANGUAGES,
    TranslationFileError,
    load_translators,
    native_language_name,
    po_path,
    read_catalog,
)


@pytest.fixture(scope="module")
def registry():
    return load_translators(DEFAULT_LOCALES_DIR)


def write_po(locales: Path, code: str, body: str, plural_forms: str | None = None) -> Path:
    """A small `.po` file with a correct header for `code`, then `body`."""
    from babel.messages.plurals import get_plural

    path = po_path(locales, code)
    path.parent.mkdir(parents=True, exist_ok=True)
    forms = plural_forms or get_plural(code).plural_forms
    header = (
        'msgid ""\nmsgstr ""\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Language: {code}\\n"\n'
        f'"Plural-Forms: {forms}\\n"\n\n'
    )
    path.write_text(header + textwrap.dedent(body), encoding="utf-8")
    return path


# --- The real catalogues: complete, consistent, up to date ------------------------------


@pytest.fixture(scope="module")
def real_report():
    return check_catalogs(DEFAULT_LOCALES_DIR, SHIPPED_LANGUAGES, project_root=None)


@pytest.mark.parametrize("code", SHIPPED_LANGUAGES)
def test_every_string_is_translated_in_every_shipped_language(real_report, code):
    row = next(row for row in real_report.languages if row.code == code)
    language_problems = [p for p in real_report.problems if f"/{code}/LC_MESSAGES/" in p]
    assert language_problems == []
    assert (row.missing, row.fuzzy) == (0, 0)
    assert row.translated == row.total > 0


def test_template_has_no_problems(real_report):
    assert [p for p in real_report.problems if "bot.pot" in p] == []


def test_template_matches_the_strings_in_the_code():
    report = check_catalogs(DEFAULT_LOCALES_DIR, (), project_root=PROJECT_ROOT)
    assert report.problems == ()


@pytest.mark.parametrize("code", SHIPPED_LANGUAGES)
def test_english_source_strings_are_all_in_each_po_file(code):
    template = read_catalog(DEFAULT_LOCALES_DIR / "bot.pot", "en")
    catalog = read_catalog(po_path(DEFAULT_LOCALES_DIR, code), code)
    missing = [m.id for m in template if m.id and catalog.get(m.id, context=m.context) is None]
    assert missing == []


def test_check_command_prints_the_table_and_succeeds():
    result = subprocess.run(
        [sys.executable, "-m", "bot", "i18n", "check"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["language", "translated", "missing", "fuzzy", "percent"]
    assert [line.split()[0] for line in lines[1:]] == list(SHIPPED_LANGUAGES)
    assert all(line.endswith("100.0%") for line in lines[1:])


# --- Translator objects ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "native", "rtl"),
    [
        ("de", "Deutsch", False),
        ("en", "English", False),
        ("uk", "Українська", False),
        ("ru", "Русский", False),
        ("ar", "العربية", True),
        ("tr", "Türkçe", False),
        ("fa", "فارسی", True),
    ],
)
def test_translator_attributes(registry, code, native, rtl):
    translator = registry[code]
    assert (translator.code, translator.native_name, translator.is_rtl) == (code, native, rtl)
    assert translator.locale.language == code


def test_registry_lists_shipped_languages_in_menu_order(registry):
    assert tuple(registry) == SHIPPED_LANGUAGES
    assert len(registry) == 7


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("de", "Geprüft am {date}"),
        ("en", "Checked on {date}"),
        ("uk", "Перевірено {date}"),
        ("ru", "Проверено {date}"),
        ("ar", "تم التحقق في {date}"),
        ("tr", "Kontrol tarihi: {date}"),
        ("fa", "بررسی شده در {date}"),
    ],
)
def test_gettext_reads_the_po_file(registry, code, expected):
    assert registry[code].gettext("Checked on {date}") == expected


def test_pgettext_uses_the_context(registry):
    assert registry["ar"].pgettext("separator in a list of days or times", ", ") == "، "
    assert registry["de"].pgettext("opening hours", "closed") == "geschlossen"


def test_unknown_msgid_falls_back_to_english(registry):
    assert registry["fa"].gettext("A sentence nobody translated") == "A sentence nobody translated"


def test_translator_is_immutable(registry):
    with pytest.raises(AttributeError):
        registry["de"].code = "en"  # type: ignore[misc]


def test_native_language_name_of_a_language_babel_does_not_know():
    assert native_language_name("xx") == "xx"
    assert native_language_name("pl") == "Polski"


# --- Negotiation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("explicit", "telegram", "region_default", "expected"),
    [
        ("ar", "de", "de", "ar"),  # the user's own choice wins
        (None, "uk", "de", "uk"),
        (None, "ru", "de", "ru"),
        (None, "pt-br", "de", "en"),  # not shipped: English before the region's language
        (None, "zh-hans", "de", "en"),
        (None, "de-AT", "en", "de"),
        (None, "de-at", "en", "de"),
        (None, "fa-IR", "de", "fa"),
        (None, "ar", "de", "ar"),
        (None, "tr", "de", "tr"),
        (None, None, "de", "en"),
        (None, "", "de", "en"),
        ("pl", "uk", "de", "uk"),  # an explicit choice we do not ship is ignored
        ("pl", None, "de", "en"),
        ("xx-yy", "not a tag", "de", "en"),
        ("de", None, "en", "de"),
    ],
)
def test_negotiation(registry, explicit, telegram, region_default, expected):
    assert registry.negotiate(explicit, telegram, region_default).code == expected


def test_negotiation_is_remembered_within_a_bound(registry):
    tags = [f"de-{number:03d}" for number in range(MAX_REMEMBERED_NEGOTIATIONS + 50)]
    first = [registry.negotiate(None, tag, "de") for tag in tags]
    again = [registry.negotiate(None, tag, "de") for tag in tags]
    assert {tr.code for tr in first + again} == {"de"}
    assert registry.negotiate("ar", "de", "de").code == "ar"
    assert len(registry._negotiated) <= MAX_REMEMBERED_NEGOTIATIONS


def test_region_default_applies_when_english_is_not_shipped(tmp_path):
    write_po(tmp_path, "de", "")
    write_po(tmp_path, "uk", "")
    registry = load_translators(tmp_path, ("uk", "de"))
    assert registry.negotiate(None, "pt-br", "de").code == "de"
    assert registry.negotiate(None, None, "fr").code == "uk"  # nothing fits: the first language


# --- Plural forms (CLDR rules from Babel) ------------------------------------------------

PLURAL_NUMBERS = (0, 1, 2, 3, 5, 11, 21, 100, 101)


@pytest.mark.parametrize(
    ("code", "forms", "expected"),
    [
        (
            "uk",
            ("one", "few", "many"),
            ("many", "one", "few", "few", "many", "many", "one", "many", "one"),
        ),
        (
            "ru",
            ("one", "few", "many"),
            ("many", "one", "few", "few", "many", "many", "one", "many", "one"),
        ),
        # Babel 2.19 follows CLDR's order for Arabic: form 4 is 11-99 ("many"), form 5 100-102.
        (
            "ar",
            ("zero", "one", "two", "few", "many", "other"),
            ("zero", "one", "two", "few", "few", "many", "many", "other", "other"),
        ),
        ("de", ("one", "other"), ("other", "one") + ("other",) * 7),
        ("tr", ("one", "other"), ("other", "one") + ("other",) * 7),
        # Farsi counts 0 and 1 as "one" (CLDR: i = 0 or n = 1).
        ("fa", ("one", "other"), ("one", "one") + ("other",) * 7),
    ],
)
def test_plural_rules_pick_the_cldr_form(tmp_path, code, forms, expected):
    body = 'msgid "{n} day"\nmsgid_plural "{n} days"\n' + "".join(
        f'msgstr[{index}] "{form}"\n' for index, form in enumerate(forms)
    )
    write_po(tmp_path, code, body)
    translator = load_translators(tmp_path, (code,))[code]
    assert tuple(translator.ngettext("{n} day", "{n} days", n) for n in PLURAL_NUMBERS) == expected


def test_a_wrong_plural_header_does_not_change_the_rule(tmp_path):
    # The header claims two forms; Russian needs three, so 5 has no translation (English).
    body = 'msgid "{n} day"\nmsgid_plural "{n} days"\nmsgstr[0] "a"\nmsgstr[1] "b"\n'
    write_po(tmp_path, "ru", body, plural_forms="nplurals=2; plural=(n != 1);")
    translator = load_translators(tmp_path, ("ru",))["ru"]
    assert [translator.ngettext("{n} day", "{n} days", n) for n in (1, 2, 5)] == [
        "a",
        "b",
        "{n} days",
    ]


def test_more_plural_forms_than_the_header_allows_names_the_line(tmp_path):
    body = 'msgid "{n} day"\nmsgid_plural "{n} days"\nmsgstr[0] "a"\nmsgstr[1] "b"\nmsgstr[2] "c"\n'
    path = write_po(tmp_path, "de", body)
    with pytest.raises(TranslationFileError) as error:
        load_translators(tmp_path, ("de",))
    assert str(error.value) == f"{path}:7: msg has more translations than num_plurals of catalog"


@pytest.mark.parametrize(
    ("code", "count"), [("de", 2), ("en", 2), ("uk", 3), ("ru", 3), ("ar", 6), ("tr", 2), ("fa", 2)]
)
def test_real_catalogues_have_the_right_number_of_plural_forms(code, count):
    with po_path(DEFAULT_LOCALES_DIR, code).open("rb") as handle:
        catalog = read_po(handle, locale=code)
    plural_messages = [m for m in catalog if m.pluralizable]
    assert plural_messages
    assert {len(m.string) for m in plural_messages} == {count}


@pytest.mark.parametrize(
    ("code", "numbers", "expected"),
    [
        ("uk", (1, 3, 5, 21), ("хвилину", "хвилини", "хвилин", "хвилину")),
        ("ru", (1, 3, 5, 21), ("минуту", "минуты", "минут", "минуту")),
        ("ar", (1, 2, 3, 11), ("دقيقة واحدة", "دقيقتين", "دقائق", "دقيقة")),
    ],
)
def test_real_plural_translations(registry, code, numbers, expected):
    """Spot checks of the wording each form carries in the shipped files."""
    translator = registry[code]
    for n, word in zip(numbers, expected, strict=True):
        text = translator.ngettext("Opens in {n} minute", "Opens in {n} minutes", n).format(n=n)
        assert text.endswith(word) or f" {word} " in text, text


def _plural_messages() -> list[tuple[str, str]]:
    with po_path(DEFAULT_LOCALES_DIR, "en").open("rb") as handle:
        catalog = read_po(handle, locale="en")
    return [(m.id[0], m.id[1]) for m in catalog if m.pluralizable]


@pytest.mark.parametrize("code", [c for c in SHIPPED_LANGUAGES if c != "en"])
def test_every_plural_message_renders_in_its_language_for_every_count(registry, code):
    """No count ever shows English: the rule the running Babel computes has a form for it.

    Babel 2.19 gave Turkish and Farsi a second form; files with one form then fell back to
    English for every count that picked the other ("I found 3 offers:").
    """
    messages = _plural_messages()
    assert len(messages) >= 5
    translator = registry[code]
    english = registry["en"]
    for singular, plural in messages:
        for n in PLURAL_NUMBERS:
            text = translator.ngettext(singular, plural, n)
            assert text not in {singular, plural, english.ngettext(singular, plural, n)}, (
                f"{code}: {singular!r} for n={n} is shown in English"
            )
            text.format(n=n, count=n, city="Hannover", team="Team")  # every placeholder we fill


# --- Broken files -------------------------------------------------------------------------


def test_unterminated_quote_names_file_and_line(tmp_path):
    path = write_po(tmp_path, "de", 'msgid "Hello"\nmsgstr "Hallo\n')
    with pytest.raises(TranslationFileError) as error:
        load_translators(tmp_path, ("de",))
    assert str(error.value).startswith(f"{path}:8: cannot read this line")


def test_unknown_keyword_names_file_and_line(tmp_path):
    path = write_po(
        tmp_path, "de", 'msgid "Hello"\nmsgstr "Hallo"\n\nmsgid "World"\nmsgtsr "Welt"\n'
    )
    with pytest.raises(TranslationFileError) as error:
        load_translators(tmp_path, ("de",))
    assert str(error.value).startswith(f"{path}:11:")


def test_missing_po_file_is_named(tmp_path):
    with pytest.raises(TranslationFileError) as error:
        load_translators(tmp_path, ("de",))
    assert str(error.value) == f"{po_path(tmp_path, 'de')}: file not found"


def test_invalid_utf8_names_the_line(tmp_path):
    path = write_po(tmp_path, "de", 'msgid "Hello"\nmsgstr "Hallo"\n')
    path.write_bytes(path.read_bytes() + b'\nmsgid "x"\nmsgstr "\xff"\n')
    with pytest.raises(TranslationFileError, match=r":11: not valid UTF-8"):
        load_translators(tmp_path, ("de",))


def test_fuzzy_entries_are_not_used(tmp_path):
    write_po(tmp_path, "de", '#, fuzzy\nmsgid "Hello"\nmsgstr "Hallo"\n')
    assert load_translators(tmp_path, ("de",))["de"].gettext("Hello") == "Hello"


# --- The check ----------------------------------------------------------------------------

TEMPLATE = """\
msgid "Hello {name}"
msgstr ""

msgid "<b>Open</b> now"
msgstr ""

msgid "{n} day"
msgid_plural "{n} days"
msgstr[0] ""
msgstr[1] ""

msgid "Bye"
msgstr ""
"""


def test_check_finds_every_kind_of_problem(tmp_path):
    write_po(tmp_path, "en", TEMPLATE).rename(tmp_path / "bot.pot")
    write_po(
        tmp_path,
        "de",
        """\
        msgid "Hello {name}"
        msgstr "Hallo {nmae}"

        msgid "<b>Open</b> now"
        msgstr "<b>Jetzt</i> offen"

        msgid "{n} day"
        msgid_plural "{n} days"
        msgstr[0] "{n} Tag"

        #, fuzzy
        msgid "Bye"
        msgstr "Tschüss"
        """,
    )
    write_po(
        tmp_path,
        "ru",
        """\
        msgid "Hello {name}"
        msgstr "Привет, <script>{name}</script>"

        msgid "<b>Open</b> now"
        msgstr ""

        msgid "{n} day"
        msgid_plural "{n} days"
        msgstr[0] "день"
        msgstr[1] "дня"
        msgstr[2] "дней"

        msgid "Bye"
        msgstr "Пока"
        """,
    )
    report = check_catalogs(tmp_path, ("de", "ru"), project_root=None)
    assert not report.ok
    rows = {row.code: (row.translated, row.missing, row.fuzzy) for row in report.languages}
    assert rows == {"de": (2, 1, 1), "ru": (3, 1, 0)}
    problems = "\n".join(report.problems)
    de, ru = po_path(tmp_path, "de"), po_path(tmp_path, "ru")
    assert f"{de}:7: 'Hello {{name}}': unknown placeholder {{nmae}}" in problems
    assert f"{de}:7: 'Hello {{name}}': placeholder {{name}} is missing" in problems
    assert f"{de}:10: '<b>Open</b> now': </i> does not close an open tag" in problems
    assert f"{de}:13: '{{n}} day' is not translated" in problems  # a plural form is missing
    assert f"{de}:18: 'Bye' is marked fuzzy" in problems
    assert f"{ru}:7: 'Hello {{name}}': tag <script> is not allowed by Telegram" in problems
    assert f"{ru}:10: '<b>Open</b> now' is not translated" in problems
    assert f"{ru}:13: '{{n}} day': placeholder {{n}} is missing in every plural form" in problems
    assert report.format_table().splitlines() == [
        "language    translated  missing  fuzzy  percent",
        "de                   2        1      1    50.0%",
        "ru                   3        1      0    75.0%",
    ]


def test_check_reports_a_wrong_plural_header(tmp_path):
    write_po(tmp_path, "en", 'msgid "Bye"\nmsgstr ""\n').rename(tmp_path / "bot.pot")
    write_po(tmp_path, "uk", 'msgid "Bye"\nmsgstr "Бувай"\n', plural_forms="nplurals=2; plural=n;")
    report = check_catalogs(tmp_path, ("uk",), project_root=None)
    assert len(report.problems) == 1
    assert "Plural-Forms header must be 'nplurals=3;" in report.problems[0]


def test_check_allows_a_plural_form_without_the_number(tmp_path):
    # Arabic says "one minute" and "two minutes" in words, without the digit.
    write_po(
        tmp_path, "en", 'msgid "{n} min"\nmsgid_plural "{n} mins"\nmsgstr[0] ""\nmsgstr[1] ""\n'
    ).rename(tmp_path / "bot.pot")
    forms = ["{n} دقيقة", "دقيقة واحدة", "دقيقتين", "{n} دقائق", "{n} دقيقة", "{n} دقيقة"]
    body = 'msgid "{n} min"\nmsgid_plural "{n} mins"\n' + "".join(
        f'msgstr[{index}] "{form}"\n' for index, form in enumerate(forms)
    )
    write_po(tmp_path, "ar", body)
    assert check_catalogs(tmp_path, ("ar",), project_root=None).problems == ()


def test_check_command_fails_on_a_broken_catalogue(tmp_path):
    write_po(tmp_path, "en", 'msgid "Bye"\nmsgstr ""\n').rename(tmp_path / "bot.pot")
    write_po(tmp_path, "de", 'msgid "Bye"\nmsgstr ""\n')
    result = subprocess.run(
        [sys.executable, "-m", "bot", "i18n", "check", "--locales", str(tmp_path)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "'Bye' is not translated" in result.stderr


def test_a_stale_template_is_reported(tmp_path):
    write_po(tmp_path, "en", 'msgid "A string no code uses"\nmsgstr ""\n').rename(
        tmp_path / "bot.pot"
    )
    report = check_catalogs(tmp_path, (), project_root=PROJECT_ROOT)
    problems = "\n".join(report.problems)
    assert "stale, has 'A string no code uses' (not in code)" in problems
    assert "stale, lacks 'Checked on {date}'" in problems
    assert "run `make i18n-extract i18n-update`" in problems


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("<b>bold</b> and <i>italic</i>", None),
        ('<a href="https://example.org">link</a>', None),
        ('<span class="tg-spoiler">x</span>', None),
        ("<tg-spoiler>x</tg-spoiler> <blockquote>q</blockquote> <pre><code>c</code></pre>", None),
        ("plain text, 3 < 5", None),
        ("<b>never closed", "<b> is not closed"),
        ("<b><i>crossed</b></i>", "</b> does not close an open tag"),
        ("<div>block</div>", "tag <div> is not allowed by Telegram"),
        ("<span>x</span>", '<span> is allowed only as <span class="tg-spoiler">'),
        ("broken <b tag", "broken tag near '<b tag'"),
    ],
)
def test_html_problem(text, problem):
    assert html_problem(text) == problem


def test_pure_core_does_not_import_telegram():
    code = (
        "import sys, bot.i18n.translators, bot.hours.schedule, bot.hours.describe, "
        "bot.i18n.localized; "
        "assert not any(m == 'telegram' or m.startswith('telegram.') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True)
