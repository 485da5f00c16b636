"""How current a service's entry is: its status, its dated alerts and the freshness rule.

Apart from :mod:`bot.catalogue.model` because the same few rules are read by the validator
(warnings for staff), by the cards ("Zeiten unsicher", "Stand 03/2024") and by the open-data
export. The status values follow Open Referral HSDS's ``service.status`` (active, inactive,
defunct, temporarily closed) with one addition HSDS lacks: ``unconfirmed``, for an entry
whose source no longer vouches for it (a winter shelter not named for this season).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Literal

from pydantic import Field, model_validator

from bot.catalogue.fields import staff_error
from bot.catalogue.localized import Frozen, LocalizedText

ServiceStatus = Literal["active", "unconfirmed", "temporarily-closed", "closed"]
"""``active``: as the entry says. ``unconfirmed``: it may exist, but nobody could confirm it
(hours never shown as sure). ``temporarily-closed``: closed until ``closed_until``.
``closed``: gone; the bot never shows it, the file keeps it for the record."""

HSDS_STATUS: dict[str, str] = {
    "active": "active",
    "unconfirmed": "active",
    "temporarily-closed": "temporarily closed",
    "closed": "defunct",
}
"""HSDS has no "unconfirmed": such an entry still exists as far as anyone knows, so the
export says active and leaves the doubt to ``assured_date`` (its last check)."""

STALE_AFTER = timedelta(days=365)
"""The catalogue's freshness rule ("the 12-month rule"): services change hours and phone
numbers about yearly, so an older entry needs a call before its hours count as sure."""
STALE_AFTER_WORDS = "12 months"
"""STALE_AFTER as staff read it in warnings and reports."""

SEASONAL_STALE_AFTER = timedelta(days=183)
"""A seasonal offer (hours that name months, such as a winter shelter) is re-planned every
season: a check older than half a year is from an earlier season."""

ALERT_AHEAD = timedelta(days=14)
"""An alert is shown from two weeks before it starts: "closed 24–26 December" helps people
plan only if they read it before the 24th."""


def is_stale(last_verified: date | None, today: date) -> bool:
    """Whether an entry is due for a call: never checked, or not for STALE_AFTER."""
    return last_verified is None or today - last_verified > STALE_AFTER


class Alert(Frozen):
    """A dated notice on a service ("closed 24–26 December"), shown on its cards."""

    start: date = Field(alias="from")
    until: date
    text: LocalizedText

    @model_validator(mode="after")
    def _in_order(self) -> Alert:
        if self.until < self.start:
            raise staff_error(
                f"`until: {self.until.isoformat()}` is before `from: {self.start.isoformat()}`; "
                "write the first day as `from` and the last day as `until`"
            )
        return self

    def in_force(self, today: date) -> bool:
        """Whether the alert's days include ``today``."""
        return self.start <= today <= self.until

    def shown(self, today: date) -> bool:
        """From ALERT_AHEAD before its first day until its last day."""
        return self.start - ALERT_AHEAD <= today <= self.until


def current_alerts(alerts: Iterable[Alert], today: date) -> list[Alert]:
    """The alerts a card shows today, the soonest first."""
    return sorted((a for a in alerts if a.shown(today)), key=lambda a: a.start)


def verified_range(dates: Iterable[date | None]) -> tuple[date, date] | None:
    """The oldest and the newest ``last_verified`` among entries, or None when none has one.

    What /about and the printed directory say about the list's age: the days staff checked
    entries, never the file's modification time or today.
    """
    known = [d for d in dates if d is not None]
    if not known:
        return None
    return min(known), max(known)
