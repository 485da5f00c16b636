"""Opening hours: is a service open now, when does it open next, and how to say it.

The OpenStreetMap `opening_hours` expressions in the catalogue are evaluated
by opening-hours-py (`opening_hours`). Two things it cannot do are added here:

State holidays. The library's holiday calendar for "DE" is national only, so
31 October (Reformationstag in Lower Saxony) counts as a working day. The
`holidays` package knows every state's holidays and is our one source for
them. For a day D in that list, the part of the timeline from D 00:00 to
D+2 00:00 (the second day carries ranges that cross midnight) is evaluated
with a copy of the expression in which every `PH` is replaced by D's weekday
("Mo-Fr 09:00-17:00; PH off" becomes "…; Fr off" when D is a Friday). On day
D, "PH" and "D's weekday" select exactly the same day, so the library applies
its own rule semantics unchanged, only with the state's holidays. The copy is
used only around D, where no other day of that weekday occurs. The second day
is taken from the copy only if it is not a holiday itself. An expression whose
copy does not parse (e.g. "PH +1 day") keeps the library's national calendar.

Descriptions. A short line ("Mon–Fri 09:00–17:00; Sat 10:00–13:00") is built
from the expression's rules when they are simple (seasons, weekdays, times,
off, PH); it is cross-checked against the library on a reference week, and
anything more complex is described from the next seven days of real opening
times instead. The raw expression is shown only if both fail.
"""

from __future__ import annotations

import calendar
import enum
import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import opening_hours
from babel.dates import format_interval, format_time, get_day_names

from bot.i18n.localized import format_clock, format_day_month, ltr
from bot.i18n.translators import Translator

LOOKAHEAD = timedelta(days=400)
"""How far ahead the next opening is searched: a year and a bit, so a winter
shelter that closed on 31 March still shows its opening on 1 November."""

SOON = timedelta(minutes=60)
"""Openings and closings within an hour are said in minutes ("closes in 20 minutes")."""

WEEKDAY_WORDS = 7
"""Openings up to six days ahead are named by weekday, later ones by date."""

WEEKDAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MONTH_CODES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MINUTES_PER_DAY = 24 * 60
REFERENCE_YEAR = 2030
"""Year whose weeks serve to cross-check a parsed summary against the library:
any year works because the summarised syntax has no year-dependent parts."""


class OpeningHoursError(ValueError):
    """An opening_hours expression is not valid OpenStreetMap syntax."""


class OpenStatus(enum.Enum):
    OPEN = "open"
    ALWAYS_OPEN = "always_open"
    OPENS_TODAY = "opens_today"
    OPENS_LATER = "opens_later"
    CLOSED = "closed"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class OpenState:
    """A service's state at one moment, in the service's time zone.

    `closes_at` is set for OPEN (None: open with no end in sight), `opens_at`
    for OPENS_TODAY and OPENS_LATER. `holiday` names today's public holiday
    when the service is closed for it.
    """

    status: OpenStatus
    closes_at: datetime | None = None
    opens_at: datetime | None = None
    holiday: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status in (OpenStatus.OPEN, OpenStatus.ALWAYS_OPEN)


# --- Holidays ---------------------------------------------------------------------------


@functools.cache
def _region_holidays(country: str, subdivision: str | None, year: int) -> Mapping[date, str]:
    """Public holidays of a country's state (cached: the calendar of a year never changes)."""
    calendar_ = holidays.country_holidays(country, subdiv=subdivision, years=year)
    return MappingProxyType(dict(calendar_.items()))


def _holiday_name(country: str | None, subdivision: str | None, day: date) -> str | None:
    if country is None:
        return None
    return _region_holidays(country, subdivision, day.year).get(day)


_COMMENT_RE = re.compile(r'("[^"]*")')
_PH_RE = re.compile(r"\bPH\b")


def _without_comments(expression: str) -> str:
    return "".join(part for part in _COMMENT_RE.split(expression) if not part.startswith('"'))


