"""The bot's SQLite store: language choices, the anonymous search log, wrong-information
reports and the message ids that /clear may delete.

Privacy is a feature, so every table keeps the least that its feature needs:

- ``users``: the Telegram user id, the explicit language choice and the last day
  (date only) the person wrote. We keep the id because a language choice must be
  found again on the next message, and because /delete must find every row that
  belongs to a person; the day lets housekeeping forget people who stopped coming.
- ``search_log``: what was searched, never by whom. No user or chat id, the time
  truncated to the hour, and the text of anything too long to be a search term
  (a story that may name a person) is dropped.
- ``reports``: which service has wrong information and what kind, never who said so.
- ``chat_messages``: chat id and message id of messages that /clear ("quick exit")
  may delete, for the 48 hours Telegram allows deleting them, then purged. No text.

We keep no flood or rate-limiting data here: that lives in memory only.

All database work runs on one single-thread executor. The connection is opened with
``check_same_thread=False`` but is only ever used by that one thread, which keeps
SQLite's one-writer rule simple and keeps blocking calls off the asyncio event loop.
The bot awaits the async methods; the CLI and staff reports use the ``*_sync`` ones.
"""

from __future__ import annotations

import asyncio
import functools
import json
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from types import TracebackType
from typing import Any, ParamSpec, Self, TypeVar

from sqlite_utils import Database, Migrations

from bot.catalogue.model import REPORT_KINDS
from bot.config import DEFAULT_LOG_RETENTION

__all__ = [
    "CHAT_MESSAGE_LIFETIME",
    "MAX_LOGGED_QUERY_CHARS",
    "MIGRATIONS",
    "SEARCH_LOG_RETENTION",
    "UNMET_MIN_COUNT",
    "USER_RETENTION",
    "WEAK_TOP_SCORE",
    "ForgetResult",
    "HousekeepingResult",
    "Report",
    "ServiceReports",
    "StorageError",
    "Store",
    "UnmetQuery",
    "UsageReport",
]

# Telegram lets a bot delete a message in a private chat only within 48 hours of sending it.
CHAT_MESSAGE_LIFETIME = timedelta(hours=48)
# Half a year of searches covers two of the staff's reporting rounds; older rows only add risk.
# The default only: the bot passes LOG_RETENTION_DAYS from its settings to housekeeping.
SEARCH_LOG_RETENTION = DEFAULT_LOG_RETENTION
# Someone silent for half a year has likely moved on; their language choice is a trace of them.
USER_RETENTION = timedelta(days=180)

WRITE_BEHIND_SECONDS = 1.0
"""Per-update writes (search log row, message ids, last-seen day) wait at most this long and
then go to the database together in one trip. Every read applies them first, so the bot
never reads stale data; a crash loses at most one second of anonymous log rows. Measured:
four database trips per update cost about a tenth of the bot's throughput."""

MAX_DEFERRED_WRITES = 200
"""Flush earlier when this many writes wait, so a burst never builds a long queue."""

# A search term is a few words; longer texts are stories that may name a person, never
# reach UNMET_MIN_COUNT identical copies, and so are logged without their text.
MAX_LOGGED_QUERY_CHARS = 60
# Three people typing the same words show a need, not a person; the report cannot go lower.
UNMET_MIN_COUNT = 3
# rapidfuzz's 0-100 scale: a best match under 60 is usually a different word (retune with search).
WEAK_TOP_SCORE = 60.0

P = ParamSpec("P")
T = TypeVar("T")
Tracer = Callable[[str, Any], None]


class StorageError(Exception):
    """The database file cannot be opened, or the store was used after it was closed."""


# --- Schema -------------------------------------------------------------------------
# Each migration runs once per database, atomically with the record that it ran.
# To change the schema, add a function below the last one, e.g.
#     @MIGRATIONS(name="m002_search_log_language")
#     def m002_search_log_language(db: Database) -> None:
#         db["search_log"].create_index(["language"])
# and never edit a migration that has shipped.

