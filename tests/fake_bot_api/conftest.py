"""Fixtures for the fake Bot API's own tests: a server with its own token and bot name, a PTB
``Bot`` talking to it, and a chat Telegram knows. These override the bot suite's ``server``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from fake_bot_api.fakebot_helpers import CHAT, TOKEN
from fakebotapi import FakeBotApi


@pytest.fixture
async def server() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(token=TOKEN, bot_username="wegweiser_test_bot") as fake:
        yield fake


@pytest.fixture
async def bot(server: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=server.base_url, base_file_url=server.base_file_url) as client:
        yield client


@pytest.fixture
async def chat(server: FakeBotApi) -> int:
    """A private chat the bot may write to: Telegram only knows chats that wrote first."""
    await server.user_sends_text(CHAT, "hello")
    return CHAT