def _mentions_public_holidays(expression: str) -> bool:
    return bool(_PH_RE.search(_without_comments(expression)))


def _with_holiday_as_weekday(expression: str, weekday: int) -> str:
    """The expression with `PH` replaced by one weekday, leaving comments alone."""
    return "".join(
        part if part.startswith('"') else _PH_RE.sub(WEEKDAY_CODES[weekday], part)
        for part in _COMMENT_RE.split(expression)
    )


# --- Syntax errors for staff ------------------------------------------------------------

_EXPECTED_WORDS = {
    "timespan": "a time range like 09:00-17:00",
    "wday": "a weekday: Mo Tu We Th Fr Sa Su",
    "holiday": "PH (public holiday)",
    "EOI": "the end of the text",
    "any_rule_separator": "';' between two rules",
    "rules_modifier": "off, closed, open or unknown",
    "monthday_range": "a date range like Nov 01-Mar 31",
    "month": "a month: Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
    "always_open": "24/7",
    "comment": 'a comment in "double quotes"',
}
_GERMAN_DAY_RE = re.compile(r"\b(Di|Mi|Do|So)\b")
_HOUR_WITHOUT_MINUTES_RE = re.compile(r"(?<![:\d])\d{1,2}\s*-\s*\d{1,2}(?![:\d])")


def opening_hours_error(expression: str) -> str | None:
    """A short explanation of why an expression is not valid, or None if it is.

    Meant for the catalogue validator: it names the position and the usual fix.
    """
    if not expression.strip():
        return "is empty: write hours like Mo-Fr 09:00-17:00, or leave the field out"
    try:
        opening_hours.OpeningHours(expression)
    except opening_hours.ParserError as error:
        return _explain_parser_error(expression, str(error))
    if "||" in _without_comments(expression):
        # opening-hours-py 2.1 evaluates fallback rules wrongly (a later "open" day
        # is reported closed for good), so users would be told a wrong state.
        return "fallback rules with '||' are not supported: write the hours without '||'"
    return None


def _explain_parser_error(expression: str, message: str) -> str:
    position = re.search(r"-->\s*\d+:(\d+)", message)
    column = int(position.group(1)) if position else None
    hints = []
    if "–" in expression or "—" in expression:
        hints.append("use a plain hyphen '-' instead of a dash '–'")
    if _GERMAN_DAY_RE.search(expression):
        hints.append("weekdays are English: Mo Tu We Th Fr Sa Su (not Di, Mi, Do, So)")
    if _HOUR_WITHOUT_MINUTES_RE.search(expression):
        hints.append("write times with minutes, like 09:00-17:00")
    expected = re.search(r"= expected (.+)$", message, flags=re.MULTILINE)
    if expected and not hints:
        names = [name.strip() for name in re.split(r",\s*(?:or\s+)?|\s+or\s+", expected.group(1))]
        words = [_EXPECTED_WORDS[name] for name in names if name in _EXPECTED_WORDS]
        if words:
            hints.append("expected " + " or ".join(dict.fromkeys(words)))
    where = ""
    if column is not None:
        fragment = expression[column - 1 : column + 9]
        where = f" at character {column} ({fragment!r})" if fragment else " at the end"
    hint = ": " + "; ".join(hints) if hints else ""
    return f"not valid opening_hours syntax{where}{hint}"


# --- Summaries of simple expressions ----------------------------------------------------

Span = tuple[int, int]
"""Minutes after the day's midnight; the end may pass 1440 for hours past midnight."""
WeekTable = tuple[tuple[Span, ...], ...]
"""Seven entries, Monday first; an empty entry is a closed day."""


@dataclass(frozen=True)
class _Season:
    start: tuple[int, int]  # (month, day)
    end: tuple[int, int]
    table: WeekTable


@dataclass(frozen=True)
class _Summary:
    base: WeekTable
    seasons: tuple[_Season, ...]
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


def _freeze(table: list[list[Span]]) -> WeekTable:
    return tuple(tuple(sorted(set(spans))) for spans in table)


