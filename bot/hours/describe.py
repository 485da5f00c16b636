"""Opening hours in the reader's language: a short line of hours and the state right now.

A simple expression is described from its summary ("Mon–Fri 09:00–17:00; Sat 10:00–13:00");
anything more complex from the next seven days of real opening times, and the raw expression
is shown only if both fail. Whole sentences per case ("Opens Tuesday at {time}") let each
language choose its own grammar; times, dates and day names come from Babel in the reader's
locale. This is the only module of `bot/hours/` that knows about translators.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import opening_hours
from babel.dates import format_interval, format_time, get_day_names

from bot.hours.schedule import OpeningSchedule, OpenState, OpenStatus
from bot.hours.summary import MINUTES_PER_DAY, Season, Span, Summary, WeekTable, freeze_table
from bot.i18n.localized import format_clock, format_day_month, ltr
from bot.i18n.translators import Translator

SOON = timedelta(minutes=60)
"""Openings and closings within an hour are said in minutes ("closes in 20 minutes")."""

WEEKDAY_WORDS = 7
"""Openings up to six days ahead are named by weekday, later ones by date."""


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _day_names(tr: Translator) -> list[str]:
    names = get_day_names("abbreviated", context="stand-alone", locale=tr.locale)
    return [_capitalise(names[day]) for day in range(7)]


def _list_separator(tr: Translator) -> str:
    # I18N: Goes between weekdays or times in a list: "Tue, Thu", "09:00–12:00, 14:00–17:00".
    # Arabic and Farsi use "، ". Keep the space after it.
    return tr.pgettext("separator in a list of days or times", ", ")


def _group_separator(tr: Translator) -> str:
    # I18N: Goes between groups of opening hours: "Mon–Fri 09:00–17:00; Sat 10:00–13:00".
    # Arabic and Farsi use "؛ ". Keep the space after it.
    return tr.pgettext("separator between groups of opening hours", "; ")


def _clock_text(minutes: int, tr: Translator) -> str:
    """A clock time for a range; the caller isolates the whole range for RTL readers."""
    if minutes == MINUTES_PER_DAY:
        return "24:00"
    minutes %= MINUTES_PER_DAY
    return format_time(time(minutes // 60, minutes % 60), "HH:mm", locale=tr.locale)


def _spans_text(spans: Sequence[Span], tr: Translator) -> str:
    return _list_separator(tr).join(
        ltr(f"{_clock_text(start, tr)}–{_clock_text(end, tr)}", tr) for start, end in spans
    )


def _days_text(days: Sequence[int], tr: Translator) -> str:
    if len(days) == 7:
        # I18N: Opening days, as in "daily 09:00–17:00" (every day of the week).
        return tr.pgettext("opening days", "daily")
    names = _day_names(tr)
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{names[run[0]]}–{names[run[-1]]}")
        else:
            parts.extend(names[day] for day in run)
    return _list_separator(tr).join(parts)


def _table_text(table: WeekTable, tr: Translator) -> str | None:
    """ "Mon–Fri 09:00–17:00; Sat 10:00–13:00", or None if every day is closed."""
    if all(spans == ((0, MINUTES_PER_DAY),) for spans in table):
        # I18N: The whole description of a service that never closes.
        return tr.gettext("Open 24 hours, every day")
    groups: dict[tuple[Span, ...], list[int]] = {}
    for day, spans in enumerate(table):
        if spans:
            groups.setdefault(spans, []).append(day)
    if not groups:
        return None
    parts = [
        f"{_days_text(days, tr)} {_spans_text(spans, tr)}"
        for spans, days in sorted(groups.items(), key=lambda item: item[1][0])
    ]
    return _group_separator(tr).join(parts)


def _season_dates(season: Season, tr: Translator) -> str:
    start_year = 2027 if season.start > season.end else 2028
    first = date(start_year, *season.start)
    last = date(2028, *season.end)
    if first == last:
        return format_day_month(first, tr)
    return format_interval(first, last, "MMMd", locale=tr.locale)


def _closed_word(tr: Translator) -> str:
    # I18N: Inside a line of opening hours: "1 Jul – 31 Aug: closed".
    return tr.pgettext("opening hours", "closed")


def _summary_text(summary: Summary, tr: Translator) -> str:
    parts = []
    base = _table_text(summary.base, tr)
    if base is not None:
        parts.append(base)
    for season in summary.seasons:
        hours = _table_text(season.table, tr) or _closed_word(tr)
        parts.append(f"{_season_dates(season, tr)}: {hours}")
    if summary.public_holidays is not None:
        if summary.public_holidays:
            # I18N: Label before opening times that apply on public holidays:
            # "public holidays 10:00–12:00".
            label = tr.pgettext("opening days", "public holidays")
            parts.append(f"{label} {_spans_text(summary.public_holidays, tr)}")
        else:
            # I18N: Part of a line of hours: "Mon–Fri 09:00–17:00; closed on public holidays".
            parts.append(tr.gettext("closed on public holidays"))
    if not parts:
        return _capitalise(_closed_word(tr))
    return _capitalise(_group_separator(tr).join(parts))


def _upcoming_week_table(schedule: OpeningSchedule, now: datetime) -> WeekTable:
    """Per weekday, the opening times of the next seven days (holidays included).

    An opening that started before today belongs to an earlier day and is left out;
    one longer than a day is cut at midnight.
    """
    start = datetime.combine(schedule.localize(now).date(), time(), tzinfo=schedule.timezone)
    end = start + timedelta(days=7)
    table: list[list[Span]] = [[] for _ in range(7)]
    day = timedelta(days=1)
    for begin, finish, state, _ in schedule.intervals(start - day, end + day):
        if state != opening_hours.State.OPEN or not start <= begin < end:
            continue
        cursor = begin
        while cursor < finish and cursor < end:
            midnight = datetime.combine(cursor.date(), time(), tzinfo=schedule.timezone)
            offset = int((cursor - midnight).total_seconds()) // 60
            if finish - cursor <= day:
                length = int((finish - cursor).total_seconds()) // 60
            else:
                length = MINUTES_PER_DAY - offset
            table[cursor.weekday()].append((offset, offset + length))
            cursor = midnight + day if length == MINUTES_PER_DAY - offset else finish
    return freeze_table(table)


def describe_hours(schedule: OpeningSchedule, tr: Translator, now: datetime | None = None) -> str:
    """A short line of opening hours in the reader's language.

    `now` matters only for expressions too complex to summarise, which are
    described from the next seven days.
    """
    summary = schedule.summary
    if summary is not None:
        return _summary_text(summary, tr)
    moment = now if now is not None else datetime.now(schedule.timezone)
    text = _table_text(_upcoming_week_table(schedule, moment), tr)
    return _capitalise(text) if text is not None else schedule.expression


def _weekday_sentence(weekday: int, tr: Translator) -> str:
    """One whole sentence per weekday, so each language can use its own preposition and case."""
    if weekday == 0:
        # I18N: {time} is a 24-hour time such as 10:00.
        return tr.gettext("Opens Monday at {time}")
    if weekday == 1:
        # I18N: {time} is a 24-hour time such as 10:00.
        return tr.gettext("Opens Tuesday at {time}")
    if weekday == 2:
        # I18N: {time} is a 24-hour time such as 10:00.
        return tr.gettext("Opens Wednesday at {time}")
    if weekday == 3:
        # I18N: {time} is a 24-hour time such as 10:00.
        return tr.gettext("Opens Thursday at {time}")
    if weekday == 4:
        # I18N: {time} is a 24-hour time such as 10:00.
        return tr.gettext("Opens Friday at {time}")
    if weekday == 5:
        # I18N: {time} is a 24-hour time such as 10:00.
        return tr.gettext("Opens Saturday at {time}")
    # I18N: {time} is a 24-hour time such as 10:00.
    return tr.gettext("Opens Sunday at {time}")


def _minutes_until(moment: datetime, now: datetime) -> int:
    return max(1, -(-int((moment - now).total_seconds()) // 60))


def _closing_text(closes_at: datetime, now: datetime, tr: Translator) -> str:
    if closes_at - now < SOON:
        minutes = _minutes_until(closes_at, now)
        # I18N: The service is open now and closes in a few minutes.
        return tr.ngettext(
            "Open now, closes in {n} minute", "Open now, closes in {n} minutes", minutes
        ).format(n=minutes)
    shown = closes_at
    clock = format_clock(closes_at, tr)
    if closes_at.time() == time(0, 0):  # "until 24:00" reads better than "until 00:00"
        shown = closes_at - timedelta(minutes=1)
        clock = ltr("24:00", tr)
    if closes_at - now < timedelta(days=1):
        # I18N: {time} is a 24-hour time such as 17:00.
        return tr.gettext("Open now, until {time}").format(time=clock)
    # I18N: {date} is a day and month ("3 October"), {time} a 24-hour time.
    return tr.gettext("Open now, until {date} at {time}").format(
        date=format_day_month(shown.date(), tr), time=clock
    )


def _opening_text(opens_at: datetime, now: datetime, tr: Translator) -> str:
    days_ahead = (opens_at.date() - now.date()).days
    clock = format_clock(opens_at, tr)
    if days_ahead == 0:
        if opens_at - now < SOON:
            minutes = _minutes_until(opens_at, now)
            # I18N: The service is closed now and opens in a few minutes.
            return tr.ngettext("Opens in {n} minute", "Opens in {n} minutes", minutes).format(
                n=minutes
            )
        # I18N: {time} is a 24-hour time such as 14:00.
        return tr.gettext("Opens today at {time}").format(time=clock)
    if days_ahead == 1:
        # I18N: {time} is a 24-hour time such as 10:00.
        return tr.gettext("Opens tomorrow at {time}").format(time=clock)
    if days_ahead < WEEKDAY_WORDS:
        return _weekday_sentence(opens_at.weekday(), tr).format(time=clock)
    # I18N: {date} is a day and month ("1 November"), {time} a 24-hour time.
    return tr.gettext("Opens on {date} at {time}").format(
        date=format_day_month(opens_at.date(), tr), time=clock
    )


def describe_state(state: OpenState, tr: Translator, now: datetime) -> str:
    """One short sentence: "Open now, until 17:00", "Opens Tuesday at 10:00", "Closed"…"""
    reference = state.opens_at or state.closes_at
    if reference is not None and reference.tzinfo is not None:
        now = (
            now.astimezone(reference.tzinfo) if now.tzinfo else now.replace(tzinfo=reference.tzinfo)
        )
    if state.status == OpenStatus.ALWAYS_OPEN:
        # I18N: The service is open day and night, every day.
        return tr.gettext("Open 24/7")
    if state.status == OpenStatus.OPEN:
        if state.closes_at is None:
            # I18N: Open now; the hours do not say until when.
            return tr.gettext("Open now")
        return _closing_text(state.closes_at, now, tr)
    if state.status == OpenStatus.UNKNOWN:
        # I18N: The opening hours do not say whether the service is open now.
        return tr.gettext("Opening hours not known")
    holiday = ""
    if state.holiday is not None:
        # I18N: Today is a public holiday and the service is closed for it.
        holiday = tr.gettext("Closed today (public holiday).") + " "
    if state.status in (OpenStatus.OPENS_TODAY, OpenStatus.OPENS_LATER) and state.opens_at:
        return holiday + _opening_text(state.opens_at, now, tr)
    # I18N: Closed now, and no future opening is known.
    return holiday + tr.gettext("Closed until further notice")
