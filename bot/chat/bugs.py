"""Telling the staff chats that something broke: once per distinct bug per hour, no user text.

A bug is told apart by its type and the deepest line of our own code, never by its message,
which could quote what a person wrote.
"""

from __future__ import annotations

import traceback
from datetime import datetime, timedelta
from html import escape
from pathlib import Path

BUG_NOTICE_INTERVAL = timedelta(hours=1)
"""Staff hear of one distinct bug at most hourly: often enough to notice, never a flood."""
MAX_REMEMBERED_BUGS = 256
"""Distinct bugs remembered for that interval; a bound, so that a storm cannot grow memory."""
PACKAGE_ROOT = Path(__file__).resolve().parents[1]


def bug_location(error: BaseException) -> str:
    """Where a bug happened: its type and the deepest line of our own code, never its message.

    An exception's message can quote what a person wrote; its type and our file and line cannot,
    and together they tell one bug from another.
    """
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if Path(f.filename).resolve().is_relative_to(PACKAGE_ROOT)]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return type(error).__name__
    path = Path(frame.filename).resolve()
    shown = (
        path.relative_to(PACKAGE_ROOT.parent) if path.is_relative_to(PACKAGE_ROOT) else path.name
    )
    return f"{type(error).__name__} in {shown}:{frame.lineno}"


class BugNotices:
    """Which bugs the staff chats were told of, and when: once per distinct bug per interval."""

    def __init__(self, interval: timedelta = BUG_NOTICE_INTERVAL) -> None:
        self._interval = interval
        self._told: dict[str, datetime] = {}

    def due(self, bug: str, now: datetime) -> bool:
        """Whether staff should hear of ``bug`` now; remembers that they did."""
        told = self._told.get(bug)
        if told is not None and now - told < self._interval:
            return False
        if len(self._told) >= MAX_REMEMBERED_BUGS:
            oldest = min(self._told, key=self._told.__getitem__)
            del self._told[oldest]
        self._told[bug] = now
        return True


def bug_notice(bug: str, handling: str) -> str:
    """The staff chats' notice (English, like every staff message): no person's words."""
    return (
        f"⚠️ <b>Unexpected error</b> while handling {escape(handling)}: "
        f"<code>{escape(bug)}</code>. The person got an apology; the traceback is in the bot's "
        f"log. You hear of this error at most once an hour."
    )
