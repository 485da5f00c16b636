"""A fake Telegram Bot API server for end-to-end tests and the local sandbox chat.

Why it exists: python-telegram-bot talks HTTP to ``base_url``. Pointing it at this
server lets a test run the real ``Application`` over loopback with nothing mocked,
while the server refuses what Telegram refuses (4096 characters, Telegram's HTML
subset, 64-byte callback data, the 48-hour deletion window, unknown chats ...). Bugs
that would only show up in production show up in the test run instead.

Test code drives the "user" side with plain async methods (``user_sends_text``,
``user_presses_button`` ...). Each returns a :class:`Turn` whose ``replies()`` waits
for what the bot sent or edited after it fetched that update.

Choices where Telegram is lenient or unclear (the first two are constructor options):

- ``strict_html=True``: a ``&`` that does not start ``&lt;`` ``&gt;`` ``&amp;``
  ``&quot;`` or ``&#NN;``/``&#xHH;`` (with its ``;``) is refused. Telegram itself keeps
  such a ``&`` as text, but its documentation says it must be escaped, and a bot that
  forgets to escape breaks on ``<`` in the same text. ``strict_html=False`` parses
  exactly like TDLib.
- ``text_length_unit="characters"``: the 4096 limit counts Unicode code points of the
  visible text after entity parsing, as the Bot API documentation words it. Entity
  offsets and lengths are always UTF-16 code units, as Telegram sends them. Use
  ``"utf16"`` to be cautious about emoji-heavy texts.
- Error descriptions copy Telegram's wording where it is known; the few marked
  "wording: ours" imitate its style.

This module is deliberately self-contained (aiohttp only, no ``telegram`` import, nothing
else from ``bot``): the sandbox and the tests can use it while the bot is being built.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import ipaddress
import itertools
import json
import re
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

JsonDict = dict[str, Any]
T = TypeVar("T")

MAX_MESSAGE_TEXT_LENGTH = 4096  # Bot API: text is "1-4096 characters after entities parsing".
MAX_CALLBACK_DATA_BYTES = 64  # Bot API: callback_data is "1-64 bytes".
MAX_CALLBACK_ANSWER_LENGTH = 200  # Bot API: answerCallbackQuery text is "0-200 characters".
MAX_INLINE_KEYBOARD_BUTTONS = 100  # Telegram refuses inline keyboards with more buttons.
MAX_UPDATES_PER_CALL = 100  # Bot API: getUpdates limit is 1-100, default 100.
MAX_MESSAGES_PER_DELETE = 100  # Bot API: deleteMessages takes 1-100 identifiers.
MAX_BOT_COMMANDS = 100  # Bot API: setMyCommands takes at most 100 commands.
DELETE_WINDOW_SECONDS = (
    48 * 3600
)  # Bot API: "a message can only be deleted if ... less than 48 hours ago".
DEFAULT_SETTLE_SECONDS = 0.1  # Loopback calls take ~1 ms; 100 ms of silence means the bot is done.
DEFAULT_REPLY_TIMEOUT = 5.0  # Generous for a slow CI machine, short enough to fail fast.
FIRST_UPDATE_ID = 10_001  # Any positive start works; a large one catches "offset=1" assumptions.
DEFAULT_GROUP_USER_ID = 5_000  # In groups the sender is not the chat, so tests need some user.

# The update types Telegram sends when allowed_updates is empty or was never given.
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

# The actions the Bot API documents for sendChatAction; anything else is refused.
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

# Parameters that are plain strings in a form body and must not be read as JSON ("123" stays "123").
STRING_PARAMETERS = frozenset(
    {
        "action",
        "address",
        "business_connection_id",
        "callback_query_id",
        "caption",
        "custom_title",
        "description",
        "emoji",
        "file_id",
        "first_name",
        "foursquare_id",
        "foursquare_type",
        "google_place_id",
        "google_place_type",
        "inline_message_id",
        "ip_address",
        "language_code",
        "last_name",
        "message_effect_id",
        "name",
        "parse_mode",
        "phone_number",
        "query",
        "secret_token",
        "short_description",
        "text",
        "title",
        "url",
    }
)

# An inline button needs exactly one of these (Bot API, InlineKeyboardButton).
INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
# A reply keyboard button may ask for at most one of these (Bot API, KeyboardButton).
REPLY_BUTTON_REQUESTS = (
    "request_users",
    "request_chat",
    "request_contact",
    "request_location",
    "request_poll",
    "web_app",
)
# The BotCommandScope types of the Bot API.
BOT_COMMAND_SCOPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
_BOT_COMMAND_PATTERN = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE_CODE_PATTERN = re.compile(r"[a-z]{2}")
_SECRET_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
# Telegram marks every "/command" (optionally "@botname") that starts a word as bot_command.
_USER_COMMAND_PATTERN = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")
_HOST_LABEL_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?|xn--[a-z0-9-]+", re.I)


# --------------------------------------------------------------------------- errors


class FakeBotApiError(Exception):
    """Base class of the errors the fake server raises to test code."""


class ApiError(FakeBotApiError):
    """A Bot API call that Telegram would refuse; it becomes an ``ok: false`` response."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


class EntityParseError(ValueError):
    """Telegram's HTML parser refuses the text; the message is Telegram's, after "entities: "."""


class UserActionError(FakeBotApiError):
    """A simulated user action that no Telegram client would let a user do."""


class RepliesTimeout(FakeBotApiError, AssertionError):
    """The bot did not send the expected messages before the timeout."""


class UpdateDropped(FakeBotApiError):
    """The bot will never receive this update (allowed_updates, or pending updates were dropped)."""


# --------------------------------------------------------------------------- text helpers


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units: the unit of Telegram's entity offsets and lengths."""
    return len(text.encode("utf-16-le")) // 2


def _bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


# TDLib reads a NUL past the end of its C string, and counts NUL among spaces; so do we.
_TD_SPACE_BYTES = frozenset(b" \t\r\n\x00\x0b")
_HEX_DIGITS = frozenset(b"0123456789abcdefABCDEF")
_DIGITS = frozenset(b"0123456789")
_ALPHA = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ALNUM = _ALPHA | _DIGITS
_NAMED_HTML_ENTITIES = {b"lt": ord("<"), b"gt": ord(">"), b"amp": ord("&"), b"quot": ord('"')}
_SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_SIMPLE_TAG_ENTITIES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
# TDLib sorts entities by offset, longer first, then by this priority (lower first).
_ENTITY_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}
_SURROGATE_MESSAGE = (
    "Text contains invalid Unicode characters after decoding HTML entities, "
    "check for unmatched surrogate code units"
)


def _byte_at(data: bytes, index: int) -> int:
    return data[index] if index < len(data) else 0


def _is_td_space(byte: int) -> bool:
    return byte in _TD_SPACE_BYTES


def _decode_html_entity(data: bytes, pos: int) -> tuple[int, int, bool]:
    """Decode the character reference at ``data[pos] == '&'`` like TDLib.

    Returns ``(code point or 0, position after it, whether it ended with ';')``; 0 means
    "not a reference", which TDLib keeps as literal text.
    """
    end = pos + 1
    code = 0
    if _byte_at(data, pos + 1) == ord("#"):
        end += 1
        if _byte_at(data, pos + 2) == ord("x"):
            end += 1
            while _byte_at(data, end) in _HEX_DIGITS:
                code = code * 16 + int(chr(data[end]), 16)
                end += 1
        else:
            while _byte_at(data, end) in _DIGITS:
                code = code * 10 + data[end] - ord("0")
                end += 1
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return 0, pos, False
    else:
        while _byte_at(data, end) in _ALPHA:
            end += 1
        code = _NAMED_HTML_ENTITIES.get(data[pos + 1 : end], 0)
        if code == 0:
            return 0, pos, False
    if _byte_at(data, end) == ord(";"):
        return code, end + 1, True
    return code, end, False


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    result_position: int


def _checked_link(url: str) -> str | None:
    """The URL Telegram would keep for a text link, or None when it would drop the link."""
    url = url.strip()
    if not url or any(ch.isspace() for ch in url):
        return None
    lowered = url.lower()
    if lowered.startswith(("tg:", "ton:")):
        return url if len(url.split(":", 1)[1].lstrip("/")) > 0 else None
    if "://" not in url:
        url = "http://" + url
    return url if _is_valid_http_url(url) else None


def _is_valid_http_url(url: str) -> bool:
    """http(s) with a host that could exist: an IP address or a dotted name with a real TLD."""
    try:
        parts = urlsplit(url)
        if parts.port == 0:
            return False
    except ValueError:
        return False
    host = parts.hostname
    if parts.scheme.lower() not in ("http", "https") or not host:
        return False
    if any(ch.isspace() for ch in url):
        return False
    with contextlib.suppress(ValueError):
        ipaddress.ip_address(host)
        return True
    labels = host.rstrip(".").split(".")
    if len(labels) < 2 or not all(_is_host_label(label) for label in labels):
        return False
    tld = labels[-1]
    return not tld.isascii() or tld.isalpha() or tld.startswith("xn--")


def _is_host_label(label: str) -> bool:
    if not label.isascii():  # an internationalised name, e.g. "münchen"
        return 0 < len(label) <= 63 and all(ch.isalnum() or ch == "-" for ch in label)
    return _HOST_LABEL_PATTERN.fullmatch(label) is not None


