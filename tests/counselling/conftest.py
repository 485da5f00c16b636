"""Fixtures of the counselling tests: a counsellors' forum group, a clock the test moves, and
the bot started with the team's settings (``counsel_helpers``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from counsel_helpers import Clock, CounselLauncher, counsel_launcher
from forum_helpers import ForumGroup

from bot.chat.app import BotApplication
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from fakebotapi import FakeBotApi


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def group(server: FakeBotApi) -> ForumGroup:
    return ForumGroup.create(server)


@pytest.fixture
def start_bot(
    server: FakeBotApi,
    directory: Directory,
    translators: TranslatorRegistry,
    db_path: Path,
    clock: Clock,
) -> CounselLauncher:
    return counsel_launcher(server, directory, translators, db_path, clock)


@pytest.fixture
async def bot(start_bot: CounselLauncher) -> AsyncIterator[BotApplication]:
    async with start_bot() as application:
        yield application
