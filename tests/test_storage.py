"""Tests for bot.store.store on real SQLite files in tmp_path."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlite_utils import Database, Migrations

from bot.store.store import (
    CHAT_MESSAGE_LIFETIME,
    MAX_LOGGED_QUERY_CHARS,
    MIGRATIONS,
    SEARCH_LOG_RETENTION,
    USER_RETENTION,
    ForgetResult,
    HousekeepingResult,
    Report,
    ServiceReports,
    StorageError,
    Store,
    UnmetQuery,
    m001_initial,
)

NOW = datetime(2026, 11, 21, 14, 37, 12, 345678, tzinfo=UTC)
TODAY = NOW.date()
# A realistic Telegram id that cannot collide with row ids, counts or message ids below.
ALICE = 987_654_321
BOB = 123_456_789


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "db" / "wegweiser.db"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    store = Store.open(db_path)
    yield store
    await store.close()


@pytest.fixture
def sync_store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path) as store:
        yield store


def rows(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Read the file through a second, independent connection, as another process would."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def sqlite_varint(number: int) -> bytes:
    """SQLite's varint for numbers below 2**56: 7 bits a byte, high bit on all but the last."""
    groups = []
    while True:
        groups.insert(0, number & 0x7F)
        number >>= 7
        if not number:
            break
    return bytes([0x80 | g for g in groups[:-1]] + [groups[-1]])


async def log(
    store: Store,
    query: str = "essen",
    *,
    language: str = "de",
    categories: tuple[str, ...] = ("food",),
    result_count: int = 0,
    top_score: float | None = None,
    crisis: bool = False,
    when: datetime = NOW,
) -> None:
    await store.log_search(
        query=query,
        language=language,
        categories=categories,
        result_count=result_count,
        top_score=top_score,
        crisis=crisis,
        when=when,
    )


# --- opening, migrations ----------------------------------------------------------------