def _summarise(expression: str) -> _Summary:
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
        _Season(start, end, _freeze(table)) for (start, end), table in seasons.items()
    )
    covered: set[int] = set()
    for season in season_list:
        days = _season_days(season)
        if covered & days:
            raise _Unsupported("overlapping seasons")
        covered |= days
    return _Summary(_freeze(base), season_list, public_holidays)


def _season_days(season: _Season) -> set[int]:
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


def _agrees_with_library(summary: _Summary, expression: str) -> bool:
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


def _summary_or_none(expression: str) -> _Summary | None:
    try:
        summary = _summarise(expression)
    except (_Unsupported, ValueError):
        return None
    return summary if _agrees_with_library(summary, expression) else None


# --- The schedule -----------------------------------------------------------------------


class OpeningSchedule:
    """One service's opening hours, evaluated in its region's time zone and holidays.

    Immutable after construction (everything it needs is built here), so the
    catalogue can share one instance between concurrent handlers.
    """

    __slots__ = (
        "_base",
        "_country",
        "_holiday_variants",
        "_subdivision",
        "_summary",
        "_timezone",
        "expression",
    )

    def __init__(
        self,
        expression: str,
        timezone: str = "Europe/Berlin",
        country: str | None = "DE",
        subdivision: str | None = None,
    ) -> None:
        try:
            opening_hours.OpeningHours(expression)
        except opening_hours.ParserError as error:
            problem = opening_hours_error(expression) or str(error)
            raise OpeningHoursError(f"{expression!r}: {problem}") from None
        try:
            self._timezone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {timezone!r}") from error
        if country is not None:
            try:
                holidays.country_holidays(country, subdiv=subdivision)
            except NotImplementedError as error:
                raise ValueError(
                    f"no public holiday calendar for {country}/{subdivision}"
                ) from error
        self.expression = expression
        self._country = country
        self._subdivision = subdivision
        self._base = self._build(expression)
        variants: dict[int, opening_hours.OpeningHours] = {}
        if country is not None and _mentions_public_holidays(expression):
            for weekday in range(7):
                try:
                    variants[weekday] = self._build(_with_holiday_as_weekday(expression, weekday))
                except opening_hours.ParserError:
                    continue  # e.g. "PH +1 day": the library's national calendar stays
        self._holiday_variants: Mapping[int, opening_hours.OpeningHours] = MappingProxyType(
            variants
        )
        self._summary = _summary_or_none(expression)

    def _build(self, expression: str) -> opening_hours.OpeningHours:
        try:
            return opening_hours.OpeningHours(
                expression, timezone=self._timezone, country=self._country
            )
        except opening_hours.UnknownCountryError:
            return opening_hours.OpeningHours(expression, timezone=self._timezone)

    def __repr__(self) -> str:
        return f"OpeningSchedule({self.expression!r}, {self._timezone.key!r})"

    @property
    def timezone(self) -> ZoneInfo:
        return self._timezone

    def localize(self, moment: datetime) -> datetime:
        """The moment in the service's time zone; a naive moment is taken as local time."""
        if moment.tzinfo is None:
            return moment.replace(tzinfo=self._timezone)
        return moment.astimezone(self._timezone)

    def holiday_on(self, day: date) -> str | None:
        """The name of the region's public holiday on `day`, if it is one."""
        return _holiday_name(self._country, self._subdivision, day)

    def _pieces(
        self, start: datetime, end: datetime
    ) -> Iterator[tuple[datetime, datetime, opening_hours.OpeningHours]]:
        """The timeline cut into parts, each with the expression that evaluates it."""
        if not self._holiday_variants:
            yield start, end, self._base
            return
        cursor = start
        day = start.date() - timedelta(days=1)
        while cursor < end and day <= end.date():
            if self.holiday_on(day) and day.weekday() in self._holiday_variants:
                length = 1 if self.holiday_on(day + timedelta(days=1)) else 2
                patch_start = datetime.combine(day, time(), tzinfo=self._timezone)
                patch_end = datetime.combine(
                    day + timedelta(days=length), time(), tzinfo=self._timezone
                )
                if patch_end > cursor:
                    if patch_start > cursor:
                        yield cursor, min(patch_start, end), self._base
                    yield (
                        max(cursor, patch_start),
                        min(patch_end, end),
                        self._holiday_variants[day.weekday()],
                    )
                    cursor = patch_end
            day += timedelta(days=1)
        if cursor < end:
            yield cursor, end, self._base

    def intervals(
        self, start: datetime, end: datetime
    ) -> Iterator[tuple[datetime, datetime, opening_hours.State, str]]:
        """Successive intervals of one state, with the region's holidays applied."""
        start, end = self.localize(start), self.localize(end)
        current: tuple[datetime, datetime, opening_hours.State, str] | None = None
        for piece_start, piece_end, evaluator in self._pieces(start, end):
            for begin, finish, state, comment in evaluator.intervals(piece_start, piece_end):
                begin, finish = max(begin, piece_start), min(finish, piece_end)
                if begin >= finish:
                    continue
                if current and current[1] == begin and current[2:] == (state, comment):
                    current = (current[0], finish, state, comment)
                    continue
                if current:
                    yield current
                current = (begin, finish, state, comment)
        if current:
            yield current

    def _closing_holiday(self, day: date) -> str | None:
        """The holiday's name if `day` is one and the service would be open but for it."""
        name = self.holiday_on(day)
        if name is None or not self._holiday_variants:
            return None
        start = datetime.combine(day, time(), tzinfo=self._timezone)
        ordinary = opening_hours.OpeningHours(self.expression, timezone=self._timezone)
        opens_that_day = any(
            state == opening_hours.State.OPEN
            for _, _, state, _ in ordinary.intervals(start, start + timedelta(days=1))
        )
        return name if opens_that_day else None

    def state_at(self, now: datetime) -> OpenState:
        """Open now (until when), opens today or later (when), closed, or unknown."""
        now = self.localize(now)
        horizon = now + LOOKAHEAD
        timeline = self.intervals(now, horizon)
        first = next(timeline, None)
        if first is None:
            return OpenState(OpenStatus.UNKNOWN)
        _, until, state, _ = first
        if state == opening_hours.State.OPEN:
            if until >= horizon:
                return OpenState(OpenStatus.ALWAYS_OPEN)
            return OpenState(OpenStatus.OPEN, closes_at=until)
        if state == opening_hours.State.UNKNOWN:
            return OpenState(OpenStatus.UNKNOWN)
        holiday = self._closing_holiday(now.date())
        for begin, _, later_state, _ in timeline:
            if later_state == opening_hours.State.OPEN:
                if begin.date() == now.date():
                    return OpenState(OpenStatus.OPENS_TODAY, opens_at=begin)
                return OpenState(OpenStatus.OPENS_LATER, opens_at=begin, holiday=holiday)
        return OpenState(OpenStatus.CLOSED, holiday=holiday)


# --- Rendering --------------------------------------------------------------------------


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


def _season_dates(season: _Season, tr: Translator) -> str:
    start_year = 2027 if season.start > season.end else 2028
    first = date(start_year, *season.start)
    last = date(2028, *season.end)
    if first == last:
        return format_day_month(first, tr)
    return format_interval(first, last, "MMMd", locale=tr.locale)


def _closed_word(tr: Translator) -> str:
    # I18N: Inside a line of opening hours: "1 Jul – 31 Aug: closed".
    return tr.pgettext("opening hours", "closed")


def _summary_text(summary: _Summary, tr: Translator) -> str:
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
    return _freeze(table)


def describe_hours(schedule: OpeningSchedule, tr: Translator, now: datetime | None = None) -> str:
    """A short line of opening hours in the reader's language.

    `now` matters only for expressions too complex to summarise, which are
    described from the next seven days.
    """
    summary = schedule._summary
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
