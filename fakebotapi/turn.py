"""A turn: one simulated user action, and a way to wait for what the bot did about it."""

from __future__ import annotations

import asyncio
import copy

from fakebotapi.activity import DEFAULT_REPLY_TIMEOUT, DEFAULT_SETTLE_SECONDS, BotActivity
from fakebotapi.entities import JsonDict
from fakebotapi.errors import FakeBotApiError
from fakebotapi.updates import UpdateQueue


class Turn:
    """One simulated user action and a way to wait for what the bot did about it.

    Why a turn object instead of "wait for the next message": the bot may still be
    answering an earlier update. A turn only counts what the bot did after it fetched
    *this* update, so a slow earlier answer cannot be mistaken for this one.
    """

    def __init__(
        self, updates: UpdateQueue, activity: BotActivity, update_id: int, chat_id: int | None
    ) -> None:
        self._updates = updates
        self._activity = activity
        self.update_id = update_id
        self.chat_id = chat_id

    @property
    def update(self) -> JsonDict:
        """The update as the bot receives it."""
        return copy.deepcopy(self._updates.update(self.update_id))

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
        await self._updates.wait_delivered(self.update_id, timeout)

    async def replies(
        self,
        min_count: int = 1,
        *,
        timeout: float = DEFAULT_REPLY_TIMEOUT,
        settle: float = DEFAULT_SETTLE_SECONDS,
        chat_id: int | None = None,
        thread_id: int | None = None,
    ) -> list[JsonDict]:
        """Messages the bot sent or edited in the chat after fetching this update.

        ``chat_id`` looks into another chat than the one of the update (a person's message
        relayed into a group, say); ``thread_id`` counts only that forum topic's messages.

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
        marker = await self._updates.wait_delivered(self.update_id, timeout)
        return await self._activity.collect_replies(
            target,
            marker,
            min_count=min_count,
            deadline=deadline,
            settle=settle,
            context=f"update {self.update_id}",
            thread_id=thread_id,
        )

    async def callback_answer(self, timeout: float = DEFAULT_REPLY_TIMEOUT) -> JsonDict:
        """The parameters of the bot's answerCallbackQuery for this button press."""
        query = self.callback_query
        if query is None:
            raise FakeBotApiError("this turn is not a button press")
        action = await self._activity.wait_for(
            lambda a: (
                a.kind == "callback_answered" and a.params.get("callback_query_id") == query["id"]
            ),
            timeout,
            f"answerCallbackQuery for update {self.update_id}",
        )
        return copy.deepcopy(action.params)