MIGRATIONS = Migrations("wegweiser")


@MIGRATIONS(name="m001_initial")
def m001_initial(db: Database) -> None:
    """Create the four tables and the indexes that the purges and reports filter on."""
    users = db.table("users")
    users.create(
        {"user_id": int, "language": str, "last_seen_day": str},
        pk="user_id",
        strict=True,
    )
    users.create_index(["last_seen_day"])

    search_log = db.table("search_log")
    search_log.create(
        {
            "id": int,
            "query": str,
            "language": str,
            "categories": str,
            "result_count": int,
            "top_score": float,
            "crisis": int,
            "hour": str,
        },
        pk="id",
        not_null=["language", "categories", "result_count", "crisis", "hour"],
        strict=True,
    )
    search_log.create_index(["hour"])

    reports = db.table("reports")
    reports.create(
        {"id": int, "service_id": str, "kind": str, "created_at": str},
        pk="id",
        not_null=["service_id", "kind", "created_at"],
        strict=True,
    )
    reports.create_index(["created_at"])

    chat_messages = db.table("chat_messages")
    chat_messages.create(
        {"chat_id": int, "message_id": int, "sent_at": str},
        pk=("chat_id", "message_id"),
        not_null=["sent_at"],
        strict=True,
    )
    chat_messages.create_index(["sent_at"])


# --- Results --------------------------------------------------------------------------


@dataclass(frozen=True)
class ForgetResult:
    """How many rows /delete removed, per table, so the bot can say what it forgot."""

    users: int
    chat_messages: int

    @property
    def total(self) -> int:
        return self.users + self.chat_messages


@dataclass(frozen=True)
class HousekeepingResult:
    """How many expired rows one housekeeping run removed, per table."""

    chat_messages: int
    search_log: int
    users: int


@dataclass(frozen=True)
class Report:
    """One wrong-information report, as staff see it."""

    service_id: str
    kind: str
    created_at: datetime


@dataclass(frozen=True)
class UnmetQuery:
    """A search that found nothing good, typed by at least ``UNMET_MIN_COUNT`` people."""

    query: str
    count: int
    languages: tuple[str, ...]


@dataclass(frozen=True)
class ServiceReports:
    """The reports about one service, so staff fix the most-reported first."""

    service_id: str
    total: int
    by_kind: dict[str, int]


@dataclass(frozen=True)
class UsageReport:
    """Everything the staff's unmet-needs report shows, read in one trip to the database."""

    since: datetime
    unmet_queries: list[UnmetQuery]
    demand_by_category: dict[str, int]
    demand_by_language: dict[str, int]
    crisis_count: int
    reports_per_service: list[ServiceReports]
    searches_per_day: dict[date, int]


# --- Time -----------------------------------------------------------------------------
# Stored times are UTC ISO strings of one fixed shape, so text order is time order.


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got naive {moment!r}")
    return moment.astimezone(UTC)


def _hour_text(moment: datetime) -> str:
    """The hour a moment falls in: the search log's and the reports' resolution."""
    return _utc(moment).replace(minute=0, second=0, microsecond=0).isoformat()


def _second_text(moment: datetime) -> str:
    return _utc(moment).replace(microsecond=0).isoformat()


def _unordered_id() -> int:
    """A random row id for the anonymous tables (search log, reports).

    Counting ids would keep the order in which rows were written, and the quick-exit table
    (chat id, message id) keeps its own order: side by side, the two orders would tell
    whose search each log row was. Random ids keep no order; a clash is a 1 in 2**63 event.
    """
    return secrets.randbits(63)


def _loggable_query(query: str) -> str | None:
    """Collapse whitespace; drop the text of anything too long to be a search term."""
    collapsed = " ".join(query.split())
    if not collapsed or len(collapsed) > MAX_LOGGED_QUERY_CHARS:
        return None
    return collapsed


