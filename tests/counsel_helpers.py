"""The bot with a counsellors' group, for the end-to-end tests of talking to a person.

The real Application over loopback against the fake Bot API, a real SQLite file and the real
``.po`` files, as in ``conftest``; in addition the counsellors' settings, and a clock the test
can move forward (a night of waiting, the end of a block).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from conftest import FIXED_NOW, TOKEN, Person
from forum_helpers import COUNSEL_GROUP, ForumGroup
from telegram import Update

from bot.callbackdata import Action
from bot.chat.app import BotApplication, build_application
from bot.chat.serve import running
from bot.config import Settings
from bot.counsel.settings import CounselSettings
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from bot.store.store import Store
from fakebotapi import FakeBotApi, JsonDict

TEAM = "Beratungsteam Hannover"
WEEKDAYS = "Mo-Fr 09:00-17:00"
"""Open at FIXED_NOW (a Wednesday, 11:00 in Hannover)."""
WEEKENDS = "Sa,Su 10:00-14:00"
"""Closed at FIXED_NOW: the next opening is Saturday at 10:00."""


@dataclass
class Clock:
    """A clock the test moves; the bot reads it once per update."""

    now: datetime = FIXED_NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def team(hours: str = WEEKDAYS) -> CounselSettings:
    return CounselSettings(COUNSEL_GROUP, TEAM, hours, ("de", "ar", "uk", "en"))


CounselLauncher = Callable[..., AbstractAsyncContextManager[BotApplication]]


def counsel_launcher(
    server: FakeBotApi,
    directory: Directory,
    translators: TranslatorRegistry,
    database: Path,
    clock: Clock,
) -> CounselLauncher:
    @asynccontextmanager
    async def start(*, hours: str = WEEKDAYS, **settings: Any) -> AsyncIterator[BotApplication]:
        application = counsel_application(
            server, directory, translators, database, clock, hours=hours, **settings
        )
        async with running(application, listen="127.0.0.1"):
            yield application

    return start


def counsel_application(
    server: FakeBotApi,
    directory: Directory,
    translators: TranslatorRegistry,
    database: Path,
    clock: Clock,
    *,
    hours: str = WEEKDAYS,
    **settings: Any,
) -> BotApplication:
    """The bot with the counsellors' group, built but not started."""
    config = Settings(
        token=TOKEN,
        base_url=server.base_url,
        database_path=database,
        staff_chat_ids=frozenset({COUNSEL_GROUP}),
        counsel=team(hours),
        **settings,
    )
    return build_application(
        config,
        directory=directory,
        store=Store.open(database),
        translators=translators,
        clock=clock,
    )


async def handled_then_crashed(application: BotApplication, updates: list[JsonDict]) -> None:
    """A run that handled ``updates`` and died before anything marked them handled: neither
    the inbox nor Telegram knows, so the next run is handed them again."""
    await application.initialize()
    for update in updates:
        await application.process_update(Update.de_json(update, application.bot))
    await application.shutdown()
    await application.bot_data.store.close()


async def start_talking(person: Person, group: ForumGroup) -> tuple[JsonDict, int]:
    """/talk, then "Start the conversation": the confirmation and the new topic's id."""
    [intro] = await person.says("/talk")
    before = {topic.message_thread_id for topic in group.topics()}
    [started] = await person.presses(intro, data=Action.TALK_START.value)
    [topic] = [t for t in group.topics() if t.message_thread_id not in before]
    return started, topic.message_thread_id
