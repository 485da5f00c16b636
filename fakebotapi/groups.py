"""Forum supergroups on the people's side: setting one up with the bot in it, and its members.

A test sets up the group as it would be after a human created it, turned on topics and made
the bot an administrator: no update is sent for that (the bot was added long before the test).
Members are registered with their rights; they then write in topics through the same update
queue as everyone else (``member_sends_text``), and tests look at topics and their messages.
"""

from __future__ import annotations

import copy
from typing import Any, Literal

from fakebotapi.chats import ChatState, ensure_chat, is_service_message
from fakebotapi.entities import JsonDict
from fakebotapi.errors import FakeBotApiError, UserActionError
from fakebotapi.forum import (
    DEFAULT_ICON_COLOR,
    REQUIRED_ADMIN_RIGHTS,
    ForumTopic,
    administrator,
    member_has_right,
)
from fakebotapi.turn import Turn
from fakebotapi.user import UserSide

MemberStatus = Literal["creator", "administrator", "member"]


class ForumSide(UserSide):
    """Test actions and inspection for forum supergroups and the people in them."""

    def create_forum_group(
        self,
        chat_id: int,
        *,
        title: str = "Beratung",
        is_forum: bool = True,
        can_manage_topics: bool = True,
        can_pin_messages: bool = True,
        can_delete_messages: bool = True,
    ) -> ChatState:
        """A supergroup (a forum unless ``is_forum=False``) where the bot is an administrator.

        The three rights are the bot's; every other administrator right is granted. Add the
        people with :meth:`add_group_member`. No update is sent: the bot was added earlier.
        """
        if chat_id >= 0:
            raise UserActionError("group and supergroup ids are negative")
        if chat_id in self.chats:
            raise UserActionError(f"chat {chat_id} exists already")
        chat = ensure_chat(self.chats, chat_id, "supergroup", title=title)
        chat.is_forum = is_forum
        chat.bot_status = "administrator"
        # Every right an owner would give a helper bot; the three below are the test's choice.
        rights = dict.fromkeys(REQUIRED_ADMIN_RIGHTS, True)
        rights.update(
            can_manage_topics=can_manage_topics,
            can_pin_messages=can_pin_messages,
            can_delete_messages=can_delete_messages,
        )
        chat.bot_rights = rights
        return chat

    def set_bot_rights(self, chat_id: int, **rights: bool) -> None:
        """An owner changes the bot's administrator rights, e.g. ``can_manage_topics=False``."""
        chat = self.chat(chat_id)
        if chat.bot_status != "administrator" or chat.bot_rights is None:
            raise UserActionError("set rights on a group made by create_forum_group")
        unknown = set(rights) - set(chat.bot_rights)
        if unknown:
            raise UserActionError(f"no such administrator rights: {sorted(unknown)}")
        chat.bot_rights.update(rights)

    async def member_creates_topic(
        self, chat_id: int, user_id: int, name: str, *, icon_color: int = DEFAULT_ICON_COLOR
    ) -> Turn:
        """A person creates a topic in the app; the bot gets its forum_topic_created message.

        Needs the owner or an administrator with ``can_manage_topics`` (our groups do not let
        plain members create topics). The new topic's id is ``turn.message_id``.
        """
        chat = self.chat(chat_id)
        if not chat.is_forum:
            raise UserActionError(f"chat {chat_id} is not a forum")
        self._registered(chat_id, user_id)
        if not member_has_right(chat, user_id, "can_manage_topics"):
            raise UserActionError(f"user {user_id} may not create topics")
        thread_id = chat.last_message_id + 1
        chat.topics[thread_id] = ForumTopic(thread_id, name, icon_color, created_by_bot=False)
        created = {"name": name, "icon_color": icon_color}
        return await self.member_sends(
            chat_id, user_id, {"forum_topic_created": created}, message_thread_id=thread_id
        )

    def add_group_member(
        self,
        chat_id: int,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        status: MemberStatus = "member",
        can_manage_topics: bool = False,
        can_pin_messages: bool = False,
        can_delete_messages: bool = False,
    ) -> JsonDict:
        """Register a person in a group (the owner, an administrator or a member).

        Once a group has registered members, only they can write in it. The rights count
        for ``status="administrator"``; the owner has them all. Returns the ChatMember.
        """
        chat = self.chat(chat_id)
        if chat.type == "private":
            raise UserActionError("a private chat has no members to add")
        if user_id <= 0 or user_id == self.bot_user["id"]:
            raise UserActionError("members are people with positive user ids, not the bot")
        user: JsonDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name is not None:
            user["last_name"] = last_name
        if username is not None:
            user["username"] = username
        if status == "administrator":
            member = administrator(
                user,
                {
                    "can_manage_topics": can_manage_topics,
                    "can_pin_messages": can_pin_messages,
                    "can_delete_messages": can_delete_messages,
                    "can_manage_chat": True,
                    "can_invite_users": True,
                },
                supergroup=chat.type == "supergroup",
            )
        elif status == "creator":
            member = {"status": "creator", "user": user, "is_anonymous": False}
        else:
            member = {"status": "member", "user": user}
        chat.members[user_id] = member
        return copy.deepcopy(member)

    async def member_sends(
        self,
        chat_id: int,
        user_id: int,
        content: JsonDict,
        *,
        message_thread_id: int | None = None,
        reply_to_message_id: int | None = None,
    ) -> Turn:
        """A registered member posts ``content`` in the group, in a topic if one is named."""
        return await self.user_sends(
            chat_id,
            content,
            **self._as_member(chat_id, user_id),
            language_code=self._registered(chat_id, user_id).get("language_code"),
            message_thread_id=message_thread_id,
            reply_to_message_id=reply_to_message_id,
        )

    async def member_sends_text(self, chat_id: int, user_id: int, text: str, **where: Any) -> Turn:
        """A registered member types ``text`` ("/close" gets its bot_command entity).

        ``**where`` takes ``message_thread_id`` and ``reply_to_message_id``.
        """
        return await self.user_sends_text(
            chat_id, text, **self._as_member(chat_id, user_id), **where
        )

    async def member_closes_topic(
        self, chat_id: int, user_id: int, message_thread_id: int, *, closed: bool = True
    ) -> Turn:
        """A person closes (or, ``closed=False``, reopens) a topic in the app.

        Needs the owner, an administrator with ``can_manage_topics`` or the topic's creator
        ... and our members never create topics, so the first two. The bot gets the
        forum_topic_closed (or _reopened) service message as an update.
        """
        chat = self.chat(chat_id)
        self._registered(chat_id, user_id)
        topic = chat.topics.get(message_thread_id)
        if topic is None or topic.deleted:
            raise UserActionError(f"no topic {message_thread_id} in chat {chat_id}")
        if not member_has_right(chat, user_id, "can_manage_topics"):
            raise UserActionError(f"user {user_id} may not close or reopen topics")
        if topic.closed == closed:
            raise UserActionError(f"topic {message_thread_id} is already in that state")
        key = "forum_topic_closed" if closed else "forum_topic_reopened"
        topic.closed = False  # the note itself goes into the topic before it closes
        turn = await self.member_sends(
            chat_id, user_id, {key: {}}, message_thread_id=message_thread_id
        )
        topic.closed = closed
        return turn

    def _as_member(self, chat_id: int, user_id: int) -> dict[str, Any]:
        """Who a registered member is, as the user-side send methods take it."""
        user = self._registered(chat_id, user_id)
        return {
            "user_id": user_id,
            "first_name": user["first_name"],
            "last_name": user.get("last_name"),
            "username": user.get("username"),
            "chat_type": "supergroup",
        }

    def _registered(self, chat_id: int, user_id: int) -> JsonDict:
        member = self.chat(chat_id).members.get(user_id)
        if member is None:
            raise UserActionError(f"user {user_id} is not a member of chat {chat_id}")
        user: JsonDict = member["user"]
        return user

    # ----------------------------------------------------------------- inspection

    def forum_topics(self, chat_id: int, *, include_deleted: bool = False) -> list[ForumTopic]:
        """The topics of a forum in the order they were created."""
        return [
            copy.copy(topic)
            for topic in self.chat(chat_id).topics.values()
            if include_deleted or not topic.deleted
        ]

    def forum_topic(self, chat_id: int, message_thread_id: int) -> ForumTopic:
        """One topic (a copy), deleted or not."""
        topic = self.chat(chat_id).topics.get(message_thread_id)
        if topic is None:
            raise FakeBotApiError(f"no topic {message_thread_id} in chat {chat_id}")
        return copy.copy(topic)

    def topic_history(
        self,
        chat_id: int,
        message_thread_id: int,
        *,
        include_service: bool = True,
        include_deleted: bool = False,
    ) -> list[JsonDict]:
        """Every message of one topic, oldest first, as Message dicts.

        ``include_service=False`` leaves out the forum_topic_* and pinned_message notes.
        """
        messages = []
        for message in self.chat_history(chat_id, include_deleted=include_deleted):
            if message.get("message_thread_id") != message_thread_id:
                continue
            if not message.get("is_topic_message"):
                continue
            if not include_service and is_service_message(message):
                continue
            messages.append(message)
        return messages