# --- The SQL, run only on the executor thread -----------------------------------------


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
    except sqlite3.Error as error:
        conn.close()
        raise StorageError(f"cannot open the database {path}: {error}") from error
    return db


class _Queries:
    """Every statement the store runs; called only on the store's executor thread."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # users

    def get_language(self, user_id: int) -> str | None:
        row = self.db.execute("SELECT language FROM users WHERE user_id = ?", [user_id]).fetchone()
        return None if row is None else row[0]

    def language_choices(self) -> dict[int, str]:
        return dict(
            self.db.execute("SELECT user_id, language FROM users WHERE language IS NOT NULL")
        )

    def set_language(self, user_id: int, code: str | None) -> None:
        self.db.table("users").upsert({"user_id": user_id, "language": code}, pk="user_id")

    def touch(self, user_id: int, day: date) -> None:
        # Never move the day backwards when calls arrive out of order.
        self.db.execute(
            "INSERT INTO users (user_id, last_seen_day) VALUES (?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET last_seen_day = excluded.last_seen_day "
            "WHERE last_seen_day IS NULL OR last_seen_day < excluded.last_seen_day",
            [user_id, day.isoformat()],
        )

    def forget_user(self, user_id: int) -> ForgetResult:
        with self.db.atomic():
            users = self.db.execute("DELETE FROM users WHERE user_id = ?", [user_id]).rowcount
            # In a private chat the chat id is the user id.
            messages = self.db.execute(
                "DELETE FROM chat_messages WHERE chat_id = ?", [user_id]
            ).rowcount
        # Copy the zeroed pages into the file and empty the WAL, which still holds old copies.
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return ForgetResult(users=users, chat_messages=messages)

    # search log and reports

    def log_search(
        self,
        query: str,
        language: str,
        categories: Sequence[str],
        result_count: int,
        top_score: float | None,
        crisis: bool,
        when: datetime,
    ) -> None:
        # Plain SQL rather than Table.insert: this runs for every search, and insert()
        # looks up the table's columns and opens a savepoint each time.
        self.db.execute(
            "INSERT INTO search_log "
            "(id, query, language, categories, result_count, top_score, crisis, hour) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                _unordered_id(),
                _loggable_query(query),
                language,
                json.dumps(sorted(set(categories))),
                result_count,
                top_score,
                int(crisis),
                _hour_text(when),
            ],
        )

    def purge_search_log(self, older_than: datetime) -> int:
        return self.db.execute(
            "DELETE FROM search_log WHERE hour < ?", [_hour_text(older_than)]
        ).rowcount

    def add_report(self, service_id: str, kind: str, when: datetime) -> None:
        self.db.table("reports").insert(
            {
                "id": _unordered_id(),
                "service_id": service_id,
                "kind": kind,
                "created_at": _hour_text(when),
            }
        )

    def recent_reports(self, limit: int) -> list[Report]:
        rows = self.db.query(
            "SELECT service_id, kind, created_at FROM reports "
            "ORDER BY created_at DESC, service_id, kind "
            "LIMIT ?",
            [limit],
        )
        return [
            Report(row["service_id"], row["kind"], datetime.fromisoformat(row["created_at"]))
            for row in rows
        ]

    # chat messages for /clear

    def track_messages(self, chat_id: int, message_ids: Sequence[int], when: datetime) -> None:
        sent_at = _second_text(when)
        for message_id in message_ids:  # one to three per answer
            self.db.execute(
                "INSERT OR IGNORE INTO chat_messages (chat_id, message_id, sent_at) "
                "VALUES (?, ?, ?)",
                [chat_id, message_id, sent_at],
            )

    def messages_to_clear(self, chat_id: int, now: datetime) -> list[int]:
        rows = self.db.execute(
            "SELECT message_id FROM chat_messages WHERE chat_id = ? AND sent_at > ? "
            "ORDER BY message_id",
            [chat_id, _second_text(now - CHAT_MESSAGE_LIFETIME)],
        )
        return [message_id for (message_id,) in rows]

    def forget_messages(self, chat_id: int, message_ids: Sequence[int]) -> int:
        with self.db.atomic():
            return sum(
                self.db.execute(
                    "DELETE FROM chat_messages WHERE chat_id = ? AND message_id = ?",
                    [chat_id, message_id],
                ).rowcount
                for message_id in message_ids
            )

    def purge_expired(self, now: datetime) -> int:
        return self.db.execute(
            "DELETE FROM chat_messages WHERE sent_at <= ?",
            [_second_text(now - CHAT_MESSAGE_LIFETIME)],
        ).rowcount

    def housekeeping(self, now: datetime, search_log_retention: timedelta) -> HousekeepingResult:
        with self.db.atomic():
            messages = self.purge_expired(now)
            searches = self.purge_search_log(now - search_log_retention)
            users = self.db.execute(
                "DELETE FROM users WHERE last_seen_day < ?",
                [(_utc(now) - USER_RETENTION).date().isoformat()],
            ).rowcount
        return HousekeepingResult(chat_messages=messages, search_log=searches, users=users)

    # staff statistics

    def unmet_queries(self, since: datetime, min_count: int, weak_score: float) -> list[UnmetQuery]:
        if min_count < UNMET_MIN_COUNT:
            raise ValueError(
                f"min_count must be at least {UNMET_MIN_COUNT}, so that no single person's "
                f"words are shown (got {min_count})"
            )
        rows = self.db.query(
            "SELECT query, count(*) AS searches, group_concat(DISTINCT language) AS languages "
            "FROM search_log "
            "WHERE hour >= :since AND query IS NOT NULL "
            "AND (result_count = 0 OR top_score IS NULL OR top_score < :weak) "
            "GROUP BY query HAVING count(*) >= :min_count "
            "ORDER BY searches DESC, query",
            {"since": _hour_text(since), "weak": weak_score, "min_count": min_count},
        )
        return [
            UnmetQuery(row["query"], row["searches"], tuple(sorted(row["languages"].split(","))))
            for row in rows
        ]

    def demand_by_category(self, since: datetime) -> dict[str, int]:
        rows = self.db.execute(
            "SELECT category.value, count(*) AS searches "
            "FROM search_log, json_each(search_log.categories) AS category "
            "WHERE hour >= ? GROUP BY category.value ORDER BY searches DESC, category.value",
            [_hour_text(since)],
        )
        return dict(rows.fetchall())

    def demand_by_language(self, since: datetime) -> dict[str, int]:
        rows = self.db.execute(
            "SELECT language, count(*) AS searches FROM search_log WHERE hour >= ? "
            "GROUP BY language ORDER BY searches DESC, language",
            [_hour_text(since)],
        )
        return dict(rows.fetchall())

    def crisis_count(self, since: datetime) -> int:
        return self.db.table("search_log").count_where(
            "hour >= ? AND crisis = 1", [_hour_text(since)]
        )

    def reports_per_service(self, since: datetime) -> list[ServiceReports]:
        rows = self.db.execute(
            "SELECT service_id, kind, count(*) FROM reports WHERE created_at >= ? "
            "GROUP BY service_id, kind",
            [_hour_text(since)],
        )
        by_service: dict[str, dict[str, int]] = {}
        for service_id, kind, count in rows:
            by_service.setdefault(service_id, {})[kind] = count
        summaries = [
            ServiceReports(service_id, sum(kinds.values()), dict(sorted(kinds.items())))
            for service_id, kinds in by_service.items()
        ]
        return sorted(summaries, key=lambda s: (-s.total, s.service_id))

    def searches_per_day(self, since: datetime, tz: tzinfo) -> dict[date, int]:
        # Count per stored hour, then fold hours into the staff's local days in Python.
        rows = self.db.execute(
            "SELECT hour, count(*) FROM search_log WHERE hour >= ? GROUP BY hour ORDER BY hour",
            [_hour_text(since)],
        )
        per_day: dict[date, int] = {}
        for hour, count in rows:
            day = datetime.fromisoformat(hour).astimezone(tz).date()
            per_day[day] = per_day.get(day, 0) + count
        return per_day

    def usage_report(
        self, since: datetime, min_count: int, weak_score: float, tz: tzinfo
    ) -> UsageReport:
        return UsageReport(
            since=since,
            unmet_queries=self.unmet_queries(since, min_count, weak_score),
            demand_by_category=self.demand_by_category(since),
            demand_by_language=self.demand_by_language(since),
            crisis_count=self.crisis_count(since),
            reports_per_service=self.reports_per_service(since),
            searches_per_day=self.searches_per_day(since, tz),
        )


class _SeenToday:
    """The users whose last-seen day is already stored for the newest day touched.

    Read on the event loop, written on the executor thread: single set and attribute
    operations are atomic in CPython, and the set is replaced when the day changes, so
    it never holds more than one day's users.
    """

    def __init__(self) -> None:
        self.day: date | None = None
        self.users: set[int] = set()

    def contains(self, user_id: int, day: date) -> bool:
        return day == self.day and user_id in self.users

    def add(self, user_id: int, day: date) -> None:
        if self.day is None or day > self.day:
            # Set before day, so a reader never pairs the new day with the old users.
            self.users = set()
            self.day = day
        if day == self.day:
            self.users.add(user_id)

    def discard(self, user_id: int) -> None:
        self.users.discard(user_id)


# --- The public store -----------------------------------------------------------------


class Store:
    """The bot's database: await its methods in the bot, use ``*_sync`` ones in the CLI.

    Create it with :meth:`Store.open`; close it with :meth:`close` or :meth:`close_sync`
    (or use it as a context manager) so that the WAL is checkpointed into the file.
    """

    def __init__(self, path: Path, db: Database, executor: ThreadPoolExecutor) -> None:
        """Use :meth:`Store.open`; this only wires together an already opened database."""
        self.path = path
        self._db = db
        self._queries = _Queries(db)
        self._executor = executor
        self._seen_today = _SeenToday()
        self._closed = False
        # Only people who picked a language in the menu are here (a few percent of users), so
        # the question asked for every update, "did this person choose a language?", needs no
        # trip to the database; writes go to the table first, then here.
        self._languages: dict[int, str] = executor.submit(self._queries.language_choices).result()
        self._deferred: list[Callable[[], object]] = []
        self._flush_timer: asyncio.TimerHandle | None = None
        self._flush_task: asyncio.Task[None] | None = None

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
        if self._closed:
            return
        writes = self._take_deferred()
        self._closed = True
        await asyncio.get_running_loop().run_in_executor(
            self._executor, self._apply_then, writes, self._db.close
        )
        self._executor.shutdown(wait=True)

    def close_sync(self) -> None:
        """Like :meth:`close`, for code that has no event loop (the CLI, tests)."""
        if self._closed:
            return
        writes = self._take_deferred()
        self._closed = True
        self._executor.submit(self._apply_then, writes, self._db.close).result()
        self._executor.shutdown(wait=True)

    async def flush(self) -> None:
        """Write what is waiting now (tests and shutdown; the bot never needs to call it)."""
        await self._run(_nothing)

    def _defer(self, method: Callable[P, object], /, *args: P.args, **kwargs: P.kwargs) -> None:
        """Queue a write for the next trip to the database (see WRITE_BEHIND_SECONDS)."""
        self._check_open()
        self._deferred.append(functools.partial(method, *args, **kwargs))
        loop = asyncio.get_running_loop()
        if len(self._deferred) >= MAX_DEFERRED_WRITES:
            self._start_flush()
        elif self._flush_timer is None:
            self._flush_timer = loop.call_later(WRITE_BEHIND_SECONDS, self._start_flush)

    def _start_flush(self) -> None:
        self._flush_timer = None
        if self._deferred and not self._closed:
            # Keep a reference: the loop holds tasks only weakly.
            self._flush_task = asyncio.get_running_loop().create_task(self.flush())

    def _take_deferred(self) -> list[Callable[[], object]]:
        if self._flush_timer is not None:
            self._flush_timer.cancel()
            self._flush_timer = None
        writes, self._deferred = self._deferred, []
        return writes

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

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close_sync()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

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
            self._take_deferred(),
            functools.partial(method, *args, **kwargs),
        )

    def _run_sync(self, method: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run one query method on the executor and block until it is done."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            name = method.__name__.lstrip("_")
            raise RuntimeError(f"{name}_sync would block the event loop; await {name}() instead")
        self._check_open()
        call = functools.partial(method, *args, **kwargs)
        return self._executor.submit(self._apply_then, self._take_deferred(), call).result()

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
        """/delete: remove every row about the user (their row and their private chat's
        tracked messages) and overwrite the freed space. Rate-limit data is never stored."""
        return await self._run(self._forget_user, user_id)

    def forget_user_sync(self, user_id: int) -> ForgetResult:
        """:meth:`forget_user` for staff handling a deletion request outside the bot."""
        return self._run_sync(self._forget_user, user_id)

    def _forget_user(self, user_id: int) -> ForgetResult:
        self._seen_today.discard(user_id)
        result = self._queries.forget_user(user_id)
        self._languages.pop(user_id, None)
        return result

    # search log

    async def log_search(
        self,
        *,
        query: str,
        language: str,
        categories: Iterable[str],
        result_count: int,
        top_score: float | None,
        crisis: bool,
        when: datetime,
    ) -> None:
        """Add one anonymous row to the search log for the staff's unmet-needs report.

        ``query`` is the search module's normalised text; texts longer than
        ``MAX_LOGGED_QUERY_CHARS`` are logged without it. ``when`` is kept to the hour.
        """
        self._defer(
            self._queries.log_search,
            query,
            language,
            tuple(categories),
            result_count,
            top_score,
            crisis,
            _utc(when),
        )

    async def purge_search_log(self, older_than: datetime) -> int:
        """Delete log rows from hours before ``older_than``; returns how many went."""
        return await self._run(self._queries.purge_search_log, _utc(older_than))

    # wrong-information reports

    async def add_report(self, service_id: str, kind: str, when: datetime) -> None:
        """Record that someone says ``service_id`` is wrong in the way ``kind`` names.

        :raises ValueError: if ``kind`` is not one of ``REPORT_KINDS``
        """
        if kind not in REPORT_KINDS:
            expected = ", ".join(sorted(REPORT_KINDS))
            raise ValueError(f"unknown report kind {kind!r}; expected one of {expected}")
        await self._run(self._queries.add_report, service_id, kind, _utc(when))

    async def recent_reports(self, limit: int = 20) -> list[Report]:
        """The newest reports first, for staff to check."""
        return await self._run(self._queries.recent_reports, limit)

    def recent_reports_sync(self, limit: int = 20) -> list[Report]:
        """:meth:`recent_reports` for the CLI."""
        return self._run_sync(self._queries.recent_reports, limit)

    # chat messages for /clear

    async def track_messages(
        self, chat_id: int, message_ids: Iterable[int], when: datetime
    ) -> None:
        """Remember message ids in a private chat that /clear may delete later.

        :raises ValueError: for a group or channel (chat id <= 0): /clear is for private chats
        """
        if chat_id <= 0:
            raise ValueError(f"only private chats are tracked, got chat id {chat_id}")
        self._defer(self._queries.track_messages, chat_id, tuple(message_ids), _utc(when))

    async def messages_to_clear(self, chat_id: int, now: datetime) -> list[int]:
        """The chat's tracked message ids still young enough for Telegram to delete."""
        return await self._run(self._queries.messages_to_clear, chat_id, _utc(now))

    async def forget_messages(self, chat_id: int, message_ids: Iterable[int]) -> int:
        """Stop tracking messages (deleted, or no longer deletable); returns how many."""
        return await self._run(self._queries.forget_messages, chat_id, tuple(message_ids))

    async def purge_expired(self, now: datetime) -> int:
        """Delete tracked messages too old to delete in Telegram; returns how many."""
        return await self._run(self._queries.purge_expired, _utc(now))

    # housekeeping

    async def housekeeping(
        self, now: datetime, *, search_log_retention: timedelta = SEARCH_LOG_RETENTION
    ) -> HousekeepingResult:
        """Purge expired chat messages, search log rows older than ``search_log_retention``
        and users not seen for USER_RETENTION. Meant to run hourly."""
        return await self._run(self._housekeeping, _utc(now), search_log_retention)

    def housekeeping_sync(
        self, now: datetime, *, search_log_retention: timedelta = SEARCH_LOG_RETENTION
    ) -> HousekeepingResult:
        """:meth:`housekeeping` for the CLI or a cron job."""
        return self._run_sync(self._housekeeping, _utc(now), search_log_retention)

    def _housekeeping(self, now: datetime, search_log_retention: timedelta) -> HousekeepingResult:
        result = self._queries.housekeeping(now, search_log_retention)
        if result.users:
            self._languages = self._queries.language_choices()
        return result

    # staff statistics

    async def unmet_queries(
        self,
        since: datetime,
        min_count: int = UNMET_MIN_COUNT,
        weak_score: float = WEAK_TOP_SCORE,
    ) -> list[UnmetQuery]:
        """Searches since ``since`` that found nothing or only weak matches, grouped by
        query and shown only when at least ``min_count`` searches share the words.

        :raises ValueError: if ``min_count`` is below ``UNMET_MIN_COUNT``
        """
        return await self._run(self._queries.unmet_queries, _utc(since), min_count, weak_score)

    async def demand_by_category(self, since: datetime) -> dict[str, int]:
        """Searches per matched category, most asked first."""
        return await self._run(self._queries.demand_by_category, _utc(since))

    async def demand_by_language(self, since: datetime) -> dict[str, int]:
        """Searches per conversation language, most used first."""
        return await self._run(self._queries.demand_by_language, _utc(since))

    async def crisis_count(self, since: datetime) -> int:
        """How many searches showed the crisis help."""
        return await self._run(self._queries.crisis_count, _utc(since))

    async def reports_per_service(self, since: datetime) -> list[ServiceReports]:
        """Wrong-information reports per service, most reported first."""
        return await self._run(self._queries.reports_per_service, _utc(since))

    async def searches_per_day(self, since: datetime, tz: tzinfo = UTC) -> dict[date, int]:
        """Searches per day in ``tz`` (the city's zone for staff), oldest day first."""
        return await self._run(self._queries.searches_per_day, _utc(since), tz)

    async def usage_report(
        self,
        since: datetime,
        *,
        min_count: int = UNMET_MIN_COUNT,
        weak_score: float = WEAK_TOP_SCORE,
        tz: tzinfo = UTC,
    ) -> UsageReport:
        """All the statistics above in one trip, for /stats.

        ``since`` is rounded down to the hour, the log's resolution.
        """
        return await self._run(self._queries.usage_report, _utc(since), min_count, weak_score, tz)

    def usage_report_sync(
        self,
        since: datetime,
        *,
        min_count: int = UNMET_MIN_COUNT,
        weak_score: float = WEAK_TOP_SCORE,
        tz: tzinfo = UTC,
    ) -> UsageReport:
        """:meth:`usage_report` for ``python -m bot stats``."""
        return self._run_sync(self._queries.usage_report, _utc(since), min_count, weak_score, tz)


def _nothing() -> None:
    """A trip to the database that only applies the waiting writes."""