def _is_valid_button_url(url: str) -> bool:
    """Button URLs must name their scheme: http(s) with a real host name, or tg://."""
    if any(ch.isspace() for ch in url):
        return False
    lowered = url.lower()
    if lowered.startswith("tg://"):
        return len(url) > len("tg://")
    if not lowered.startswith(("http://", "https://")):
        return False
    return _is_valid_http_url(url)


def parse_telegram_html(source: str, *, strict: bool = True) -> tuple[str, list[JsonDict]]:
    """Parse Telegram's HTML subset into visible text and Bot API MessageEntity dicts.

    Why a port of TDLib's ``parse_html`` rather than Python's ``html.parser``: Telegram
    accepts and refuses different things than a browser, and tests must fail exactly where
    Telegram would. Byte offsets in the errors count UTF-8 bytes of ``source``; entity
    offsets and lengths count UTF-16 code units. ``strict`` also refuses a bare ``&`` and a
    reference without its ``;`` (see the module docstring).

    Raises:
        EntityParseError: with Telegram's own wording.
    """
    data = source.encode("utf-8", "surrogatepass")
    size = len(data)
    out = bytearray()
    utf16 = 0
    entities: list[JsonDict] = []
    stack: list[_OpenTag] = []
    decoded_surrogate = False
    i = 0
    while i < size:
        byte = data[i]
        if byte == ord("&"):
            code, end, terminated = _decode_html_entity(data, i)
            if code != 0 and (terminated or not strict):
                decoded_surrogate |= 0xD800 <= code <= 0xDFFF
                out += chr(code).encode("utf-8", "surrogatepass")
                utf16 += 2 if code > 0xFFFF else 1
                i = end
                continue
            if strict:
                raise EntityParseError(
                    f'Character "&" at byte offset {i} must be escaped as "&amp;"'
                    " (Telegram would keep it; this fake server is strict)"
                )
        if byte != ord("<"):
            if byte & 0xC0 != 0x80:  # the first byte of a UTF-8 sequence
                utf16 += 2 if byte >= 0xF0 else 1
            out.append(byte)
            i += 1
            continue

        begin = i
        i += 1
        if _byte_at(data, i) != ord("/"):
            name, argument, i = _read_start_tag(data, begin, i, strict=strict)
            stack.append(_OpenTag(name, argument, utf16, len(out)))
        else:
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {begin}")
            while not _is_td_space(_byte_at(data, i)) and _byte_at(data, i) != ord(">"):
                i += 1
            end_name = data[begin + 2 : i].lower().decode("utf-8", "replace")
            while _is_td_space(_byte_at(data, i)) and _byte_at(data, i) != 0:
                i += 1
            if _byte_at(data, i) != ord(">"):
                raise EntityParseError(f"Unclosed end tag at byte offset {begin}")
            open_tag = stack[-1]
            if end_name and end_name != open_tag.name:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {begin}, expected "</{open_tag.name}>", '
                    f'found "</{end_name}>"'
                )
            if utf16 > open_tag.utf16_offset:
                _add_html_entity(entities, open_tag, utf16 - open_tag.utf16_offset, out)
            stack.pop()
        i += 1  # past the '>'
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    if decoded_surrogate:
        raise EntityParseError(_SURROGATE_MESSAGE)
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)  # a language counts only for code inside pre
    return out.decode("utf-8"), sort_entities(entities)


def sort_entities(entities: list[JsonDict]) -> list[JsonDict]:
    """Order entities as Telegram returns them: by offset, longer first, then by kind."""
    return sorted(
        entities,
        key=lambda e: (e["offset"], -e["length"], _ENTITY_PRIORITY.get(e["type"], 50)),
    )


def _read_start_tag(data: bytes, begin: int, i: int, *, strict: bool) -> tuple[str, str, int]:
    """Read a start tag from after its '<'; returns (name, argument, index of its '>')."""
    while not _is_td_space(_byte_at(data, i)) and _byte_at(data, i) != ord(">"):
        i += 1
    if _byte_at(data, i) == 0:
        raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
    name = data[begin + 1 : i].lower().decode("utf-8", "replace")
    if name not in _SUPPORTED_TAGS:
        raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {begin}')

    argument = ""
    while _byte_at(data, i) != ord(">"):
        while _byte_at(data, i) != 0 and _is_td_space(_byte_at(data, i)):
            i += 1
        if _byte_at(data, i) == ord(">"):
            break
        attribute_begin = i
        while not _is_td_space(_byte_at(data, i)) and _byte_at(data, i) not in b"=>/\"'":
            i += 1
        attribute = data[attribute_begin:i].decode("utf-8", "replace")
        if not attribute:
            raise EntityParseError(
                f'Empty attribute name in the tag "{name}" at byte offset {begin}'
            )
        while _byte_at(data, i) != 0 and _is_td_space(_byte_at(data, i)):
            i += 1
        if _byte_at(data, i) != ord("="):
            if _byte_at(data, i) == 0:
                raise EntityParseError(f'Unclosed start tag "{name}" at byte offset {begin}')
            if name == "blockquote" and attribute == "expandable":
                argument = "1"
            continue
        i += 1
        while _byte_at(data, i) != 0 and _is_td_space(_byte_at(data, i)):
            i += 1
        if _byte_at(data, i) == 0:
            raise EntityParseError(f'Unclosed start tag "{name}" at byte offset {begin}')
        value, i = _read_attribute_value(data, i, strict=strict)
        if _byte_at(data, i) == 0:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        if (name, attribute) in (("a", "href"), ("tg-emoji", "emoji-id")):
            argument = value
        elif name == "code" and attribute == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif name == "span" and attribute == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif name == "blockquote" and attribute == "expandable":
            argument = "1"
    if name == "span" and argument != "spoiler":
        raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
    return name, argument, i


def _read_attribute_value(data: bytes, i: int, *, strict: bool) -> tuple[str, int]:
    """A lowercased name token, or a quoted string with its references decoded."""
    quote = _byte_at(data, i)
    if quote not in (ord("'"), ord('"')):
        token_begin = i
        while _byte_at(data, i) in _ALNUM or _byte_at(data, i) in b".-":
            i += 1
        if not _is_td_space(_byte_at(data, i)) and _byte_at(data, i) != ord(">"):
            raise EntityParseError(f"Unexpected end of name token at byte offset {token_begin}")
        return data[token_begin:i].lower().decode("utf-8", "replace"), i
    i += 1
    value = bytearray()
    while _byte_at(data, i) != quote and _byte_at(data, i) != 0:
        if data[i] == ord("&"):
            code, end, terminated = _decode_html_entity(data, i)
            if code != 0 and (terminated or not strict):
                value += chr(code).encode("utf-8", "surrogatepass")
                i = end
                continue
            if strict:
                raise EntityParseError(
                    f'Character "&" at byte offset {i} must be escaped as "&amp;"'
                    " (Telegram would keep it; this fake server is strict)"
                )
        value.append(data[i])
        i += 1
    if _byte_at(data, i) == quote:
        i += 1
    return value.decode("utf-8", "replace"), i


def _add_html_entity(
    entities: list[JsonDict], open_tag: _OpenTag, length: int, out: bytearray
) -> None:
    offset = open_tag.utf16_offset
    last = entities[-1] if entities else None
    same_span = last is not None and last["offset"] == offset and last["length"] == length
    name = open_tag.name
    if name in _SIMPLE_TAG_ENTITIES:
        entities.append({"type": _SIMPLE_TAG_ENTITIES[name], "offset": offset, "length": length})
    elif name == "tg-emoji":
        argument = open_tag.argument
        if not re.fullmatch(r"[0-9]{1,19}", argument) or not 0 < int(argument) < 2**63:
            raise EntityParseError("Invalid custom emoji identifier specified")
        entities.append(
            {
                "type": "custom_emoji",
                "offset": offset,
                "length": length,
                "custom_emoji_id": argument,
            }
        )
    elif name == "a":
        url = open_tag.argument or out[open_tag.result_position :].decode("utf-8", "replace")
        checked = _checked_link(url)
        if checked is not None:  # Telegram silently drops links it cannot use
            entities.append(
                {"type": "text_link", "offset": offset, "length": length, "url": checked}
            )
    elif name == "pre":
        if last is not None and same_span and last["type"] == "code" and "language" in last:
            last["type"] = "pre"
        else:
            entities.append({"type": "pre", "offset": offset, "length": length})
    elif name == "code":
        if last is not None and same_span and last["type"] == "pre" and open_tag.argument:
            last["language"] = open_tag.argument
        else:
            entity: JsonDict = {"type": "code", "offset": offset, "length": length}
            if open_tag.argument:
                entity["language"] = open_tag.argument
            entities.append(entity)
    elif name == "blockquote":
        kind = "expandable_blockquote" if open_tag.argument else "blockquote"
        entities.append({"type": kind, "offset": offset, "length": length})


_TRIMMED_WHITESPACE = " \t\r\n\x0b\x0c"


def trim_formatted_text(text: str, entities: list[JsonDict]) -> tuple[str, list[JsonDict]]:
    """Strip leading and trailing whitespace as Telegram does, clipping entities to match."""
    stripped = text.strip(_TRIMMED_WHITESPACE)
    if stripped == text:
        return text, entities
    lead = utf16_length(text[: len(text) - len(text.lstrip(_TRIMMED_WHITESPACE))])
    total = utf16_length(stripped)
    clipped: list[JsonDict] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            clipped.append({**entity, "offset": start, "length": end - start})
    return stripped, clipped


# --------------------------------------------------------------------------- state


