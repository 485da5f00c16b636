"""Wrong-information reports: how many one person may file, and how staff hear of them.

Measured before this module: five accounts filed 25 reports in 1.6 s and the staff chats got 20
notices, one per report, which buries the one report that matters. Now each person may file
``REPORTS_PER_HOUR`` reports an hour (counted in memory only, like the flood gate), and staff
hear of the first report of a quiet spell at once and of the rest in one summary per
``NOTICE_GATHER_SECONDS``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta

from telegram.error import TelegramError

logger = logging.getLogger(__name__)

REPORTS_PER_HOUR = 3
"""A reader who finds three wrong entries in one hour has told staff a lot already; more from
one account is a script or a grudge. Staff check every report by hand, so a flood of them
costs the real ones their attention."""

REPORT_WINDOW = timedelta(hours=1)

NOTICE_GATHER_SECONDS = 60.0
"""After a notice, further reports wait this long and then go out as one summary: a minute is
quick enough for staff, and a burst of reports becomes one message instead of dozens."""

MAX_TRACKED_REPORTERS = 10_000
"""People whose report times are kept in memory; the least recently seen go first."""

Send = Callable[[Sequence[str]], Awaitable[object]]
"""Sends one staff notice about the given report lines."""


class ReportLimit:
    """Each person's report times of the last hour, in bounded memory, never on disk."""

    def __init__(self, per_hour: int = REPORTS_PER_HOUR) -> None:
        self._per_hour = per_hour
        self._times: OrderedDict[int, deque[datetime]] = OrderedDict()

    def allow(self, user_id: int, now: datetime) -> bool:
        """Whether ``user_id`` may file a report at ``now``; counts it if so."""
        times = self._times.setdefault(user_id, deque())
        self._times.move_to_end(user_id)
        while times and now - times[0] >= REPORT_WINDOW:
            times.popleft()
        if len(times) >= self._per_hour:
            return False
        times.append(now)
        if len(self._times) > MAX_TRACKED_REPORTERS:
            self._times.popitem(last=False)
        return True


class ReportNotices:
    """The first report of a quiet spell is told at once; the next ones wait together."""

    def __init__(self, gather_seconds: float = NOTICE_GATHER_SECONDS) -> None:
        self.gather_seconds = gather_seconds
        self._held: list[str] = []
        self._window: asyncio.Task[None] | None = None
        self._send: Send | None = None

    async def add(self, line: str, send: Send) -> None:
        """Tell staff about one report (a line of HTML), now or with the next summary."""
        self._send = send
        if self._window is not None:
            self._held.append(line)
            return
        self._window = asyncio.create_task(self._gather(), name="wegweiser-report-notices")
        await _send_safely(send, [line])

    async def _gather(self) -> None:
        """Wait; send what was held as one notice; wait again while more comes in."""
        try:
            await asyncio.sleep(self.gather_seconds)
            while self._held and self._send is not None:
                held, self._held = self._held, []
                await _send_safely(self._send, held)
                await asyncio.sleep(self.gather_seconds)
        finally:
            self._window = None

    async def close(self) -> None:
        """At shutdown: stop waiting and send what is held, so no report goes untold."""
        window, self._window = self._window, None
        if window is not None:
            window.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await window
        held, self._held = self._held, []
        if held and self._send is not None:
            await _send_safely(self._send, held)


async def _send_safely(send: Send, lines: Sequence[str]) -> None:
    """The reports are in the database whatever happens: a failed notice is only logged."""
    try:
        await send(lines)
    except TelegramError as error:
        logger.warning("Could not tell the staff chats about %d report(s): %s", len(lines), error)
