"""The bot's SQLite store: language choices, the anonymous search log, wrong-information
reports and the message ids that /clear may delete.

Privacy is a feature, so every table keeps the least that its feature needs: what each one
holds and why is said with the schema (:mod:`.migrations`), how long it keeps its rows in
:mod:`.retention`, and every statement is in :mod:`.queries`. We keep no flood or
rate-limiting data here: that lives in memory only.

All database work runs on one single-thread executor. The connection is opened with
``check_same_thread=False`` but is only ever used by that one thread, which keeps
SQLite's one-writer rule simple and keeps blocking calls off the asyncio event loop.
The bot awaits the async methods; the CLI and staff reports call them through ``run_sync``.
Settings come in as arguments (the search log's retention): the store never reads them.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import Callable, Coroutine, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, ParamSpec, Self, TypeVar

from sqlite_utils import Database

from bot.catalogue.model import REPORT_KINDS
from bot.store.conversations import Conversations
from bot.store.migrations import MIGRATIONS
from bot.store.queries import (
    UNMET_MIN_COUNT,
    WEAK_TOP_SCORE,
    ForgetResult,
    HousekeepingResult,
    Queries,
    Report,
    UsageReport,
    utc,
)
from bot.store.retention import COUNSEL_RETENTION, SEARCH_LOG_RETENTION, Cutoffs, cutoffs_at
from bot.store.searchlog import SharedWords, words_to_offer
from bot.store.writebehind import SeenToday, WriteBehind

P = ParamSpec("P")
T = TypeVar("T")
Tracer = Callable[[str, Any], None]


class StorageError(Exception):
    """The database file cannot be opened, or the store was used after it was closed."""


def _open_database(path: Path, tracer: Tracer | None) -> Database:
    """Open (creating if needed), switch to WAL and migrate; every failure names the path."""
    if path.parent.exists() and not path.parent.is_dir():
        raise StorageError(f"cannot open the database {path}: {path.parent} is not a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, check_same_thread=False)
    except (OSError, sqlite3.Error) as error:
        raise StorageError(f"cannot open the database {path}: {error}") from error
    try:
        db = Database(conn, tracer=tracer)
        db.enable_wal()
        # With WAL, NORMAL cannot corrupt the file; a power cut may lose the last log rows.
        db.execute("PRAGMA synchronous=NORMAL")
        # Deleted rows are overwritten with zeros, so /delete leaves nothing in free pages.
        db.execute("PRAGMA secure_delete=ON")
        MIGRATIONS.apply(db)
        # A migration may have dropped old text: copy the zeroed pages in, empty the WAL.
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as error:
        conn.close()
        raise StorageError(f"cannot open the database {path}: {error}") from error
    return db


class Store:
    """The bot's database: await its methods in the bot; the CLI uses :meth:`run_sync`.

    Create it with :meth:`Store.open`; close it with :meth:`close` or :meth:`close_sync`
    (or use it as a context manager) so that the WAL is checkpointed into the file.
    """

    def __init__(self, path: Path, db: Database, executor: ThreadPoolExecutor) -> None:
        """Use :meth:`Store.open`; this only wires together an already opened database."""
        self.path = path
        self._db = db
        self._queries = Queries(db)
        self._executor = executor
        self._seen_today = SeenToday()
        self._closed = False
        # Only people who picked a language in the menu are here (a few percent of users), so
        # the question asked for every update, "did this person choose a language?", needs no
        # trip to the database; writes go to the table first, then here.
        self._languages: dict[int, str] = executor.submit(self._queries.language_choices).result()
        self._words = SharedWords()
        self._words.release(executor.submit(self._queries.unmet_vocabulary).result())
        self._waiting = WriteBehind(functools.partial(self._run, _nothing))
        self.conversations = Conversations(self._run, self._queries.conversations, executor)

    @classmethod
    def open(cls, path: Path | str, *, tracer: Tracer | None = None) -> Store:
        """Open or create the database at ``path`` (and its folder) and bring its schema up
        to date. ``tracer(sql, params)`` is sqlite-utils' hook for seeing every statement.

        Blocks for a few milliseconds, which is fine at start-up even inside the event loop.

        :raises StorageError: if the folder or file cannot be created or is not a database
        """
        path = Path(path)
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wegweiser-db")
        try:
            db = executor.submit(_open_database, path, tracer).result()
        except BaseException:
            executor.shutdown(wait=False)
            raise
        return cls(path, db, executor)

    async def close(self) -> None:
        """Finish the queued work, then close the connection. Closing twice is harmless."""
        if not self._closed:
            await asyncio.get_running_loop().run_in_executor(self._executor, self._last_trip())
            self._executor.shutdown(wait=True)

    def close_sync(self) -> None:
        """Like :meth:`close`, for code that has no event loop (the CLI's ``with store:``)."""
        if not self._closed:
            self._executor.submit(self._last_trip()).result()
            self._executor.shutdown(wait=True)

    def _last_trip(self) -> Callable[[], None]:
        """Mark the store closed; the trip that applies the waiting writes, then closes."""
        writes = self._waiting.take()
        self._closed = True
        return functools.partial(self._apply_then, writes, self._db.close)

    def _defer(self, method: Callable[P, object], /, *args: P.args, **kwargs: P.kwargs) -> None:
        """Queue a write for the next trip to the database (see :mod:`.writebehind`)."""
        self._check_open()
        self._waiting.add(functools.partial(method, *args, **kwargs))

    def _apply_then(self, writes: Sequence[Callable[[], object]], call: Callable[[], T]) -> T:
        """On the database thread: the waiting writes in order, then ``call``.

        The writes share one transaction: one commit for a second's worth of rows instead
        of one per row, which is most of their cost.
        """
        if writes:
            with self._db.atomic():
                for write in writes:
                    write()
        return call()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close_sync()

    def _check_open(self) -> None:
        if self._closed:
            raise StorageError(f"the store for {self.path} is closed")

    async def _run(self, method: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run one query method on the executor and wait for it without blocking the loop."""
        self._check_open()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor,
            self._apply_then,
            self._waiting.take(),
            functools.partial(method, *args, **kwargs),
        )

    def run_sync(
        self, door: Callable[P, Coroutine[Any, Any, T]], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Call an async method without an event loop (the CLI) and wait: one runner, not a
        ``_sync`` twin per method: ``store.run_sync(store.usage_report, since)``.

        :raises RuntimeError: inside an event loop, which the wait would block
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(door(*args, **kwargs))
        name = getattr(door, "__name__", "it")
        raise RuntimeError(f"run_sync({name}) would block the event loop; await {name}() instead")

    # users

    async def get_language(self, user_id: int) -> str | None:
        """The language the user chose explicitly, or None to fall back to Telegram's."""
        self._check_open()
        return self._languages.get(user_id)

    async def set_language(self, user_id: int, code: str | None) -> None:
        """Remember an explicit language choice; None forgets it."""
        await self._run(self._queries.set_language, user_id, code)
        if code is None:
            self._languages.pop(user_id, None)
        else:
            self._languages[user_id] = code

    async def touch(self, user_id: int, day: date) -> None:
        """Record that the user wrote on ``day``, so housekeeping knows who is still around.

        Called on every update, so a second call on the same day is answered from memory
        without a trip to the database.
        """
        self._check_open()
        if self._seen_today.contains(user_id, day):
            return
        self._seen_today.add(user_id, day)
        self._defer(self._queries.touch, user_id, day)

    async def forget_user(self, user_id: int) -> ForgetResult:
        """/delete: remove every row about the user (their row, their private chat's tracked
        messages and conversations) and overwrite the freed space. No rate-limit data is stored."""
        self._words.forget_chat(user_id)  # here, on the event loop, where words are counted
        return await self._run(self._forget_user, user_id)

    def _forget_user(self, user_id: int) -> ForgetResult:
        self._seen_today.discard(user_id)
        result = self._queries.forget_user(user_id)
        self._languages.pop(user_id, None)
        self.conversations.forget_chat(user_id)
        return result

    # search log

    async def log_search(
        self,
        chat_id: int,
        *,
        typed: str,
        query: str,
        language: str,
        categories: Iterable[str],
        result_count: int,
        top_score: float | None,
        danger: str | None,
        day: date,
    ) -> None:
        """Log one search for the unmet-needs report: its categories, language, counts and the
        city's ``day``; never ``chat_id`` or the text ``typed``. Of ``query`` (the search's
        normalised text) only words that enough chats typed in searches that found nothing
        good are ever written (:mod:`bot.store.searchlog`); nothing of a danger message."""
        weak = result_count == 0 or top_score is None or top_score < WEAK_TOP_SCORE
        offered = words_to_offer(typed, query) if weak and danger is None else ()
        words = self._words.offer(chat_id, offered, day)
        self._defer(
            self._queries.log_search,
            *(language, tuple(categories), result_count, top_score, danger, day, words),
        )

    # wrong-information reports

    async def add_report(
        self, service_id: str, kind: str, when: datetime, key: int | None = None
    ) -> bool:
        """Record a ``kind`` report (one of ``REPORT_KINDS``, else ValueError) on ``service_id``
        once per update ``key``; False when that update's report is already there."""
        if kind not in REPORT_KINDS:
            expected = ", ".join(sorted(REPORT_KINDS))
            raise ValueError(f"unknown report kind {kind!r}; expected one of {expected}")
        return await self._run(self._queries.add_report, service_id, kind, utc(when), key)

    async def recent_reports(self, limit: int = 20) -> list[Report]:
        """The newest reports first, for staff to check."""
        return await self._run(self._queries.recent_reports, limit)

    # chat messages for /clear

    async def track_messages(
        self, chat_id: int, message_ids: Iterable[int], when: datetime
    ) -> None:
        """Remember message ids that /clear may delete, at once: on disk before it is needed.

        :raises ValueError: for a group or channel (chat id <= 0): /clear is for private chats
        """
        if chat_id <= 0:
            raise ValueError(f"only private chats are tracked, got chat id {chat_id}")
        await self._run(self._queries.track_messages, chat_id, tuple(message_ids), utc(when))

    async def messages_to_clear(self, chat_id: int, now: datetime) -> list[int]:
        """The chat's tracked message ids still young enough for Telegram to delete."""
        return await self._run(self._queries.messages_to_clear, chat_id, utc(now))

    async def forget_messages(self, chat_id: int, message_ids: Iterable[int]) -> int:
        """Stop tracking messages (deleted, or no longer deletable); returns how many."""
        return await self._run(self._queries.forget_messages, chat_id, tuple(message_ids))

    # housekeeping

    async def housekeeping(
        self,
        now: datetime,
        *,
        search_log_retention: timedelta = SEARCH_LOG_RETENTION,
        conversation_retention: timedelta = COUNSEL_RETENTION,
    ) -> HousekeepingResult:
        """Purge every kind of row past its period (:mod:`bot.store.retention`); hourly, with
        the bot's ``LOG_RETENTION_DAYS`` and ``COUNSEL_RETENTION_DAYS``."""
        cutoffs = cutoffs_at(now, search_log_retention, conversation_retention)
        return await self._run(self._housekeeping, cutoffs)

    def _housekeeping(self, cutoffs: Cutoffs) -> HousekeepingResult:
        result = self._queries.housekeeping(cutoffs)
        if result.users:
            self._languages = self._queries.language_choices()
        return result

    # staff statistics

    async def usage_report(
        self, since: datetime, *, min_count: int = UNMET_MIN_COUNT, tz: tzinfo = UTC
    ) -> UsageReport:
        """Everything the staff's report shows from the day of ``since`` (in ``tz``; the log
        keeps days), in one trip: words of searches that found nothing good, with at least
        ``min_count`` searches; searches per category, language and day; crisis searches;
        reports per service.

        :raises ValueError: if ``min_count`` is below ``UNMET_MIN_COUNT``
        """
        return await self._run(self._queries.usage_report, utc(since), min_count, tz)


def _nothing() -> None:
    """A trip to the database that only applies the waiting writes."""
