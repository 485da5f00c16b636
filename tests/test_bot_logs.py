"""At LOG_LEVEL=DEBUG the log holds no message text, name, username or bot token: not from our
code, not from python-telegram-bot's dumps of updates and API calls, not from its line about an
update it cannot parse, not in a traceback.

The real Application against the fake Bot API; the log is captured the way ``run`` logs.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from conftest import TOKEN, USER
from telegram import Bot

from bot.chat.app import BotApplication
from bot.chat.errors import WITHHELD, PrivacyFilter, configure_logging, safe_traceback
from fakebotapi import FakeBotApi

FIRST_NAME, LAST_NAME, USERNAME = "Mariana", "Schimkowitz", "mariana_schimko"
SEARCH = "Lebensmittelausgabe Wunstorfer Chaussee"
SECRETS = [FIRST_NAME, LAST_NAME, USERNAME, "Wunstorfer", TOKEN, "TEST-TOKEN"]


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Everything the bot logs at DEBUG, through the handler ``run`` installs."""
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = configure_logging(logging.DEBUG, TOKEN, stream)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


async def test_a_conversation_leaves_no_text_name_username_or_token_in_the_log(
    server: FakeBotApi, app: BotApplication, captured: io.StringIO
) -> None:
    person = {"first_name": FIRST_NAME, "last_name": LAST_NAME, "username": USERNAME}
    for text in ("/start", SEARCH, f"Ich heiße {FIRST_NAME} {LAST_NAME}"):
        turn = await server.user_sends_text(USER, text, language_code="de", **person)
        await turn.replies(1)
    log = captured.getvalue()
    # DEBUG was on: the library's dumps of each call and of each update it fetched were there
    assert "Calling Bot API endpoint `<withheld>` with parameters `<withheld>`" in log
    assert "finished with return value `<withheld>`" in log
    for secret in SECRETS:
        assert secret.lower() not in log.lower(), secret


async def test_an_update_the_library_cannot_parse_is_logged_without_its_data(
    server: FakeBotApi, captured: io.StringIO
) -> None:
    """A poll without the fields python-telegram-bot requires: it logs the raw update at
    CRITICAL before raising. (A bot's own Bot instance: the running bot's handling of such an
    update is the durable inbox's business.)"""
    broken = {"message_id": 99, "chat": {"id": USER, "type": "private"}, "date": 0}
    broken["from"] = {"id": USER, "is_bot": False, "first_name": FIRST_NAME, "username": USERNAME}
    broken["poll"] = {"id": "1", "question": f"{FIRST_NAME} {LAST_NAME}?"}
    server.enqueue({"message": broken}, None)
    async with Bot(TOKEN, base_url=server.base_url) as bot:
        with pytest.raises(TypeError):
            await bot.get_updates(timeout=0)

    log = captured.getvalue()
    assert f"Error while parsing updates! Received data was {WITHHELD}" in log
    assert f"builtins.TypeError: {WITHHELD}" in log
    for secret in SECRETS:
        assert secret.lower() not in log.lower(), secret


def test_a_traceback_keeps_its_frames_but_not_a_quoted_text() -> None:
    name = FIRST_NAME + " " + LAST_NAME  # not in the source line the traceback quotes
    try:
        {}[name]
    except KeyError as error:
        text = safe_traceback(error)
    assert "Traceback (most recent call last)" in text
    assert "test_bot_logs.py" in text
    assert f"builtins.KeyError: {WITHHELD}" in text
    assert "Mariana" not in text


def test_a_library_line_keeps_its_numbers_and_withholds_the_rest() -> None:
    record = logging.LogRecord(
        "telegram.ext.Application", logging.DEBUG, __file__, 1, "Update %d from %s", (7, "x"), None
    )
    PrivacyFilter().filter(record)
    assert record.getMessage() == f"Update 7 from {WITHHELD}"
    ours = logging.LogRecord("bot.chat.app", logging.INFO, __file__, 1, "Loaded %s", ("x",), None)
    PrivacyFilter().filter(ours)
    assert ours.getMessage() == "Loaded x"
