"""The counsellors' settings (COUNSEL_*), read and checked once at start.

Without ``COUNSEL_CHAT_ID`` the feature is off: /talk and its button are not offered and
"talk to a person" keeps the answer that lists the advice services. With it, the team's name,
hours and languages are required, because the bot tells every person who answers, when and in
which languages before anything is sent: it must never guess them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from bot.counsel.rules import IDLE_CLOSE, MAX_IDLE_DAYS
from bot.hours.schedule import OpeningSchedule
from bot.hours.syntax import OpeningHoursError
from bot.store.retention import COUNSEL_RETENTION, MAX_LOG_RETENTION_DAYS

MAX_NAME_CHARS = 64
"""The team's name heads every answer; a sentence there is a mistake in the setting."""

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
"""ISO 639 codes as Telegram and Babel use them ("de", "ar", "ckb")."""


class CounselConfigError(ValueError):
    """A COUNSEL_* setting is missing or malformed; the message names the variable and the fix."""


@dataclass(frozen=True)
class CounselSettings:
    """Who answers, where, when and in which languages."""

    chat_id: int
    """The counsellors' forum supergroup (a negative id, -100…)."""
    name: str
    """The team's name, shown to the person above every answer."""
    hours: str
    """When the team answers, in opening_hours syntax (checked at start)."""
    languages: tuple[str, ...]
    """Languages the team answers in, as codes; shown to the person in their own language."""
    retention: timedelta = COUNSEL_RETENTION
    """How long the link code ↔ chat ↔ topic is kept after a conversation ends."""
    idle: timedelta = IDLE_CLOSE
    """After how long without a message the bot closes a conversation."""

    def schedule(self, timezone: str, country: str | None, state: str | None) -> OpeningSchedule:
        """The hours in the catalogue's region (its time zone and holidays)."""
        return _schedule(self.hours, timezone, country, state)


_SCHEDULES: dict[tuple[str, str, str | None, str | None], OpeningSchedule] = {}


def _schedule(hours: str, timezone: str, country: str | None, state: str | None) -> OpeningSchedule:
    """Parsed once per region: a reload that changes the region gets a new one."""
    key = (hours, timezone, country, state)
    if key not in _SCHEDULES:
        _SCHEDULES[key] = OpeningSchedule(hours, timezone, country, state)
    return _SCHEDULES[key]


def counsel_from_env(env: Mapping[str, str]) -> CounselSettings | None:
    """The settings, or None when ``COUNSEL_CHAT_ID`` is unset (the feature is off).

    :raises CounselConfigError: on the first bad or missing variable
    """

    def get(name: str) -> str:
        return env.get(name, "").strip()

    chat_text = get("COUNSEL_CHAT_ID")
    if not chat_text:
        return None
    if not re.fullmatch(r"-\d{5,20}", chat_text):
        raise CounselConfigError(
            f"COUNSEL_CHAT_ID must be the id of a supergroup, such as -1001234567890, "
            f"not {chat_text!r}"
        )
    name = get("COUNSEL_NAME")
    if not name or len(name) > MAX_NAME_CHARS:
        raise CounselConfigError(
            f"COUNSEL_NAME must be the team's name (1 to {MAX_NAME_CHARS} characters), "
            "e.g. 'Beratungsteam Caritas Hannover'"
        )
    hours = get("COUNSEL_HOURS")
    if not hours:
        raise CounselConfigError(
            "COUNSEL_HOURS must say when the team answers, in opening_hours syntax, "
            "e.g. 'Mo-Fr 09:00-17:00'"
        )
    try:
        OpeningSchedule(hours)
    except (OpeningHoursError, ValueError) as error:
        raise CounselConfigError(
            f"COUNSEL_HOURS is not valid opening_hours syntax: {error}"
        ) from None
    languages = tuple(code.strip().lower() for code in get("COUNSEL_LANGUAGES").split(","))
    languages = tuple(dict.fromkeys(code for code in languages if code))
    if not languages or not all(LANGUAGE_CODE.match(code) for code in languages):
        raise CounselConfigError(
            "COUNSEL_LANGUAGES must list the languages the team answers in, as codes "
            "separated by commas, e.g. 'de,en,ar'"
        )
    days_text = get("COUNSEL_RETENTION_DAYS")
    retention = COUNSEL_RETENTION
    if days_text:
        if not days_text.isdecimal() or not 1 <= int(days_text) <= MAX_LOG_RETENTION_DAYS:
            raise CounselConfigError(
                f"COUNSEL_RETENTION_DAYS must be a whole number of days (1 to "
                f"{MAX_LOG_RETENTION_DAYS}), not {days_text!r}"
            )
        retention = timedelta(days=int(days_text))
    idle_text = get("COUNSEL_IDLE_DAYS")
    idle = IDLE_CLOSE
    if idle_text:
        if not idle_text.isdecimal() or not 1 <= int(idle_text) <= MAX_IDLE_DAYS:
            raise CounselConfigError(
                f"COUNSEL_IDLE_DAYS must be a whole number of days (1 to {MAX_IDLE_DAYS}), "
                f"not {idle_text!r}"
            )
        idle = timedelta(days=int(idle_text))
    return CounselSettings(int(chat_text), name, hours, languages, retention, idle)
