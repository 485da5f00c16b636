"""m004: a database written by the old search log loses its texts and hours, down to the bytes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database, Migrations

from bot.store.migrations import m001_initial, m002_search_log_danger
from bot.store.store import Store
from store.storage_helpers import rows

OLD_QUERIES = ["maria schmidt", "de89370400440532013000", "limmerstrasse", "frauenhaus schlagt"]
"""What the old log kept, as the issue found it: a name, an IBAN, a street, a crisis text."""


def old_database(path: Path) -> None:
    """The schema and rows of the release before m004, written the way it wrote them."""
    old = Migrations("wegweiser")
    old(name="m001_initial")(m001_initial)
    old(name="m002_search_log_danger")(m002_search_log_danger)
    db = Database(sqlite3.connect(path))
    db.enable_wal()
    old.apply(db)
    for number in range(300):  # enough rows for several pages
        db.execute(
            "INSERT INTO search_log (id, query, language, categories, result_count, "
            "crisis, hour) VALUES (?, ?, 'de', '[\"women\"]', 0, 0, ?)",
            [number * 7919 + 1, OLD_QUERIES[number % 4], "2026-11-20T22:00:00+00:00"],
        )
    db.execute(
        "INSERT INTO reports (id, service_id, kind, created_at) "
        "VALUES (5, 'tafel', 'closed', '2026-11-20T22:00:00+00:00')"
    )
    db.conn.commit()
    db.close()


def stored_bytes(path: Path) -> bytes:
    """The file, its WAL and shared-memory file: everything on disk, free pages included."""
    siblings = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    return b"".join(p.read_bytes() for p in siblings if p.exists())


def test_the_migration_drops_the_texts_and_coarsens_hours_to_days(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old_database(path)
    assert b"maria schmidt" in stored_bytes(path)  # the test can see what it looks for

    with Store.open(path):
        on_disk = stored_bytes(path)
        for query in OLD_QUERIES:
            assert query.encode() not in on_disk, query
        assert b"T22:00" not in on_disk

    assert rows(path, "SELECT count(*), min(day), max(day) FROM search_log") == [
        (300, "2026-11-20", "2026-11-20")
    ]
    assert rows(path, "SELECT created_at FROM reports") == [("2026-11-20T00:00:00+00:00",)]
    assert rows(path, "SELECT count(*) FROM unmet_words") == [(0,)]
