"""Shared by the storage tests: a fixed clock, two people, a second connection, and the doors
the bot itself uses to write and to wait for writes."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.store.store import Store

NOW = datetime(2026, 11, 21, 14, 37, 12, 345678, tzinfo=UTC)
TODAY = NOW.date()
# A realistic Telegram id that cannot collide with row ids, counts or message ids below.
ALICE = 987_654_321
BOB = 123_456_789


@asynccontextmanager
async def opened(
    path: Path, *, tracer: Callable[[str, Any], None] | None = None
) -> AsyncIterator[Store]:
    """A store for one block, closed as the bot closes it (``await store.close()``)."""
    store = Store.open(path, tracer=tracer)
    try:
        yield store
    finally:
        await store.close()


async def settle(store: Store) -> None:
    """Let the waiting writes land: every read applies them first (/reports is such a read)."""
    await store.recent_reports(1)


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
    chat: int = ALICE,
    typed: str | None = None,
    language: str = "de",
    categories: tuple[str, ...] = ("food",),
    result_count: int = 0,
    top_score: float | None = None,
    danger: str | None = None,
    when: datetime = NOW,
) -> None:
    """One search as the bot logs it; ``typed`` (what the person wrote) defaults to ``query``."""
    await store.log_search(
        chat,
        typed=query if typed is None else typed,
        query=query,
        language=language,
        categories=categories,
        result_count=result_count,
        top_score=top_score,
        danger=danger,
        day=when.date(),
    )
