"""Small helpers shared by the opening-hours tests: a moment in Berlin, text without RTL marks,
and a schedule in Lower Saxony."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.hours.schedule import OpeningSchedule
from bot.i18n.localized import LRI, PDI

BERLIN = ZoneInfo("Europe/Berlin")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def plain(text: str) -> str:
    """The text without the right-to-left isolation marks (tested separately)."""
    return text.replace(LRI, "").replace(PDI, "")


def schedule(expression: str, subdivision: str | None = "NI") -> OpeningSchedule:
    return OpeningSchedule(expression, "Europe/Berlin", "DE", subdivision)
