"""Constants and small helpers shared by the fake Bot API's tests."""

from __future__ import annotations

from fakebotapi import FakeBotApi

TOKEN = "123456:TEST-TOKEN"
CHAT = 4711
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


def last_description(server: FakeBotApi) -> str | None:
    """Telegram's exact wording: PTB lower-cases it in the exception message."""
    return server.requests_log[-1].description
