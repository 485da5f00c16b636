"""The user side: people writing to the bot, sharing places and files, tapping its buttons.

Each action builds the update a Telegram client would cause and refuses what no client would
let a person do (:class:`UserActionError`). It returns a :class:`Turn` whose ``replies()``
waits for what the bot sent or edited after it fetched that update.
"""

from __future__ import annotations

import copy
from typing import Any

from fakebotapi.chats import ChatState, ChatType, StoredMessage, ensure_chat, person
from fakebotapi.entities import JsonDict, bot_command_entities
from fakebotapi.errors import ApiError, UserActionError
from fakebotapi.forum import ForumTopic, choose_topic, member_has_right, place_in_topic
from fakebotapi.state import BotApiState
from fakebotapi.turn import Turn


class UserSide(BotApiState):
    """What people do in their chats with the bot; the server's user-facing test API."""

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
        message_thread_id: int | None = None,
    ) -> Turn:
        """A user posts a message with any content fields (``{"contact": {...}}`` ...).

        The specific ``user_sends_*`` methods build ``content`` for the common kinds. In a
        forum, ``message_thread_id`` names the topic (as does replying to one of its
        messages); a closed topic takes messages only from its managers, as in the apps.
        """
        chat = ensure_chat(
            self.chats,
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
        sender = person(chat, user_id, first_name, last_name, username, language_code)
        if chat.members and sender["id"] not in chat.members:
            raise UserActionError(f"user {sender['id']} is not a member of chat {chat_id}")
        target = None
        if reply_to_message_id is not None:
            target = chat.messages.get(reply_to_message_id)
            if target is None or target.deleted:
                raise UserActionError(f"no message {reply_to_message_id} to reply to")
        topic = user_topic(chat, sender["id"], message_thread_id, target)
        message: JsonDict = {
            "message_id": chat.next_message_id(),
            "from": sender,
            "chat": chat.as_api(),
            "date": self.now(),
            **copy.deepcopy(content),
        }
        if target is not None:
            replied = copy.deepcopy(target.message)
            replied.pop("reply_to_message", None)
            message["reply_to_message"] = replied
        place_in_topic(chat, message, topic)
        chat.messages[message["message_id"]] = StoredMessage(message=message, from_bot=False)
        return self.enqueue({"message": copy.deepcopy(message)}, chat.id)

    async def user_sends_text(self, chat_id: int, text: str, **user: Any) -> Turn:
        """A user types ``text``; "/commands" get bot_command entities as Telegram adds them.

        ``**user`` takes the sender keywords of :meth:`user_sends` (user_id, chat_type ...).
        """
        if not text.strip():
            raise UserActionError("Telegram clients do not send empty messages")
        content: JsonDict = {"text": text}
        entities = bot_command_entities(text)
        if entities:
            content["entities"] = entities
        return await self.user_sends(chat_id, content, **user)

    async def user_edits_text(self, chat_id: int, message_id: int, text: str) -> Turn:
        """The sender edits the text of one of their messages: an ``edited_message`` update
        with the whole message as it is now and its ``edit_date``."""
        stored = self.chat(chat_id).messages.get(message_id)
        if stored is None or stored.deleted or stored.from_bot:
            raise UserActionError(f"no message {message_id} of a person in chat {chat_id}")
        if "text" not in stored.message:
            raise UserActionError("only a text message can be edited as text")
        if not text.strip():
            raise UserActionError("Telegram clients do not save an empty text")
        stored.message.update(text=text, edit_date=self.now())
        stored.message.pop("entities", None)
        entities = bot_command_entities(text)
        if entities:
            stored.message["entities"] = entities
        return self.enqueue({"edited_message": copy.deepcopy(stored.message)}, chat_id)

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
        query_id = self.new_callback_query(chat.id)
        query = {
            "id": query_id,
            "from": person(chat, user_id, first_name, last_name, username, language_code),
            "message": copy.deepcopy(stored.message),
            "chat_instance": str(abs(chat.id) * 7919 + 13),
            "data": data,
        }
        return self.enqueue({"callback_query": query}, chat.id)


def user_topic(
    chat: ChatState, user_id: int, thread_id: int | None, reply_to: StoredMessage | None
) -> ForumTopic | None:
    """The topic a person's message goes to, refused where their Telegram app would refuse."""
    try:
        topic = choose_topic(chat, thread_id, reply_to)
    except ApiError as error:
        raise UserActionError(f"cannot post there: {error.description}") from None
    if (
        topic is not None
        and topic.closed
        and not member_has_right(chat, user_id, "can_manage_topics")
    ):
        raise UserActionError(f"topic {topic.message_thread_id} is closed (TOPIC_CLOSED)")
    return topic
