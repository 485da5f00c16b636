"""May a service's hours be presented as confirmed? The one place that decides.

A wrong "open now" sends a person without a home on a night walk to a locked door, so the
green dot is given only when the catalogue vouches for the hours today: the entry is
``active``, checked within the freshness rule (a seasonal offer within its season), and no
dated alert changes the days. Everything else is shown as "hours uncertain, call first";
the cards, the sorting of lists and any "open now" filter ask :func:`hours_confirmed`.
"""

from __future__ import annotations

import enum
import re
from datetime import date
from functools import lru_cache

from bot.catalogue.model import Service
from bot.catalogue.status import SEASONAL_STALE_AFTER, is_stale
from bot.hours.syntax import MONTH_CODES, without_comments

_MONTHS = re.compile(r"\b(?:" + "|".join(MONTH_CODES) + r")\b")


class HoursTrust(enum.Enum):
    """How far the catalogue vouches for a service's hours on one day."""

    CONFIRMED = "confirmed"
    """Active, recently checked, no alert: "open now" may be said."""
    UNCERTAIN = "uncertain"
    """Unconfirmed, stale, seasonal from an earlier season, or under an alert."""
    CLOSED = "closed"
    """Temporarily closed today (``status: temporarily-closed``)."""


def is_seasonal(expression: str | None) -> bool:
    """Whether opening hours name months ("Nov 01-Mar 31: …"): a seasonal offer."""
    return bool(expression) and _names_months(expression or "")


@lru_cache(maxsize=8192)
def _names_months(expression: str) -> bool:
    """Remembered per expression: the ranking asks it for every service in a tie."""
    return bool(_MONTHS.search(without_comments(expression)))


def hours_trust(service: Service, today: date) -> HoursTrust:
    """The catalogue's confidence in ``service``'s hours on ``today`` (the region's date)."""
    if service.closed_on(today):
        return HoursTrust.CLOSED
    if service.status != "active" or is_stale(service.last_verified, today):
        # A temporarily closed service past its `closed_until` lands here too: it may be open
        # again, but nobody has confirmed it yet.
        return HoursTrust.UNCERTAIN
    assert service.last_verified is not None  # is_stale is true without a date
    if is_seasonal(service.opening_hours) and today - service.last_verified > SEASONAL_STALE_AFTER:
        return HoursTrust.UNCERTAIN
    if any(alert.in_force(today) for alert in service.alerts):
        return HoursTrust.UNCERTAIN
    return HoursTrust.CONFIRMED


def hours_confirmed(service: Service, today: date) -> bool:
    """May ``service``'s hours be presented as confirmed on ``today``? Only then may an
    answer say "open now" or put it among the open ones."""
    return hours_trust(service, today) is HoursTrust.CONFIRMED