@dataclass
class StoredMessage:
    """One message of a chat as the server remembers it, plus the flags tests ask about."""

    message: JsonDict
    from_bot: bool
    deleted: bool = False
    edited: bool = False

    @property
    def message_id(self) -> int:
        return int(self.message["message_id"])

    @property
    def date(self) -> int:
        return int(self.message["date"])

    def inline_keyboard(self) -> list[list[JsonDict]]:
        markup = self.message.get("reply_markup") or {}
        keyboard: list[list[JsonDict]] = markup.get("inline_keyboard", [])
        return keyboard


ChatType = Literal["private", "group", "supergroup", "channel"]
BotStatus = Literal["member", "administrator", "left", "kicked"]


@dataclass
class ChatState:
    """Everything the server knows about one chat: who is in it and every message, in order."""

    id: int
    type: ChatType
    title: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    username: str | None = None
    bot_status: BotStatus = "member"
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    last_message_id: int = 0
    reply_keyboard: JsonDict | None = None
    last_chat_action: str | None = None

    def as_api(self) -> JsonDict:
        """The Chat object Telegram puts into messages."""
        chat: JsonDict = {"id": self.id, "type": self.type}
        optional = {
            "title": self.title,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "username": self.username,
        }
        chat.update({key: value for key, value in optional.items() if value is not None})
        return chat

    def next_message_id(self) -> int:
        self.last_message_id += 1
        return self.last_message_id


BotActionKind = Literal["sent", "edited", "deleted", "callback_answered", "chat_action"]


@dataclass(frozen=True)
class BotAction:
    """Something the bot did that a user could notice, in the order the server saw it."""

    index: int
    kind: BotActionKind
    method: str
    chat_id: int | None
    message_id: int | None
    message: JsonDict | None
    params: JsonDict


@dataclass
class LoggedRequest:
    """One Bot API call as received; ``status`` and ``description`` are filled in on answer."""

    method: str
    params: JsonDict
    files: dict[str, bytes]
    status: int | None = None
    description: str | None = None
    result: Any = None


@dataclass
class _Fault:
    method: str
    status: int | None
    description: str | None
    retry_after: int | None
    delay: float
    times: int


@dataclass
class _UpdateState:
    update: JsonDict
    delivered_at_action: int | None = None
    dropped: str | None = None


@dataclass
class _CallbackQueryState:
    chat_id: int
    answered: bool = False


@dataclass
class _StoredFile:
    file_path: str
    content: bytes
    file_unique_id: str


class Turn:
    """One simulated user action and a way to wait for what the bot did about it.

    Why a turn object instead of "wait for the next message": the bot may still be
    answering an earlier update. A turn only counts what the bot did after it fetched
    *this* update, so a slow earlier answer cannot be mistaken for this one.
    """

    def __init__(self, server: FakeBotApi, update_id: int, chat_id: int | None) -> None:
        self._server = server
        self.update_id = update_id
        self.chat_id = chat_id

    @property
    def update(self) -> JsonDict:
        """The update as the bot receives it."""
        return copy.deepcopy(self._server._updates[self.update_id].update)

    @property
    def message(self) -> JsonDict | None:
        """The user's message, when this turn is one."""
        return self.update.get("message")

    @property
    def message_id(self) -> int | None:
        message = self.message
        return None if message is None else int(message["message_id"])

    @property
    def callback_query(self) -> JsonDict | None:
        return self.update.get("callback_query")

    async def fetched(self, timeout: float = DEFAULT_REPLY_TIMEOUT) -> None:
        """Wait until the bot has fetched this update (getUpdates or webhook)."""
        await self._server._wait_delivered(self.update_id, timeout)

    async def replies(
        self,
        min_count: int = 1,
        *,
        timeout: float = DEFAULT_REPLY_TIMEOUT,
        settle: float = DEFAULT_SETTLE_SECONDS,
        chat_id: int | None = None,
    ) -> list[JsonDict]:
        """Messages the bot sent or edited in the chat after fetching this update.

        Waits until there are at least ``min_count``, then until the bot has been idle for
        ``settle`` seconds, so a test sees every reply, not just the first. Edits come as
        the edited message (with ``edit_date``). ``min_count=0`` asserts silence. If the
        bot fetched several updates in one batch, its answers to all of them count: send
        the next user action after the previous turn's replies to keep turns apart.

        Raises:
            RepliesTimeout: fewer than ``min_count`` replies within ``timeout``.
            UpdateDropped: the bot will never see this update.
        """
        target = self.chat_id if chat_id is None else chat_id
        if target is None:
            raise FakeBotApiError("this turn has no chat; pass chat_id")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        marker = await self._server._wait_delivered(self.update_id, timeout)
        return await self._server._collect_replies(
            target,
            marker,
            min_count=min_count,
            deadline=deadline,
            settle=settle,
            context=f"update {self.update_id}",
        )

    async def callback_answer(self, timeout: float = DEFAULT_REPLY_TIMEOUT) -> JsonDict:
        """The parameters of the bot's answerCallbackQuery for this button press."""
        query = self.callback_query
        if query is None:
            raise FakeBotApiError("this turn is not a button press")
        action = await self._server._wait_for_action(
            lambda a: (
                a.kind == "callback_answered" and a.params.get("callback_query_id") == query["id"]
            ),
            timeout,
            f"answerCallbackQuery for update {self.update_id}",
        )
        return copy.deepcopy(action.params)


# --------------------------------------------------------------------------- request parsing


