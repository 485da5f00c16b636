"""Opening hours evaluated: is a service open now, when does it open next, which holiday.

The OpenStreetMap `opening_hours` expressions in the catalogue are evaluated by
opening-hours-py (`opening_hours`). What it cannot do is added here: state holidays.
The library's holiday calendar for "DE" is national only, so 31 October (Reformationstag
in Lower Saxony) counts as a working day. The `holidays` package knows every state's
holidays and is our one source for them. For a day D in that list, the part of the
timeline from D 00:00 to D+2 00:00 (the second day carries ranges that cross midnight) is
evaluated with a copy of the expression in which every `PH` is replaced by D's weekday
("Mo-Fr 09:00-17:00; PH off" becomes "…; Fr off" when D is a Friday). On day D, "PH" and
"D's weekday" select exactly the same day, so the library applies its own rule semantics
unchanged, only with the state's holidays. The copy is used only around D, where no other
day of that weekday occurs. The second day is taken from the copy only if it is not a
holiday itself. An expression whose copy does not parse (e.g. "PH +1 day") keeps the
library's national calendar.

`Schedules` holds every service's parsed schedule for one loaded catalogue; the
`bot.directory.Directory` owns it, so the schedules live and die with their catalogue.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import chain
from types import MappingProxyType
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import opening_hours

from bot.hours.summary import Summary, summarise
from bot.hours.syntax import (
    WEEKDAY_CODES,
    OpeningHoursError,
    opening_hours_error,
    split_comments,
    without_comments,
)

if TYPE_CHECKING:
    from bot.catalogue.model import Catalogue, Service

LOOKAHEAD = timedelta(days=400)
"""How far ahead the next opening is searched: a year and a bit, so a winter
shelter that closed on 31 March still shows its opening on 1 November."""


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


_PH_RE = re.compile(r"\bPH\b")


def _mentions_public_holidays(expression: str) -> bool:
    return bool(_PH_RE.search(without_comments(expression)))


def _with_holiday_as_weekday(expression: str, weekday: int) -> str:
    """The expression with `PH` replaced by one weekday, leaving comments alone."""
    return "".join(
        part if part.startswith('"') else _PH_RE.sub(WEEKDAY_CODES[weekday], part)
        for part in split_comments(expression)
    )


# --- The schedule -----------------------------------------------------------------------


class OpeningSchedule:
    """One service's opening hours, evaluated in its region's time zone and holidays.

    Immutable after construction (everything it needs is built here), so the
    catalogue can share one instance between concurrent handlers. `summary` is the
    expression's structure for describing it in words (None: too complex to summarise).
    """

    __slots__ = (
        "_base",
        "_country",
        "_holiday_variants",
        "_subdivision",
        "_timezone",
        "expression",
        "summary",
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
        self.summary: Summary | None = summarise(expression)

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

    def open_between(self, start: datetime, end: datetime) -> bool:
        """Whether the service is open at some moment from ``start`` to ``end`` ("tonight",
        "on Sunday"), with the region's holidays applied."""
        return any(
            state == opening_hours.State.OPEN for _, _, state, _ in self.intervals(start, end)
        )

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


# --- One catalogue's schedules ------------------------------------------------------------


class Schedules:
    """The parsed opening hours of one loaded catalogue's services.

    Built once per load, each distinct expression parsed once (thousands of services share a
    few hundred), and owned by the `Directory`: a reload drops the old catalogue's schedules
    together with the catalogue, since nothing module-global holds them. It also remembers
    the states of the current minute: opening hours never change within a minute, and a list
    page asks for the same services again and again.
    """

    __slots__ = ("_by_expression", "_country", "_minute_states", "_subdivision", "_timezone")

    def __init__(
        self,
        expressions: Iterable[str],
        timezone: str = "Europe/Berlin",
        country: str | None = "DE",
        subdivision: str | None = None,
    ) -> None:
        self._timezone = timezone
        self._country = country
        self._subdivision = subdivision
        self._by_expression: Mapping[str, OpeningSchedule] = MappingProxyType(
            {expression: self._parse(expression) for expression in set(expressions)}
        )
        self._minute_states: tuple[datetime | None, dict[str, OpenState]] = (None, {})

    @classmethod
    def of_catalogue(cls, catalogue: Catalogue) -> Schedules:
        """Every service's hours, in the region's time zone and holiday calendar."""
        region = catalogue.region
        contact_hours = (c.hours for s in catalogue.services for c in s.online if c.hours)
        return cls(
            chain((s.opening_hours for s in catalogue.services if s.opening_hours), contact_hours),
            timezone=region.timezone,
            country=region.country,
            subdivision=region.state,
        )

    def _parse(self, expression: str) -> OpeningSchedule:
        return OpeningSchedule(
            expression,
            timezone=self._timezone,
            country=self._country,
            subdivision=self._subdivision,
        )

    def today(self, now: datetime) -> date:
        """The region's date at ``now``: what "today" means for alerts and freshness."""
        if now.tzinfo is None:
            return now.date()
        return now.astimezone(ZoneInfo(self._timezone)).date()

    def of(self, service: Service) -> OpeningSchedule | None:
        """The service's schedule, or None when it gives no opening hours."""
        return self.of_expression(service.opening_hours)

    def of_expression(self, expression: str | None) -> OpeningSchedule | None:
        """Any expression of the catalogue (a service's hours, a chat's hours), parsed once."""
        if not expression:
            return None
        schedule = self._by_expression.get(expression)
        # A service from another catalogue (a handler holding it across a reload) is parsed
        # on the spot and not kept, so the answer is right and nothing grows.
        return schedule if schedule is not None else self._parse(expression)

    def state_at(self, service: Service, now: datetime) -> OpenState | None:
        """The service's state in the minute of `now`, or None when it gives no hours."""
        schedule = self.of(service)
        if schedule is None:
            return None
        # Callers that ask about many services pass a whole minute already (replace costs
        # more than the lookup it keys).
        minute = now
        if now.second or now.microsecond:
            minute = now.replace(second=0, microsecond=0)
        remembered_minute, states = self._minute_states
        if remembered_minute != minute:
            states = {}
            self._minute_states = (minute, states)
        state = states.get(schedule.expression)
        if state is None:
            state = states[schedule.expression] = schedule.state_at(minute)
        return state
