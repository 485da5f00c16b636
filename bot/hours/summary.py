"""A summary of simple opening hours: which times on which weekdays, per season.

Describing hours in words needs their structure ("Mon–Fri 09:00–17:00; Sat 10:00–13:00"),
which the library does not expose. This module reads the simple part of the syntax (seasons,
weekdays, times, off, PH) into week tables, and keeps a summary only if it gives the same
week as the library on a reference week of every season, so a misread line is never shown.
Anything more complex returns None, and the wording falls back to the next seven days.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import opening_hours

from bot.hours.syntax import MONTH_CODES, WEEKDAY_CODES

MINUTES_PER_DAY = 24 * 60
REFERENCE_YEAR = 2030
"""Year whose weeks serve to cross-check a parsed summary against the library:
any year works because the summarised syntax has no year-dependent parts."""

Span = tuple[int, int]
"""Minutes after the day's midnight; the end may pass 1440 for hours past midnight."""
WeekTable = tuple[tuple[Span, ...], ...]
"""Seven entries, Monday first; an empty entry is a closed day."""


@dataclass(frozen=True)
class Season:
    """A date range of every year ("Nov 01-Mar 31") with its own week."""

    start: tuple[int, int]  # (month, day)
    end: tuple[int, int]
    table: WeekTable


@dataclass(frozen=True)
class Summary:
    """The week outside any season, each season's week, and the hours on public holidays."""

    base: WeekTable
    seasons: tuple[Season, ...]
    public_holidays: tuple[Span, ...] | None  # None: no PH rule; (): closed on PH


class _Unsupported(Exception):
    """The expression uses syntax the summary does not cover (the caller falls back)."""


_TOKEN_RE = re.compile(
    r"""\s*(?:
      (?P<comment>"[^"]*")
    | (?P<always>24/7)
    | (?P<span>\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2})
    | (?P<monthday>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s?\d{1,2}(?!\d|:\d))
    | (?P<month>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)(?![A-Za-z]))
    | (?P<weekday>(?:Mo|Tu|We|Th|Fr|Sa|Su)(?![A-Za-z]))
    | (?P<ph>PH(?![A-Za-z]))
    | (?P<modifier>(?:off|closed|open|unknown)(?![A-Za-z]))
    | (?P<day>\d{1,2}(?!\d|:\d))
    | (?P<punct>[-,:;])
    )""",
    re.VERBOSE,
)


def _tokens(expression: str) -> list[tuple[str, str]]:
    tokens = []
    position = 0
    text = expression.strip()
    while position < len(text):
        match = _TOKEN_RE.match(text, position)
        if not match or match.end() == position:
            raise _Unsupported(text[position:])
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
        while position < len(text) and text[position].isspace():
            position += 1
    return tokens


@dataclass
class _Rule:
    wide: tuple[tuple[int, int], tuple[int, int]] | None = None
    weekdays: set[int] | None = None
    public_holidays: bool = False
    spans: list[Span] | None = None  # None: no time given
    closed: bool = False
    additive: bool = False


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    if int(minutes) >= 60:
        raise _Unsupported(text)
    return int(hours) * 60 + int(minutes)


def _span(text: str) -> Span:
    start_text, end_text = (part.strip() for part in text.split("-"))
    start, end = _minutes(start_text), _minutes(end_text)
    if start >= MINUTES_PER_DAY or end > 2 * MINUTES_PER_DAY:
        raise _Unsupported(text)
    if end <= start:
        end += MINUTES_PER_DAY
    return (start, end)


def _month_day(text: str) -> tuple[int, int]:
    month = MONTH_CODES.index(text[:3]) + 1
    day = int(text[3:].strip())
    if not 1 <= day <= calendar.monthrange(2028, month)[1]:
        raise _Unsupported(text)
    return (month, day)


