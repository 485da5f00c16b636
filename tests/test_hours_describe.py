"""Opening hours in words: a short line of hours in seven languages, isolated for RTL readers."""

from __future__ import annotations

import pytest
from hours_helpers import at, plain, schedule

from bot.hours.describe import describe_hours, describe_state
from bot.i18n.localized import LRI, PDI
from bot.i18n.translators import DEFAULT_LOCALES_DIR, SHIPPED_LANGUAGES, load_translators


@pytest.fixture(scope="module")
def registry():
    return load_translators(DEFAULT_LOCALES_DIR)


# --- Descriptions in seven languages ------------------------------------------------------

DESCRIPTIONS = [
    (
        "Tu,Th 10:00-13:00",
        {
            "de": "Di, Do 10:00–13:00",
            "en": "Tue, Thu 10:00–13:00",
            "uk": "Вт, Чт 10:00–13:00",
            "ru": "Вт, Чт 10:00–13:00",
            "ar": "الثلاثاء، الخميس 10:00–13:00",
            "tr": "Sal, Per 10:00–13:00",
            "fa": "سه\u200cشنبه، پنجشنبه 10:00–13:00",
        },
    ),
    (
        "Mo-Fr 09:00-17:00; PH off",
        {
            "de": "Mo–Fr 09:00–17:00; an Feiertagen geschlossen",
            "en": "Mon–Fri 09:00–17:00; closed on public holidays",
            "uk": "Пн–Пт 09:00–17:00; у святкові дні зачинено",
            "ru": "Пн–Пт 09:00–17:00; в праздничные дни закрыто",
            "ar": "الاثنين–الجمعة 09:00–17:00؛ مغلق في العطل الرسمية",
            "tr": "Pzt–Cum 09:00–17:00; resmî tatillerde kapalı",
            "fa": "دوشنبه–جمعه 09:00–17:00؛ در تعطیلات رسمی بسته است",
        },
    ),
    (
        "24/7",
        {
            "de": "Rund um die Uhr geöffnet, jeden Tag",
            "en": "Open 24 hours, every day",
            "uk": "Цілодобово, щодня",
            "ru": "Круглосуточно, каждый день",
            "ar": "مفتوح 24 ساعة، كل يوم",
            "tr": "Her gün 24 saat açık",
            "fa": "هر روز، شبانه\u200cروزی باز است",
        },
    ),
    (
        "Nov 01-Mar 31: Mo-Su 17:00-09:00",
        {
            "de": "1. Nov.\u2009–\u200931. März: täglich 17:00–09:00",
            "en": "1 Nov\u2009–\u200931 Mar: daily 17:00–09:00",
            "uk": "1 лист.\xa0— 31 бер.: щодня 17:00–09:00",
            "ru": "1 нояб. — 31 мар.: ежедневно 17:00–09:00",
            "ar": "1 نوفمبر – 31 مارس: يوميًا 17:00–09:00",
            "tr": "1 Kas\u2009–\u200931 Mar: her gün 17:00–09:00",
            "fa": "1 نوامبر تا 31 مارس: هر روز 17:00–09:00",
        },
    ),
    (
        "Mo-Fr 09:00-12:00,13:00-17:00; Sa 10:00-13:00",
        {
            "de": "Mo–Fr 09:00–12:00, 13:00–17:00; Sa 10:00–13:00",
            "en": "Mon–Fri 09:00–12:00, 13:00–17:00; Sat 10:00–13:00",
            "uk": "Пн–Пт 09:00–12:00, 13:00–17:00; Сб 10:00–13:00",
            "ru": "Пн–Пт 09:00–12:00, 13:00–17:00; Сб 10:00–13:00",
            "ar": "الاثنين–الجمعة 09:00–12:00، 13:00–17:00؛ السبت 10:00–13:00",
            "tr": "Pzt–Cum 09:00–12:00, 13:00–17:00; Cmt 10:00–13:00",
            "fa": "دوشنبه–جمعه 09:00–12:00، 13:00–17:00؛ شنبه 10:00–13:00",
        },
    ),
    (
        "Fr 22:00-02:00",
        {
            "de": "Fr 22:00–02:00",
            "en": "Fri 22:00–02:00",
            "uk": "Пт 22:00–02:00",
            "ru": "Пт 22:00–02:00",
            "ar": "الجمعة 22:00–02:00",
            "tr": "Cum 22:00–02:00",
            "fa": "جمعه 22:00–02:00",
        },
    ),
    (
        "Mo-Fr 09:00-17:00; We 09:00-12:00",
        {
            "de": "Mo, Di, Do, Fr 09:00–17:00; Mi 09:00–12:00",
            "en": "Mon, Tue, Thu, Fri 09:00–17:00; Wed 09:00–12:00",
            "uk": "Пн, Вт, Чт, Пт 09:00–17:00; Ср 09:00–12:00",
            "ru": "Пн, Вт, Чт, Пт 09:00–17:00; Ср 09:00–12:00",
            "ar": "الاثنين، الثلاثاء، الخميس، الجمعة 09:00–17:00؛ الأربعاء 09:00–12:00",
            "tr": "Pzt, Sal, Per, Cum 09:00–17:00; Çar 09:00–12:00",
            "fa": "دوشنبه، سه\u200cشنبه، پنجشنبه، جمعه 09:00–17:00؛ چهارشنبه 09:00–12:00",
        },
    ),
    (
        "Mo-Fr 10:00-18:00; Jul-Aug off",
        {
            "de": "Mo–Fr 10:00–18:00; 1. Juli\u2009–\u200931. Aug.: geschlossen",
            "en": "Mon–Fri 10:00–18:00; 1 Jul\u2009–\u200931 Aug: closed",
            "uk": "Пн–Пт 10:00–18:00; 1 лип.\xa0— 31 серп.: зачинено",
            "ru": "Пн–Пт 10:00–18:00; 1 июл. — 31 авг.: закрыто",
            "ar": "الاثنين–الجمعة 10:00–18:00؛ 1 يوليو – 31 أغسطس: مغلق",
            "tr": "Pzt–Cum 10:00–18:00; 1 Tem\u2009–\u200931 Ağu: kapalı",
            "fa": "دوشنبه–جمعه 10:00–18:00؛ 1 ژوئیه تا 31 اوت: بسته",
        },
    ),
    (
        "Mo-Su 10:00-16:00; PH 10:00-12:00",
        {
            "de": "Täglich 10:00–16:00; Feiertage 10:00–12:00",
            "en": "Daily 10:00–16:00; public holidays 10:00–12:00",
            "uk": "Щодня 10:00–16:00; святкові дні 10:00–12:00",
            "ru": "Ежедневно 10:00–16:00; праздничные дни 10:00–12:00",
            "ar": "يوميًا 10:00–16:00؛ العطل الرسمية 10:00–12:00",
            "tr": "Her gün 10:00–16:00; resmî tatiller 10:00–12:00",
            "fa": "هر روز 10:00–16:00؛ تعطیلات رسمی 10:00–12:00",
        },
    ),
]


