"""The bot's membership in chats, as people change it: groups adding it, users blocking it.

Telegram tells the bot with a my_chat_member update each time; a group also gets the
"new_chat_members" service message when the bot is added.
"""

from __future__ import annotations

import copy
from typing import Literal

from fakebotapi.chats import BotStatus, ChatState, StoredMessage, ensure_chat, person
from fakebotapi.entities import JsonDict
from fakebotapi.errors import UserActionError
from fakebotapi.forum import bot_member
from fakebotapi.state import BotApiState
from fakebotapi.turn import Turn


class Membership(BotApiState):
    """Adding the bot to groups and blocking it in private chats, as test actions."""

    def _member_update(self, chat: ChatState, user: JsonDict, old: JsonDict, new: JsonDict) -> Turn:
        """The my_chat_member update Telegram sends when the bot's status in a chat changes."""
        update = {
            "chat": chat.as_api(),
            "from": user,
            "date": self.now(),
            "old_chat_member": old,
            "new_chat_member": new,
        }
        return self.enqueue({"my_chat_member": update}, chat.id)

    def _bot_member(self, status: BotStatus, chat: ChatState | None = None) -> JsonDict:
        """The bot as a ChatMember; an administrator has the rights set for ``chat`` (or all)."""
        return bot_member(self.bot_user, status, chat)

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
        chat = ensure_chat(self.chats, chat_id, chat_type, title=title)
        if chat.bot_status in ("member", "administrator"):
            raise UserActionError(f"the bot is already in chat {chat_id}")
        user = person(chat, user_id, first_name, None, None, language_code)
        old = self._bot_member(chat.bot_status)
        chat.bot_status = "administrator" if as_admin else "member"
        turn = self._member_update(chat, user, old, self._bot_member(chat.bot_status, chat))
        service: JsonDict = {
            "message_id": chat.next_message_id(),
            "from": user,
            "chat": chat.as_api(),
            "date": self.now(),
            "new_chat_members": [dict(self.bot_user)],
        }
        chat.messages[service["message_id"]] = StoredMessage(message=service, from_bot=False)
        self.enqueue({"message": copy.deepcopy(service)}, chat.id)
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
        user = person(chat, None, chat.first_name or "Test", chat.last_name, chat.username, None)
        old = self._bot_member(chat.bot_status)
        chat.bot_status = status
        return self._member_update(chat, user, old, self._bot_member(status))
