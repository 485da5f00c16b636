"""Constants and small helpers shared by the fake Bot API's tests."""

from __future__ import annotations

import socket

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


def free_port() -> int:
    """A loopback port nobody listens on now, for a webhook server."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
