"""The durable inbox: every update Telegram hands over is on disk before Telegram forgets it.

Telegram keeps an update until the bot confirms it (the next getUpdates offset, or the
webhook's 200). Confirming only what is written here means a crash, a SIGKILL or a full
disk between "Telegram handed it over" and "the bot answered" loses nothing: at the next
start the updates still here are handled first (the transactional-inbox pattern).

What a person wrote is never kept, so an update stays here only until it is handled: then its
row is deleted (``secure_delete`` overwrites it with zeros), so is the key that made its
report or its relayed message idempotent (``reports.update_id``, ``relayed``), and
:meth:`Inbox.checkpoint` empties the write-ahead log, which would otherwise hold old copies of
the page. Only the bare update id of a handled update is remembered, for the 24 hours in
which Telegram may deliver it again (after a restart before the confirmation reached
Telegram, or a webhook retry).

The inbox has its own connection and thread, so that storing a batch never waits behind the
handlers' queries; it writes in ``BEGIN IMMEDIATE`` transactions with ``synchronous=FULL``
(Telegram's confirmation cannot be taken back, so the write must survive a power cut too).
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Self, TypeVar

from sqlite_utils import Database

from bot.store.migrations import MIGRATIONS

T = TypeVar("T")

REDELIVERY_WINDOW = timedelta(hours=25)
"""Telegram keeps an unconfirmed update for 24 hours; a handled id is remembered one hour
longer, so a late redelivery is recognised and not answered twice."""

BUSY_TIMEOUT_SECONDS = 10.0
"""The store's connection writes to the same file; wait this long for its lock."""


class InboxError(Exception):
    """The inbox cannot be opened or written: the updates must not be confirmed."""


@dataclass(frozen=True)
class Pending:
    """An update that is stored but not yet handled: its id and its raw JSON text."""

    update_id: int
    payload: str


def _connect(path: Path) -> sqlite3.Connection:
    """Open the bot's database for the inbox, bring the schema up to date, set the pragmas."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: transactions are begun explicitly (BEGIN IMMEDIATE), so a
        # write never has to upgrade a read lock, which in WAL mode fails instead of waiting.
        conn = sqlite3.connect(
            path, check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS
        )
    except (OSError, sqlite3.Error) as error:
        raise InboxError(f"cannot open the inbox in {path}: {error}") from error
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA secure_delete=ON")
        MIGRATIONS.apply(Database(conn))
    except sqlite3.Error as error:
        conn.close()
        raise InboxError(f"cannot open the inbox in {path}: {error}") from error
    return conn


class Inbox:
    """Updates handed over by Telegram and not yet handled; await its methods on the loop."""

    def __init__(self, path: Path, conn: sqlite3.Connection, executor: ThreadPoolExecutor) -> None:
        """Use :meth:`Inbox.open`."""
        self.path = path
        self._conn = conn
        self._executor = executor
        self._closed = False

    @classmethod
    def open(cls, path: Path | str) -> Inbox:
        """Open the inbox in the bot's database file (creating and migrating it if needed).

        :raises InboxError: if the file cannot be opened or is not a database
        """
        path = Path(path)
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wegweiser-inbox")
        try:
            conn = executor.submit(_connect, path).result()
        except BaseException:
            executor.shutdown(wait=False)
            raise
        return cls(path, conn, executor)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Empty the write-ahead log and close; closing twice is harmless."""
        if self._closed:
            return
        self._closed = True
        await asyncio.get_running_loop().run_in_executor(self._executor, self._close)
        self._executor.shutdown(wait=True)

    def _close(self) -> None:
        self._checkpoint()
        self._conn.close()

    async def _run(self, call: Callable[[], T]) -> T:
        if self._closed:
            raise InboxError(f"the inbox in {self.path} is closed")
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, call)
        except sqlite3.Error as error:
            raise InboxError(f"the inbox in {self.path} failed: {error}") from error

    def _write(self, statements: Callable[[sqlite3.Connection], T]) -> T:
        """One ``BEGIN IMMEDIATE`` transaction on the inbox's thread; rolled back on error."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            result = statements(self._conn)
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")
        return result

    async def add(self, updates: Sequence[Pending]) -> list[Pending]:
        """Store a batch in one transaction; returns the ones that are new (neither waiting
        nor handled already), in the order given. Only after this returns may the batch be
        confirmed to Telegram.

        :raises InboxError: nothing of the batch was stored
        """
        return await self._run(functools.partial(self._write, functools.partial(_add, updates)))

    async def pending(self) -> list[Pending]:
        """Every stored update not yet handled, oldest first: the work a crash left behind."""
        return await self._run(self._pending)

    def _pending(self) -> list[Pending]:
        rows = self._conn.execute("SELECT update_id, payload FROM inbox ORDER BY update_id")
        return [Pending(update_id, payload) for update_id, payload in rows]

    async def done(self, update_id: int) -> None:
        """The update is handled: delete its content, remember only its id (for redelivery)."""
        # To the hour: enough for the redelivery window, and no clock of anyone's activity.
        now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0).isoformat()
        await self._run(functools.partial(self._write, functools.partial(_done, update_id, now)))

    async def checkpoint(self) -> None:
        """Copy the log into the file and truncate it, so deleted updates leave no copies
        there; also forget handled ids older than ``REDELIVERY_WINDOW``."""
        await self._run(self._checkpoint)

    def _checkpoint(self) -> None:
        cutoff = (datetime.now(UTC) - REDELIVERY_WINDOW).isoformat(timespec="seconds")
        self._write(lambda conn: conn.execute("DELETE FROM inbox_done WHERE done_at < ?", [cutoff]))
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _add(updates: Sequence[Pending], conn: sqlite3.Connection) -> list[Pending]:
    new: list[Pending] = []
    for update in updates:
        handled = conn.execute(
            "SELECT 1 FROM inbox_done WHERE update_id = ?", [update.update_id]
        ).fetchone()
        if handled is not None:
            continue
        inserted = conn.execute(
            "INSERT OR IGNORE INTO inbox (update_id, payload) VALUES (?, ?)",
            [update.update_id, update.payload],
        ).rowcount
        if inserted:
            new.append(update)
    return new


def _done(update_id: int, now: str, conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM inbox WHERE update_id = ?", [update_id])
    # A report's key is needed only while its update may be handled again; Telegram's update
    # id would otherwise tie the report to an account in Telegram's records.
    conn.execute("UPDATE reports SET update_id = NULL WHERE update_id = ?", [update_id])
    # Likewise the key that kept a relayed message from being copied twice.
    conn.execute("DELETE FROM relayed WHERE update_id = ?", [update_id])
    conn.execute(
        "INSERT OR REPLACE INTO inbox_done (update_id, done_at) VALUES (?, ?)", [update_id, now]
    )