@dataclass
class _Params:
    """Typed access to one request's parameters, refusing bad values as Telegram does."""

    values: JsonDict

    def present(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        return str(value)

    def integer(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise _bad_request(f'field "{name}" must be of type Integer')  # wording: ours
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
            return int(value)
        raise _bad_request(f'field "{name}" must be of type Integer')  # wording: ours

    def number(self, name: str) -> float | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise _bad_request(f'field "{name}" must be of type Float')  # wording: ours
        if isinstance(value, int | float):
            return float(value)
        try:
            return float(str(value))
        except ValueError:
            raise _bad_request(f'field "{name}" must be of type Float') from None  # wording: ours

    def flag(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1")
        return bool(value)

    def json(self, name: str) -> Any:
        value = self.values.get(name)
        if isinstance(value, str):
            if value == "":
                return None
            try:
                return json.loads(value)
            except ValueError:
                raise _bad_request(f"can't parse {name} JSON object") from None
        return value


def _decode_form_value(name: str, value: str) -> Any:
    """Read a form value as python-telegram-bot wrote it: strings raw, everything else JSON."""
    if name in STRING_PARAMETERS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


# --------------------------------------------------------------------------- the server

_MethodHandler = Callable[[_Params, dict[str, bytes]], Awaitable[Any]]


class FakeBotApi:
    """A Telegram Bot API server on loopback for the real python-telegram-bot to talk to.

    Use ``async with FakeBotApi() as server:`` (or ``await start()``/``await stop()``),
    then give PTB ``base_url=server.base_url`` and ``base_file_url=server.base_file_url``.
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        bot_username: str = "wegweiser_test_bot",
        bot_first_name: str = "Wegweiser Test",
        host: str = "127.0.0.1",
        port: int = 0,
        strict_html: bool = True,
        text_length_unit: Literal["characters", "utf16"] = "characters",
        webhook_retry_delay: float = 0.2,
    ) -> None:
        bot_id_text = token.split(":", 1)[0]
        if not bot_id_text.isdigit():
            raise ValueError("a bot token starts with the bot's numeric id, like 123456:ABC")
        self._token = token
        self._host = host
        self._requested_port = port
        self._port: int | None = None
        self.strict_html = strict_html
        self.text_length_unit = text_length_unit
        self.webhook_retry_delay = webhook_retry_delay
        self.bot_user: JsonDict = {
            "id": int(bot_id_text),
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.clock_offset: float = 0.0
        self.chats: dict[int, ChatState] = {}
        self.requests_log: list[LoggedRequest] = []
        self.actions: list[BotAction] = []
        self.commands: dict[tuple[str, str], list[JsonDict]] = {}
        self.descriptions: dict[tuple[str, str], str] = {}
        self.webhook_url: str | None = None
        self.webhook_secret_token: str | None = None
        self._webhook_last_error: tuple[int, str] | None = None
        self._updates: dict[int, _UpdateState] = {}
        self._pending: list[int] = []
        self._update_ids = itertools.count(FIRST_UPDATE_ID)
        self._callback_ids = itertools.count(4_000_000_001)
        self._file_ids = itertools.count(1)
        self._callback_queries: dict[str, _CallbackQueryState] = {}
        self._files: dict[str, _StoredFile] = {}
        self._allowed_updates: frozenset[str] | None = None
        self._faults: list[_Fault] = []
        self._last_turn: dict[int, Turn] = {}
        self._poll_generation = 0
        self._in_flight = 0
        self._last_activity = 0.0
        self._change = asyncio.Event()
        self._stopping = False
        self._runner: web.AppRunner | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._client: aiohttp.ClientSession | None = None
        self._methods: dict[str, _MethodHandler] = {
            "getme": self._get_me,
            "logout": self._accept,
            "close": self._accept,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "getupdates": self._get_updates,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "deletemessages": self._delete_messages,
            "answercallbackquery": self._answer_callback_query,
            "sendvenue": self._send_venue,
            "sendlocation": self._send_location,
            "sendchataction": self._send_chat_action,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "setmydescription": self._set_my_description,
            "getmydescription": self._get_my_description,
            "setmyshortdescription": self._set_my_short_description,
            "getmyshortdescription": self._get_my_short_description,
            "setmyname": self._set_my_name,
            "getmyname": self._get_my_name,
            "getchat": self._get_chat,
            "leavechat": self._leave_chat,
            "getfile": self._get_file,
        }

    # ----------------------------------------------------------------- lifecycle

    async def start(self) -> FakeBotApi:
        """Bind a free loopback port (unless one was given) and start serving."""
        if self._runner is not None:
            raise FakeBotApiError("the server is already running")
        self._stopping = False
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        # handler_cancellation: a client that hangs up (PTB's read timeout) cancels the call,
        # so a delayed request is not executed behind the test's back.
        runner = web.AppRunner(
            app, access_log=None, shutdown_timeout=0.5, handler_cancellation=True
        )
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._requested_port)
        await site.start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        """Stop serving; waiting long polls return at once."""
        self._stopping = True
        self._notify()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
            self._webhook_task = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._client is not None:
            await self._client.close()
            self._client = None

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise FakeBotApiError("the server is not running; await start() first")
        return self._port

    @property
    def url(self) -> str:
        """The server's root, e.g. ``http://127.0.0.1:41234``."""
        return f"http://{self._host}:{self.port}"

    @property
    def base_url(self) -> str:
        """What PTB's ``base_url`` wants: it appends the token and the method."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """What PTB's ``base_file_url`` wants: it appends the token and the file path."""
        return f"{self.url}/file/bot"

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
        self._faults.append(_Fault(method.lower(), status, description, retry_after, delay, times))

    def inject_delay(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` wait ``seconds`` before being handled.

        If the client gives up first (PTB's ``TimedOut``), the call is cancelled unexecuted.
        """
        self._faults.append(_Fault(method.lower(), None, None, None, seconds, times))

    def _take_fault(self, method: str) -> _Fault | None:
        for fault in self._faults:
            if fault.method in ("*", method.lower()):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    # ----------------------------------------------------------------- inspection

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
        return len(self.actions)

    @property
    def pending_update_count(self) -> int:
        return len(self._pending)

    # ----------------------------------------------------------------- waiting

    def _notify(self) -> None:
        self._change.set()
        self._change = asyncio.Event()

    async def _wait_change(self, event: asyncio.Event, timeout: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), max(timeout, 0.0))

    def _mark_activity(self) -> None:
        self._last_activity = asyncio.get_running_loop().time()

    async def _wait_delivered(self, update_id: int, timeout: float) -> int:
        """Wait until the bot fetched the update; returns the action index at that moment."""
        state = self._updates[update_id]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._change
            if state.delivered_at_action is not None:
                return state.delivered_at_action
            if state.dropped is not None:
                raise UpdateDropped(f"update {update_id} will never reach the bot: {state.dropped}")
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise RepliesTimeout(
                    f"the bot did not fetch update {update_id} within {timeout:g} s "
                    "(is it polling or is a webhook set? is the type in allowed_updates?)"
                )
            await self._wait_change(event, remaining)

    async def _collect_replies(
        self,
        chat_id: int,
        marker: int,
        *,
        min_count: int,
        deadline: float,
        settle: float,
        context: str,
    ) -> list[JsonDict]:
        loop = asyncio.get_running_loop()
        while True:
            event = self._change
            replies = [
                copy.deepcopy(action.message)
                for action in self.actions[marker:]
                if action.chat_id == chat_id
                and action.kind in ("sent", "edited")
                and action.message is not None
            ]
            now = loop.time()
            if len(replies) < min_count:
                if now >= deadline:
                    raise RepliesTimeout(
                        self._describe_missing(chat_id, context, min_count, replies)
                    )
                await self._wait_change(event, deadline - now)
                continue
            if now >= deadline:
                return replies
            if self._in_flight > 0:  # a bot call is still being answered; wait for it
                await self._wait_change(event, deadline - now)
                continue
            idle_for = now - self._last_activity
            if idle_for >= settle:
                return replies
            await self._wait_change(event, min(settle - idle_for, deadline - now))

    def _describe_missing(
        self, chat_id: int, context: str, min_count: int, replies: list[JsonDict]
    ) -> str:
        """A failure message that shows what the bot did instead, to save a debugging round."""
        got = [reply.get("text", "<no text>") for reply in replies]
        failures = [
            f"{r.method} -> {r.status} {r.description}"
            for r in self.requests_log[-20:]
            if r.status not in (None, 200)
        ]
        lines = [
            f"expected at least {min_count} bot message(s) in chat {chat_id} after {context}, "
            f"got {len(replies)}: {got!r}"
        ]
        if failures:
            lines.append("recent failed bot requests: " + "; ".join(failures))
        return "\n".join(lines)

    async def _wait_for_action(
        self, predicate: Callable[[BotAction], bool], timeout: float, what: str
    ) -> BotAction:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._change
            for action in self.actions:
                if predicate(action):
                    return action
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise RepliesTimeout(f"no {what} within {timeout:g} s")
            await self._wait_change(event, remaining)

    async def wait_for_bot_messages(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = DEFAULT_REPLY_TIMEOUT,
        *,
        since: int | None = None,
        settle: float = DEFAULT_SETTLE_SECONDS,
    ) -> list[JsonDict]:
        """Bot messages sent or edited in a chat after a point in time.

        ``since`` is a :meth:`marker`; without it, the point is when the bot fetched the
        last user action in this chat (or the server's start, if there was none).
        Prefer ``turn.replies()`` when a turn is at hand.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        turn = self._last_turn.get(chat_id) if since is None else None
        if since is None:
            since = 0 if turn is None else await self._wait_delivered(turn.update_id, timeout)
        context = "the last user action" if turn is not None else f"marker {since}"
        return await self._collect_replies(
            chat_id, since, min_count=count, deadline=deadline, settle=settle, context=context
        )

    # ----------------------------------------------------------------- HTTP layer

    async def _read_request(self, request: web.Request) -> tuple[JsonDict, dict[str, bytes]]:
        values: JsonDict = {
            key: _decode_form_value(key, value) for key, value in request.query.items()
        }
        files: dict[str, bytes] = {}
        if request.method != "POST" or not request.body_exists:
            return values, files
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise _bad_request("can't parse JSON encoded request") from None  # wording: ours
            if not isinstance(body, dict):
                raise _bad_request("JSON encoded request must be an Object")  # wording: ours
            for key, value in body.items():
                if isinstance(value, str):
                    value = (
                        _decode_form_value(key, value) if key not in STRING_PARAMETERS else value
                    )
                values[key] = value
            return values, files
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = value.file.read()
            else:
                values[key] = _decode_form_value(key, str(value))
        return values, files

    def _error_response(self, error: ApiError) -> web.Response:
        if error.status in (502, 504):  # Telegram's front proxy answers these with a page
            phrase = "Bad Gateway" if error.status == 502 else "Gateway Time-out"
            page = f"<html><head><title>{error.status} {phrase}</title></head></html>"
            return web.Response(status=error.status, text=page, content_type="text/html")
        body: JsonDict = {
            "ok": False,
            "error_code": error.status,
            "description": error.description,
        }
        if error.retry_after is not None:
            body["parameters"] = {"retry_after": error.retry_after}
        return web.json_response(body, status=error.status)

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            values, files = await self._read_request(request)
        except ApiError as error:
            return self._error_response(error)
        if request.match_info["token"] != self._token:
            return self._error_response(ApiError(401, "Unauthorized"))
        entry = LoggedRequest(method=method, params=values, files=files)
        self.requests_log.append(entry)
        is_poll = method.lower() == "getupdates"
        if not is_poll:
            self._in_flight += 1
        try:
            result = await self._dispatch(method, _Params(values), files)
        except ApiError as error:
            entry.status, entry.description = error.status, error.description
            return self._error_response(error)
        finally:
            if not is_poll:
                self._in_flight -= 1
                self._mark_activity()
                self._notify()
        entry.status, entry.result = 200, result
        return web.json_response({"ok": True, "result": result})

    async def _dispatch(self, method: str, params: _Params, files: dict[str, bytes]) -> Any:
        fault = self._take_fault(method)
        if fault is not None:
            if fault.delay > 0:
                await asyncio.sleep(fault.delay)
            if fault.status is not None:
                raise ApiError(
                    fault.status,
                    fault.description
                    or _default_error_description(fault.status, fault.retry_after),
                    retry_after=fault.retry_after,
                )
        handler = self._methods.get(method.lower())
        if handler is None:
            raise ApiError(404, "Not Found")
        return await handler(params, files)

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self._token:
            return self._error_response(ApiError(401, "Unauthorized"))
        path = request.match_info["path"]
        for stored in self._files.values():
            if stored.file_path == path:
                return web.Response(body=stored.content, content_type="application/octet-stream")
        return self._error_response(ApiError(404, "Not Found"))

    # ----------------------------------------------------------------- shared checks

    def _chat_from(self, params: _Params, name: str = "chat_id") -> ChatState:
        value = params.values.get(name)
        if value is None or value == "":
            raise _bad_request("chat_id is empty")
        if isinstance(value, str) and value.startswith("@"):
            wanted = value[1:].lower()
            for chat in self.chats.values():
                if chat.username is not None and chat.username.lower() == wanted:
                    return chat
            raise _bad_request("chat not found")
        try:
            chat_id = params.integer(name)
        except ApiError:
            raise _bad_request("chat not found") from None
        chat = self.chats.get(chat_id) if chat_id is not None else None
        if chat is None:
            raise _bad_request("chat not found")
        return chat

    def _writable_chat(self, params: _Params) -> ChatState:
        chat = self._chat_from(params)
        kind = "supergroup" if chat.type == "supergroup" else "group"
        if chat.type == "private" and chat.bot_status == "kicked":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat.type != "private" and chat.bot_status == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {kind} chat")
        if chat.type != "private" and chat.bot_status == "left":
            raise ApiError(403, f"Forbidden: bot is not a member of the {kind} chat")
        return chat

    def _formatted_text(self, params: _Params, name: str = "text") -> tuple[str, list[JsonDict]]:
        """Visible text and entities after parse_mode, with Telegram's empty/too-long checks."""
        source = params.text(name)
        if source is None or source == "":
            raise _bad_request("message text is empty")
        given_entities = params.json("entities")
        parse_mode = (params.text("parse_mode") or "").strip()
        if given_entities:
            text, entities = source, _validate_entities(given_entities, source)
        elif parse_mode.lower() == "html":
            try:
                text, entities = parse_telegram_html(source, strict=self.strict_html)
            except EntityParseError as error:
                raise _bad_request(f"can't parse entities: {error}") from None
        elif parse_mode == "":
            text, entities = source, []
        elif parse_mode.lower() in ("markdown", "markdownv2"):
            raise _bad_request(
                "unsupported parse_mode: this fake server implements only HTML"  # wording: ours
            )
        else:
            raise _bad_request("unsupported parse_mode")
        text, entities = trim_formatted_text(text, entities)
        if not text:
            raise _bad_request("message text is empty")
        length = utf16_length(text) if self.text_length_unit == "utf16" else len(text)
        if length > MAX_MESSAGE_TEXT_LENGTH:
            raise _bad_request("message is too long")
        return text, entities

    def _bot_message(self, params: _Params, *, missing: str) -> tuple[ChatState, StoredMessage]:
        if params.present("inline_message_id"):
            raise _bad_request("inline messages are not supported by this fake server")  # ours
        chat = self._chat_from(params)
        message_id = params.integer("message_id")
        if message_id is None:
            raise _bad_request("message identifier is not specified")
        stored = chat.messages.get(message_id)
        if stored is None or stored.deleted:
            raise _bad_request(missing)
        return chat, stored

    def _store_bot_message(
        self,
        method: str,
        chat: ChatState,
        content: JsonDict,
        params: _Params,
    ) -> JsonDict:
        markup = _validate_reply_markup(params.json("reply_markup"))
        reply_to = self._reply_target(chat, params)
        message: JsonDict = {
            "message_id": chat.next_message_id(),
            "from": dict(self.bot_user),
            "chat": chat.as_api(),
            "date": self.now(),
            **content,
        }
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if markup is not None and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        elif markup is not None and "keyboard" in markup:
            chat.reply_keyboard = markup
        elif markup is not None and "remove_keyboard" in markup:
            chat.reply_keyboard = None
        chat.messages[message["message_id"]] = StoredMessage(message=message, from_bot=True)
        self._record_action("sent", method, chat.id, message["message_id"], message, params)
        return copy.deepcopy(message)

    def _reply_target(self, chat: ChatState, params: _Params) -> JsonDict | None:
        reply_parameters = params.json("reply_parameters")
        if isinstance(reply_parameters, dict):
            message_id = reply_parameters.get("message_id")
            allow_missing = bool(reply_parameters.get("allow_sending_without_reply"))
        else:
            message_id = params.integer("reply_to_message_id")
            allow_missing = params.flag("allow_sending_without_reply")
        if message_id is None:
            return None
        stored = chat.messages.get(int(message_id))
        if stored is None or stored.deleted:
            if allow_missing:
                return None
            raise _bad_request("message to be replied not found")
        target = copy.deepcopy(stored.message)
        target.pop("reply_to_message", None)
        return target

    def _record_action(
        self,
        kind: BotActionKind,
        method: str,
        chat_id: int | None,
        message_id: int | None,
        message: JsonDict | None,
        params: _Params,
    ) -> None:
        self.actions.append(
            BotAction(
                index=len(self.actions),
                kind=kind,
                method=method,
                chat_id=chat_id,
                message_id=message_id,
                message=copy.deepcopy(message),
                params=copy.deepcopy(params.values),
            )
        )
        self._mark_activity()
        self._notify()

    def _check_deletable(self, chat: ChatState, stored: StoredMessage) -> None:
        if self.now() - stored.date >= DELETE_WINDOW_SECONDS:
            raise _bad_request("message can't be deleted for everyone")
        if not stored.from_bot and chat.type != "private" and chat.bot_status != "administrator":
            raise _bad_request("message can't be deleted")

    # ----------------------------------------------------------------- methods: bot & webhook

    async def _accept(self, params: _Params, files: dict[str, bytes]) -> bool:
        return True

    async def _get_me(self, params: _Params, files: dict[str, bytes]) -> JsonDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _set_webhook(self, params: _Params, files: dict[str, bytes]) -> bool:
        url = (params.text("url") or "").strip()
        if not url:
            return await self._delete_webhook(params, files)
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            # Telegram wants HTTPS on 443/80/88/8443; loopback tests cannot have that.
            raise _bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.text("secret_token")
        if secret is not None and not _SECRET_TOKEN_PATTERN.fullmatch(secret):
            raise _bad_request("secret token contains unallowed characters")  # wording: ours
        self._set_allowed_updates(params)
        if params.flag("drop_pending_updates"):
            self._drop_pending("drop_pending_updates was set")
        self.webhook_url = url
        self.webhook_secret_token = secret
        self._webhook_last_error = None
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.create_task(self._deliver_to_webhook())
        self._notify()
        return True

    async def _delete_webhook(self, params: _Params, files: dict[str, bytes]) -> bool:
        if params.flag("drop_pending_updates"):
            self._drop_pending("drop_pending_updates was set")
        self.webhook_url = None
        self.webhook_secret_token = None
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            self._webhook_task = None
        return True

    async def _get_webhook_info(self, params: _Params, files: dict[str, bytes]) -> JsonDict:
        info: JsonDict = {
            "url": self.webhook_url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self.webhook_url:
            info["max_connections"] = 40
            if self._allowed_updates is not None:
                info["allowed_updates"] = sorted(self._allowed_updates)
        if self._webhook_last_error is not None:
            info["last_error_date"], info["last_error_message"] = self._webhook_last_error
        return info

    def _set_allowed_updates(self, params: _Params) -> None:
        allowed = params.json("allowed_updates")
        if allowed is None:
            return
        if not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed):
            raise _bad_request("can't parse allowed_updates JSON object")
        self._allowed_updates = frozenset(allowed) if allowed else None

    def _is_allowed(self, update: JsonDict) -> bool:
        kind = next((key for key in update if key != "update_id"), "")
        if self._allowed_updates is None:
            return kind not in DEFAULT_EXCLUDED_UPDATES
        return kind in self._allowed_updates

    def _drop_pending(self, reason: str) -> None:
        for update_id in self._pending:
            state = self._updates[update_id]
            if state.delivered_at_action is None:
                state.dropped = reason
        self._pending.clear()
        self._notify()

    def _confirm(self, offset: int) -> None:
        """Forget updates below ``offset`` (or all but the last ``-offset``), as Telegram does."""
        if offset > 0:
            keep = [u for u in self._pending if u >= offset]
        elif offset < 0:
            keep = self._pending[offset:]
        else:
            return
        for update_id in set(self._pending) - set(keep):
            state = self._updates[update_id]
            if state.delivered_at_action is None:
                state.dropped = f"confirmed by offset {offset} before the bot fetched it"
        self._pending = keep

    def _deliverable(self, limit: int) -> list[JsonDict]:
        batch: list[JsonDict] = []
        for update_id in list(self._pending):
            state = self._updates[update_id]
            if not self._is_allowed(state.update):
                state.dropped = "its type is not in allowed_updates"
                self._pending.remove(update_id)
                continue
            batch.append(state.update)
            if len(batch) >= limit:
                break
        return batch

    def _mark_delivered(self, update_ids: list[int]) -> None:
        for update_id in update_ids:
            state = self._updates[update_id]
            if state.delivered_at_action is None:
                state.delivered_at_action = len(self.actions)
        if update_ids:
            self._mark_activity()
            self._notify()

    async def _get_updates(self, params: _Params, files: dict[str, bytes]) -> list[JsonDict]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.integer("offset") or 0
        limit = params.integer("limit") or MAX_UPDATES_PER_CALL
        limit = min(max(limit, 1), MAX_UPDATES_PER_CALL)
        timeout = max(params.number("timeout") or 0.0, 0.0)
        self._set_allowed_updates(params)
        self._confirm(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # an older long poll notices it was replaced
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._change
            if self._poll_generation != generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            batch = self._deliverable(limit)
            remaining = deadline - loop.time()
            if batch or self._stopping or remaining <= 0 or self.webhook_url:
                break
            await self._wait_change(event, remaining)
        self._mark_delivered([u["update_id"] for u in batch])
        return copy.deepcopy(batch)

    async def _deliver_to_webhook(self) -> None:
        """Post pending updates to the webhook one at a time, retrying like Telegram does."""
        if self._client is None:
            self._client = aiohttp.ClientSession()
        while not self._stopping and self.webhook_url:
            event = self._change
            batch = self._deliverable(1)
            if not batch:
                await event.wait()
                continue
            update = batch[0]
            headers = {}
            if self.webhook_secret_token:
                headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook_secret_token
            self._mark_delivered([update["update_id"]])
            try:
                async with self._client.post(
                    self.webhook_url,
                    json=update,
                    headers=headers,
                    timeout=aiohttp.ClientTimeout(total=10),
                ) as response:
                    delivered = 200 <= response.status < 300
                    error = f"Wrong response from the webhook: {response.status} {response.reason}"
            except (aiohttp.ClientError, TimeoutError) as exc:
                delivered, error = False, f"Connection failed: {exc!r}"
            if delivered:
                if update["update_id"] in self._pending:
                    self._pending.remove(update["update_id"])
                self._notify()
            else:
                self._webhook_last_error = (self.now(), error)
                await asyncio.sleep(self.webhook_retry_delay)

    # ----------------------------------------------------------------- methods: messages

    async def _send_message(self, params: _Params, files: dict[str, bytes]) -> JsonDict:
        chat = self._writable_chat(params)
        text, entities = self._formatted_text(params)
        content: JsonDict = {"text": text}
        if entities:
            content["entities"] = entities
        return self._store_bot_message("sendMessage", chat, content, params)

    async def _send_location(self, params: _Params, files: dict[str, bytes]) -> JsonDict:
        chat = self._writable_chat(params)
        location = _location_from(params)
        live_period = params.integer("live_period")
        if live_period is not None:
            if not (60 <= live_period <= 86400 or live_period == 0x7FFFFFFF):
                raise _bad_request("wrong live period specified")  # wording: ours
            location["live_period"] = live_period
        return self._store_bot_message("sendLocation", chat, {"location": location}, params)

    async def _send_venue(self, params: _Params, files: dict[str, bytes]) -> JsonDict:
        chat = self._writable_chat(params)
        location = _location_from(params)
        venue: JsonDict = {"location": location}
        for name in ("title", "address"):
            value = params.text(name)
            if not value:
                raise _bad_request(f"venue {name} is empty")  # wording: ours
            venue[name] = value
        for name in ("foursquare_id", "foursquare_type", "google_place_id", "google_place_type"):
            if params.present(name):
                venue[name] = params.text(name)
        content = {"venue": venue, "location": dict(location)}
        return self._store_bot_message("sendVenue", chat, content, params)

    async def _edit_message_text(self, params: _Params, files: dict[str, bytes]) -> JsonDict:
        chat, stored = self._bot_message(params, missing="message to edit not found")
        if not stored.from_bot:
            raise _bad_request("message can't be edited")
        if "text" not in stored.message:
            raise _bad_request("there is no text in the message to edit")
        text, entities = self._formatted_text(params)
        markup = _inline_markup_only(_validate_reply_markup(params.json("reply_markup")))
        old = stored.message
        if (
            old["text"] == text
            and old.get("entities", []) == entities
            and old.get("reply_markup") == markup
        ):
            raise _bad_request(_NOT_MODIFIED)
        old["text"] = text
        _set_or_drop(old, "entities", entities or None)
        _set_or_drop(old, "reply_markup", markup)
        return self._finish_edit("editMessageText", chat, stored, params)

    async def _edit_message_reply_markup(
        self, params: _Params, files: dict[str, bytes]
    ) -> JsonDict:
        chat, stored = self._bot_message(params, missing="message to edit not found")
        if not stored.from_bot:
            raise _bad_request("message can't be edited")
        markup = _inline_markup_only(_validate_reply_markup(params.json("reply_markup")))
        if stored.message.get("reply_markup") == markup:
            raise _bad_request(_NOT_MODIFIED)
        _set_or_drop(stored.message, "reply_markup", markup)
        return self._finish_edit("editMessageReplyMarkup", chat, stored, params)

    def _finish_edit(
        self, method: str, chat: ChatState, stored: StoredMessage, params: _Params
    ) -> JsonDict:
        stored.message["edit_date"] = self.now()
        stored.message["chat"] = chat.as_api()
        stored.edited = True
        self._record_action("edited", method, chat.id, stored.message_id, stored.message, params)
        return copy.deepcopy(stored.message)

    async def _delete_message(self, params: _Params, files: dict[str, bytes]) -> bool:
        chat, stored = self._bot_message(params, missing="message to delete not found")
        self._check_deletable(chat, stored)
        stored.deleted = True
        self._record_action("deleted", "deleteMessage", chat.id, stored.message_id, None, params)
        return True

    async def _delete_messages(self, params: _Params, files: dict[str, bytes]) -> bool:
        chat = self._chat_from(params)
        message_ids = params.json("message_ids")
        if not isinstance(message_ids, list) or not message_ids:
            raise _bad_request("message identifiers are not specified")  # wording: ours
        if len(message_ids) > MAX_MESSAGES_PER_DELETE:
            raise _bad_request("too many messages to delete")  # wording: ours
        for message_id in message_ids:
            stored = chat.messages.get(int(message_id))
            if stored is None or stored.deleted:
                continue  # Bot API: messages that can't be found are skipped
            try:
                self._check_deletable(chat, stored)
            except ApiError:
                continue
            stored.deleted = True
            self._record_action(
                "deleted", "deleteMessages", chat.id, stored.message_id, None, params
            )
        return True

    async def _answer_callback_query(self, params: _Params, files: dict[str, bytes]) -> bool:
        query_id = params.text("callback_query_id") or ""
        state = self._callback_queries.get(query_id)
        if state is None or state.answered:
            raise _bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.text("text") or ""
        if len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad_request("MESSAGE_TOO_LONG")
        state.answered = True
        self._record_action(
            "callback_answered", "answerCallbackQuery", state.chat_id, None, None, params
        )
        return True

    async def _send_chat_action(self, params: _Params, files: dict[str, bytes]) -> bool:
        chat = self._writable_chat(params)
        action = params.text("action") or ""
        if action not in CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        chat.last_chat_action = action
        self._record_action("chat_action", "sendChatAction", chat.id, None, None, params)
        return True

    # ----------------------------------------------------------------- methods: bot settings

    async def _set_my_commands(self, params: _Params, files: dict[str, bytes]) -> bool:
        commands = params.json("commands")
        if not isinstance(commands, list):
            raise _bad_request("can't parse commands JSON object")  # wording: ours
        if len(commands) > MAX_BOT_COMMANDS:
            raise _bad_request("too many commands specified")  # wording: ours
        cleaned: list[JsonDict] = []
        for command in commands:
            if not isinstance(command, dict):
                raise _bad_request("BotCommand must be an Object")  # wording: ours
            name = str(command.get("command", "")).removeprefix("/")
            description = str(command.get("description", ""))
            if not _BOT_COMMAND_PATTERN.fullmatch(name):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description.strip()) <= 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")  # wording: ours
            cleaned.append({"command": name, "description": description})
        self.commands[self._settings_key(params)] = cleaned
        return True

    async def _get_my_commands(self, params: _Params, files: dict[str, bytes]) -> list[JsonDict]:
        return copy.deepcopy(self.commands.get(self._settings_key(params), []))

    async def _delete_my_commands(self, params: _Params, files: dict[str, bytes]) -> bool:
        self.commands.pop(self._settings_key(params), None)
        return True

    def _settings_key(self, params: _Params, *, with_scope: bool = True) -> tuple[str, str]:
        """(scope, language_code): Telegram keeps commands and descriptions per both."""
        language = params.text("language_code") or ""
        if language and not _LANGUAGE_CODE_PATTERN.fullmatch(language):
            raise _bad_request("invalid language code specified")  # wording: ours
        scope = params.json("scope") if with_scope else None
        if scope is None:
            scope = {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in BOT_COMMAND_SCOPES:
            raise _bad_request("can't parse BotCommandScope JSON object")  # wording: ours
        return json.dumps(scope, sort_keys=True), language

    def _set_text_setting(self, params: _Params, kind: str, limit: int) -> bool:
        value = params.text(kind) or ""
        if len(value) > limit:
            raise _bad_request(f"{kind.upper()}_INVALID")  # wording: ours
        key = (kind, self._settings_key(params, with_scope=False)[1])
        if value:
            self.descriptions[key] = value
        else:
            self.descriptions.pop(key, None)
        return True

    def _get_text_setting(self, params: _Params, kind: str) -> JsonDict:
        language = self._settings_key(params, with_scope=False)[1]
        value = self.descriptions.get((kind, language)) or self.descriptions.get((kind, ""), "")
        return {kind: value}

    async def _set_my_description(self, params: _Params, files: dict[str, bytes]) -> bool:
        return self._set_text_setting(params, "description", 512)

    async def _get_my_description(self, params: _Params, files: dict[str, bytes]) -> JsonDict:
        return self._get_text_setting(params, "description")

    async def _set_my_short_description(self, params: _Params, files: dict[str, bytes]) -> bool:
        return self._set_text_setting(params, "short_description", 120)

    async def _get_my_short_description(self, params: _Params, files: dict[str, bytes]) -> JsonDict:
        return self._get_text_setting(params, "short_description")

    async def _set_my_name(self, params: _Params, files: dict[str, bytes]) -> bool:
        return self._set_text_setting(params, "name", 64)

    async def _get_my_name(self, params: _Params, files: dict[str, bytes]) -> JsonDict:
        result = self._get_text_setting(params, "name")
        return {"name": result["name"] or self.bot_user["first_name"]}

    # ----------------------------------------------------------------- methods: chats & files

    async def _get_chat(self, params: _Params, files: dict[str, bytes]) -> JsonDict:
        chat = self._chat_from(params)
        return {
            **chat.as_api(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def _leave_chat(self, params: _Params, files: dict[str, bytes]) -> bool:
        chat = self._chat_from(params)
        if chat.type == "private":
            raise _bad_request("chat member status can't be changed in private chats")
        chat.bot_status = "left"
        return True

    async def _get_file(self, params: _Params, files: dict[str, bytes]) -> JsonDict:
        file_id = params.text("file_id") or ""
        stored = self._files.get(file_id)
        if stored is None:
            raise _bad_request("invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    # ----------------------------------------------------------------- test side: users

    def _user(
        self,
        chat: ChatState,
        user_id: int | None,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language_code: str | None,
    ) -> JsonDict:
        if user_id is None:
            user_id = chat.id if chat.type == "private" else DEFAULT_GROUP_USER_ID
        user: JsonDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        for key, value in (
            ("last_name", last_name),
            ("username", username),
            ("language_code", language_code),
        ):
            if value is not None:
                user[key] = value
        return user

    def _ensure_chat(
        self,
        chat_id: int,
        chat_type: ChatType,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        title: str | None = None,
    ) -> ChatState:
        chat = self.chats.get(chat_id)
        if chat is None:
            if chat_type == "private":
                chat = ChatState(
                    id=chat_id,
                    type=chat_type,
                    first_name=first_name,
                    last_name=last_name,
                    username=username,
                )
            else:
                chat = ChatState(
                    id=chat_id, type=chat_type, title=title or "Test group", bot_status="left"
                )
            self.chats[chat_id] = chat
        elif chat.type != chat_type:
            raise UserActionError(f"chat {chat_id} is a {chat.type} chat, not {chat_type}")
        return chat

    def _enqueue(self, update_body: JsonDict, chat_id: int | None) -> Turn:
        update_id = next(self._update_ids)
        update = {"update_id": update_id, **update_body}
        self._updates[update_id] = _UpdateState(update=update)
        self._pending.append(update_id)
        turn = Turn(self, update_id, chat_id)
        if chat_id is not None:
            self._last_turn[chat_id] = turn
        self._notify()
        return turn

    async def user_sends(
        self,
        chat_id: int,
        content: JsonDict,
        *,
        user_id: int | None = None,
        first_name: str = "Test",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        chat_type: ChatType = "private",
        chat_title: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> Turn:
        """A user posts a message with any content fields (``{"contact": {...}}`` ...).

        The specific ``user_sends_*`` methods build ``content`` for the common kinds.
        """
        chat = self._ensure_chat(
            chat_id,
            chat_type,
            first_name=first_name,
            last_name=last_name,
            username=username,
            title=chat_title,
        )
        if chat.bot_status == "kicked" and chat.type == "private":
            raise UserActionError("the user blocked the bot; call user_unblocks_bot first")
        if chat.bot_status in ("left", "kicked") and chat.type != "private":
            raise UserActionError("the bot is not in this group; call bot_added_to_group first")
        message: JsonDict = {
            "message_id": chat.next_message_id(),
            "from": self._user(chat, user_id, first_name, last_name, username, language_code),
            "chat": chat.as_api(),
            "date": self.now(),
            **copy.deepcopy(content),
        }
        if reply_to_message_id is not None:
            target = chat.messages.get(reply_to_message_id)
            if target is None or target.deleted:
                raise UserActionError(f"no message {reply_to_message_id} to reply to")
            replied = copy.deepcopy(target.message)
            replied.pop("reply_to_message", None)
            message["reply_to_message"] = replied
        chat.messages[message["message_id"]] = StoredMessage(message=message, from_bot=False)
        return self._enqueue({"message": copy.deepcopy(message)}, chat.id)

    async def user_sends_text(self, chat_id: int, text: str, **user: Any) -> Turn:
        """A user types ``text``; "/commands" get bot_command entities as Telegram adds them.

        ``**user`` takes the sender keywords of :meth:`user_sends` (user_id, chat_type ...).
        """
        if not text.strip():
            raise UserActionError("Telegram clients do not send empty messages")
        content: JsonDict = {"text": text}
        entities = [
            {
                "type": "bot_command",
                "offset": utf16_length(text[: match.start()]),
                "length": utf16_length(match.group()),
            }
            for match in _USER_COMMAND_PATTERN.finditer(text)
        ]
        if entities:
            content["entities"] = entities
        return await self.user_sends(chat_id, content, **user)

    async def user_sends_location(
        self,
        chat_id: int,
        latitude: float,
        longitude: float,
        *,
        live_period: int | None = None,
        **user: Any,
    ) -> Turn:
        """A user shares a location (attachment menu or a request_location button).

        ``**user`` takes the sender keywords of :meth:`user_sends` (user_id, chat_type ...).
        """
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise UserActionError("latitude must be in [-90, 90] and longitude in [-180, 180]")
        location: JsonDict = {"latitude": latitude, "longitude": longitude}
        if live_period is not None:
            location["live_period"] = live_period
        return await self.user_sends(chat_id, {"location": location}, **user)

    async def user_sends_voice(
        self,
        chat_id: int,
        *,
        duration: int = 3,
        content: bytes = b"OggS fake voice note",
        **user: Any,
    ) -> Turn:
        """A user records a voice note; ``getFile`` and the file URL serve ``content``.

        ``**user`` takes the sender keywords of :meth:`user_sends`, as below.
        """
        file = self._register_file("voice", "oga", content)
        voice = {**file, "duration": duration, "mime_type": "audio/ogg"}
        return await self.user_sends(chat_id, {"voice": voice}, **user)

    async def user_sends_sticker(self, chat_id: int, *, emoji: str = "👍", **user: Any) -> Turn:
        """A user sends a plain (non-animated) sticker."""
        file = self._register_file("stickers", "webp", b"RIFF fake sticker")
        sticker = {
            **file,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return await self.user_sends(chat_id, {"sticker": sticker}, **user)

    async def user_sends_photo(
        self,
        chat_id: int,
        *,
        caption: str | None = None,
        content: bytes = b"\xff\xd8\xff fake jpeg",
        **user: Any,
    ) -> Turn:
        """A user sends a photo; Telegram delivers it in two sizes."""
        small = self._register_file("photos", "jpg", content)
        large = self._register_file("photos", "jpg", content)
        photo = [{**small, "width": 90, "height": 67}, {**large, "width": 1280, "height": 960}]
        message: JsonDict = {"photo": photo}
        if caption is not None:
            message["caption"] = caption
        return await self.user_sends(chat_id, message, **user)

    def _register_file(self, folder: str, extension: str, content: bytes) -> JsonDict:
        number = next(self._file_ids)
        file_id = f"FAKE-FILE-{number}"
        unique_id = f"fake{number}"
        path = f"{folder}/file_{number}.{extension}"
        self._files[file_id] = _StoredFile(path, content, unique_id)
        return {"file_id": file_id, "file_unique_id": unique_id, "file_size": len(content)}

    async def user_presses_button(
        self,
        chat_id: int,
        message_id: int,
        callback_data: str | None = None,
        *,
        text: str | None = None,
        allow_stale: bool = False,
        user_id: int | None = None,
        first_name: str = "Test",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> Turn:
        """A user taps an inline button, found by ``callback_data`` or by its ``text``.

        The button must be on the message as it is now; ``allow_stale=True`` presses a
        button that was edited away or a message that was deleted, as an old client can.
        """
        if (callback_data is None) == (text is None):
            raise UserActionError("name the button by callback_data or by text, not both")
        chat = self.chat(chat_id)
        stored = chat.messages.get(message_id)
        if stored is None:
            raise UserActionError(f"no message {message_id} in chat {chat_id}")
        buttons = [button for row in stored.inline_keyboard() for button in row]
        found = next(
            (
                b
                for b in buttons
                if (callback_data is not None and b.get("callback_data") == callback_data)
                or (text is not None and b.get("text") == text)
            ),
            None,
        )
        if not allow_stale:
            if stored.deleted:
                raise UserActionError(f"message {message_id} was deleted")
            if found is None:
                available = [(b.get("text"), b.get("callback_data")) for b in buttons]
                raise UserActionError(
                    f"message {message_id} has no such button; buttons are {available!r}"
                )
        if found is not None and "callback_data" not in found:
            raise UserActionError("that button opens a URL or similar; it sends no update")
        data = callback_data if callback_data is not None else (found or {}).get("callback_data")
        if data is None:
            raise UserActionError("a stale button needs its callback_data")
        query_id = str(next(self._callback_ids))
        self._callback_queries[query_id] = _CallbackQueryState(chat_id=chat.id)
        query = {
            "id": query_id,
            "from": self._user(chat, user_id, first_name, last_name, username, language_code),
            "message": copy.deepcopy(stored.message),
            "chat_instance": str(abs(chat.id) * 7919 + 13),
            "data": data,
        }
        return self._enqueue({"callback_query": query}, chat.id)

    def _member_update(self, chat: ChatState, user: JsonDict, old: JsonDict, new: JsonDict) -> Turn:
        update = {
            "chat": chat.as_api(),
            "from": user,
            "date": self.now(),
            "old_chat_member": old,
            "new_chat_member": new,
        }
        return self._enqueue({"my_chat_member": update}, chat.id)

    def _bot_member(self, status: BotStatus) -> JsonDict:
        bot = dict(self.bot_user)
        if status == "administrator":
            rights = {
                name: name != "can_be_edited"
                for name in (
                    "can_be_edited",
                    "can_manage_chat",
                    "can_delete_messages",
                    "can_manage_video_chats",
                    "can_restrict_members",
                    "can_promote_members",
                    "can_change_info",
                    "can_invite_users",
                    "can_post_stories",
                    "can_edit_stories",
                    "can_delete_stories",
                )
            }
            return {"status": "administrator", "user": bot, "is_anonymous": False, **rights}
        if status == "kicked":
            return {"status": "kicked", "user": bot, "until_date": 0}
        return {"status": status, "user": bot}

    async def bot_added_to_group(
        self,
        chat_id: int,
        *,
        title: str = "Test group",
        chat_type: Literal["group", "supergroup"] = "group",
        as_admin: bool = False,
        user_id: int | None = None,
        first_name: str = "Admin",
        language_code: str | None = None,
    ) -> Turn:
        """Someone adds the bot to a group: a my_chat_member update, then the service message.

        The turn is the my_chat_member update; its replies include answers to both.
        """
        chat = self._ensure_chat(chat_id, chat_type, title=title)
        if chat.bot_status in ("member", "administrator"):
            raise UserActionError(f"the bot is already in chat {chat_id}")
        user = self._user(chat, user_id, first_name, None, None, language_code)
        old = self._bot_member(chat.bot_status)
        chat.bot_status = "administrator" if as_admin else "member"
        turn = self._member_update(chat, user, old, self._bot_member(chat.bot_status))
        service: JsonDict = {
            "message_id": chat.next_message_id(),
            "from": user,
            "chat": chat.as_api(),
            "date": self.now(),
            "new_chat_members": [dict(self.bot_user)],
        }
        chat.messages[service["message_id"]] = StoredMessage(message=service, from_bot=False)
        self._enqueue({"message": copy.deepcopy(service)}, chat.id)
        self._last_turn[chat.id] = turn
        return turn

    async def user_blocks_bot(self, chat_id: int) -> Turn:
        """The user blocks the bot; sending to them then fails with 403 Forbidden."""
        return self._set_private_bot_status(chat_id, "kicked")

    async def user_unblocks_bot(self, chat_id: int) -> Turn:
        """The user unblocks the bot again."""
        return self._set_private_bot_status(chat_id, "member")

    def _set_private_bot_status(self, chat_id: int, status: BotStatus) -> Turn:
        chat = self.chat(chat_id)
        if chat.type != "private":
            raise UserActionError("only private chats can block or unblock a bot")
        user = self._user(
            chat, None, chat.first_name or "Test", chat.last_name, chat.username, None
        )
        old = self._bot_member(chat.bot_status)
        chat.bot_status = status
        return self._member_update(chat, user, old, self._bot_member(status))


_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def _default_error_description(status: int, retry_after: int | None) -> str:
    if status == 429:
        return f"Too Many Requests: retry after {retry_after}"
    return {
        400: "Bad Request",
        401: "Unauthorized",
        403: "Forbidden",
        404: "Not Found",
        409: "Conflict",
        500: "Internal Server Error",
        502: "Bad Gateway",
        504: "Gateway Timeout",
    }.get(status, "Error")


def _set_or_drop(message: JsonDict, key: str, value: Any) -> None:
    if value is None:
        message.pop(key, None)
    else:
        message[key] = value


def _location_from(params: _Params) -> JsonDict:
    latitude = params.number("latitude")
    longitude = params.number("longitude")
    if latitude is None or longitude is None:
        raise _bad_request("location is not specified")  # wording: ours
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise _bad_request("wrong latitude or longitude specified")  # wording: ours
    location: JsonDict = {"latitude": latitude, "longitude": longitude}
    accuracy = params.number("horizontal_accuracy")
    if accuracy is not None:
        if not 0 <= accuracy <= 1500:
            raise _bad_request("wrong horizontal accuracy specified")  # wording: ours
        location["horizontal_accuracy"] = accuracy
    return location


_ENTITY_TYPES = frozenset(
    {
        "mention",
        "hashtag",
        "cashtag",
        "bot_command",
        "url",
        "email",
        "phone_number",
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "blockquote",
        "expandable_blockquote",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "custom_emoji",
    }
)


def _validate_entities(given: Any, text: str) -> list[JsonDict]:
    """Check explicitly given entities: known types, inside the text (in UTF-16 units)."""
    if not isinstance(given, list):
        raise _bad_request("can't parse entities JSON object")  # wording: ours
    total = utf16_length(text)
    entities: list[JsonDict] = []
    for entity in given:
        if not isinstance(entity, dict) or entity.get("type") not in _ENTITY_TYPES:
            raise _bad_request("can't parse MessageEntity JSON object")  # wording: ours
        offset, length = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not isinstance(length, int) or offset < 0 or length < 0:
            raise _bad_request("can't parse MessageEntity JSON object")  # wording: ours
        if offset + length > total:
            raise _bad_request("entity beginning is out of bounds")  # wording: ours
        if length > 0:
            entities.append(dict(entity))
    return sort_entities(entities)


def _validate_reply_markup(markup: Any) -> JsonDict | None:
    """Refuse keyboards Telegram refuses; return the markup as Telegram would store it."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise _bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        return {"inline_keyboard": _validate_inline_keyboard(markup["inline_keyboard"])}
    if "keyboard" in markup:
        rows = _validate_reply_keyboard(markup["keyboard"])
        return {**{k: v for k, v in markup.items() if v is not None}, "keyboard": rows}
    if markup.get("remove_keyboard") is True:
        return {"remove_keyboard": True}
    if markup.get("force_reply") is True:
        return {k: v for k, v in markup.items() if v is not None}
    raise _bad_request("can't parse reply keyboard markup JSON object")


def _validate_inline_keyboard(rows: Any) -> list[list[JsonDict]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    prefix = "can't parse inline keyboard button: "
    if sum(len(row) for row in rows) > MAX_INLINE_KEYBOARD_BUTTONS:
        raise _bad_request("reply markup is too long")
    cleaned: list[list[JsonDict]] = []
    for row in rows:
        cleaned_row: list[JsonDict] = []
        for button in row:
            if not isinstance(button, dict):
                raise _bad_request(prefix + "InlineKeyboardButton must be an Object")
            if not isinstance(button.get("text"), str):
                raise _bad_request(prefix + 'Field "text" must be of type String')
            actions = [a for a in INLINE_BUTTON_ACTIONS if button.get(a) not in (None, False)]
            if not actions:
                raise _bad_request(prefix + "Text buttons are unallowed in the inline keyboard")
            if len(actions) > 1:
                raise _bad_request(  # wording: ours; Telegram silently uses one of them
                    prefix + f"exactly one optional field must be set, got {', '.join(actions)}"
                )
            if not button["text"].strip():
                raise _bad_request("BUTTON_TEXT_INVALID")
            if "callback_data" in actions:
                data = button["callback_data"]
                if not isinstance(data, str) or not (
                    1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
                ):
                    raise _bad_request("BUTTON_DATA_INVALID")
            if "url" in actions and not (
                isinstance(button["url"], str) and _is_valid_button_url(button["url"])
            ):
                raise _bad_request("BUTTON_URL_INVALID")
            cleaned_row.append({k: v for k, v in button.items() if v is not None})
        if cleaned_row:
            cleaned.append(cleaned_row)
    return cleaned


def _validate_reply_keyboard(rows: Any) -> list[list[JsonDict]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad_request(
            'field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays'
        )
    prefix = "can't parse keyboard button: "
    cleaned: list[list[JsonDict]] = []
    for row in rows:
        cleaned_row: list[JsonDict] = []
        for button in row:
            if isinstance(button, str):
                button = {"text": button}
            if not isinstance(button, dict):
                raise _bad_request(prefix + "KeyboardButton must be a String or an Object")
            if not isinstance(button.get("text"), str) or not button["text"].strip():
                raise _bad_request(prefix + 'Field "text" must be a non-empty String')  # ours
            requests = [r for r in REPLY_BUTTON_REQUESTS if button.get(r) not in (None, False)]
            if len(requests) > 1:
                raise _bad_request(prefix + "a button can request only one thing")  # ours
            cleaned_row.append({k: v for k, v in button.items() if v is not None})
        if cleaned_row:
            cleaned.append(cleaned_row)
    if not cleaned:
        raise _bad_request("keyboard must be non-empty")  # wording: ours
    return cleaned


def _inline_markup_only(markup: JsonDict | None) -> JsonDict | None:
    if markup is not None and "inline_keyboard" not in markup:
        raise _bad_request("inline keyboard expected")  # wording: ours
    if markup is not None and not markup["inline_keyboard"]:
        return None  # an empty inline keyboard removes the keyboard
    return markup


# --------------------------------------------------------------------------- background thread


class FakeBotApiThread:
    """Runs a :class:`FakeBotApi` on its own event loop in a daemon thread.

    Why: the sandbox chat (and synchronous scripts) need the server while their own code is
    not async. ``call()`` runs one of the server's coroutines on the server's loop.
    """

    def __init__(self, server: FakeBotApi) -> None:
        self.server = server
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="FakeBotApi", daemon=True
        )

    def start(self) -> FakeBotApi:
        self._thread.start()
        self.call(self.server.start())
        return self.server

    def call(self, coroutine: Coroutine[Any, Any, T], timeout: float | None = 30.0) -> T:
        """Run ``coroutine`` on the server's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def stop(self) -> None:
        if self._thread.is_alive():
            self.call(self.server.stop())
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
        self._loop.close()

    def __enter__(self) -> FakeBotApiThread:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
