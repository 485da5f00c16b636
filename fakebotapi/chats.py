"""Chats and their messages, as Telegram's servers remember them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from fakebotapi.entities import JsonDict
from fakebotapi.errors import UserActionError

if TYPE_CHECKING:
    from fakebotapi.forum import ForumTopic

DEFAULT_GROUP_USER_ID = 5_000  # In groups the sender is not the chat, so tests need some user.


# The fields that make a message a service note rather than content a person wrote.
SERVICE_KEYS = frozenset(
    {
        "new_chat_members",
        "left_chat_member",
        "new_chat_title",
        "pinned_message",
        "group_chat_created",
        "supergroup_chat_created",
        "forum_topic_created",
        "forum_topic_edited",
        "forum_topic_closed",
        "forum_topic_reopened",
    }
)


def is_service_message(message: JsonDict) -> bool:
    """Whether a message is a service note (topic created, pinned ...): it can't be copied."""
    return not SERVICE_KEYS.isdisjoint(message)


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
    is_forum: bool = False
    bot_rights: dict[str, bool] | None = None
    """The bot's administrator rights where a test set them (``create_forum_group``);
    ``None``: an administrator has every right, as ``bot_added_to_group`` makes it."""
    members: dict[int, JsonDict] = field(default_factory=dict)
    """The people of a group a test registered, as ChatMember objects by user id."""
    topics: dict[int, ForumTopic] = field(default_factory=dict)
    pinned: list[int] = field(default_factory=list)
    """Ids of the pinned messages, the most recent last."""
    """A forum's topics by message_thread_id, deleted ones included (flagged)."""

    def as_api(self) -> JsonDict:
        """The Chat object Telegram puts into messages."""
        chat: JsonDict = {"id": self.id, "type": self.type}
        if self.is_forum:
            chat["is_forum"] = True
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


def ensure_chat(
    chats: dict[int, ChatState],
    chat_id: int,
    chat_type: ChatType,
    *,
    first_name: str | None = None,
    last_name: str | None = None,
    username: str | None = None,
    title: str | None = None,
) -> ChatState:
    """The chat a user acts in, created on first use as Telegram creates it on first contact.

    A new group starts without the bot: someone must add it (``bot_added_to_group``).
    """
    chat = chats.get(chat_id)
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
        chats[chat_id] = chat
    elif chat.type != chat_type:
        raise UserActionError(f"chat {chat_id} is a {chat.type} chat, not {chat_type}")
    return chat


def person(
    chat: ChatState,
    user_id: int | None,
    first_name: str,
    last_name: str | None,
    username: str | None,
    language_code: str | None,
) -> JsonDict:
    """The User object of someone acting in ``chat``; in a private chat its id is the chat's."""
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
