"""The updates waiting for the bot, and what became of each one (fetched, or dropped and why).

Telegram keeps an update until the bot confirms it (a later ``offset`` in getUpdates, or a 2xx
answer from the webhook), and only sends the types ``allowed_updates`` names.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass

from fakebotapi.activity import BotActivity
from fakebotapi.entities import JsonDict
from fakebotapi.errors import RepliesTimeout, UpdateDropped

FIRST_UPDATE_ID = 10_001  # Any positive start works; a large one catches "offset=1" assumptions.

# The update types Telegram sends when allowed_updates is empty or was never given.
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


@dataclass
class UpdateState:
    """One update, and the action index when the bot fetched it, or why it never will."""

    update: JsonDict
    delivered_at_action: int | None = None
    dropped: str | None = None


class UpdateQueue:
    """Every update the users caused, the pending ones in order, and the bot's filter."""

    def __init__(self, activity: BotActivity) -> None:
        self._activity = activity
        self._states: dict[int, UpdateState] = {}
        self.pending: list[int] = []
        self.confirmed: set[int] = set()
        """Updates the bot fetched and then confirmed (a later offset, or the webhook's 2xx):
        Telegram will never send them again, so the bot must have them by now."""
        self.allowed_updates: frozenset[str] | None = None
        self.closed = False
        self._ids = itertools.count(FIRST_UPDATE_ID)
        self._poll_generation = 0

    def add(self, body: JsonDict) -> int:
        """Queue an update with the next update_id; returns that id."""
        update_id = next(self._ids)
        self._states[update_id] = UpdateState(update={"update_id": update_id, **body})
        self.pending.append(update_id)
        self._activity.notify()
        return update_id

    def update(self, update_id: int) -> JsonDict:
        """The update as the bot receives it (not a copy)."""
        return self._states[update_id].update

    def close(self) -> None:
        """The server stops: waiting long polls return at once."""
        self.closed = True
        self._activity.notify()

    def is_allowed(self, update: JsonDict) -> bool:
        kind = next((key for key in update if key != "update_id"), "")
        if self.allowed_updates is None:
            return kind not in DEFAULT_EXCLUDED_UPDATES
        return kind in self.allowed_updates

    def drop_pending(self, reason: str) -> None:
        """Forget every pending update (drop_pending_updates); waiting turns learn ``reason``."""
        for update_id in self.pending:
            state = self._states[update_id]
            if state.delivered_at_action is None:
                state.dropped = reason
        self.pending.clear()
        self._activity.notify()

    def confirm(self, offset: int) -> None:
        """Forget updates below ``offset`` (or all but the last ``-offset``), as Telegram does."""
        if offset > 0:
            keep = [u for u in self.pending if u >= offset]
        elif offset < 0:
            keep = self.pending[offset:]
        else:
            return
        for update_id in set(self.pending) - set(keep):
            state = self._states[update_id]
            if state.delivered_at_action is None:
                state.dropped = f"confirmed by offset {offset} before the bot fetched it"
            else:
                self.confirmed.add(update_id)
        self.pending = keep

    def acknowledge(self, update_id: int) -> None:
        """The webhook accepted the update: it is no longer pending."""
        if update_id in self.pending:
            self.pending.remove(update_id)
        self.confirmed.add(update_id)
        self._activity.notify()

    def deliverable(self, limit: int) -> list[JsonDict]:
        """Up to ``limit`` pending updates the bot wants; the others are dropped on the way."""
        batch: list[JsonDict] = []
        for update_id in list(self.pending):
            state = self._states[update_id]
            if not self.is_allowed(state.update):
                state.dropped = "its type is not in allowed_updates"
                self.pending.remove(update_id)
                continue
            batch.append(state.update)
            if len(batch) >= limit:
                break
        return batch

    def mark_delivered(self, update_ids: list[int]) -> None:
        """The bot has these updates now; what it does next counts as its answer to them."""
        for update_id in update_ids:
            state = self._states[update_id]
            if state.delivered_at_action is None:
                state.delivered_at_action = self._activity.marker()
        if update_ids:
            self._activity.mark_activity()
            self._activity.notify()

    def start_poll(self) -> int:
        """A new getUpdates call; an older long poll notices it was replaced."""
        self._poll_generation += 1
        self._activity.notify()
        return self._poll_generation

    def poll_replaced(self, generation: int) -> bool:
        return self._poll_generation != generation

    async def wait_delivered(self, update_id: int, timeout: float) -> int:
        """Wait until the bot fetched the update; returns the action index at that moment.

        Raises:
            UpdateDropped: the bot will never see it.
            RepliesTimeout: the bot did not fetch it within ``timeout``.
        """
        state = self._states[update_id]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._activity.change
            if state.delivered_at_action is not None:
                return state.delivered_at_action
            if state.dropped is not None:
                raise UpdateDropped(f"update {update_id} will never reach the bot: {state.dropped}")
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise RepliesTimeout(
                    f"the bot did not fetch update {update_id} within {timeout:g} s "
                    "(is it polling or is a webhook set? is the type in allowed_updates?)"
                )
            await self._activity.wait_change(event, remaining)
