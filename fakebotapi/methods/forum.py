"""Bot API methods for the topics of a forum supergroup: create, edit, close, reopen, delete.

Telegram's rules mirrored here (Bot API docs and TDLib's ForumTopicManager): the chat must be a
forum; creating needs the ``can_manage_topics`` right; editing, closing and reopening need it
unless the bot created the topic; deleting needs ``can_delete_messages`` and removes every
message of the topic. Each change posts its service message into the topic
(``forum_topic_created``/``_edited``/``_closed``/``_reopened``), which users see.
"""

from __future__ import annotations

import copy

from fakebotapi.chats import ChatState, StoredMessage
from fakebotapi.entities import JsonDict
from fakebotapi.errors import bad_request
from fakebotapi.forum import (
    DEFAULT_ICON_COLOR,
    ICON_COLORS,
    MAX_TOPIC_NAME_LENGTH,
    ForumTopic,
    bot_has_right,
    live_topic,
    place_in_topic,
    require_forum,
)
from fakebotapi.methods.chat import writable_chat
from fakebotapi.params import Params
from fakebotapi.state import BotApiState, MethodHandler


def post_service_message(
    api: BotApiState,
    method: str,
    chat: ChatState,
    topic: ForumTopic,
    content: JsonDict,
    params: Params,
) -> JsonDict:
    """A service message by the bot in a topic; the bot gets no update for its own.

    The caller has counted it against the group's flood limit before changing anything.
    """
    message: JsonDict = {
        "message_id": chat.next_message_id(),
        "from": dict(api.bot_user),
        "chat": chat.as_api(),
        "date": api.now(),
        **content,
    }
    if message["message_id"] == topic.message_thread_id:  # the creation message is the root
        message["message_thread_id"] = topic.message_thread_id
        message["is_topic_message"] = True
    else:
        place_in_topic(chat, message, topic)
    chat.messages[message["message_id"]] = StoredMessage(message=message, from_bot=True)
    api.record_action("sent", method, chat.id, message["message_id"], message, params)
    return copy.deepcopy(message)


def _topic_name(params: Params, *, required: bool) -> str | None:
    """The topic name as TDLib cleans it: control characters to spaces, trimmed, cut to 128
    characters; an empty name is refused."""
    raw = params.text("name")
    if raw is None or (raw == "" and not required):
        if required:
            raise bad_request("title must be non-empty")
        return None
    visible = "".join(" " if ord(char) < 32 else char for char in raw)  # control characters
    name = visible.strip()[:MAX_TOPIC_NAME_LENGTH].rstrip()
    if not name:
        raise bad_request("title must be non-empty")
    return name


def _named_topic(chat: ChatState, params: Params) -> ForumTopic:
    """The live topic a call names by message_thread_id."""
    thread_id = params.integer("message_thread_id")
    if thread_id is None or thread_id <= 0:
        raise bad_request("invalid message thread identifier specified")
    topic = live_topic(chat, thread_id)
    if topic is None:
        raise bad_request("TOPIC_ID_INVALID")
    return topic


def _managed_topic(api: BotApiState, params: Params, refusal: str) -> tuple[ChatState, ForumTopic]:
    """The forum and topic of a call that needs can_manage_topics unless the bot made the topic."""
    chat = writable_chat(api, params)
    require_forum(chat)
    topic = _named_topic(chat, params)
    if not topic.created_by_bot and not bot_has_right(chat, "can_manage_topics"):
        raise bad_request(refusal)
    return chat, topic


async def create_forum_topic(api: BotApiState, params: Params, files: dict[str, bytes]) -> JsonDict:
    chat = writable_chat(api, params)
    require_forum(chat)
    if not bot_has_right(chat, "can_manage_topics"):
        raise bad_request("not enough rights to create a topic")
    name = _topic_name(params, required=True)
    assert name is not None
    color = params.integer("icon_color")
    if color is None:
        color = DEFAULT_ICON_COLOR
    elif color not in ICON_COLORS:
        raise bad_request("invalid icon color specified")  # TDLib's words for a bad color
    emoji = params.text("icon_custom_emoji_id") or None
    api.group_flood.admit(chat.id, api.now())
    topic = ForumTopic(chat.last_message_id + 1, name, color, emoji)
    chat.topics[topic.message_thread_id] = topic
    created: JsonDict = {"name": name, "icon_color": color}
    if emoji:
        created["icon_custom_emoji_id"] = emoji
    post_service_message(
        api, "createForumTopic", chat, topic, {"forum_topic_created": created}, params
    )
    return topic.as_api()


async def edit_forum_topic(api: BotApiState, params: Params, files: dict[str, bytes]) -> bool:
    chat, topic = _managed_topic(api, params, "not enough rights to edit the topic")
    name = _topic_name(params, required=False)
    emoji = params.text("icon_custom_emoji_id")
    if name is None and emoji is None:
        return True  # TDLib answers an edit of nothing without asking the server
    edited: JsonDict = {}
    if name is not None and name != topic.name:
        edited["name"] = name
    if emoji is not None and (emoji or None) != topic.icon_custom_emoji_id:
        edited["icon_custom_emoji_id"] = emoji
    if not edited:
        raise bad_request("TOPIC_NOT_MODIFIED")
    api.group_flood.admit(chat.id, api.now())
    topic.name = name if name is not None else topic.name
    if emoji is not None:
        topic.icon_custom_emoji_id = emoji or None
    post_service_message(api, "editForumTopic", chat, topic, {"forum_topic_edited": edited}, params)
    return True


async def _set_closed(api: BotApiState, params: Params, method: str, closed: bool) -> bool:
    chat, topic = _managed_topic(api, params, "not enough rights to close or open the topic")
    if topic.closed == closed:
        raise bad_request("TOPIC_NOT_MODIFIED")
    api.group_flood.admit(chat.id, api.now())
    topic.closed = closed
    key = "forum_topic_closed" if closed else "forum_topic_reopened"
    post_service_message(api, method, chat, topic, {key: {}}, params)
    return True


async def close_forum_topic(api: BotApiState, params: Params, files: dict[str, bytes]) -> bool:
    return await _set_closed(api, params, "closeForumTopic", True)


async def reopen_forum_topic(api: BotApiState, params: Params, files: dict[str, bytes]) -> bool:
    return await _set_closed(api, params, "reopenForumTopic", False)


async def delete_forum_topic(api: BotApiState, params: Params, files: dict[str, bytes]) -> bool:
    """The topic goes with all its messages (Bot API: needs can_delete_messages)."""
    chat = writable_chat(api, params)
    require_forum(chat)
    topic = _named_topic(chat, params)
    if not bot_has_right(chat, "can_delete_messages"):
        raise bad_request("not enough rights to delete the topic")
    topic.deleted = True
    for stored in chat.messages.values():
        in_topic = stored.message.get("message_thread_id") == topic.message_thread_id
        if in_topic and stored.message.get("is_topic_message") and not stored.deleted:
            stored.deleted = True
            api.record_action(
                "deleted", "deleteForumTopic", chat.id, stored.message_id, None, params
            )
    return True


HANDLERS: dict[str, MethodHandler] = {
    "createforumtopic": create_forum_topic,
    "editforumtopic": edit_forum_topic,
    "closeforumtopic": close_forum_topic,
    "reopenforumtopic": reopen_forum_topic,
    "deleteforumtopic": delete_forum_topic,
}
