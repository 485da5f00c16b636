"""Opening hours in words: the state right now ("Open now, until 17:00") in seven languages."""

from __future__ import annotations

import pytest
from hours_helpers import at, plain, schedule

from bot.hours.describe import describe_state
from bot.i18n.translators import DEFAULT_LOCALES_DIR, SHIPPED_LANGUAGES, load_translators


@pytest.fixture(scope="module")
def registry():
    return load_translators(DEFAULT_LOCALES_DIR)


STATES = [
    (
        "Mo-Fr 09:00-17:00; PH off",
        "2025-10-31 10:00",
        {
            "de": "Heute geschlossen (Feiertag). Öffnet am Montag um 09:00 Uhr",
            "en": "Closed today (public holiday). Opens Monday at 09:00",
            "uk": "Сьогодні зачинено (свято). Відчиниться в понеділок о 09:00",
            "ru": "Сегодня закрыто (праздник). Откроется в понедельник в 09:00",
            "ar": "مغلق اليوم (عطلة رسمية). يفتح يوم الاثنين الساعة 09:00",
            "tr": "Bugün kapalı (resmî tatil). Açılış: Pazartesi 09:00",
            "fa": "امروز بسته است (تعطیل رسمی). دوشنبه ساعت 09:00 باز می\u200cشود",
        },
    ),
    (
        "Mo-Fr 09:00-17:00; PH off",
        "2025-10-03 10:00",
        {
            "de": "Heute geschlossen (Feiertag). Öffnet am Montag um 09:00 Uhr",
            "en": "Closed today (public holiday). Opens Monday at 09:00",
            "uk": "Сьогодні зачинено (свято). Відчиниться в понеділок о 09:00",
            "ru": "Сегодня закрыто (праздник). Откроется в понедельник в 09:00",
            "ar": "مغلق اليوم (عطلة رسمية). يفتح يوم الاثنين الساعة 09:00",
            "tr": "Bugün kapalı (resmî tatil). Açılış: Pazartesi 09:00",
            "fa": "امروز بسته است (تعطیل رسمی). دوشنبه ساعت 09:00 باز می\u200cشود",
        },
    ),
    (
        "Mo-Fr 09:00-17:00",
        "2026-07-01 12:30",
        {
            "de": "Jetzt geöffnet, bis 17:00 Uhr",
            "en": "Open now, until 17:00",
            "uk": "Зараз відчинено, до 17:00",
            "ru": "Сейчас открыто, до 17:00",
            "ar": "مفتوح الآن حتى الساعة 17:00",
            "tr": "Şu an açık, kapanış: 17:00",
            "fa": "اکنون باز است، تا ساعت 17:00",
        },
    ),
    (
        "Mo-Su 17:00-09:00",
        "2026-07-01 23:00",
        {
            "de": "Jetzt geöffnet, bis 09:00 Uhr",
            "en": "Open now, until 09:00",
            "uk": "Зараз відчинено, до 09:00",
            "ru": "Сейчас открыто, до 09:00",
            "ar": "مفتوح الآن حتى الساعة 09:00",
            "tr": "Şu an açık, kapanış: 09:00",
            "fa": "اکنون باز است، تا ساعت 09:00",
        },
    ),
    (
        "Fr 22:00-02:00",
        "2026-07-04 01:30",
        {
            "de": "Jetzt geöffnet, schließt in 30 Minuten",
            "en": "Open now, closes in 30 minutes",
            "uk": "Зараз відчинено, зачиниться через 30 хвилин",
            "ru": "Сейчас открыто, закроется через 30 минут",
            "ar": "مفتوح الآن، يغلق بعد 30 دقيقة",
            "tr": "Şu an açık, 30 dakika sonra kapanıyor",
            "fa": "اکنون باز است، 30 دقیقه دیگر بسته می\u200cشود",
        },
    ),
    (
        "Fr 22:00-02:00",
        "2026-07-04 03:00",
        {
            "de": "Öffnet am Freitag um 22:00 Uhr",
            "en": "Opens Friday at 22:00",
            "uk": "Відчиниться в п’ятницю о 22:00",
            "ru": "Откроется в пятницу в 22:00",
            "ar": "يفتح يوم الجمعة الساعة 22:00",
            "tr": "Açılış: Cuma 22:00",
            "fa": "جمعه ساعت 22:00 باز می\u200cشود",
        },
    ),
    (
        "Nov 01-Mar 31: Mo-Su 17:00-09:00",
        "2026-07-15 12:00",
        {
            "de": "Öffnet am 1. November um 17:00 Uhr",
            "en": "Opens on 1 November at 17:00",
            "uk": "Відчиниться 1 листопада о 17:00",
            "ru": "Откроется 1 ноября в 17:00",
            "ar": "يفتح في 1 نوفمبر الساعة 17:00",
            "tr": "Açılış: 1 Kasım 17:00",
            "fa": "1 نوامبر ساعت 17:00 باز می\u200cشود",
        },
    ),
    (
        "24/7",
        "2026-07-01 12:00",
        {
            "de": "Immer geöffnet, Tag und Nacht",
            "en": "Open 24/7",
            "uk": "Відчинено цілодобово",
            "ru": "Открыто круглосуточно",
            "ar": "مفتوح دائمًا، ليلًا ونهارًا",
            "tr": "7/24 açık",
            "fa": "شبانه\u200cروزی باز است",
        },
    ),
    (
        "Tu,Th 10:00-13:00",
        "2026-07-07 09:40",
        {
            "de": "Öffnet in 20 Minuten",
            "en": "Opens in 20 minutes",
            "uk": "Відчиниться через 20 хвилин",
            "ru": "Откроется через 20 минут",
            "ar": "يفتح بعد 20 دقيقة",
            "tr": "20 dakika sonra açılıyor",
            "fa": "20 دقیقه دیگر باز می\u200cشود",
        },
    ),
    (
        "Tu,Th 10:00-13:00",
        "2026-07-07 14:00",
        {
            "de": "Öffnet am Donnerstag um 10:00 Uhr",
            "en": "Opens Thursday at 10:00",
            "uk": "Відчиниться в четвер о 10:00",
            "ru": "Откроется в четверг в 10:00",
            "ar": "يفتح يوم الخميس الساعة 10:00",
            "tr": "Açılış: Perşembe 10:00",
            "fa": "پنجشنبه ساعت 10:00 باز می\u200cشود",
        },
    ),
    (
        "Tu,Th 10:00-13:00",
        "2026-07-08 14:00",
        {
            "de": "Öffnet morgen um 10:00 Uhr",
            "en": "Opens tomorrow at 10:00",
            "uk": "Відчиниться завтра о 10:00",
            "ru": "Откроется завтра в 10:00",
            "ar": "يفتح غدًا الساعة 10:00",
            "tr": "Açılış: yarın 10:00",
            "fa": "فردا ساعت 10:00 باز می\u200cشود",
        },
    ),
    (
        "Mo-Fr 09:00-17:00",
        "2026-07-01 07:00",
        {
            "de": "Öffnet heute um 09:00 Uhr",
            "en": "Opens today at 09:00",
            "uk": "Відчиниться сьогодні о 09:00",
            "ru": "Откроется сегодня в 09:00",
            "ar": "يفتح اليوم الساعة 09:00",
            "tr": "Açılış: bugün 09:00",
            "fa": "امروز ساعت 09:00 باز می\u200cشود",
        },
    ),
    (
        "off",
        "2026-07-01 07:00",
        {
            "de": "Bis auf Weiteres geschlossen",
            "en": "Closed until further notice",
            "uk": "Тимчасово зачинено",
            "ru": "Временно закрыто",
            "ar": "مغلق حتى إشعار آخر",
            "tr": "Şimdilik kapalı",
            "fa": "تا اطلاع بعدی بسته است",
        },
    ),
    (
        "Mo-Fr 09:00-17:00; Dec 24-Jan 01 off",
        "2026-12-23 12:00",
        {
            "de": "Jetzt geöffnet, bis 17:00 Uhr",
            "en": "Open now, until 17:00",
            "uk": "Зараз відчинено, до 17:00",
            "ru": "Сейчас открыто, до 17:00",
            "ar": "مفتوح الآن حتى الساعة 17:00",
            "tr": "Şu an açık, kapanış: 17:00",
            "fa": "اکنون باز است، تا ساعت 17:00",
        },
    ),
]


@pytest.mark.parametrize(("expression", "now", "expected"), STATES, ids=lambda v: str(v)[:30])
def test_describe_state(registry, expression, now, expected):
    moment = at(now)
    state = schedule(expression).state_at(moment)
    rendered = {
        code: plain(describe_state(state, registry[code], moment)) for code in SHIPPED_LANGUAGES
    }
    assert rendered == expected


@pytest.mark.parametrize(
    ("expression", "now", "english"),
    [
        # Closing more than a day ahead: the date, and midnight said as 24:00 of the day before.
        ("Mo-Fr 00:00-24:00", "2026-06-29 10:00", "Open now, until 3 July at 24:00"),
        # Next opening a week or more ahead: the date.
        ("Mo-Fr 09:00-17:00; Dec 24-Jan 01 off", "2026-12-23 18:00", "Opens on 4 January at 09:00"),
        ("Mo-Fr 09:00-17:00", "2026-07-01 16:59", "Open now, closes in 1 minute"),
    ],
)
def test_describe_state_edges(registry, expression, now, english):
    moment = at(now)
    state = schedule(expression).state_at(moment)
    assert describe_state(state, registry["en"], moment) == english
