"""What the bot did, in the order the server saw it, and how tests wait for it.

Why one object: the HTTP layer, the update queue, the webhook and the waiting test all share
one "something changed" signal. A waiter takes :attr:`BotActivity.change` *before* it looks
at the state, then waits on it, so a change between the look and the wait is never missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from fakebotapi.entities import JsonDict
from fakebotapi.errors import RepliesTimeout

DEFAULT_SETTLE_SECONDS = 0.1  # Loopback calls take ~1 ms; 100 ms of silence means the bot is done.
DEFAULT_REPLY_TIMEOUT = 5.0  # Generous for a slow CI machine, short enough to fail fast.

BotActionKind = Literal["sent", "edited", "deleted", "callback_answered", "chat_action"]


@dataclass(frozen=True)
class BotAction:
    """Something the bot did that a user could notice, in the order the server saw it."""

    index: int
    kind: BotActionKind
    method: str
    chat_id: int | None
    message_id: int | None
    message: JsonDict | None
    params: JsonDict


@dataclass
class LoggedRequest:
    """One Bot API call as received; ``status`` and ``description`` are filled in on answer."""

    method: str
    params: JsonDict
    files: dict[str, bytes]
    status: int | None = None
    description: str | None = None
    result: Any = None


def in_thread(message: JsonDict, thread_id: int) -> bool:
    """Whether a message is in the forum topic ``thread_id``."""
    return bool(message.get("is_topic_message")) and message.get("message_thread_id") == thread_id


class BotActivity:
    """The bot's calls and visible actions, and the signal that something changed."""

    def __init__(self) -> None:
        self.actions: list[BotAction] = []
        self.requests: list[LoggedRequest] = []
        self._in_flight = 0
        self._last_activity = 0.0
        self._change = asyncio.Event()

    @property
    def change(self) -> asyncio.Event:
        """The event the next :meth:`notify` sets; take it before looking at the state."""
        return self._change

    def notify(self) -> None:
        """Wake everyone waiting on :attr:`change`."""
        self._change.set()
        self._change = asyncio.Event()

    async def wait_change(self, event: asyncio.Event, timeout: float) -> None:
        """Wait for ``event`` (taken from :attr:`change`) for at most ``timeout`` seconds."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), max(timeout, 0.0))

    def mark_activity(self) -> None:
        """Note that the bot just did something: replies settle only after a quiet moment."""
        self._last_activity = asyncio.get_running_loop().time()

    def call_started(self) -> None:
        """A bot call is being answered; replies are not complete until it is."""
        self._in_flight += 1

    def call_finished(self) -> None:
        self._in_flight -= 1
        self.mark_activity()
        self.notify()

    def marker(self) -> int:
        """A point in the action log: the index the next action will get."""
        return len(self.actions)

    def record(
        self,
        kind: BotActionKind,
        method: str,
        chat_id: int | None,
        message_id: int | None,
        message: JsonDict | None,
        params: JsonDict,
    ) -> None:
        """Log something the bot did that a user could notice, and wake the waiters."""
        self.actions.append(
            BotAction(
                index=len(self.actions),
                kind=kind,
                method=method,
                chat_id=chat_id,
                message_id=message_id,
                message=copy.deepcopy(message),
                params=copy.deepcopy(params),
            )
        )
        self.mark_activity()
        self.notify()

    async def wait_for(
        self, predicate: Callable[[BotAction], bool], timeout: float, what: str
    ) -> BotAction:
        """The first action that matches ``predicate``, waiting up to ``timeout`` for it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._change
            for action in self.actions:
                if predicate(action):
                    return action
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise RepliesTimeout(f"no {what} within {timeout:g} s")
            await self.wait_change(event, remaining)

    async def collect_replies(
        self,
        chat_id: int,
        marker: int,
        *,
        min_count: int,
        deadline: float,
        settle: float,
        context: str,
        thread_id: int | None = None,
    ) -> list[JsonDict]:
        """Messages sent or edited in the chat since ``marker``, once the bot has gone quiet.

        ``thread_id`` keeps only the messages in that forum topic.

        Raises:
            RepliesTimeout: fewer than ``min_count`` by ``deadline`` (loop time).
        """
        loop = asyncio.get_running_loop()
        while True:
            event = self._change
            replies = [
                copy.deepcopy(action.message)
                for action in self.actions[marker:]
                if action.chat_id == chat_id
                and action.kind in ("sent", "edited")
                and action.message is not None
                and (thread_id is None or in_thread(action.message, thread_id))
            ]
            now = loop.time()
            if len(replies) < min_count:
                if now >= deadline:
                    raise RepliesTimeout(
                        self._describe_missing(chat_id, context, min_count, replies)
                    )
                await self.wait_change(event, deadline - now)
                continue
            if now >= deadline:
                return replies
            if self._in_flight > 0:  # a bot call is still being answered; wait for it
                await self.wait_change(event, deadline - now)
                continue
            idle_for = now - self._last_activity
            if idle_for >= settle:
                return replies
            await self.wait_change(event, min(settle - idle_for, deadline - now))

    def _describe_missing(
        self, chat_id: int, context: str, min_count: int, replies: list[JsonDict]
    ) -> str:
        """A failure message that shows what the bot did instead, to save a debugging round."""
        got = [reply.get("text", "<no text>") for reply in replies]
        failures = [
            f"{r.method} -> {r.status} {r.description}"
            for r in self.requests[-20:]
            if r.status not in (None, 200)
        ]
        lines = [
            f"expected at least {min_count} bot message(s) in chat {chat_id} after {context}, "
            f"got {len(replies)}: {got!r}"
        ]
        if failures:
            lines.append("recent failed bot requests: " + "; ".join(failures))
        return "\n".join(lines)
