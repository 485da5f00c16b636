"""Bot API methods that change or remove a message the bot already sent.

Telegram's rules mirrored here: only the bot's own messages can be edited; an edit that
changes nothing is refused ("message is not modified"); a message can be deleted for everyone
only within 48 hours, and in groups only the bot's own unless it is an administrator with
the ``can_delete_messages`` right.
"""

from __future__ import annotations

import copy
from typing import Any

from fakebotapi.chats import ChatState, StoredMessage
from fakebotapi.entities import JsonDict
from fakebotapi.errors import ApiError, bad_request
from fakebotapi.forum import bot_has_right
from fakebotapi.markup import inline_markup_only, validate_reply_markup
from fakebotapi.methods.chat import chat_from
from fakebotapi.methods.sending import formatted_text
from fakebotapi.params import Params
from fakebotapi.state import BotApiState, MethodHandler

MAX_MESSAGES_PER_DELETE = 100  # Bot API: deleteMessages takes 1-100 identifiers.
DELETE_WINDOW_SECONDS = (
    48 * 3600
)  # Bot API: "a message can only be deleted if ... less than 48 hours ago".
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def _bot_message(
    api: BotApiState, params: Params, *, missing: str
) -> tuple[ChatState, StoredMessage]:
    """The chat and the (not deleted) message a call names; ``missing`` is Telegram's refusal."""
    if params.present("inline_message_id"):
        raise bad_request("inline messages are not supported by this fake server")  # ours
    chat = chat_from(api, params)
    message_id = params.integer("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    stored = chat.messages.get(message_id)
    if stored is None or stored.deleted:
        raise bad_request(missing)
    return chat, stored


def _check_deletable(api: BotApiState, chat: ChatState, stored: StoredMessage) -> None:
    if api.now() - stored.date >= DELETE_WINDOW_SECONDS:
        raise bad_request("message can't be deleted for everyone")
    others = not stored.from_bot and chat.type != "private"
    if others and not bot_has_right(chat, "can_delete_messages"):
        raise bad_request("message can't be deleted")


def _set_or_drop(message: JsonDict, key: str, value: Any) -> None:
    if value is None:
        message.pop(key, None)
    else:
        message[key] = value


def _finish_edit(
    api: BotApiState, method: str, chat: ChatState, stored: StoredMessage, params: Params
) -> JsonDict:
    stored.message["edit_date"] = api.now()
    stored.message["chat"] = chat.as_api()
    stored.edited = True
    api.record_action("edited", method, chat.id, stored.message_id, stored.message, params)
    return copy.deepcopy(stored.message)


async def edit_message_text(api: BotApiState, params: Params, files: dict[str, bytes]) -> JsonDict:
    chat, stored = _bot_message(api, params, missing="message to edit not found")
    if not stored.from_bot:
        raise bad_request("message can't be edited")
    if "text" not in stored.message:
        raise bad_request("there is no text in the message to edit")
    text, entities = formatted_text(api, params)
    markup = inline_markup_only(validate_reply_markup(params.json("reply_markup")))
    old = stored.message
    if (
        old["text"] == text
        and old.get("entities", []) == entities
        and old.get("reply_markup") == markup
    ):
        raise bad_request(NOT_MODIFIED)
    old["text"] = text
    _set_or_drop(old, "entities", entities or None)
    _set_or_drop(old, "reply_markup", markup)
    return _finish_edit(api, "editMessageText", chat, stored, params)


async def edit_message_reply_markup(
    api: BotApiState, params: Params, files: dict[str, bytes]
) -> JsonDict:
    chat, stored = _bot_message(api, params, missing="message to edit not found")
    if not stored.from_bot:
        raise bad_request("message can't be edited")
    markup = inline_markup_only(validate_reply_markup(params.json("reply_markup")))
    if stored.message.get("reply_markup") == markup:
        raise bad_request(NOT_MODIFIED)
    _set_or_drop(stored.message, "reply_markup", markup)
    return _finish_edit(api, "editMessageReplyMarkup", chat, stored, params)


async def delete_message(api: BotApiState, params: Params, files: dict[str, bytes]) -> bool:
    chat, stored = _bot_message(api, params, missing="message to delete not found")
    _check_deletable(api, chat, stored)
    stored.deleted = True
    api.record_action("deleted", "deleteMessage", chat.id, stored.message_id, None, params)
    return True


async def delete_messages(api: BotApiState, params: Params, files: dict[str, bytes]) -> bool:
    chat = chat_from(api, params)
    message_ids = params.json("message_ids")
    if not isinstance(message_ids, list) or not message_ids:
        raise bad_request("message identifiers are not specified")  # wording: ours
    if len(message_ids) > MAX_MESSAGES_PER_DELETE:
        raise bad_request("too many messages to delete")  # wording: ours
    for message_id in message_ids:
        stored = chat.messages.get(int(message_id))
        if stored is None or stored.deleted:
            continue  # Bot API: messages that can't be found are skipped
        try:
            _check_deletable(api, chat, stored)
        except ApiError:
            continue
        stored.deleted = True
        api.record_action("deleted", "deleteMessages", chat.id, stored.message_id, None, params)
    return True


HANDLERS: dict[str, MethodHandler] = {
    "editmessagetext": edit_message_text,
    "editmessagereplymarkup": edit_message_reply_markup,
    "deletemessage": delete_message,
    "deletemessages": delete_messages,
}
