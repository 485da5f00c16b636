"""Opening hours as the weekly recurrence that open-data formats (HSDS, iCal) can express.

OpenStreetMap's ``opening_hours`` says far more than "Mondays 9 to 17": seasons, months off,
every other week, comments. An export may only claim a weekly rule when the hours really repeat
every week, so :func:`weekly_openings` asks the opening_hours library for a whole reference
year and compares the weeks; anything else is left to a text description.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import opening_hours

REFERENCE_MONDAY = datetime(2030, 1, 7)
"""First Monday of the year whose 52 weeks are compared to decide whether hours are weekly."""

REFERENCE_WEEKS = 52
"""A whole year: seasons (winter shelters), months off and every-other-week rules all show."""


@dataclass(frozen=True)
class WeeklyOpening:
    """One opening that repeats every week: ``days`` (0 = Monday) from ``opens`` to ``closes``.

    ``closes`` earlier than ``opens`` means the next morning (a night shelter's 17:00-09:00).
    """

    days: tuple[int, ...]
    opens: time
    closes: time


@functools.lru_cache(maxsize=4096)
def weekly_openings(expression: str) -> tuple[WeeklyOpening, ...] | None:
    """The expression as openings that repeat every week, or None if it is not that simple.

    Cached, because a catalogue repeats the same few expressions many times. Asks the
    opening_hours library for a whole reference year and accepts the expression only
    if every week is the same, so seasons, months off, every-other-week rules and comments
    with unknown state all fall back to a text description. Holidays are ignored here ("PH
    off" leaves the weekly rule intact); the schedule's description says them.
    """
    evaluator = opening_hours.OpeningHours(expression)  # naive local time, no holidays
    end = REFERENCE_MONDAY + timedelta(weeks=REFERENCE_WEEKS)
    weeks: list[set[tuple[int, time, time]]] = [set() for _ in range(REFERENCE_WEEKS)]
    # A day either side, so openings that cross midnight at either end are seen whole.
    one_day = timedelta(days=1)
    for begin, finish, state, _ in evaluator.intervals(REFERENCE_MONDAY - one_day, end + one_day):
        if state == opening_hours.State.UNKNOWN:
            return None
        if state != opening_hours.State.OPEN or not REFERENCE_MONDAY <= begin < end:
            continue
        if finish - begin >= one_day:
            return None  # open round the clock: no opening and closing time to give
        week = (begin - REFERENCE_MONDAY).days // 7
        weeks[week].add((begin.weekday(), begin.time(), finish.time()))
    if not weeks[0] or any(week != weeks[0] for week in weeks):
        return None
    days_by_times: dict[tuple[time, time], list[int]] = {}
    for day, opens, closes in sorted(weeks[0]):
        days_by_times.setdefault((opens, closes), []).append(day)
    return tuple(
        WeeklyOpening(tuple(days), opens, closes)
        for (opens, closes), days in sorted(days_by_times.items(), key=lambda item: item[1][0])
    )
