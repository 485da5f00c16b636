"""The store on real SQLite files in tmp_path: opening and migrating, people's rows, /delete,
and the single database thread with its write-behind batching."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database, Migrations

from bot.store.migrations import (
    MIGRATIONS,
    m001_initial,
    m002_search_log_danger,
    m003_inbox,
    m004_private_search_log,
    m005_conversations,
    m006_relayed,
)
from bot.store.queries import ForgetResult
from bot.store.store import StorageError, Store
from store.storage_helpers import ALICE, BOB, NOW, TODAY, log, opened, rows, settle, sqlite_varint

# --- opening, migrations ----------------------------------------------------------------


def test_open_creates_folder_file_and_wal(db_path: Path) -> None:
    Store.open(db_path).close_sync()

    assert db_path.is_file()
    assert rows(db_path, "PRAGMA journal_mode") == [("wal",)]
    tables = rows(db_path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    assert tables == [
        ("_sqlite_migrations",),
        ("chat_messages",),
        ("conversations",),
        ("inbox",),
        ("inbox_done",),
        ("relayed",),
        ("reports",),
        ("search_log",),
        ("unmet_words",),
        ("users",),
    ]


def test_reopen_applies_migrations_once(db_path: Path) -> None:
    for _ in range(3):
        Store.open(db_path).close_sync()

    applied = rows(db_path, "SELECT migration_set, name FROM _sqlite_migrations")
    assert applied == [
        ("wegweiser", "m001_initial"),
        ("wegweiser", "m002_search_log_danger"),
        ("wegweiser", "m003_inbox"),
        ("wegweiser", "m004_private_search_log"),
        ("wegweiser", "m005_conversations"),
        ("wegweiser", "m006_relayed"),
    ]


async def test_reopen_keeps_rows(db_path: Path) -> None:
    async with opened(db_path) as store:
        await store.set_language(ALICE, "uk")
    async with opened(db_path) as store:
        assert await store.get_language(ALICE) == "uk"


def test_a_v1_database_gets_a_later_migration_and_keeps_its_rows(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.run_sync(store.housekeeping, NOW)
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO users (user_id, language) VALUES (?, 'fa')", (ALICE,))
    conn.commit()
    conn.close()

    # The next release: the same set with one migration added, as MIGRATIONS' comment shows.
    next_release = Migrations(MIGRATIONS.name)
    next_release(name="m001_initial")(m001_initial)

    next_release(name="m002_search_log_danger")(m002_search_log_danger)
    next_release(name="m003_inbox")(m003_inbox)
    next_release(name="m004_private_search_log")(m004_private_search_log)
    next_release(name="m005_conversations")(m005_conversations)
    next_release(name="m006_relayed")(m006_relayed)

    @next_release(name="m007_search_log_language")
    def m007_search_log_language(db: Database) -> None:
        db.table("search_log").create_index(["language"])

    db = Database(sqlite3.connect(db_path))
    assert [m.name for m in next_release.pending(db)] == ["m007_search_log_language"]
    next_release.apply(db)
    next_release.apply(db)
    db.close()

    assert rows(db_path, "SELECT name FROM _sqlite_migrations ORDER BY id") == [
        ("m001_initial",),
        ("m002_search_log_danger",),
        ("m003_inbox",),
        ("m004_private_search_log",),
        ("m005_conversations",),
        ("m006_relayed",),
        ("m007_search_log_language",),
    ]
    assert rows(db_path, "SELECT user_id, language FROM users") == [(ALICE, "fa")]
    indexes = rows(db_path, "SELECT name FROM sqlite_master WHERE tbl_name = 'search_log'")
    assert ("idx_search_log_language",) in indexes
    with Store.open(db_path) as store:  # the current code opens the migrated file too
        assert store.run_sync(store.recent_reports) == []


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


def test_storage_leaves_telegram_and_the_settings_out() -> None:
    """The settings are passed in (the search log's retention): the store never reads them."""
    code = (
        "import sys, bot.store.store; print('telegram' in sys.modules, 'bot.config' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout == "False False\n"


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
    async with opened(db_path, tracer=lambda sql, params: statements.append(sql)) as store:
        await store.touch(ALICE, TODAY)
        await settle(store)
        written = len(statements)
        await store.touch(ALICE, TODAY)
        await store.touch(ALICE, TODAY)
        assert len(statements) == written  # answered from memory

        await store.touch(ALICE, TODAY - timedelta(days=3))
        await settle(store)
        assert rows(db_path, "SELECT last_seen_day FROM users") == [("2026-11-21",)]

        await store.touch(ALICE, TODAY + timedelta(days=1))
        await settle(store)
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
    await settle(store)

    assert rows(db_path, "SELECT * FROM users") == [(ALICE, None, "2026-11-21")]


# --- concurrency ------------------------------------------------------------------------


async def test_200_concurrent_writes_all_land(store: Store, db_path: Path) -> None:
    searches = [log(store, f"query {i}", result_count=i) for i in range(200)]
    touches = [store.touch(100_000 + i % 150, TODAY) for i in range(200)]

    await asyncio.gather(*searches, *touches)
    await settle(store)

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
    monkeypatch.setattr("bot.store.writebehind.WRITE_BEHIND_SECONDS", 0.05)
    statements: list[str] = []
    async with opened(db_path, tracer=lambda sql, params: statements.append(sql)) as store:
        before = len(statements)
        await log(store, language="uk")
        await store.touch(ALICE, TODAY)
        assert len(statements) == before  # nothing written yet: no trip per call
        # A read sees the waiting writes: they are applied first, in order.
        assert rows(db_path, "SELECT count(*) FROM search_log") == [(0,)]
        # Message ids for /clear are written at once, taking the waiting writes along.
        await store.track_messages(ALICE, [1, 2], NOW)
        assert rows(db_path, "SELECT message_id FROM chat_messages") == [(1,), (2,)]
        assert rows(db_path, "SELECT language FROM search_log") == [("uk",)]
        await log(store, language="ar")
        await asyncio.sleep(0.2)  # the timer writes the rest without any further call
        assert rows(db_path, "SELECT language FROM search_log ORDER BY language") == [
            ("ar",),
            ("uk",),
        ]
        await log(store)
    # close() writes what was still waiting
    assert rows(db_path, "SELECT count(*) FROM search_log") == [(3,)]


async def test_a_burst_flushes_before_the_timer(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.store.writebehind.WRITE_BEHIND_SECONDS", 60.0)
    monkeypatch.setattr("bot.store.writebehind.MAX_DEFERRED_WRITES", 10)
    async with opened(db_path) as store:
        for i in range(10):
            await log(store, f"q{i}")
        await asyncio.sleep(0.1)
        assert rows(db_path, "SELECT count(*) FROM search_log") == [(10,)]


async def test_language_choices_are_answered_from_memory_and_survive_reopening(
    db_path: Path,
) -> None:
    statements: list[str] = []
    async with opened(db_path, tracer=lambda sql, params: statements.append(sql)) as store:
        await store.set_language(ALICE, "ar")
        before = len(statements)
        assert await store.get_language(ALICE) == "ar"
        assert await store.get_language(BOB) is None
        assert len(statements) == before  # no query for either
        await store.set_language(ALICE, None)
        assert await store.get_language(ALICE) is None
        await store.set_language(BOB, "fa")
    async with opened(db_path) as store:
        assert await store.get_language(BOB) == "fa"
        await store.forget_user(BOB)
        assert await store.get_language(BOB) is None


async def test_housekeeping_forgets_the_language_of_people_long_gone(db_path: Path) -> None:
    async with opened(db_path) as store:
        await store.set_language(ALICE, "uk")
        await store.touch(ALICE, TODAY - timedelta(days=400))
        await store.housekeeping(NOW)
        assert await store.get_language(ALICE) is None
