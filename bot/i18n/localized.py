"""Facts written the way the reader's language writes them: dates, times, distances, lists.

Every function takes the reader's `Translator` explicitly. Digits are always
ASCII (Western) digits, in every language: Babel's default ("latn") numbering
for Arabic and Farsi too, so times, phone numbers and distances look the same
as on the signs and letters people see in Germany, and stay dialable.

Right-to-left: a left-to-right fragment (phone number, address, time, URL, a
German name) inside Arabic or Farsi text is wrapped in Unicode isolates
(U+2066 LEFT-TO-RIGHT ISOLATE … U+2069 POP DIRECTIONAL ISOLATE), so the bidi
algorithm cannot reorder "09:00–17:00" into "17:00–09:00" or move the "+" of
"+49 511 …" to the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton
from babel.dates import format_time as babel_format_time
from babel.lists import format_list as babel_format_list
from babel.units import format_unit

from bot.i18n.translators import Translator

LRI = "\u2066"
"""LEFT-TO-RIGHT ISOLATE: starts a fragment laid out left to right whatever surrounds it."""
PDI = "\u2069"
"""POP DIRECTIONAL ISOLATE: ends the fragment LRI started."""

METRES_PRECISION = 10
"""Short distances are rounded to 10 m: a walker cannot use more precision than that."""
WHOLE_KILOMETRES_FROM = 10_000
"""From 10 km on, tenths of a kilometre are noise: "12 km", not "12.3 km"."""


def isolate(text: str) -> str:
    """Wrap a left-to-right fragment so right-to-left text around it cannot reorder it."""
    if not text or (text.startswith(LRI) and text.endswith(PDI)):
        return text
    return f"{LRI}{text}{PDI}"


def ltr(fragment: str, tr: Translator) -> str:
    """Isolate `fragment` only for right-to-left readers; others get it unchanged."""
    return isolate(fragment) if tr.is_rtl else fragment


def format_date(day: date, tr: Translator, length: str = "long") -> str:
    """ "1 October 2026", "1. Oktober 2026", "1 жовтня 2026 р." (Babel's long format)."""
    return babel_format_date(day, length, locale=tr.locale)


def format_day_month(day: date, tr: Translator) -> str:
    """ "1 November", "1. November", "1 ноября": a date within the coming year."""
    return format_skeleton("MMMMd", day, locale=tr.locale)


def checked_on(day: date, tr: Translator) -> str:
    """The sentence saying when staff last checked an entry."""
    # I18N: {date} is a full date, e.g. "1 October 2026". Staff checked the entry that day.
    return tr.gettext("Checked on {date}").format(date=format_date(day, tr))


def format_clock(moment: time | datetime, tr: Translator) -> str:
    """A 24-hour time such as "09:00", in ASCII digits, isolated for right-to-left text.

    Arabic's own pattern is 12-hour ("9:00 ص"); we keep the 24-hour clock every
    service in Germany uses on its door.
    """
    value = moment.timetz() if isinstance(moment, datetime) else moment
    return ltr(babel_format_time(value, "HH:mm", locale=tr.locale), tr)


def format_distance(metres: float, tr: Translator) -> str:
    """ "350 m", "1.2 km" / "1,2 km", "12 km", with the language's unit names and separators."""
    if metres != metres or metres < 0:  # NaN or negative
        raise ValueError(f"distance must be a non-negative number of metres, got {metres!r}")
    if metres < 1000:
        rounded = max(METRES_PRECISION, round(metres / METRES_PRECISION) * METRES_PRECISION)
        if rounded < 1000:
            return format_unit(rounded, "length-meter", length="short", locale=tr.locale)
        metres = 1000
    if metres < WHOLE_KILOMETRES_FROM:
        kilometres = round(metres / 1000, 1)
        return format_unit(
            kilometres, "length-kilometer", length="short", format="#,##0.0", locale=tr.locale
        )
    return format_unit(
        round(metres / 1000), "length-kilometer", length="short", format="#,##0", locale=tr.locale
    )


def format_list(items: Sequence[str], tr: Translator) -> str:
    """ "a, b and c" / "a, b und c" / "a، b و c": the language's own list pattern."""
    return babel_format_list(list(items), style="standard", locale=tr.locale)
