"""Turn :class:`bot.answers.replies.Reply` objects into Bot API calls, and survive a bumpy network.

Decisions made here, once, for every handler:

- Text goes out with ``parse_mode=HTML`` (replies and texts escape every catalogue and user
  text) and without link previews (they cost data and push the answer off the screen).
- A text longer than Telegram's 4,096 characters is split between lines; the buttons go
  under the last part.
- Paging edits the list message in place; everything else is a new message. An edit that
  Telegram refuses (message too old, deleted) falls back to a new message.
- Quick exit: in private chats the ids of *every* message of the conversation (the person's
  and the bot's) are tracked, not only the sensitive ones, because what must disappear on
  "Clear this chat" is usually what the person typed before the emergency answer. Only ids
  are kept, no text, and the store forgets them after the 48 hours in which Telegram lets a
  bot delete messages.
- Retries: AIORateLimiter already waits out ``RetryAfter`` (429); network errors, timeouts
  and 5xx answers are retried here a few times with a short backoff. A timed-out send may
  in rare cases arrive twice; a duplicate answer is better than a lost one for people in
  need.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import timedelta
from typing import TypeVar

from telegram import LinkPreviewOptions, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.answers.fitting import MAX_MESSAGE_CHARS, split_message
from bot.answers.replies import Reply
from bot.chat.context import BotContext
from bot.chat.keyboards import inline_keyboard, markup_for
from bot.i18n.translators import Translator

logger = logging.getLogger(__name__)

T = TypeVar("T")

RETRY_DELAYS = (0.5, 1.0, 2.0)
"""Waits between attempts after a network error: 3.5 s in all, shorter than a person's
patience and longer than a Telegram front-end hiccup."""

MAX_IDS_PER_DELETE = 100
"""Bot API: deleteMessages takes at most 100 message ids."""

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def with_retries(call: Callable[[], Awaitable[T]]) -> T:
    """Run one Bot API call, retrying network trouble; refusals (400, 403) are not retried."""
    for delay in RETRY_DELAYS:
        try:
            return await call()
        except (BadRequest, Forbidden):
            raise
        except RetryAfter as error:  # only when the rate limiter's own retries ran out
            wait = error.retry_after  # seconds (int) today, a timedelta from PTB 23 on
            await asyncio.sleep(wait.total_seconds() if isinstance(wait, timedelta) else wait)
        except NetworkError as error:  # includes TimedOut and 5xx answers
            logger.warning("Bot API call failed (%s); retrying in %.1f s", error, delay)
            await asyncio.sleep(delay)
    return await call()


def _editable(reply: Reply) -> bool:
    return not reply.main_keyboard and reply.venue is None and len(reply.text) <= MAX_MESSAGE_CHARS


async def _edit(context: BotContext, target: Message, reply: Reply) -> Message | None:
    """Edit ``target`` into ``reply``; None when Telegram refuses and a new message is needed."""
    try:
        edited = await with_retries(
            lambda: context.bot.edit_message_text(
                reply.text,
                chat_id=target.chat_id,
                message_id=target.message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=inline_keyboard(reply.buttons),
                link_preview_options=NO_PREVIEW,
            )
        )
    except BadRequest as error:
        if "not modified" in error.message.lower():
            return target  # the same page pressed twice: nothing to change
        logger.info("Could not edit message, sending a new one: %s", error.message)
        return None
    return edited if isinstance(edited, Message) else target


async def _send_one(
    context: BotContext, chat_id: int, reply: Reply, tr: Translator
) -> list[Message]:
    venue = reply.venue
    if venue is not None:
        sent = await with_retries(
            lambda: context.bot.send_venue(
                chat_id,
                latitude=venue.latitude,
                longitude=venue.longitude,
                title=venue.title,
                address=venue.address,
            )
        )
        return [sent]
    parts = [reply.text] if len(reply.text) <= MAX_MESSAGE_CHARS else split_message([reply.text])
    messages: list[Message] = []
    for number, part in enumerate(parts, start=1):
        markup = markup_for(reply, tr) if number == len(parts) else None
        messages.append(
            await with_retries(
                lambda part=part, markup=markup: context.bot.send_message(
                    chat_id,
                    part,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                    link_preview_options=NO_PREVIEW,
                )
            )
        )
    return messages


async def send_replies(
    context: BotContext,
    chat_id: int,
    replies: Sequence[Reply],
    tr: Translator,
    *,
    edit: Message | None = None,
    incoming: int | None = None,
    track: bool = True,
) -> list[Message]:
    """Send ``replies`` in order (the first one edited into ``edit`` when possible).

    ``incoming`` is the id of the person's message being answered; it is tracked for quick
    exit together with the answer. ``track=False`` for answers that must leave no trace
    (after /delete) or that should stay (after /clear).
    """
    messages: list[Message] = []
    for index, reply in enumerate(replies):
        if index == 0 and edit is not None and _editable(reply):
            edited = await _edit(context, edit, reply)
            if edited is not None:
                messages.append(edited)
                continue
        if reply.text or reply.venue is not None:
            messages.extend(await _send_one(context, chat_id, reply, tr))
    if track and chat_id > 0:
        ids = [m.message_id for m in messages]
        if incoming is not None:
            ids.append(incoming)
        if ids:
            await context.bot_data.store.track_messages(chat_id, ids, context.now)
    return messages


async def answer(
    update: Update,
    context: BotContext,
    replies: Sequence[Reply] | Reply,
    tr: Translator,
    *,
    in_place: bool = False,
    track: bool = True,
) -> list[Message]:
    """Answer the update in its chat; ``in_place`` edits the pressed button's message."""
    chat = update.effective_chat
    if chat is None:
        return []
    if isinstance(replies, Reply):
        replies = [replies]
    query = update.callback_query
    target = query.message if query is not None else None
    edit = target if in_place and isinstance(target, Message) else None
    incoming = update.message.message_id if update.message is not None else None
    return await send_replies(
        context,
        chat.id,
        replies,
        tr,
        edit=edit,
        incoming=incoming,
        track=track and chat.type == ChatType.PRIVATE,
    )


async def delete_messages(context: BotContext, chat_id: int, message_ids: Iterable[int]) -> None:
    """Delete as many of the messages as Telegram allows (older than 48 h are skipped)."""
    ids = sorted(set(message_ids))
    for start in range(0, len(ids), MAX_IDS_PER_DELETE):
        chunk = ids[start : start + MAX_IDS_PER_DELETE]
        try:
            await with_retries(lambda chunk=chunk: context.bot.delete_messages(chat_id, chunk))
        except BadRequest as error:
            logger.info("Telegram refused to delete %d messages: %s", len(chunk), error.message)


async def notify_staff(context: BotContext, html_text: str) -> int:
    """Send a notice to every staff chat; a chat that refuses is skipped. Returns how many."""
    delivered = 0
    for chat_id in sorted(context.bot_data.settings.staff_chat_ids):
        try:
            await with_retries(
                lambda chat_id=chat_id: context.bot.send_message(
                    chat_id, html_text, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
                )
            )
            delivered += 1
        except (Forbidden, BadRequest) as error:
            logger.warning("Staff chat %s did not take the report: %s", chat_id, error.message)
    return delivered
