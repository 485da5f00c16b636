"""What every handler can reach: a typed ``CallbackContext`` instead of ``bot_data["x"]`` casts.

``BotData`` holds the long-lived resources (settings, the current directory, the store, the
translators, the flood guard); ``UserData`` is everything the bot keeps in memory about one
person, in one place, so a reader can see at a glance what is (and is not) remembered.
Nothing in ``UserData`` is ever written to the database.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from functools import cached_property

from aiolimiter import AsyncLimiter
from telegram import Update
from telegram.ext import CallbackContext, ExtBot

from bot.chat.bugs import BugNotices
from bot.chat.report_notices import ReportLimit, ReportNotices
from bot.config import Settings
from bot.counsel.rules import RelayLimit
from bot.directory import Directory
from bot.geo import Coordinates
from bot.i18n.translators import Translator, TranslatorRegistry
from bot.reloader import CatalogueReloader
from bot.store.store import Store

LOCATION_MEMORY_SECONDS = 30 * 60
"""A shared location sorts lists for half an hour: long enough to browse a few topics after
sharing it, short enough that it is gone when the person has moved on."""

FLOOD_BURST = 10
"""Updates a person may send at once; a fast reader paging through a list stays below it."""

FLOOD_PERIOD_SECONDS = 15.0
"""The burst refills over 15 s (one update every 1.5 s sustained): faster is a script or a
stuck key, not a person reading answers."""

MAX_TRACKED_USERS = 10_000
"""Flood limiters kept in memory; beyond that the least recently seen are dropped (about
1 MB). A dropped limiter only means a fresh burst for someone who was quiet the longest."""


Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock; tests pass a fixed one to make "open now" deterministic."""
    return datetime.now(UTC)


class DirectoryHolder:
    """The current directory behind one reference, so a reload swaps it in one assignment.

    A handler reads ``current`` once per update (see ``BotContext.directory``), so it never
    mixes an old catalogue with a new one.
    """

    def __init__(self, directory: Directory) -> None:
        self._current = directory

    @property
    def current(self) -> Directory:
        return self._current

    def replace(self, directory: Directory) -> Directory:
        """Swap in a newly loaded directory; returns the one it replaced."""
        previous, self._current = self._current, directory
        return previous


class Admission(Enum):
    """What the flood guard decided about one update."""

    ALLOWED = "allowed"
    WARN = "warn"  # the first update over the limit: tell the person once
    SILENT = "silent"  # still over the limit: drop without another notice


@dataclass
class _FloodEntry:
    limiter: AsyncLimiter
    warned: bool = False


