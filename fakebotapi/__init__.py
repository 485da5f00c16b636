"""A fake Telegram Bot API server with Telegram's real limits, for tests and the sandbox chat.

Independent of Wegweiser: it imports nothing from ``bot``. ``FakeBotApi`` is the server and the
user side (people sending messages and tapping buttons); ``parse_telegram_html`` is Telegram's
entity parser for the HTML that bots send.
"""

from fakebotapi.server import (
    FakeBotApi,
    FakeBotApiThread,
    JsonDict,
    RepliesTimeout,
    Turn,
    UpdateDropped,
    UserActionError,
    parse_telegram_html,
)

__all__ = [
    "FakeBotApi",
    "FakeBotApiThread",
    "JsonDict",
    "RepliesTimeout",
    "Turn",
    "UpdateDropped",
    "UserActionError",
    "parse_telegram_html",
]
