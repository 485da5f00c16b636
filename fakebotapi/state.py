"""What Telegram's servers know: the bot, its chats and messages, files, updates and its log.

Why one class: the Bot API methods (the bot's side, in ``methods/``) and the simulated people
(the user side, in ``user.py`` and ``members.py``) change the same chats and the same update
queue. This class holds that state and the inspection helpers tests assert with; the HTTP
server and the user side build on it.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from fakebotapi.activity import (
    DEFAULT_REPLY_TIMEOUT,
    DEFAULT_SETTLE_SECONDS,
    BotAction,
    BotActionKind,
    BotActivity,
    LoggedRequest,
)
from fakebotapi.chats import ChatState, StoredMessage
from fakebotapi.entities import JsonDict
from fakebotapi.errors import FakeBotApiError
from fakebotapi.faults import Fault, FaultPlan
from fakebotapi.flood import GroupFloodLimit
from fakebotapi.params import Params
from fakebotapi.turn import Turn
from fakebotapi.updates import UpdateQueue
from fakebotapi.webhook import Webhook

FIRST_CALLBACK_QUERY_ID = 4_000_000_001  # Telegram's query ids are long numbers sent as strings.


@dataclass
class CallbackQueryState:
    """A button press waiting for the bot's answerCallbackQuery (Telegram allows one answer)."""

    chat_id: int
    answered: bool = False


@dataclass
class StoredFile:
    """A file a user (or the bot) sent, served by getFile and the file URL.

    ``kind`` is Telegram's file type, the folder of its path ("photos", "documents",
    "voice", "stickers"): a file_id of one kind is refused where another is expected.
    ``fields`` are the object's fields besides the ids (width, file_name ...); a photo's
    ``sizes`` are the file ids of all its sizes, smallest first.
    """

    file_path: str
    content: bytes
    file_unique_id: str
    kind: str = ""
    fields: JsonDict = field(default_factory=dict)
    sizes: tuple[str, ...] = ()

    def as_api(self, file_id: str) -> JsonDict:
        """The file's Bot API object (PhotoSize, Document, Voice ...)."""
        return {
            "file_id": file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            **self.fields,
        }


