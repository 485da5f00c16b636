"""A fake Telegram Bot API server with Telegram's real limits, for tests and the sandbox chat.

Independent of Wegweiser: it imports nothing from ``bot``. ``FakeBotApi`` is the server and the
user side (people sending messages and tapping buttons); ``parse_telegram_html`` is Telegram's
entity parser for the HTML that bots send.

The package reads as the path of a call: ``params`` (reading a request) -> ``methods/`` (the Bot
API methods, checking with ``entities``, ``html``, ``links``, ``markup`` and ``forum``, the
rules of topics and threads) -> ``state`` (chats, files, the update queue in ``updates``, the
bot's ``activity``) -> ``server`` (HTTP and lifecycle). The people are in ``user`` (text,
places, buttons), ``user_media`` (photos, documents ...), ``members`` (adding and blocking the
bot) and ``groups`` (forum supergroups and their members); ``turn`` waits for the bot's answers.
"""

from fakebotapi.entities import JsonDict
from fakebotapi.errors import RepliesTimeout, UpdateDropped, UserActionError
from fakebotapi.html import parse_telegram_html
from fakebotapi.server import FakeBotApi
from fakebotapi.thread import FakeBotApiThread
from fakebotapi.turn import Turn

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