def _parse_rules(expression: str) -> list[_Rule]:
    """Read the simple subset of the syntax; anything else raises `_Unsupported`."""
    tokens = _tokens(expression)
    rules: list[_Rule] = []
    index = 0

    def peek(offset: int = 0) -> tuple[str, str]:
        position = index + offset
        return tokens[position] if position < len(tokens) else ("end", "")

    while True:
        rule = _Rule(additive=bool(rules) and tokens[index - 1][1] == ",")
        # Wide range selector: "Nov 01-Mar 31", "Nov-Mar", "Dec 24-26", "Jul", optional ":".
        if peek()[0] in ("monthday", "month"):
            kind, text = peek()
            first = _month_day(text) if kind == "monthday" else (MONTH_CODES.index(text) + 1, 1)
            last = first if kind == "monthday" else (first[0], _last_day(first[0]))
            index += 1
            if peek() == ("punct", "-"):
                index += 1
                kind2, text2 = peek()
                if kind2 == "monthday":
                    last = _month_day(text2)
                elif kind2 == "month" and kind == "month":
                    month = MONTH_CODES.index(text2) + 1
                    last = (month, _last_day(month))
                elif kind2 == "day" and kind == "monthday":
                    last = (first[0], int(text2))
                    if not first[1] <= last[1] <= _last_day(first[0]):
                        raise _Unsupported(text2)
                else:
                    raise _Unsupported(text2)
                index += 1
            if peek()[0] in ("monthday", "month") or peek() == ("punct", ","):
                raise _Unsupported("several date ranges")
            rule.wide = (first, last)
            if peek() == ("punct", ":"):
                index += 1
        # Weekday selector: "Mo-Fr", "Tu,Th", "Su,PH".
        while peek()[0] in ("weekday", "ph"):
            kind, text = peek()
            index += 1
            if kind == "ph":
                rule.public_holidays = True
            else:
                first_day = WEEKDAY_CODES.index(text)
                days = {first_day}
                if peek() == ("punct", "-") and peek(1)[0] == "weekday":
                    last_day = WEEKDAY_CODES.index(peek(1)[1])
                    days = {
                        (first_day + step) % 7 for step in range((last_day - first_day) % 7 + 1)
                    }
                    index += 2
                rule.weekdays = (rule.weekdays or set()) | days
            if peek() == ("punct", ",") and peek(1)[0] in ("weekday", "ph"):
                index += 1
            else:
                break
        # Times or the whole day.
        if peek()[0] == "always":
            if rule.wide or rule.weekdays or rule.public_holidays:
                raise _Unsupported("24/7 after a selector")
            rule.spans = [(0, MINUTES_PER_DAY)]
            index += 1
        while peek()[0] == "span":
            rule.spans = [*(rule.spans or []), _span(peek()[1])]
            index += 1
            if peek() == ("punct", ",") and peek(1)[0] == "span":
                index += 1
        if peek()[0] == "modifier":
            modifier = peek()[1]
            if modifier == "unknown":
                raise _Unsupported(modifier)
            rule.closed = modifier in ("off", "closed")
            index += 1
        if peek()[0] == "comment":
            index += 1
        if rule == _Rule(additive=rule.additive):
            raise _Unsupported("empty rule")
        rules.append(rule)
        kind, text = peek()
        if kind == "end":
            return rules
        if (kind, text) in (("punct", ";"), ("punct", ",")):
            index += 1
            if peek()[0] == "end":
                return rules
            continue
        raise _Unsupported(text)


def _last_day(month: int) -> int:
    return calendar.monthrange(2028, month)[1]  # a leap year: seasons may end on 29 Feb


def _apply(table: list[list[Span]], rule: _Rule) -> None:
    days = rule.weekdays if rule.weekdays is not None else set(range(7))
    if rule.public_holidays and rule.weekdays is None:
        return
    spans = [] if rule.closed else (rule.spans or [(0, MINUTES_PER_DAY)])
    for day in days:
        table[day] = [*table[day], *spans] if rule.additive else list(spans)


def freeze_table(table: list[list[Span]]) -> WeekTable:
    """A week being built, made immutable: each day's spans sorted, duplicates dropped."""
    return tuple(tuple(sorted(set(spans))) for spans in table)


