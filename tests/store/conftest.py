"""Fixtures for the store's tests: a database file of its own, opened the two ways the bot and
the command line open it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.store.store import Store


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