@pytest.mark.parametrize(("expression", "expected"), DESCRIPTIONS, ids=lambda v: str(v)[:30])
def test_describe_hours(registry, expression, expected):
    sched = schedule(expression)
    rendered = {code: plain(describe_hours(sched, registry[code])) for code in SHIPPED_LANGUAGES}
    assert rendered == expected


@pytest.mark.parametrize(
    ("expression", "english"),
    [
        ("Mo-Su 00:00-24:00", "Open 24 hours, every day"),
        ("24/7; PH off", "Open 24 hours, every day; closed on public holidays"),
        (
            "Mo-Fr 09:00-17:00; Dec 24-Jan 01 off",
            "Mon–Fri 09:00–17:00; 24 Dec\u2009–\u20091 Jan: closed",
        ),
        ("Mo-Th 09:00-16:00, Fr 09:00-12:00", "Mon–Thu 09:00–16:00; Fri 09:00–12:00"),
        ("Mo-Fr 10:00-24:00", "Mon–Fri 10:00–24:00"),
        ("Sa,Su 10:00-14:00", "Sat, Sun 10:00–14:00"),
        ("Mo,We,Fr 08:00-12:00", "Mon, Wed, Fri 08:00–12:00"),
        ("Fr-Mo 10:00-12:00", "Mon, Fri–Sun 10:00–12:00"),
        ("Dec 24 10:00-12:00", "24 December: daily 10:00–12:00"),
        ("off", "Closed"),
        ('Mo-Fr 08:00-16:00 "nur mit Termin"', "Mon–Fri 08:00–16:00"),
    ],
)
def test_describe_hours_summaries(registry, expression, english):
    assert plain(describe_hours(schedule(expression), registry["en"])) == english


