"""Dates, times, distances, lists and right-to-left isolation in the reader's language."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.i18n.localized import (
    LRI,
    PDI,
    checked_on,
    format_clock,
    format_date,
    format_day_month,
    format_distance,
    format_list,
    isolate,
    ltr,
)
from bot.i18n.translators import DEFAULT_LOCALES_DIR, SHIPPED_LANGUAGES, load_translators

ASCII_DIGITS = set("0123456789")


@pytest.fixture(scope="module")
def registry():
    return load_translators(DEFAULT_LOCALES_DIR)


@pytest.mark.parametrize(
    ("code", "long", "day_month", "checked"),
    [
        ("de", "1. Oktober 2026", "1. Oktober", "Geprüft am 1. Oktober 2026"),
        ("en", "1 October 2026", "1 October", "Checked on 1 October 2026"),
        ("uk", "1 жовтня 2026\u202fр.", "1 жовтня", "Перевірено 1 жовтня 2026\u202fр."),
        ("ru", "1 октября 2026\u202fг.", "1 октября", "Проверено 1 октября 2026\u202fг."),
        ("ar", "1 أكتوبر 2026", "1 أكتوبر", "تم التحقق في 1 أكتوبر 2026"),
        ("tr", "1 Ekim 2026", "1 Ekim", "Kontrol tarihi: 1 Ekim 2026"),
        ("fa", "1 اکتبر 2026", "1 اکتبر", "بررسی شده در 1 اکتبر 2026"),
    ],
)
def test_dates(registry, code, long, day_month, checked):
    tr = registry[code]
    day = date(2026, 10, 1)
    assert format_date(day, tr) == long
    assert format_day_month(day, tr) == day_month
    assert checked_on(day, tr) == checked


def test_medium_date(registry):
    assert format_date(date(2026, 10, 1), registry["de"], "medium") == "01.10.2026"
    assert format_date(date(2026, 10, 1), registry["en"], "medium") == "1 Oct 2026"


@pytest.mark.parametrize(
    ("metres", "de", "en", "ar", "fa"),
    [
        (0, "10 m", "10 m", "10 أمتار", "10متر"),
        (349, "350 m", "350 m", "350 مترًا", "350متر"),
        (994, "990 m", "990 m", "990 مترًا", "990متر"),
        (996, "1,0 km", "1.0 km", "1.0 كم", "1.0 کیلومتر"),
        (1234, "1,2 km", "1.2 km", "1.2 كم", "1.2 کیلومتر"),
        (9960, "10,0 km", "10.0 km", "10.0 كم", "10.0 کیلومتر"),
        (12_345, "12 km", "12 km", "12 كم", "12 کیلومتر"),
        (123_456, "123 km", "123 km", "123 كم", "123 کیلومتر"),
    ],
)
def test_distances(registry, metres, de, en, ar, fa):
    assert [format_distance(metres, registry[code]) for code in ("de", "en", "ar", "fa")] == [
        de,
        en,
        ar,
        fa,
    ]


@pytest.mark.parametrize("code", SHIPPED_LANGUAGES)
def test_distances_use_ascii_digits(registry, code):
    for metres in (350, 1234, 12_345):
        digits = {char for char in format_distance(metres, registry[code]) if char.isdigit()}
        assert digits <= ASCII_DIGITS


@pytest.mark.parametrize("metres", [-1, float("nan")])
def test_impossible_distances_are_refused(registry, metres):
    with pytest.raises(ValueError, match="non-negative"):
        format_distance(metres, registry["en"])


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("de", "Deutsch, Englisch und Arabisch"),
        ("en", "Deutsch, Englisch and Arabisch"),
        ("uk", "Deutsch, Englisch і Arabisch"),
        ("ru", "Deutsch, Englisch и Arabisch"),
        ("ar", "Deutsch وEnglisch وArabisch"),
        ("tr", "Deutsch, Englisch ve Arabisch"),
        ("fa", "Deutsch،\u200f Englisch، و Arabisch"),
    ],
)
def test_lists(registry, code, expected):
    assert format_list(["Deutsch", "Englisch", "Arabisch"], registry[code]) == expected


def test_short_lists(registry):
    assert format_list([], registry["en"]) == ""
    assert format_list(["Tafel"], registry["en"]) == "Tafel"
    assert format_list(["Tafel", "Kleiderkammer"], registry["de"]) == "Tafel und Kleiderkammer"


@pytest.mark.parametrize("code", SHIPPED_LANGUAGES)
def test_clock_is_24_hour_with_ascii_digits(registry, code):
    tr = registry[code]
    text = format_clock(time(17, 5), tr)
    assert text == (f"{LRI}17:05{PDI}" if tr.is_rtl else "17:05")
    aware = datetime(2026, 7, 1, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert format_clock(aware, tr).strip(LRI + PDI) == "09:00"


def test_isolate_wraps_once():
    assert isolate("+49 511 123456") == "\u2066+49 511 123456\u2069"
    assert isolate(isolate("Tafel")) == isolate("Tafel")
    assert isolate("") == ""


@pytest.mark.parametrize(
    "fragment",
    [
        "+49 511 123456",  # phone
        "Musterstraße 1, 30159 Hannover",  # address
        "https://www.hannover.de/tafel",  # URL
        "Diakonisches Werk Hannover",  # German name
        "09:00–17:00",  # time
    ],
)
@pytest.mark.parametrize("code", ["ar", "fa"])
def test_left_to_right_fragments_are_isolated_in_rtl_sentences(registry, code, fragment):
    tr = registry[code]
    sentence = tr.gettext("Approximate location: {place}").format(place=ltr(fragment, tr))
    assert f"{LRI}{fragment}{PDI}" in sentence
    assert sentence.index(LRI) > 0  # the sentence itself starts right-to-left
    digits = {char for char in fragment if char.isdigit()}
    assert digits <= ASCII_DIGITS


@pytest.mark.parametrize("code", ["de", "en", "uk", "ru", "tr"])
def test_left_to_right_languages_get_fragments_unchanged(registry, code):
    assert ltr("+49 511 123456", registry[code]) == "+49 511 123456"


def test_localized_does_not_translate_digits_for_farsi(registry):
    # Babel could write Persian digits (numbering_system="default"); we keep ASCII everywhere.
    tr = registry["fa"]
    for text in (
        format_date(date(2026, 10, 1), tr),
        format_distance(1234, tr),
        checked_on(date(2026, 1, 2), tr),
    ):
        assert {char for char in text if char.isdigit()} <= ASCII_DIGITS
