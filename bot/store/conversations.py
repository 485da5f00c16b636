"""Conversations with the counsellors: the link code ↔ chat ↔ topic, and nothing of what was said.

A row holds the random code, the person's chat id, the forum topic's id, the language (which
the topic's name shows anyway), the state, the time of the last message, since when the person
waits for an answer, when it ended and until when a block runs. Messages go from chat to topic
and back through Telegram only; the bot never stores their content.

The open conversations are also kept in memory (a few hundred rows at most): every message a
person sends asks "is a conversation open?", which must cost no trip to the database. Writes go
to the table first, then to memory, so memory never claims more than the file holds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlite_utils import Database


class State(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    BLOCKED = "blocked"


@dataclass(frozen=True)
class Conversation:
    """One conversation, as the store keeps it."""

    code: str
    chat_id: int
    topic_id: int
    language: str
    state: State
    last_message_at: datetime
    waiting_since: datetime | None = None
    """When the oldest message the team has not answered yet arrived; None: nobody waits."""
    closed_at: datetime | None = None
    blocked_until: datetime | None = None
    marked: bool = False
    """The topic's name carries 🆘: a message in it spoke of danger."""


@dataclass(frozen=True)
class Waiting:
    """What the staff's /stats shows: counts only."""

    open: int
    waiting: int
    longest: timedelta | None


def _text(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="seconds")


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


COLUMNS = (
    "code, chat_id, topic_id, language, state, last_message_at, waiting_since, closed_at, "
    "blocked_until, marked"
)


def _row(values: tuple[Any, ...]) -> Conversation:
    code, chat_id, topic_id, language, state, last, waiting, closed, blocked, marked = values
    return Conversation(
        code,
        chat_id,
        topic_id,
        language,
        State(state),
        datetime.fromisoformat(last),
        _moment(waiting),
        _moment(closed),
        _moment(blocked),
        bool(marked),
    )


class ConversationQueries:
    """Every statement about conversations; runs on the store's database thread."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def open_ones(self) -> list[Conversation]:
        rows = self.db.execute(f"SELECT {COLUMNS} FROM conversations WHERE state = 'open'")
        return [_row(values) for values in rows]

    def save(self, conversation: Conversation) -> None:
        c = conversation
        with self.db.atomic():
            self.db.execute(
                f"INSERT OR REPLACE INTO conversations ({COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    c.code,
                    c.chat_id,
                    c.topic_id,
                    c.language,
                    c.state.value,
                    _text(c.last_message_at),
                    _text(c.waiting_since),
                    _text(c.closed_at),
                    _text(c.blocked_until),
                    int(c.marked),
                ],
            )

    def blocked_until(self, chat_id: int, now: datetime) -> datetime | None:
        row = self.db.execute(
            "SELECT max(blocked_until) FROM conversations WHERE chat_id = ? AND blocked_until > ?",
            [chat_id, _text(now)],
        ).fetchone()
        return _moment(row[0]) if row else None

    def forget_chat(self, chat_id: int) -> int:
        """Part of /delete's transaction (see :meth:`bot.store.queries.Queries.forget_user`)."""
        return self.db.execute("DELETE FROM conversations WHERE chat_id = ?", [chat_id]).rowcount

    def codes(self) -> set[str]:
        return {code for (code,) in self.db.execute("SELECT code FROM conversations")}

    def was_relayed(self, update_id: int) -> bool:
        row = self.db.execute("SELECT 1 FROM relayed WHERE update_id = ?", [update_id])
        return row.fetchone() is not None

    def relayed(self, update_id: int) -> None:
        with self.db.atomic():
            self.db.execute("INSERT OR IGNORE INTO relayed (update_id) VALUES (?)", [update_id])

    def expire(self, ended_before: datetime, now: datetime) -> int:
        """Ended conversations past their retention, unless a block on them still runs."""
        return self.db.execute(
            "DELETE FROM conversations WHERE closed_at IS NOT NULL AND closed_at <= ? "
            "AND (blocked_until IS NULL OR blocked_until <= ?)",
            [_text(ended_before), _text(now)],
        ).rowcount


Runner = Callable[..., Coroutine[Any, Any, Any]]


