"""How long the store keeps each kind of row: the one home of every retention period.

Privacy is a feature, so every table forgets what its feature no longer needs, and each
period is set here with the reason for it. Only the search log's period is a setting
(``LOG_RETENTION_DAYS`` for the bot, ``--retention-days`` for a report); the settings pass it
in, and the range it may take is checked here, once, for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

CHAT_MESSAGE_LIFETIME = timedelta(hours=48)
"""Telegram lets a bot delete a message in a private chat only within 48 hours of sending it,
so /clear tracks message ids that long and then forgets them."""

USER_RETENTION = timedelta(days=180)
"""Someone silent for half a year has likely moved on; their language choice is a trace of
them. The privacy text the bot shows says "180 days": change both together."""

SEARCH_LOG_RETENTION = timedelta(days=180)
"""The default for anonymous searches: six months show seasonal needs (winter shelters)
across two of the staff's reporting rounds; longer keeps data nobody reads."""

COUNSEL_RETENTION = timedelta(days=30)
"""After a conversation with the counsellors ends, its link code ↔ chat ↔ topic is kept this
long (``COUNSEL_RETENTION_DAYS``): a person who comes back within a month finds that the team
can still see the earlier conversation's topic. /delete removes it at once."""

MAX_LOG_RETENTION_DAYS = 36_500
"""A century: more is surely a typo, and dates that far back do not exist in Python."""


class RetentionError(ValueError):
    """A retention period that the store cannot honour (not a whole number of days, or too long)."""


def search_log_retention(days: int) -> timedelta:
    """The search log's period for ``days``, checked against the range the store honours.

    :raises RetentionError: for fewer than 1 or more than ``MAX_LOG_RETENTION_DAYS`` days
    """
    if days < 1:
        raise RetentionError(f"--retention-days must be 1 or more (got {days})")
    if days > MAX_LOG_RETENTION_DAYS:
        raise RetentionError(
            f"--retention-days must be at most {MAX_LOG_RETENTION_DAYS} (got {days})"
        )
    return timedelta(days=days)


@dataclass(frozen=True)
class Cutoffs:
    """The oldest rows housekeeping keeps, as of one moment (all UTC)."""

    chat_messages: datetime
    """Tracked messages sent at or before this can no longer be deleted in Telegram."""
    search_log: datetime
    """Search log rows from hours before this are older than the search log's period."""
    users_day: date
    """People last seen before this day are forgotten."""
    conversations: datetime
    """Conversations with the counsellors that ended at or before this are forgotten (unless
    a block on them still runs)."""
    now: datetime


def cutoffs_at(
    now: datetime,
    search_log: timedelta = SEARCH_LOG_RETENTION,
    conversations: timedelta = COUNSEL_RETENTION,
) -> Cutoffs:
    """What housekeeping deletes at ``now`` (timezone-aware), with the given periods."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got naive {now!r}")
    now = now.astimezone(UTC)
    return Cutoffs(
        chat_messages=now - CHAT_MESSAGE_LIFETIME,
        search_log=now - search_log,
        users_day=(now - USER_RETENTION).date(),
        conversations=now - conversations,
        now=now,
    )