@pytest.mark.parametrize(
    ("expression", "now", "english"),
    [
        # Too complex to summarise: the next seven days, read from the library.
        ("Mo[1] 10:00-12:00", "2026-07-01 12:00", "Mon 10:00–12:00"),
        ("Tu 10:00-12:00; week 1-53/2 Tu off", "2026-07-01 12:00", "Tue 10:00–12:00"),
        # The library treats a day switched off as ending the night before it.
        (
            "Mo-Su 17:00-09:00; Sa off",
            "2026-07-01 12:00",
            "Mon–Thu 17:00–09:00; Fri 17:00–24:00; Sun 00:00–09:00, 17:00–09:00",
        ),
        # Nothing opens within seven days: the expression itself is the last resort.
        (
            "week 1-53/2 Mo 10:00-12:00; Jul-Aug off",
            "2026-07-01 12:00",
            "week 1-53/2 Mo 10:00-12:00; Jul-Aug off",
        ),
    ],
)
def test_describe_hours_falls_back_to_the_next_seven_days(registry, expression, now, english):
    text = describe_hours(schedule(expression), registry["en"], now=at(now))
    assert plain(text) == english


def test_holiday_week_fallback_reflects_the_holiday(registry):
    # The fallback shows the real week, so a week with Reformationstag lacks Friday.
    sched = schedule("Mo-Fr 09:00-17:00; PH off; Mo[1] 08:00-10:00")
    text = plain(describe_hours(sched, registry["en"], now=at("2025-10-27 08:00")))
    assert text == "Mon–Thu 09:00–17:00"


# --- Right-to-left ---------------------------------------------------------------------


@pytest.mark.parametrize("code", ["ar", "fa"])
def test_times_are_isolated_for_right_to_left_readers(registry, code):
    tr = registry[code]
    hours = describe_hours(schedule("Mo-Fr 09:00-12:00,13:00-17:00"), tr)
    assert f"{LRI}09:00–12:00{PDI}" in hours
    assert f"{LRI}13:00–17:00{PDI}" in hours
    moment = at("2026-07-01 12:30")
    state = describe_state(schedule("Mo-Fr 09:00-17:00").state_at(moment), tr, moment)
    assert f"{LRI}17:00{PDI}" in state


@pytest.mark.parametrize("code", ["de", "en", "uk", "ru", "tr"])
def test_left_to_right_languages_get_no_isolation_marks(registry, code):
    tr = registry[code]
    moment = at("2026-07-01 12:30")
    text = describe_hours(schedule("Mo-Fr 09:00-17:00"), tr) + describe_state(
        schedule("Mo-Fr 09:00-17:00").state_at(moment), tr, moment
    )
    assert LRI not in text and PDI not in text


@pytest.mark.parametrize("code", SHIPPED_LANGUAGES)
def test_times_use_ascii_digits(registry, code):
    tr = registry[code]
    moment = at("2026-07-15 12:00")
    text = describe_hours(schedule("Nov 01-Mar 31: Mo-Su 17:00-09:00"), tr) + describe_state(
        schedule("Nov 01-Mar 31: Mo-Su 17:00-09:00").state_at(moment), tr, moment
    )
    digits = {char for char in text if char.isdigit()}
    assert digits and digits <= set("0123456789")