class Conversations:
    """The store's door for conversations: open ones answered from memory, writes awaited.

    ``run`` is the store's way onto its database thread (``Store._run``).
    """

    def __init__(self, run: Runner, queries: ConversationQueries, executor: Executor) -> None:
        """Reads the open conversations at once (start-up: a few milliseconds)."""
        self._run = run
        self._queries = queries
        self._lock = asyncio.Lock()
        opened = executor.submit(queries.open_ones).result()
        self._by_chat = {c.chat_id: c for c in opened}
        self._by_topic = {c.topic_id: c.chat_id for c in opened}

    def is_open(self, chat_id: int) -> bool:
        return chat_id in self._by_chat

    def of_chat(self, chat_id: int) -> Conversation | None:
        """The chat's open conversation."""
        return self._by_chat.get(chat_id)

    def of_topic(self, topic_id: int) -> Conversation | None:
        """The open conversation a forum topic belongs to."""
        chat_id = self._by_topic.get(topic_id)
        return None if chat_id is None else self._by_chat.get(chat_id)

    async def codes_in_use(self) -> set[str]:
        """The codes of every stored conversation, open or ended: a new one must draw another,
        because the code is the row's key and an ended row (a running block above all) must
        not be overwritten."""
        used = await self._run(self._queries.codes)
        return used | {c.code for c in self._by_chat.values()}

    async def _save(self, conversation: Conversation) -> Conversation:
        """Write the row, then memory: an open one is kept there, an ended one dropped."""
        await self._run(self._queries.save, conversation)
        self._drop(conversation.chat_id)
        if conversation.state is State.OPEN:
            self._by_chat[conversation.chat_id] = conversation
            self._by_topic[conversation.topic_id] = conversation.chat_id
        return conversation

    async def _change(
        self, conversation: Conversation, change: Callable[[Conversation], Conversation]
    ) -> Conversation | None:
        """Apply ``change`` to the conversation as it is now, if it is still open; None when it
        ended meanwhile. One change at a time: the person's side and the team's side run in
        different chats, in parallel, and an answer must never reopen a closed conversation."""
        async with self._lock:
            current = self._by_chat.get(conversation.chat_id)
            if current is None or current.code != conversation.code:
                return None
            return await self._save(change(current))

    async def start(
        self, code: str, chat_id: int, topic_id: int, language: str, now: datetime
    ) -> Conversation:
        async with self._lock:
            return await self._save(
                Conversation(code, chat_id, topic_id, language, State.OPEN, now)
            )

    async def person_wrote(self, conversation: Conversation, now: datetime) -> Conversation | None:
        """A message from the person: now they wait (since their oldest unanswered one)."""

        def wrote(c: Conversation) -> Conversation:
            return replace(c, last_message_at=now, waiting_since=c.waiting_since or now)

        return await self._change(conversation, wrote)

    async def team_wrote(self, conversation: Conversation, now: datetime) -> Conversation | None:
        return await self._change(
            conversation, lambda c: replace(c, last_message_at=now, waiting_since=None)
        )

    async def moved(self, conversation: Conversation, topic_id: int) -> Conversation | None:
        """The team deleted the topic: the conversation goes on in a new one (marked 🆘 too,
        if the old one was)."""
        return await self._change(conversation, lambda c: replace(c, topic_id=topic_id))

    async def mark(self, conversation: Conversation) -> Conversation | None:
        return await self._change(conversation, lambda c: replace(c, marked=True))

    async def end(
        self, conversation: Conversation, now: datetime, *, blocked_until: datetime | None = None
    ) -> Conversation | None:
        """Closed by either side, or blocked by the team until ``blocked_until``; None when it
        had ended already."""
        state = State.CLOSED if blocked_until is None else State.BLOCKED

        def ended(c: Conversation) -> Conversation:
            return replace(
                c, state=state, closed_at=now, waiting_since=None, blocked_until=blocked_until
            )

        return await self._change(conversation, ended)

    async def end_if_idle(
        self, conversation: Conversation, idle_since: datetime, now: datetime
    ) -> Conversation | None:
        """Close a conversation in which nobody wrote since ``idle_since``; None when it ended
        meanwhile or a message came in the meantime."""

        def ended(c: Conversation) -> Conversation:
            if c.last_message_at > idle_since:
                return c
            return replace(c, state=State.CLOSED, closed_at=now, waiting_since=None)

        changed = await self._change(conversation, ended)
        return changed if changed is not None and changed.state is State.CLOSED else None

    def idle(self, idle_since: datetime) -> list[Conversation]:
        """Open conversations in which nobody wrote since ``idle_since``."""
        return [c for c in self._by_chat.values() if c.last_message_at <= idle_since]

    async def was_relayed(self, update_id: int) -> bool:
        """Whether this update's message already reached the other side (before a crash)."""
        return await self._run(self._queries.was_relayed, update_id)

    async def relayed(self, update_id: int) -> None:
        """The update's message reached the other side: never copy it again (until the inbox
        marks the update handled, which deletes this key)."""
        await self._run(self._queries.relayed, update_id)

    async def blocked_until(self, chat_id: int, now: datetime) -> datetime | None:
        """When the team's block on this chat ends, or None when there is none now."""
        return await self._run(self._queries.blocked_until, chat_id, now)

    def waiting(self, now: datetime) -> Waiting:
        """Open conversations, how many wait for an answer, and the longest wait."""
        since = [c.waiting_since for c in self._by_chat.values() if c.waiting_since is not None]
        longest = now - min(since) if since else None
        return Waiting(len(self._by_chat), len(since), longest)

    def forget_chat(self, chat_id: int) -> None:
        """/delete: memory follows the rows the store's transaction removed."""
        self._drop(chat_id)

    def _drop(self, chat_id: int) -> None:
        old = self._by_chat.pop(chat_id, None)
        if old is not None:
            self._by_topic.pop(old.topic_id, None)
