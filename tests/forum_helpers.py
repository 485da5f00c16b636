"""Test helpers for a forum supergroup of counsellors, on the fake Bot API.

``ForumGroup`` is the group as a test sees it: set up with the bot as an administrator, its
topics, what the bot posted in each. ``Counsellor`` is one person in it, writing in a topic
(text, "/close", "/block 7d", a reply to a message) the way the Telegram app does: as an
update through the same getUpdates/webhook path as every other update. Use them with
``conftest.Person`` for the person on the other side.

    group = ForumGroup.create(server)
    counsellor = group.counsellor()
    mark = group.marker()
    await person.says("/talk")
    [post] = await group.wait_for_posts(count=1, since=mark)
    received = await counsellor.writes_to(person, post["message_thread_id"], "Hallo!")
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fakebotapi import FakeBotApi, JsonDict, RepliesTimeout, Turn
from fakebotapi.forum import ForumTopic
from fakebotapi.groups import MemberStatus, is_service_message

if TYPE_CHECKING:
    from conftest import Person

COUNSEL_GROUP = -100_888_001
"""The forum supergroup's id (what COUNSEL_CHAT_ID names in the bot's settings)."""
COUNSELLOR = 7_001
"""The default counsellor's user id."""


@dataclass
class ForumGroup:
    """The counsellors' forum supergroup: its topics and what the bot posts in them."""

    server: FakeBotApi
    chat_id: int = COUNSEL_GROUP

    @classmethod
    def create(
        cls,
        server: FakeBotApi,
        chat_id: int = COUNSEL_GROUP,
        *,
        title: str = "Beratung",
        is_forum: bool = True,
        can_manage_topics: bool = True,
        can_pin_messages: bool = True,
        can_delete_messages: bool = True,
    ) -> ForumGroup:
        """Set up the group with the bot as an administrator with these rights (no update)."""
        server.create_forum_group(
            chat_id,
            title=title,
            is_forum=is_forum,
            can_manage_topics=can_manage_topics,
            can_pin_messages=can_pin_messages,
            can_delete_messages=can_delete_messages,
        )
        return cls(server, chat_id)

    def counsellor(
        self,
        user_id: int = COUNSELLOR,
        first_name: str = "Berater",
        *,
        status: MemberStatus = "member",
        can_manage_topics: bool = False,
        username: str | None = None,
    ) -> Counsellor:
        """Register a counsellor (a plain member unless ``status`` says otherwise)."""
        self.server.add_group_member(
            self.chat_id,
            user_id,
            first_name,
            username=username,
            status=status,
            can_manage_topics=can_manage_topics,
        )
        return Counsellor(self, user_id)

    def marker(self) -> int:
        """A point in the bot's actions, for ``wait_for_posts(since=...)``."""
        return self.server.marker()

    def topics(self, *, include_deleted: bool = False) -> list[ForumTopic]:
        """The topics in the order they were created (copies, with ``closed``/``deleted``)."""
        return self.server.forum_topics(self.chat_id, include_deleted=include_deleted)

    def topic(self, thread_id: int) -> ForumTopic:
        return self.server.forum_topic(self.chat_id, thread_id)

    def posts(self, thread_id: int, *, include_service: bool = False) -> list[JsonDict]:
        """Every message in a topic, the bot's and the counsellors', oldest first."""
        return self.server.topic_history(self.chat_id, thread_id, include_service=include_service)

    def bot_posts(self, thread_id: int) -> list[JsonDict]:
        """What the bot posted in a topic (no service messages), oldest first."""
        bot_id = self.server.bot_user["id"]
        return [m for m in self.posts(thread_id) if m["from"]["id"] == bot_id]

    async def wait_for_posts(
        self,
        thread_id: int | None = None,
        *,
        count: int = 1,
        since: int,
        include_service: bool = False,
        timeout: float = 5.0,
    ) -> list[JsonDict]:
        """The bot's messages in the group (in one topic, if named) after ``since``.

        Waits for at least ``count`` and for the bot to go quiet. Service messages
        (topic created, closed, pinned ...) count only with ``include_service=True``.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            messages = await self.server.wait_for_bot_messages(
                self.chat_id, 0, timeout=timeout, since=since, thread_id=thread_id
            )
            if not include_service:
                messages = [m for m in messages if not is_service_message(m)]
            if len(messages) >= count:
                return messages
            if loop.time() >= deadline:
                got = [m.get("text", m.get("caption")) for m in messages]
                raise RepliesTimeout(f"expected {count} bot post(s) in the group, got {got!r}")
            await asyncio.sleep(0.05)

    def shown_to_counsellors(self) -> list[str]:
        """Every string the counsellors can read in the group: texts, captions, file names,
        topic names (now and before each rename), the origin of forwards, shared contacts.

        For checks like "the group never shows the person's name, username or id".
        """
        shown = [topic.name for topic in self.topics(include_deleted=True)]
        for message in self.server.chat_history(self.chat_id, include_deleted=True):
            shown += [str(message.get(key, "")) for key in ("text", "caption")]
            for key in ("forum_topic_created", "forum_topic_edited"):
                shown.append(str(message.get(key, {}).get("name", "")))
            shown.append(str(message.get("document", {}).get("file_name", "")))
            for key in ("forward_origin", "contact", "venue"):
                if key in message:
                    shown.append(json.dumps(message[key], ensure_ascii=False))
        return [text for text in shown if text]

    def pinned(self) -> list[JsonDict]:
        """The pinned messages of the group, the most recent last."""
        chat = self.server.chat(self.chat_id)
        return [self.server.message(self.chat_id, mid).message for mid in chat.pinned]


@dataclass
class Counsellor:
    """One person in the counsellors' group, writing in topics as the Telegram app does."""

    group: ForumGroup
    user_id: int
    last_turn: Turn | None = field(default=None, repr=False)

    @property
    def server(self) -> FakeBotApi:
        return self.group.server

    async def writes(self, thread_id: int, text: str, *, reply_to: int | None = None) -> Turn:
        """Post ``text`` (or a command such as "/close", "/block 7d") in a topic.

        ``reply_to`` answers one message of the topic. The turn's ``replies(chat_id=...)``
        waits for what the bot then sends to a chat.
        """
        self.last_turn = await self.server.member_sends_text(
            self.group.chat_id,
            self.user_id,
            text,
            message_thread_id=thread_id,
            reply_to_message_id=reply_to,
        )
        return self.last_turn

    async def sends_photo(self, thread_id: int, *, caption: str | None = None) -> Turn:
        """Post a photo (two sizes) in a topic, with an optional caption."""
        self.last_turn = await self.server.user_sends_photo(
            self.group.chat_id, caption=caption, **self._sender(thread_id)
        )
        return self.last_turn

    async def sends_document(
        self,
        thread_id: int,
        *,
        file_name: str = "Antrag.pdf",
        caption: str | None = None,
        content: bytes = b"%PDF-1.4 fake form",
    ) -> Turn:
        """Post a file (a PDF by default) in a topic, with an optional caption."""
        self.last_turn = await self.server.user_sends_document(
            self.group.chat_id,
            file_name=file_name,
            caption=caption,
            content=content,
            **self._sender(thread_id),
        )
        return self.last_turn

    def _sender(self, thread_id: int) -> dict[str, Any]:
        member = self.server.chat(self.group.chat_id).members[self.user_id]
        return {
            "user_id": self.user_id,
            "first_name": member["user"]["first_name"],
            "chat_type": "supergroup",
            "message_thread_id": thread_id,
        }

    async def writes_to(
        self, person: Person, thread_id: int, text: str, *, count: int = 1, **options: Any
    ) -> list[JsonDict]:
        """Write in a topic and wait for what ``person`` receives (at least ``count``).

        ``count=0`` asserts that the person receives nothing. ``**options``: ``reply_to``.
        """
        turn = await self.writes(thread_id, text, **options)
        return await turn.replies(count, chat_id=person.chat_id)
