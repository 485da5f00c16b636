"""Forum supergroups as Telegram keeps them: topics, who may manage them, and message threads.

Why its own module: the bot's methods (``methods/forum.py``, every sending method) and the
people writing in a topic (``groups.py``) must place a message into a thread by the same rules:

- A topic's ``message_thread_id`` is the id of its ``forum_topic_created`` service message.
- Every message in a topic carries ``message_thread_id`` and ``is_topic_message: true``, and,
  unless it replies to something else, ``reply_to_message`` is the topic's creation message
  (a quirk of the Bot API that bots must cope with: it is not a reply a person chose).
- A reply to a message in a topic lands in that topic even without ``message_thread_id``.
- A closed topic takes messages only from administrators with ``can_manage_topics``.
- Messages without a thread go to the forum's "General" topic and carry no thread fields.

Error texts are TDLib's (ForumTopicManager, MessagesManager) as the Bot API passes them on.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from fakebotapi.chats import ChatState, StoredMessage
from fakebotapi.entities import JsonDict
from fakebotapi.errors import bad_request

# Bot API, createForumTopic: "icon_color ... Currently, must be one of 7322096 (0x6FB9F0),
# 16766590 (0xFFD67E), 13338331 (0xCB86DB), 9367192 (0x8EEE98), 16749490 (0xFF93B2), or
# 16478047 (0xFB6F5F)".
ICON_COLORS = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)
DEFAULT_ICON_COLOR = ICON_COLORS[0]  # Telegram picks one when none is given; ours is fixed.
MAX_TOPIC_NAME_LENGTH = 128  # TDLib cuts a longer name to 128 characters (clean_name).

# ChatMemberAdministrator's rights, in the Bot API's order; the booleans PTB requires first.
REQUIRED_ADMIN_RIGHTS = (
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
SUPERGROUP_ADMIN_RIGHTS = ("can_pin_messages", "can_manage_topics")


@dataclass
class ForumTopic:
    """One topic of a forum: what ``createForumTopic`` returns, and its open/closed state."""

    message_thread_id: int
    name: str
    icon_color: int
    icon_custom_emoji_id: str | None = None
    created_by_bot: bool = True
    closed: bool = False
    deleted: bool = False

    def as_api(self) -> JsonDict:
        """The ForumTopic object of the Bot API."""
        topic: JsonDict = {
            "message_thread_id": self.message_thread_id,
            "name": self.name,
            "icon_color": self.icon_color,
        }
        if self.icon_custom_emoji_id:
            topic["icon_custom_emoji_id"] = self.icon_custom_emoji_id
        return topic


def administrator(user: JsonDict, rights: dict[str, bool] | None, *, supergroup: bool) -> JsonDict:
    """A ChatMemberAdministrator; ``rights=None`` grants every right (the old default)."""
    names = REQUIRED_ADMIN_RIGHTS + (SUPERGROUP_ADMIN_RIGHTS if supergroup else ())
    granted = {name: True if rights is None else bool(rights.get(name)) for name in names}
    return {
        "status": "administrator",
        "user": dict(user),
        "can_be_edited": False,
        "is_anonymous": False,
        **granted,
    }


def bot_member(bot_user: JsonDict, status: str, chat: ChatState | None) -> JsonDict:
    """The bot as a ChatMember with ``status``; an administrator has ``chat``'s bot rights."""
    bot = dict(bot_user)
    if status == "administrator":
        rights = chat.bot_rights if chat is not None else None
        supergroup = chat is not None and chat.type == "supergroup"
        return administrator(bot, rights, supergroup=supergroup)
    if status == "kicked":
        return {"status": "kicked", "user": bot, "until_date": 0}
    return {"status": status, "user": bot}


def bot_has_right(chat: ChatState, right: str) -> bool:
    """Whether the bot is an administrator of ``chat`` with ``right``."""
    if chat.bot_status != "administrator":
        return False
    return chat.bot_rights is None or bool(chat.bot_rights.get(right))


def member_has_right(chat: ChatState, user_id: int, right: str) -> bool:
    """Whether a registered person is the owner, or an administrator with ``right``."""
    member = chat.members.get(user_id, {})
    return member.get("status") == "creator" or bool(
        member.get("status") == "administrator" and member.get(right)
    )


def require_forum(chat: ChatState) -> None:
    if not chat.is_forum:
        raise bad_request("the chat is not a forum")


def live_topic(chat: ChatState, thread_id: int | None) -> ForumTopic | None:
    """The open or closed (not deleted) topic with this thread id, if there is one."""
    topic = chat.topics.get(thread_id) if thread_id is not None else None
    return None if topic is None or topic.deleted else topic


def thread_of(chat: ChatState, stored: StoredMessage | None) -> int | None:
    """The topic a stored message belongs to, if any."""
    if stored is None or not stored.message.get("is_topic_message"):
        return None
    return int(stored.message["message_thread_id"])


def choose_topic(
    chat: ChatState, thread_id: int | None, reply_to: StoredMessage | None
) -> ForumTopic | None:
    """The topic a new message goes to: the one named, else the one of the message replied to.

    Raises Telegram's refusals: a thread id that is not a live topic of this forum; a reply to
    a message of another topic (TDLib drops such a reply; without
    allow_sending_without_reply the Bot API then refuses).
    """
    reply_thread = thread_of(chat, reply_to)
    if thread_id is None:
        return live_topic(chat, reply_thread)
    if thread_id <= 0:
        raise bad_request("invalid message thread identifier specified")
    topic = live_topic(chat, thread_id) if chat.is_forum else None
    if topic is None:
        raise bad_request("message thread not found")
    if reply_to is not None and reply_thread != thread_id:
        raise bad_request("message to be replied not found")
    return topic


def place_in_topic(chat: ChatState, message: JsonDict, topic: ForumTopic | None) -> None:
    """Give a new message its thread fields and, if it replies to nothing, the topic's root."""
    if topic is None:
        return
    message["message_thread_id"] = topic.message_thread_id
    message["is_topic_message"] = True
    if "reply_to_message" not in message:
        root = chat.messages.get(topic.message_thread_id)
        if root is not None and not root.deleted:
            message["reply_to_message"] = copy.deepcopy(root.message)
