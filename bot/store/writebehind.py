"""Per-update writes held briefly in memory, so that the store makes one trip for many.

:class:`WriteBehind` queues the small writes of every update (a search log row, a last-seen
day) and hands them to the store's next trip to the database; :class:`SeenToday` answers "is
this person's day already stored?" without a trip at all. Split from :mod:`.store`, which uses
both, so that the store module reads as its list of operations.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from datetime import date
from typing import Any

WRITE_BEHIND_SECONDS = 1.0
"""Per-update writes (search log row, last-seen day) wait at most this long, then go to the
database together in one trip. Every read applies them first (never stale); a crash loses at
most one second of anonymous rows. Four trips per update cost a tenth of the throughput."""

MAX_DEFERRED_WRITES = 200
"""Flush earlier when this many writes wait, so a burst never builds a long queue."""


class SeenToday:
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


class WriteBehind:
    """Per-update writes waiting on the event loop for one shared trip to the database.

    ``write_waiting`` is the store's trip that applies them: started by a timer
    (``WRITE_BEHIND_SECONDS``) or at once when ``MAX_DEFERRED_WRITES`` wait.
    """

    def __init__(self, write_waiting: Callable[[], Coroutine[Any, Any, None]]) -> None:
        self._write_waiting = write_waiting
        self._writes: list[Callable[[], object]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[None] | None = None

    def add(self, write: Callable[[], object]) -> None:
        self._writes.append(write)
        if len(self._writes) >= MAX_DEFERRED_WRITES:
            self._start()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(WRITE_BEHIND_SECONDS, self._start)

    def _start(self) -> None:
        self._timer = None
        if self._writes:
            # Keep a reference: the loop holds tasks only weakly.
            self._task = asyncio.get_running_loop().create_task(self._write_waiting())

    def take(self) -> list[Callable[[], object]]:
        """The waiting writes, in order, for a trip that is about to start."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        writes, self._writes = self._writes, []
        return writes