def test_open_creates_folder_file_and_wal(db_path: Path) -> None:
    Store.open(db_path).close_sync()

    assert db_path.is_file()
    assert rows(db_path, "PRAGMA journal_mode") == [("wal",)]
    tables = rows(db_path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    assert tables == [
        ("_sqlite_migrations",),
        ("chat_messages",),
        ("reports",),
        ("search_log",),
        ("users",),
    ]


def test_reopen_applies_migrations_once(db_path: Path) -> None:
    for _ in range(3):
        Store.open(db_path).close_sync()

    applied = rows(db_path, "SELECT migration_set, name FROM _sqlite_migrations")
    assert applied == [("wegweiser", "m001_initial")]


async def test_reopen_keeps_rows(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await store.set_language(ALICE, "uk")
    async with Store.open(db_path) as store:
        assert await store.get_language(ALICE) == "uk"


def test_a_v1_database_gets_a_later_migration_and_keeps_its_rows(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.housekeeping_sync(NOW)
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO users (user_id, language) VALUES (?, 'fa')", (ALICE,))
    conn.commit()
    conn.close()

    # The next release: the same set with one migration added, as MIGRATIONS' comment shows.
    next_release = Migrations(MIGRATIONS.name)
    next_release(name="m001_initial")(m001_initial)

    @next_release(name="m002_search_log_language")
    def m002_search_log_language(db: Database) -> None:
        db.table("search_log").create_index(["language"])

    db = Database(sqlite3.connect(db_path))
    assert [m.name for m in next_release.pending(db)] == ["m002_search_log_language"]
    next_release.apply(db)
    next_release.apply(db)
    db.close()

    assert rows(db_path, "SELECT name FROM _sqlite_migrations ORDER BY id") == [
        ("m001_initial",),
        ("m002_search_log_language",),
    ]
    assert rows(db_path, "SELECT user_id, language FROM users") == [(ALICE, "fa")]
    indexes = rows(db_path, "SELECT name FROM sqlite_master WHERE tbl_name = 'search_log'")
    assert ("idx_search_log_language",) in indexes
    with Store.open(db_path) as store:  # the current code opens the migrated file too
        assert store.recent_reports_sync() == []


def garbage_file(tmp_path: Path) -> Path:
    path = tmp_path / "garbage.db"
    path.write_bytes(b"not sqlite" * 100)
    return path


def a_folder(tmp_path: Path) -> Path:
    path = tmp_path / "folder.db"
    path.mkdir()
    return path


def under_a_file(tmp_path: Path) -> Path:
    (tmp_path / "file").write_text("x")
    return tmp_path / "file" / "wegweiser.db"


@pytest.mark.parametrize(
    ("make_bad_path", "reason"),
    [
        (garbage_file, "file is not a database"),
        (a_folder, "unable to open database file"),
        (under_a_file, "file is not a folder"),
    ],
)
def test_open_raises_storage_error_naming_the_path(
    tmp_path: Path, make_bad_path: Callable[[Path], Path], reason: str
) -> None:
    bad = make_bad_path(tmp_path)

    with pytest.raises(StorageError) as error:
        Store.open(bad)

    assert str(error.value).startswith(f"cannot open the database {bad}: ")
    assert reason in str(error.value)


async def test_a_closed_store_refuses_work_and_closes_twice(db_path: Path) -> None:
    store = Store.open(db_path)
    await store.close()
    await store.close()
    store.close_sync()

    with pytest.raises(StorageError, match=f"the store for {db_path} is closed"):
        await store.get_language(ALICE)


def test_storage_leaves_telegram_out() -> None:
    code = "import sys, bot.store.store; print('telegram' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout == "False\n"


# --- users ------------------------------------------------------------------------------


async def test_language_choice(store: Store) -> None:
    assert await store.get_language(ALICE) is None

    await store.set_language(ALICE, "ar")
    await store.set_language(ALICE, "fa")
    assert await store.get_language(ALICE) == "fa"
    assert await store.get_language(BOB) is None

    await store.set_language(ALICE, None)
    assert await store.get_language(ALICE) is None


async def test_set_language_keeps_last_seen_day(store: Store, db_path: Path) -> None:
    await store.touch(ALICE, TODAY)
    await store.set_language(ALICE, "ru")

    assert rows(db_path, "SELECT * FROM users") == [(ALICE, "ru", "2026-11-21")]


async def test_touch_writes_once_a_day_and_never_goes_back(db_path: Path) -> None:
    statements: list[str] = []
    async with Store.open(db_path, tracer=lambda sql, params: statements.append(sql)) as store:
        await store.touch(ALICE, TODAY)
        await store.flush()
        written = len(statements)
        await store.touch(ALICE, TODAY)
        await store.touch(ALICE, TODAY)
        assert len(statements) == written  # answered from memory

        await store.touch(ALICE, TODAY - timedelta(days=3))
        await store.flush()
        assert rows(db_path, "SELECT last_seen_day FROM users") == [("2026-11-21",)]

        await store.touch(ALICE, TODAY + timedelta(days=1))
        await store.flush()
        assert rows(db_path, "SELECT last_seen_day FROM users") == [("2026-11-22",)]


async def test_forget_user_deletes_every_trace(store: Store, db_path: Path) -> None:
    for user in (ALICE, BOB):
        await store.set_language(user, "uk")
        await store.touch(user, TODAY)
        await store.track_messages(user, [11, 12, 13], NOW)
    await log(store, "tafel")
    await store.add_report("tafel-mitte", "wrong-hours", NOW)

    result = await store.forget_user(ALICE)

    assert result == ForgetResult(users=1, chat_messages=3)
    assert result.total == 4
    assert await store.get_language(ALICE) is None
    assert await store.messages_to_clear(ALICE, NOW) == []
    assert await store.get_language(BOB) == "uk"
    assert await store.messages_to_clear(BOB, NOW) == [11, 12, 13]
    assert await store.forget_user(ALICE) == ForgetResult(users=0, chat_messages=0)

    conn = sqlite3.connect(db_path)
    tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    hits = []
    for table in tables:
        for column in [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]:
            sql = f'SELECT count(*) FROM "{table}" WHERE CAST("{column}" AS TEXT) LIKE ?'
            if conn.execute(sql, (f"%{ALICE}%",)).fetchone()[0]:
                hits.append(f"{table}.{column}")
    conn.close()
    assert hits == []


async def test_forget_user_leaves_no_bytes_in_the_files(store: Store, db_path: Path) -> None:
    # Rows keep the id as 4 big-endian bytes; the users table keys it as a rowid varint.
    record_bytes = ALICE.to_bytes(4, "big")
    varint_bytes = sqlite_varint(ALICE)
    await store.set_language(ALICE, "uk")
    await store.track_messages(ALICE, range(1, 40), NOW)

    def on_disk() -> bytes:
        files = [db_path, db_path.with_name(db_path.name + "-wal")]
        return b"".join(f.read_bytes() for f in files if f.exists())

    assert record_bytes in on_disk()
    assert varint_bytes in on_disk()

    await store.forget_user(ALICE)

    assert record_bytes not in on_disk()
    assert varint_bytes not in on_disk()


async def test_touch_after_forget_records_the_user_again(store: Store, db_path: Path) -> None:
    await store.touch(ALICE, TODAY)
    await store.forget_user(ALICE)
    await store.touch(ALICE, TODAY)
    await store.flush()

    assert rows(db_path, "SELECT * FROM users") == [(ALICE, None, "2026-11-21")]


def test_forget_user_sync(sync_store: Store) -> None:
    assert sync_store.forget_user_sync(ALICE) == ForgetResult(users=0, chat_messages=0)


# --- search log -------------------------------------------------------------------------


async def test_log_search_stores_an_anonymous_row(store: Store, db_path: Path) -> None:
    await log(
        store,
        "  arzt   ohne  versicherung ",
        language="ar",
        categories=("health", "health", "counselling"),
        result_count=4,
        top_score=91.5,
        crisis=True,
        when=datetime(2026, 11, 21, 15, 59, 59, tzinfo=ZoneInfo("Europe/Berlin")),
    )
    await store.flush()

    ((row_id,),) = rows(db_path, "SELECT id FROM search_log")
    assert 0 < row_id < 2**63
    columns = "query, language, categories, result_count, top_score, crisis, hour"
    assert rows(db_path, f"SELECT {columns} FROM search_log") == [
        (
            "arzt ohne versicherung",
            "ar",
            '["counselling", "health"]',
            4,
            91.5,
            1,
            "2026-11-21T14:00:00+00:00",
        )
    ]


async def test_log_rows_keep_no_order_that_could_pair_them_with_chats(
    store: Store, db_path: Path
) -> None:
    """/clear's table keeps (chat, message) in writing order; the log must not keep its own,
    or the n-th log row would be the n-th person's search."""
    queries = [f"frage {number:02d}" for number in range(20)]
    for number, query in enumerate(queries):
        await store.track_messages(ALICE + number, [1], NOW)
        await log(store, query)
        await store.add_report(f"service-{number:02d}", "closed", NOW)
    await store.flush()
    by_id = [query for (query,) in rows(db_path, "SELECT query FROM search_log ORDER BY id")]
    assert sorted(by_id) == queries
    assert by_id != queries  # 1 in 20! to fail by chance
    reported = [
        service for (service,) in rows(db_path, "SELECT service_id FROM reports ORDER BY id")
    ]
    assert reported != sorted(reported)


def test_search_log_and_reports_have_no_person_columns(sync_store: Store, db_path: Path) -> None:
    def columns(table: str) -> list[str]:
        return [row[1] for row in rows(db_path, f'PRAGMA table_info("{table}")')]

    assert columns("search_log") == [
        "id",
        "query",
        "language",
        "categories",
        "result_count",
        "top_score",
        "crisis",
        "hour",
    ]
    assert columns("reports") == ["id", "service_id", "kind", "created_at"]
    assert columns("chat_messages") == ["chat_id", "message_id", "sent_at"]
    assert columns("users") == ["user_id", "language", "last_seen_day"]


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        ("x" * MAX_LOGGED_QUERY_CHARS, "x" * MAX_LOGGED_QUERY_CHARS),
        ("x" * (MAX_LOGGED_QUERY_CHARS + 1), None),
        ("ich heiße anna müller und wohne in der bahnhofstraße 12, ich brauche hilfe", None),
        ("   ", None),
    ],
    ids=["at-limit", "over-limit", "story", "blank"],
)
async def test_long_queries_are_logged_without_text(
    store: Store, db_path: Path, query: str, stored: str | None
) -> None:
    await log(store, query)
    await store.flush()

    assert rows(db_path, "SELECT query, language FROM search_log") == [(stored, "de")]


async def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        await log(store, when=NOW.replace(tzinfo=None))


async def test_purge_search_log(store: Store, db_path: Path) -> None:
    for hours_ago in (3, 2, 1, 0):
        await log(store, f"q{hours_ago}", when=NOW - timedelta(hours=hours_ago))

    # The row for 13:00 also holds searches after 13:37, so it stays.
    assert await store.purge_search_log(NOW - timedelta(hours=1)) == 2
    assert rows(db_path, "SELECT query FROM search_log ORDER BY hour") == [("q1",), ("q0",)]


# --- reports ----------------------------------------------------------------------------


async def test_reports_newest_first(store: Store) -> None:
    await store.add_report("tafel-mitte", "wrong-hours", NOW - timedelta(days=2))
    await store.add_report("kleiderkammer", "closed", NOW)
    await store.add_report("schuldnerberatung", "wrong-phone", NOW - timedelta(hours=5))

    assert await store.recent_reports(2) == [
        Report("kleiderkammer", "closed", datetime(2026, 11, 21, 14, tzinfo=UTC)),
        Report("schuldnerberatung", "wrong-phone", datetime(2026, 11, 21, 9, tzinfo=UTC)),
    ]


async def test_unknown_report_kind_is_refused(store: Store) -> None:
    with pytest.raises(
        ValueError,
        match="unknown report kind 'rude'; expected one of closed, other, wrong-address, ",
    ):
        await store.add_report("tafel-mitte", "rude", NOW)


# --- chat messages for /clear -----------------------------------------------------------


async def test_messages_to_clear_only_younger_than_48_hours(store: Store) -> None:
    await store.track_messages(ALICE, [1, 2], NOW - CHAT_MESSAGE_LIFETIME)
    await store.track_messages(ALICE, [3], NOW - CHAT_MESSAGE_LIFETIME + timedelta(seconds=1))
    await store.track_messages(ALICE, [5, 4, 4], NOW)
    await store.track_messages(BOB, [6], NOW)

    assert await store.messages_to_clear(ALICE, NOW) == [3, 4, 5]
    assert await store.messages_to_clear(BOB, NOW) == [6]


async def test_forget_messages(store: Store) -> None:
    await store.track_messages(ALICE, [1, 2, 3], NOW)
    await store.track_messages(BOB, [2], NOW)

    assert await store.forget_messages(ALICE, [2, 3, 99]) == 2
    assert await store.messages_to_clear(ALICE, NOW) == [1]
    assert await store.messages_to_clear(BOB, NOW) == [2]


async def test_purge_expired(store: Store, db_path: Path) -> None:
    await store.track_messages(ALICE, [1], NOW - CHAT_MESSAGE_LIFETIME)
    await store.track_messages(ALICE, [2], NOW - timedelta(hours=47))

    assert await store.purge_expired(NOW) == 1
    assert rows(db_path, "SELECT message_id FROM chat_messages") == [(2,)]


@pytest.mark.parametrize("chat_id", [-1001234567890, 0])
async def test_only_private_chats_are_tracked(store: Store, chat_id: int) -> None:
    with pytest.raises(ValueError, match=f"only private chats are tracked, got chat id {chat_id}"):
        await store.track_messages(chat_id, [1], NOW)


# --- housekeeping -----------------------------------------------------------------------


async def test_housekeeping(store: Store, db_path: Path) -> None:
    await store.track_messages(ALICE, [1], NOW - CHAT_MESSAGE_LIFETIME - timedelta(minutes=1))
    await store.track_messages(ALICE, [2], NOW)
    await log(store, "old", when=NOW - SEARCH_LOG_RETENTION - timedelta(hours=1))
    await log(store, "new", when=NOW - SEARCH_LOG_RETENTION + timedelta(hours=1))
    await store.touch(ALICE, (NOW - USER_RETENTION).date() - timedelta(days=1))
    await store.touch(BOB, (NOW - USER_RETENTION).date())
    await store.set_language(12345, "en")  # never touched: kept, there is no day to judge

    assert await store.housekeeping(NOW) == HousekeepingResult(
        chat_messages=1, search_log=1, users=1
    )
    assert rows(db_path, "SELECT message_id FROM chat_messages") == [(2,)]
    assert rows(db_path, "SELECT query FROM search_log") == [("new",)]
    assert rows(db_path, "SELECT user_id FROM users ORDER BY user_id") == [(12345,), (BOB,)]


def test_housekeeping_sync(sync_store: Store) -> None:
    assert sync_store.housekeeping_sync(NOW) == HousekeepingResult(0, 0, 0)


# --- staff statistics -------------------------------------------------------------------


async def test_unmet_queries_need_three_searches(store: Store) -> None:
    for language in ("ar", "de", "ar"):
        await log(store, "deutschkurs kostenlos", language=language)
    for _ in range(2):
        await log(store, "anna müller", language="de")  # two people: never shown
    for score in (30.0, 59.9, 10.0):
        await log(store, "zahnarzt", language="uk", result_count=2, top_score=score)
    for _ in range(5):
        await log(store, "tafel", result_count=3, top_score=60.0)  # good enough: met

    assert await store.unmet_queries(NOW - timedelta(days=1)) == [
        UnmetQuery("deutschkurs kostenlos", 3, ("ar", "de")),
        UnmetQuery("zahnarzt", 3, ("uk",)),
    ]
    assert await store.unmet_queries(NOW - timedelta(days=1), min_count=4) == []
    assert await store.unmet_queries(NOW - timedelta(days=1), weak_score=61.0) == [
        UnmetQuery("tafel", 5, ("de",)),
        UnmetQuery("deutschkurs kostenlos", 3, ("ar", "de")),
        UnmetQuery("zahnarzt", 3, ("uk",)),
    ]
    assert await store.unmet_queries(NOW + timedelta(hours=1)) == []


async def test_unmet_queries_cannot_expose_single_searches(store: Store) -> None:
    with pytest.raises(ValueError, match="min_count must be at least 3"):
        await store.unmet_queries(NOW, min_count=1)


async def test_demand_statistics(store: Store) -> None:
    since = NOW - timedelta(days=7)
    await log(store, "essen", language="uk", categories=("food",))
    await log(store, "essen und bett", language="ar", categories=("food", "shelter"))
    await log(store, "hilfe", language="ar", categories=(), crisis=True)
    await log(store, "bett", language="ar", categories=("shelter",), crisis=True)
    await log(store, "alt", language="ru", categories=("food",), when=since - timedelta(hours=1))

    assert await store.demand_by_category(since) == {"food": 2, "shelter": 2}
    assert list(await store.demand_by_language(since)) == ["ar", "uk"]
    assert await store.demand_by_language(since) == {"ar": 3, "uk": 1}
    assert await store.crisis_count(since) == 2


async def test_reports_per_service(store: Store) -> None:
    for kind in ("wrong-hours", "wrong-hours", "closed"):
        await store.add_report("tafel-mitte", kind, NOW)
    await store.add_report("kleiderkammer", "wrong-phone", NOW)
    await store.add_report("alt", "other", NOW - timedelta(days=40))

    assert await store.reports_per_service(NOW - timedelta(days=30)) == [
        ServiceReports("tafel-mitte", 3, {"closed": 1, "wrong-hours": 2}),
        ServiceReports("kleiderkammer", 1, {"wrong-phone": 1}),
    ]


async def test_searches_per_day_in_the_city_zone(store: Store) -> None:
    # 23:30 UTC on 20 Nov is 00:30 on 21 Nov in Berlin.
    await log(store, when=datetime(2026, 11, 20, 22, 30, tzinfo=UTC))
    await log(store, when=datetime(2026, 11, 20, 23, 30, tzinfo=UTC))
    await log(store, when=NOW)
    since = NOW - timedelta(days=7)

    assert await store.searches_per_day(since) == {date(2026, 11, 20): 2, date(2026, 11, 21): 1}
    assert await store.searches_per_day(since, ZoneInfo("Europe/Berlin")) == {
        date(2026, 11, 20): 1,
        date(2026, 11, 21): 2,
    }


async def test_usage_report_async_and_sync_agree(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        for _ in range(3):
            await log(store, "wohnung", crisis=True)
        await store.add_report("tafel-mitte", "closed", NOW)
        report = await store.usage_report(NOW - timedelta(days=1))

    assert report.unmet_queries == [UnmetQuery("wohnung", 3, ("de",))]
    assert report.demand_by_category == {"food": 3}
    assert report.demand_by_language == {"de": 3}
    assert report.crisis_count == 3
    assert report.reports_per_service == [ServiceReports("tafel-mitte", 1, {"closed": 1})]
    assert report.searches_per_day == {date(2026, 11, 21): 3}

    def read_in_a_cli() -> Any:
        with Store.open(db_path) as store:
            return store.usage_report_sync(NOW - timedelta(days=1))

    assert await asyncio.to_thread(read_in_a_cli) == report


async def test_sync_methods_refuse_to_block_the_event_loop(store: Store) -> None:
    with pytest.raises(RuntimeError, match=r"usage_report_sync would block the event loop"):
        store.usage_report_sync(NOW)


# --- concurrency ------------------------------------------------------------------------


async def test_200_concurrent_writes_all_land(store: Store, db_path: Path) -> None:
    searches = [log(store, f"query {i}", result_count=i) for i in range(200)]
    touches = [store.touch(100_000 + i % 150, TODAY) for i in range(200)]

    await asyncio.gather(*searches, *touches)
    await store.flush()

    assert rows(db_path, "SELECT count(*), sum(result_count) FROM search_log") == [
        (200, sum(range(200)))
    ]
    assert rows(db_path, "SELECT count(*), min(user_id), max(user_id) FROM users") == [
        (150, 100_000, 100_149)
    ]


async def test_all_sql_runs_on_one_thread_off_the_event_loop(db_path: Path) -> None:
    threads: set[threading.Thread] = set()
    store = Store.open(db_path, tracer=lambda sql, params: threads.add(threading.current_thread()))
    await asyncio.gather(
        log(store),
        store.touch(ALICE, TODAY),
        store.get_language(ALICE),
        store.usage_report(NOW - timedelta(days=1)),
    )
    await store.close()

    assert len(threads) == 1
    (db_thread,) = threads
    assert db_thread is not threading.current_thread()
    assert db_thread.name.startswith("wegweiser-db")


async def test_per_update_writes_wait_briefly_then_land_together(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.store.store.WRITE_BEHIND_SECONDS", 0.05)
    statements: list[str] = []
    async with Store.open(db_path, tracer=lambda sql, params: statements.append(sql)) as store:
        before = len(statements)
        await log(store, "tafel")
        await store.track_messages(ALICE, [1, 2], NOW)
        await store.touch(ALICE, TODAY)
        assert len(statements) == before  # nothing written yet: no trip per call
        # A read sees the waiting writes: they are applied first, in order.
        assert await store.messages_to_clear(ALICE, NOW) == [1, 2]
        await log(store, "essen")
        await asyncio.sleep(0.2)  # the timer writes the rest without any further call
        assert rows(db_path, "SELECT query FROM search_log ORDER BY query") == [
            ("essen",),
            ("tafel",),
        ]
        await log(store, "miete")
    # close() writes what was still waiting
    assert rows(db_path, "SELECT count(*) FROM search_log") == [(3,)]


async def test_a_burst_flushes_before_the_timer(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.store.store.WRITE_BEHIND_SECONDS", 60.0)
    monkeypatch.setattr("bot.store.store.MAX_DEFERRED_WRITES", 10)
    async with Store.open(db_path) as store:
        for i in range(10):
            await log(store, f"q{i}")
        await asyncio.sleep(0.1)
        assert rows(db_path, "SELECT count(*) FROM search_log") == [(10,)]


async def test_language_choices_are_answered_from_memory_and_survive_reopening(
    db_path: Path,
) -> None:
    statements: list[str] = []
    async with Store.open(db_path, tracer=lambda sql, params: statements.append(sql)) as store:
        await store.set_language(ALICE, "ar")
        before = len(statements)
        assert await store.get_language(ALICE) == "ar"
        assert await store.get_language(BOB) is None
        assert len(statements) == before  # no query for either
        await store.set_language(ALICE, None)
        assert await store.get_language(ALICE) is None
        await store.set_language(BOB, "fa")
    async with Store.open(db_path) as store:
        assert await store.get_language(BOB) == "fa"
        await store.forget_user(BOB)
        assert await store.get_language(BOB) is None


async def test_housekeeping_forgets_the_language_of_people_long_gone(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await store.set_language(ALICE, "uk")
        await store.touch(ALICE, TODAY - timedelta(days=400))
        await store.housekeeping(NOW)
        assert await store.get_language(ALICE) is None
