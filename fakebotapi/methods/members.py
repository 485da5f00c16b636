"""Bot API methods about the people of a chat and its pinned messages.

getChatMember and getChatAdministrators answer from what the server knows: the bot's own
status and rights, and the members a test registered. Pinning in a group needs the
``can_pin_messages`` right and posts a ``pinned_message`` service message (in the topic of
the pinned message, in a forum).
"""

from __future__ import annotations

import copy

from fakebotapi.chats import ChatState, StoredMessage
from fakebotapi.entities import JsonDict
from fakebotapi.errors import bad_request
from fakebotapi.forum import bot_has_right, bot_member, live_topic, place_in_topic, thread_of
from fakebotapi.methods.chat import chat_from, writable_chat
from fakebotapi.params import Params
from fakebotapi.state import BotApiState, MethodHandler


def _known_user(api: BotApiState, user_id: int) -> JsonDict | None:
    """A person Telegram would know: one with a private chat here, or in some group."""
    private = api.chats.get(user_id)
    if private is not None and private.type == "private":
        user: JsonDict = {"id": user_id, "is_bot": False, "first_name": private.first_name or ""}
        return user
    for chat in api.chats.values():
        if user_id in chat.members:
            return dict(chat.members[user_id]["user"])
    return None


async def get_chat_member(api: BotApiState, params: Params, files: dict[str, bytes]) -> JsonDict:
    chat = chat_from(api, params)
    user_id = params.integer("user_id")
    if user_id is None:
        raise bad_request("user_id is empty")  # wording: ours
    if user_id == api.bot_user["id"]:
        return bot_member(api.bot_user, chat.bot_status, chat)
    if user_id in chat.members:
        return copy.deepcopy(chat.members[user_id])
    user = _known_user(api, user_id)
    if user is None:
        raise bad_request("user not found")
    if chat.type == "private" and chat.id == user_id:
        return {"status": "member", "user": user}
    return {"status": "left", "user": user}


async def get_chat_administrators(
    api: BotApiState, params: Params, files: dict[str, bytes]
) -> list[JsonDict]:
    """The owner and administrators, the bot included (Telegram leaves out only other bots)."""
    chat = chat_from(api, params)
    if chat.type == "private":
        raise bad_request("there are no administrators in the private chat")
    admins = [
        copy.deepcopy(member)
        for member in chat.members.values()
        if member["status"] in ("creator", "administrator")
    ]
    if chat.bot_status == "administrator":
        admins.append(bot_member(api.bot_user, chat.bot_status, chat))
    return admins


def _pinnable(api: BotApiState, params: Params) -> tuple[ChatState, StoredMessage]:
    chat = writable_chat(api, params)
    if chat.type != "private" and not bot_has_right(chat, "can_pin_messages"):
        raise bad_request("not enough rights to manage pinned messages in the chat")
    message_id = params.integer("message_id")
    stored = chat.messages.get(message_id) if message_id is not None else None
    if stored is None or stored.deleted:
        raise bad_request("message to pin not found")
    return chat, stored


async def pin_chat_message(api: BotApiState, params: Params, files: dict[str, bytes]) -> bool:
    chat, stored = _pinnable(api, params)
    api.group_flood.admit(chat.id, api.now())
    pinned = copy.deepcopy(stored.message)
    pinned.pop("reply_to_message", None)
    note: JsonDict = {
        "message_id": chat.next_message_id(),
        "from": dict(api.bot_user),
        "chat": chat.as_api(),
        "date": api.now(),
        "pinned_message": pinned,
    }
    place_in_topic(chat, note, live_topic(chat, thread_of(chat, stored)))
    chat.pinned.append(stored.message_id)
    chat.messages[note["message_id"]] = StoredMessage(message=note, from_bot=True)
    api.record_action("sent", "pinChatMessage", chat.id, note["message_id"], note, params)
    return True


async def unpin_chat_message(api: BotApiState, params: Params, files: dict[str, bytes]) -> bool:
    """Unpins the message named, or the most recent pin; no service message."""
    chat = writable_chat(api, params)
    if chat.type != "private" and not bot_has_right(chat, "can_pin_messages"):
        raise bad_request("not enough rights to manage pinned messages in the chat")
    message_id = params.integer("message_id")
    if message_id is None:
        if chat.pinned:
            chat.pinned.pop()
        return True
    if message_id not in chat.pinned:
        raise bad_request("message to unpin not found")  # wording: ours
    chat.pinned.remove(message_id)
    return True


async def unpin_all_chat_messages(
    api: BotApiState, params: Params, files: dict[str, bytes]
) -> bool:
    chat = writable_chat(api, params)
    if chat.type != "private" and not bot_has_right(chat, "can_pin_messages"):
        raise bad_request("not enough rights to manage pinned messages in the chat")
    chat.pinned.clear()
    return True


HANDLERS: dict[str, MethodHandler] = {
    "getchatmember": get_chat_member,
    "getchatadministrators": get_chat_administrators,
    "pinchatmessage": pin_chat_message,
    "unpinchatmessage": unpin_chat_message,
    "unpinallchatmessages": unpin_all_chat_messages,
}