def _read_summary(expression: str) -> Summary:
    rules = _parse_rules(expression)
    base: list[list[Span]] = [[] for _ in range(7)]
    seasons: dict[tuple[tuple[int, int], tuple[int, int]], list[list[Span]]] = {}
    public_holidays: tuple[Span, ...] | None = None
    for rule in rules:
        if rule.public_holidays:
            if rule.wide is not None:
                raise _Unsupported("PH within a season")
            spans = [] if rule.closed else (rule.spans or [(0, MINUTES_PER_DAY)])
            if rule.additive and public_holidays is not None:
                spans = [*public_holidays, *spans]
            public_holidays = tuple(sorted(set(spans)))
        if rule.wide is None:
            if seasons:
                raise _Unsupported("a rule for the whole year after a seasonal rule")
            _apply(base, rule)
        else:
            table = seasons.setdefault(rule.wide, [list(day) for day in base])
            _apply(table, rule)
    season_list = tuple(
        Season(start, end, freeze_table(table)) for (start, end), table in seasons.items()
    )
    covered: set[int] = set()
    for season in season_list:
        days = _season_days(season)
        if covered & days:
            raise _Unsupported("overlapping seasons")
        covered |= days
    return Summary(freeze_table(base), season_list, public_holidays)


def _season_days(season: Season) -> set[int]:
    """Days of a leap year (as ordinal numbers) that a season covers."""
    start = date(2028, *season.start).timetuple().tm_yday
    end = date(2028, *season.end).timetuple().tm_yday
    if start <= end:
        return set(range(start, end + 1))
    return set(range(start, 367)) | set(range(1, end + 1))


def _expected_open_minutes(table: WeekTable) -> list[Span]:
    """Open ranges over a week (minutes from Monday 00:00) that a table implies."""
    ranges = []
    for day in range(-1, 7):
        for start, end in table[day % 7]:
            ranges.append((day * MINUTES_PER_DAY + start, day * MINUTES_PER_DAY + end))
    return _merge_clipped(ranges, 0, 7 * MINUTES_PER_DAY)


def _merge_clipped(ranges: Sequence[Span], low: int, high: int) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted((max(s, low), min(e, high)) for s, e in ranges):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _library_open_minutes(checker: opening_hours.OpeningHours, monday: date) -> list[Span]:
    start = datetime.combine(monday, time())
    ranges = []
    for begin, end, state, _ in checker.intervals(start, start + timedelta(days=7)):
        if state == opening_hours.State.OPEN:
            ranges.append(
                (
                    int((begin - start).total_seconds()) // 60,
                    int((end - start).total_seconds()) // 60,
                )
            )
    return _merge_clipped(ranges, 0, 7 * MINUTES_PER_DAY)


def _reference_monday(inside: set[int] | None, outside: set[int]) -> date | None:
    """A Monday of the reference year whose week (and a day each side) fits the wish."""
    day = date(REFERENCE_YEAR, 1, 1) + timedelta(
        days=(7 - date(REFERENCE_YEAR, 1, 1).weekday()) % 7
    )
    while day.year == REFERENCE_YEAR:
        week = {
            (day + timedelta(days=offset)).replace(year=2028).timetuple().tm_yday
            for offset in range(-1, 8)
        }
        if not (week & outside) and (inside is None or week <= inside):
            return day
        day += timedelta(days=7)
    return None


def _agrees_with_library(summary: Summary, expression: str) -> bool:
    """Whether the parsed summary gives the same week as the library, where it can tell."""
    checker = opening_hours.OpeningHours(expression)  # naive local time: no DST, no holidays
    all_seasons: set[int] = set()
    for season in summary.seasons:
        all_seasons |= _season_days(season)
    checks: list[tuple[date, WeekTable]] = []
    base_monday = _reference_monday(None, all_seasons)
    if base_monday is not None:
        checks.append((base_monday, summary.base))
    for season in summary.seasons:
        monday = _reference_monday(_season_days(season), set())
        if monday is not None:
            checks.append((monday, season.table))
    return all(
        _expected_open_minutes(table) == _library_open_minutes(checker, monday)
        for monday, table in checks
    )


def summarise(expression: str) -> Summary | None:
    """The expression's summary, or None if it is too complex or the library disagrees."""
    try:
        summary = _read_summary(expression)
    except (_Unsupported, ValueError):
        return None
    return summary if _agrees_with_library(summary, expression) else None