class BotApiState:
    """The fake Telegram's memory, and what tests use to look into it and to disturb it."""

    def __init__(
        self,
        token: str,
        *,
        bot_username: str,
        bot_first_name: str,
        strict_html: bool,
        text_length_unit: Literal["characters", "utf16"],
        webhook_retry_delay: float,
    ) -> None:
        bot_id_text = token.split(":", 1)[0]
        if not bot_id_text.isdigit():
            raise ValueError("a bot token starts with the bot's numeric id, like 123456:ABC")
        self._token = token
        self.strict_html = strict_html
        self.text_length_unit = text_length_unit
        self.bot_user: JsonDict = {
            "id": int(bot_id_text),
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.clock_offset: float = 0.0
        self.chats: dict[int, ChatState] = {}
        self.commands: dict[tuple[str, str], list[JsonDict]] = {}
        self.descriptions: dict[tuple[str, str], str] = {}
        self.callback_queries: dict[str, CallbackQueryState] = {}
        self.stored_files: dict[str, StoredFile] = {}
        self.activity = BotActivity()
        self.updates = UpdateQueue(self.activity)
        self.webhook = Webhook(self.updates, self.activity, self.now, webhook_retry_delay)
        self.faults = FaultPlan()
        self.group_flood = GroupFloodLimit()
        self._last_turn: dict[int, Turn] = {}
        self._callback_ids = itertools.count(FIRST_CALLBACK_QUERY_ID)
        self._file_ids = itertools.count(1)

    # ----------------------------------------------------------------- clock

    def now(self) -> int:
        """The server's Unix time, shifted by ``clock_offset``: message dates use it."""
        return int(time.time() + self.clock_offset)

    def advance_clock(self, seconds: float) -> None:
        """Move the server's clock forward, e.g. past the 48-hour deletion window."""
        self.clock_offset += seconds

    # ----------------------------------------------------------------- faults

    def inject_error(
        self,
        method: str,
        status: int,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        *,
        delay: float = 0.0,
    ) -> None:
        """Make the next ``times`` calls of ``method`` ("*" for any) fail with ``status``.

        429 answers carry ``parameters.retry_after`` (PTB raises ``RetryAfter``); 502 and
        504 answer with an HTML page, as Telegram's front proxy does.
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        self.faults.add(Fault(method.lower(), status, description, retry_after, delay, times))

    def inject_delay(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` wait ``seconds`` before being handled.

        If the client gives up first (PTB's ``TimedOut``), the call is cancelled unexecuted.
        """
        self.faults.add(Fault(method.lower(), None, None, None, seconds, times))

    # ----------------------------------------------------------------- inspection

    @property
    def actions(self) -> list[BotAction]:
        """What the bot did that a user could notice, oldest first."""
        return self.activity.actions

    @property
    def requests_log(self) -> list[LoggedRequest]:
        """Every Bot API call the bot made, oldest first, with the server's answer."""
        return self.activity.requests

    @property
    def webhook_url(self) -> str | None:
        return self.webhook.url

    @property
    def webhook_secret_token(self) -> str | None:
        return self.webhook.secret_token

    @property
    def pending_update_count(self) -> int:
        return len(self.updates.pending)

    def chat(self, chat_id: int) -> ChatState:
        """The raw state of a chat, for assertions the helpers below do not cover."""
        try:
            return self.chats[chat_id]
        except KeyError:
            raise FakeBotApiError(f"no chat {chat_id}: no user has written from it yet") from None

    def chat_history(self, chat_id: int, *, include_deleted: bool = False) -> list[JsonDict]:
        """Every message in the chat, the user's and the bot's, oldest first, as Message dicts."""
        return [
            copy.deepcopy(stored.message)
            for stored in self.chat(chat_id).messages.values()
            if include_deleted or not stored.deleted
        ]

    def message(self, chat_id: int, message_id: int) -> StoredMessage:
        """One stored message with its ``deleted``/``edited`` flags."""
        try:
            return self.chat(chat_id).messages[message_id]
        except KeyError:
            raise FakeBotApiError(f"no message {message_id} in chat {chat_id}") from None

    def requests_for(self, method: str) -> list[LoggedRequest]:
        """The logged calls of one method (case-insensitive), oldest first."""
        return [r for r in self.requests_log if r.method.lower() == method.lower()]

    def marker(self) -> int:
        """A point in the bot's action log, for ``wait_for_bot_messages(since=...)``."""
        return self.activity.marker()

    async def wait_for_bot_messages(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = DEFAULT_REPLY_TIMEOUT,
        *,
        since: int | None = None,
        settle: float = DEFAULT_SETTLE_SECONDS,
        thread_id: int | None = None,
    ) -> list[JsonDict]:
        """Bot messages sent or edited in a chat after a point in time.

        ``since`` is a :meth:`marker`; without it, the point is when the bot fetched the
        last user action in this chat (or the server's start, if there was none).
        ``thread_id`` counts only the messages in that forum topic.
        Prefer ``turn.replies()`` when a turn is at hand.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        turn = self._last_turn.get(chat_id) if since is None else None
        if since is None:
            since = (
                0 if turn is None else await self.updates.wait_delivered(turn.update_id, timeout)
            )
        context = "the last user action" if turn is not None else f"marker {since}"
        return await self.activity.collect_replies(
            chat_id,
            since,
            min_count=count,
            deadline=deadline,
            settle=settle,
            context=context,
            thread_id=thread_id,
        )

    # ----------------------------------------------------------------- shared by both sides

    def record_action(
        self,
        kind: BotActionKind,
        method: str,
        chat_id: int | None,
        message_id: int | None,
        message: JsonDict | None,
        params: Params,
    ) -> None:
        """Log something the bot did that a user could notice."""
        self.activity.record(kind, method, chat_id, message_id, message, params.values)

    def enqueue(self, update_body: JsonDict, chat_id: int | None) -> Turn:
        """Queue an update for the bot; the turn waits for the bot's answer to it."""
        update_id = self.updates.add(update_body)
        turn = Turn(self.updates, self.activity, update_id, chat_id)
        if chat_id is not None:
            self._last_turn[chat_id] = turn
        return turn

    def register_file(
        self, folder: str, extension: str, content: bytes, fields: JsonDict | None = None
    ) -> JsonDict:
        """Store a file someone sends; returns its Bot API object (ids, size, ``fields``)."""
        number = next(self._file_ids)
        file_id = f"FAKE-FILE-{number}"
        path = f"{folder}/file_{number}.{extension}"
        stored = StoredFile(path, content, f"fake{number}", folder, dict(fields or {}))
        self.stored_files[file_id] = stored
        return stored.as_api(file_id)

    def register_photo(self, content: bytes) -> list[JsonDict]:
        """Store a photo in the two sizes Telegram makes of it; returns the PhotoSize list."""
        small = self.register_file("photos", "jpg", content, {"width": 90, "height": 67})
        large = self.register_file("photos", "jpg", content, {"width": 1280, "height": 960})
        sizes = (small["file_id"], large["file_id"])
        for file_id in sizes:
            self.stored_files[file_id].sizes = sizes
        return [small, large]

    def new_callback_query(self, chat_id: int) -> str:
        """A fresh callback query id, waiting for the bot's one answer."""
        query_id = str(next(self._callback_ids))
        self.callback_queries[query_id] = CallbackQueryState(chat_id=chat_id)
        return query_id


MethodHandler = Callable[[BotApiState, Params, dict[str, bytes]], Awaitable[Any]]
"""One Bot API method: the server's state, the call's parameters and uploads -> its result."""
