"""Opening hours in the search: which services fit the time a message asks about, and the
one answer to "is this service open now?" for every list the bot shows.

Every such answer passes :func:`hours_for_listing`, the one gate that says whether a list may
rely on a service's hours at all; :func:`open_for_listing` decides "open now" on top of it.

The hours themselves are evaluated by :mod:`bot.hours.schedule` (the ``Schedules`` the
``Directory`` owns); this module only asks them, for one clock reading per message.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.catalogue.model import Service
from bot.hours.schedule import OpeningSchedule, OpenStatus, Schedules
from bot.hours.trust import hours_confirmed
from bot.search.when import Asked, Moment

EVENING = time(18, 0)
""""Tonight" starts at 18:00: soup buses, night cafés and shelters open from about then."""

NIGHT_END = time(6, 0)
"""…and lasts until 06:00 the next morning, when the night shelters close."""

SOON = timedelta(hours=12)
"""How far ahead "opening soon" reaches for ordering: the rest of a day."""


def hours_for_listing(
    schedules: Schedules, service: Service, now: datetime
) -> OpeningSchedule | None:
    """The service's hours as far as a list may rely on them at ``now``, or None: the one
    gate for every answer about time in lists and search (open now, today, tonight, on
    Sunday, "opens first", open-first ordering). Unknown hours are None, and so are hours
    nobody has confirmed lately (:func:`bot.hours.trust.hours_confirmed`: unconfirmed, stale,
    seasonal and unchecked, under an alert): a wrong "open" sends someone to a locked door."""
    if not hours_confirmed(service, schedules.today(now)):
        return None
    return schedules.of(service)


def open_for_listing(schedules: Schedules, service: Service, now: datetime) -> bool:
    """Whether a list may show ``service`` as open now ("open now" filters and /now, the
    open-first order, "nothing here is open"): the one place this is decided."""
    if hours_for_listing(schedules, service, now) is None:
        return False
    state = schedules.state_at(service, now)
    return state is not None and state.is_open


def next_opening(schedules: Schedules, service: Service, now: datetime) -> datetime | None:
    """When a service that is closed now opens next, as far as a list may rely on it."""
    if hours_for_listing(schedules, service, now) is None:
        return None
    state = schedules.state_at(service, now)
    if state is None or state.status not in (OpenStatus.OPENS_TODAY, OpenStatus.OPENS_LATER):
        return None
    return state.opens_at


class Opening:
    """The opening hours at one moment, as the search and the lists ask about them."""

    def __init__(self, schedules: Schedules, now: datetime, timezone_name: str) -> None:
        self._schedules = schedules
        # Opening hours never change within a minute; the schedules remember states by minute.
        self.now = now.replace(second=0, microsecond=0)
        self._local_now = self.now.astimezone(ZoneInfo(timezone_name))
        # Whether a list may rely on each service's hours at all, asked once per message: a
        # need reaches a whole topic, and the ranking asks about every service in a tie.
        self._reliable: dict[str, bool] = {}
        self._readiness_of: dict[str, float] = {}
        # What the hours alone say depends only on the expression, which thousands of
        # services share: asked once per message and expression.
        self._hours_fit: dict[tuple[str, Asked], bool] = {}
        self._windows: dict[Asked, tuple[datetime, datetime]] = {}

    def _relies_on(self, service: Service) -> bool:
        known = self._reliable.get(service.id)
        if known is None:
            known = hours_for_listing(self._schedules, service, self.now) is not None
            self._reliable[service.id] = known
        return known

    def is_open(self, service: Service) -> bool:
        """See :func:`open_for_listing`."""
        return open_for_listing(self._schedules, service, self.now)

    def readiness(self, service: Service) -> float:
        """See :meth:`_readiness`; remembered per service for this message."""
        known = self._readiness_of.get(service.id)
        if known is None:
            known = self._readiness_of[service.id] = self._readiness(service)
        return known

    def _readiness(self, service: Service) -> float:
        """1 open now; 0.5 down to 0 for opening later today, the sooner the more (0.5 at
        once, 0.25 in six hours, 0 from :data:`SOON` on); else 0. The ranking's small bonus
        among equally fitting services: at 07:40 the day centre that opens at 10:00 comes
        before the soup bus of 18:00."""
        if service.opening_hours is None or not self._relies_on(service):
            return 0.0  # unknown or unconfirmed hours: never open, never "soon"
        if self.is_open(service):
            return 1.0
        opens = next_opening(self._schedules, service, self.now)
        if opens is None:
            return 0.0
        return 0.5 * max(0.0, 1 - (opens - self._local_now) / SOON)

    def fits(self, service: Service, asked: Asked) -> bool:
        """Whether the service is open at the time asked: now; from now to midnight; tonight;
        on the next such weekday (today when it is that day, from now on)."""
        if not self._relies_on(service):
            return False  # also without hours
        return self.hours_fit(service, asked)

    def hours_fit(self, service: Service, asked: Asked) -> bool:
        """Whether the service's hours alone say open at the time asked, without asking
        whether a list may rely on them (:meth:`fits` does): the same for every service with
        the same hours, so the answer is worked out once per message and expression."""
        if service.opening_hours is None:
            return False
        key = (service.opening_hours, asked)
        known = self._hours_fit.get(key)
        if known is None:
            known = self._hours_fit[key] = self._hours_open(service, asked)
        return known

    def _hours_open(self, service: Service, asked: Asked) -> bool:
        if asked.moment is Moment.NOW:
            state = self._schedules.state_at(service, self.now)
            return state is not None and state.is_open
        schedule = self._schedules.of(service)
        if schedule is None:
            return False
        window = self._windows.get(asked)
        if window is None:
            window = self._windows[asked] = self.window(asked)
        start, end = window
        return start < end and schedule.open_between(start, end)

    def window(self, asked: Asked) -> tuple[datetime, datetime]:
        """The local period ``asked`` names, from now on (see :meth:`fits`)."""
        now = self._local_now
        today = now.date()
        midnight = datetime.combine(today + timedelta(days=1), time(), tzinfo=now.tzinfo)
        if asked.moment is Moment.TONIGHT:
            if now.time() < NIGHT_END:  # 01:00: "tonight" is the night we are in
                return now, datetime.combine(today, NIGHT_END, tzinfo=now.tzinfo)
            evening = datetime.combine(today, EVENING, tzinfo=now.tzinfo)
            return max(now, evening), midnight.replace(hour=NIGHT_END.hour)
        if asked.moment is Moment.DAY and asked.weekday is not None:
            ahead = (asked.weekday - today.weekday()) % 7
            if ahead == 0:
                return now, midnight
            day = datetime.combine(today + timedelta(days=ahead), time(), tzinfo=now.tzinfo)
            return day, day + timedelta(days=1)
        return now, midnight
