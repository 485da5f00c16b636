"""The rules of a conversation with the counsellors, apart from Telegram and the database.

- A conversation is open until either side ends it; a block ends it and refuses a new one
  until the block's end (``/block 7d``).
- Messages outside the team's hours are accepted; the person is told when the team answers.
- A person waits from their oldest unanswered message; an answer after a long wait says so.
- A conversation in which nobody wrote for ``IDLE_CLOSE`` is closed by the bot.
- One person may relay only so many messages an hour (:class:`RelayLimit`): a team of a few
  counsellors cannot read a flood, and one person must not bury the others' topics.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from datetime import datetime, timedelta

from aiolimiter import AsyncLimiter

from bot.hours.schedule import OpeningSchedule, OpenStatus

RELAY_BURST = 60
"""Messages a person may send into their topic within ``RELAY_PERIOD_SECONDS``: a letter of
ten pages and an hour of lively writing stay far below it; a script does not."""

RELAY_PERIOD_SECONDS = 3600.0

MAX_TRACKED_CHATS = 10_000
"""Limiters kept in memory (a few hundred bytes each); the quietest are dropped first."""

LONG_WAIT = timedelta(minutes=30)
"""An answer that comes later than this after the person wrote begins by saying so: anyone
who waited half an hour or a night deserves to hear that the team saw the wait."""

IDLE_CLOSE = timedelta(days=14)
"""A conversation in which nobody wrote for this long is closed (``COUNSEL_IDLE_DAYS``), so the
link chat ↔ topic does not stay forever when nobody ends it; retention then deletes it. Two
weeks outlast the longest break a team takes (Christmas to New Year, a long Easter weekend)
and a person's wait for a reply from an office, so nobody is cut off in the middle."""

MAX_IDLE_DAYS = 365
"""The longest idle time one can set: more keeps links nobody uses."""

MAX_BLOCK = timedelta(days=365)
"""The longest block a counsellor can type; longer is surely a typo."""

BLOCK_PATTERN = re.compile(r"^(\d{1,3})([hdw])$")
BLOCK_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}

DANGER_MARK = "🆘 "
"""Put in front of a topic's name when a message in it spoke of danger."""

MAX_TOPIC_NAME_CHARS = 128
"""Telegram's limit for a forum topic's name."""


class BlockDurationError(ValueError):
    """A /block argument that is not a duration like 12h, 7d or 2w (up to a year)."""


def block_duration(text: str) -> timedelta:
    """``"7d"`` → seven days; hours (h), days (d) and weeks (w), from 1 hour to a year.

    :raises BlockDurationError: for anything else
    """
    match = BLOCK_PATTERN.match(text.strip().lower())
    if match is None:
        raise BlockDurationError(f"{text!r} is not a duration like 12h, 7d or 2w")
    duration = int(match.group(1)) * BLOCK_UNITS[match.group(2)]
    if not timedelta(hours=1) <= duration <= MAX_BLOCK:
        raise BlockDurationError("a block lasts from 1h to 365d")
    return duration


def topic_name(code: str, language_name: str, *, danger: bool = False) -> str:
    """ "K7F2 · العربية": the code and the person's language in its own script, never a name."""
    name = f"{DANGER_MARK if danger else ''}{code} · {language_name}"
    return name[:MAX_TOPIC_NAME_CHARS]


def team_is_open(schedule: OpeningSchedule, now: datetime) -> bool:
    """Whether the team answers now, by its hours (unknown counts as closed: say when)."""
    return schedule.state_at(now).status in (OpenStatus.OPEN, OpenStatus.ALWAYS_OPEN)


def idle_since(now: datetime, idle: timedelta) -> datetime:
    """Conversations whose last message is at or before this are idle at ``now``."""
    return now - idle


def waited_long(waiting_since: datetime | None, now: datetime) -> bool:
    """Whether an answer at ``now`` should begin by saying that the person waited."""
    return waiting_since is not None and now - waiting_since >= LONG_WAIT


class RelayLimit:
    """One leaky bucket (aiolimiter) per chat for messages into the topic, in memory only."""

    def __init__(
        self,
        burst: int = RELAY_BURST,
        period: float = RELAY_PERIOD_SECONDS,
        max_chats: int = MAX_TRACKED_CHATS,
    ) -> None:
        self._burst = burst
        self._period = period
        self._max_chats = max_chats
        self._limiters: OrderedDict[int, AsyncLimiter] = OrderedDict()

    async def admit(self, chat_id: int) -> bool:
        """Take one message of the chat's allowance; False when it is used up."""
        limiter = self._limiters.get(chat_id)
        if limiter is None:
            limiter = self._limiters[chat_id] = AsyncLimiter(self._burst, self._period)
            if len(self._limiters) > self._max_chats:
                self._limiters.popitem(last=False)
        else:
            self._limiters.move_to_end(chat_id)
        if not limiter.has_capacity():
            return False
        await limiter.acquire()  # does not wait: capacity was just checked
        return True

    def forget(self, chat_id: int) -> None:
        """/delete: the chat's allowance goes too."""
        self._limiters.pop(chat_id, None)