class FloodGuard:
    """One leaky bucket (aiolimiter) per user, in bounded memory.

    Why per user and in the bot: Telegram limits what the bot sends, not what one person
    makes it do; without this a single client could keep every handler busy.
    """

    def __init__(
        self,
        burst: int = FLOOD_BURST,
        period: float = FLOOD_PERIOD_SECONDS,
        max_users: int = MAX_TRACKED_USERS,
    ) -> None:
        self._burst = burst
        self._period = period
        self._max_users = max_users
        self._entries: OrderedDict[int, _FloodEntry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    async def admit(self, user_id: int) -> Admission:
        """Take one unit of the user's capacity, or say how to refuse the update."""
        entry = self._entries.get(user_id)
        if entry is None:
            entry = _FloodEntry(AsyncLimiter(self._burst, self._period))
            self._entries[user_id] = entry
            if len(self._entries) > self._max_users:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(user_id)
        if entry.limiter.has_capacity():
            await entry.limiter.acquire()  # does not wait: capacity was just checked
            entry.warned = False
            return Admission.ALLOWED
        if entry.warned:
            return Admission.SILENT
        entry.warned = True
        return Admission.WARN

    def forget_idle(self) -> int:
        """Drop limiters whose bucket has drained completely; returns how many went."""
        idle = [uid for uid, e in self._entries.items() if e.limiter.has_capacity(self._burst)]
        for user_id in idle:
            del self._entries[user_id]
        return len(idle)


@dataclass
class UserData:
    """Everything the bot remembers about one person, in memory only, never in the database.

    Dropped after ``USER_MEMORY_SECONDS`` of silence by the app's housekeeping, and at once
    by /delete.
    """

    location: Coordinates | None = None
    location_at: float = 0.0
    category: str | None = None
    """The last topic opened: "Near me" then searches within it."""
    found: tuple[str, ...] = ()
    """Service ids of the last search, so "more results" pages without keeping the question."""
    last_seen: float = field(default_factory=time.monotonic)

    def remember_location(self, location: Coordinates) -> None:
        self.location = location
        self.location_at = time.monotonic()

    def current_location(self) -> Coordinates | None:
        """The shared location while it is fresh; forgotten after LOCATION_MEMORY_SECONDS."""
        if self.location is not None and (
            time.monotonic() - self.location_at > LOCATION_MEMORY_SECONDS
        ):
            self.location = None
        return self.location

    def forget(self) -> None:
        """/delete: back to a stranger."""
        self.location = None
        self.category = None
        self.found = ()


class BotData:
    """The application's long-lived resources; attached once by ``app.build_application``.

    PTB creates this object with no arguments, so the resources are attached afterwards with
    :meth:`attach`; reading one before that raises AttributeError at once.
    """

    settings: Settings
    holder: DirectoryHolder
    store: Store
    translators: TranslatorRegistry
    flood: FloodGuard
    clock: Clock
    reloader: CatalogueReloader
    """Swaps ``holder``'s directory when the catalogue file changes (watcher and /reload)."""
    housekeeping: asyncio.Task[None] | None = None
    """The hourly clean-up, started in post_init and cancelled in post_stop."""
    reload_watcher: asyncio.Task[None] | None = None
    """The catalogue file watcher, started in post_init and cancelled in post_stop."""
    bug_notices: BugNotices
    """Which bugs the staff chats heard of in the last hour (the error handler's memory)."""
    report_limit: ReportLimit
    """Each person's wrong-information reports of the last hour, in memory only."""
    report_notices: ReportNotices
    """Reports waiting to be told to the staff chats in one summary."""
    relay_limit: RelayLimit
    """Each person's messages into their counselling topic this hour, in memory only."""

    def attach(
        self,
        *,
        settings: Settings,
        holder: DirectoryHolder,
        reloader: CatalogueReloader,
        store: Store,
        translators: TranslatorRegistry,
        clock: Clock = utc_now,
    ) -> None:
        self.settings = settings
        self.holder = holder
        self.reloader = reloader
        self.bug_notices = BugNotices()
        self.report_limit = ReportLimit()
        self.report_notices = ReportNotices()
        self.relay_limit = RelayLimit()
        self.store = store
        self.translators = translators
        self.flood = FloodGuard()
        self.clock = clock


class BotContext(CallbackContext[ExtBot[None], UserData, dict, BotData]):  # type: ignore[type-arg]
    """The context every handler gets: typed resources and the reader's translator."""

    @cached_property
    def directory(self) -> Directory:
        """The directory for this whole update, read once even if a reload swaps it meanwhile."""
        return self.bot_data.holder.current

    @cached_property
    def now(self) -> datetime:
        """One "now" per update, so every card of an answer agrees on what is open."""
        return self.bot_data.clock()

    @property
    def talk_offered(self) -> bool:
        """Whether the counsellors are set up, so "Write to a person" is offered."""
        return self.bot_data.settings.counsel is not None

    @property
    def memory(self) -> UserData:
        """This person's in-memory data; handlers only run for updates that have a user."""
        memory = self.user_data
        if memory is None:
            raise RuntimeError("this update has no user, so it has no UserData")
        return memory

    async def translator_for(self, update: Update) -> Translator:
        """The reader's language: the saved choice, else Telegram's, else the fallbacks."""
        data = self.bot_data
        region_default = self.directory.catalogue.region.default_language
        user = update.effective_user
        if user is None:
            return data.translators.negotiate(None, None, region_default)
        self.memory.last_seen = time.monotonic()
        chosen = await data.store.get_language(user.id)  # kept in memory by the store
        return data.translators.negotiate(chosen, user.language_code, region_default)
