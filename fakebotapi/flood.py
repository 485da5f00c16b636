"""Telegram's flood limit for groups: at most 20 messages a minute from a bot in one group.

Bots FAQ: "In a group, bots are not able to send more than 20 messages per minute." Telegram
answers the 21st with 429 and ``retry_after``; PTB's AIORateLimiter (the bot uses it) waits
before that happens, so a bot that works well never meets this refusal. Each message the bot
creates counts (texts, media, copies, service messages of topics and pins); edits do not.
The window is the server's clock, so ``advance_clock`` moves past it.
"""

from __future__ import annotations

from collections import deque

from fakebotapi.errors import ApiError

GROUP_MESSAGES_PER_MINUTE = 20
WINDOW_SECONDS = 60


class GroupFloodLimit:
    """The times of the bot's recent messages per group, and the 429 when there are too many."""

    def __init__(self, per_minute: int | None = GROUP_MESSAGES_PER_MINUTE) -> None:
        self.per_minute = per_minute
        """Messages a bot may send to one group in a minute; ``None`` turns the limit off."""
        self._sent: dict[int, deque[int]] = {}

    def admit(self, chat_id: int, now: int) -> None:
        """Count one message to ``chat_id`` (a group when negative), or refuse it with 429."""
        if chat_id >= 0 or self.per_minute is None:
            return
        times = self._sent.setdefault(chat_id, deque())
        while times and now - times[0] >= WINDOW_SECONDS:
            times.popleft()
        if len(times) >= self.per_minute:
            wait = WINDOW_SECONDS - (now - times[0])
            raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)
        times.append(now)
