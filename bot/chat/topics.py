"""The counsellors' forum group, as the bot uses it: one topic per conversation.

Every call that touches the group is here, so that one file shows everything the group can
ever see. A person's message is copied (``copyMessage``), never forwarded: a copy carries no
"forwarded from" line, so no name, username or id of the person appears in the group. Topic
names are the code and the language ("K7F2 · العربية"); the bot's own notes name nobody.
"""

from __future__ import annotations

import logging

from telegram import Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from bot.chat.context import BotContext
from bot.chat.handlers.sending import NO_PREVIEW, with_retries
from bot.counsel.rules import topic_name
from bot.counsel.settings import CounselSettings
from bot.i18n.translators import native_language_name
from bot.store.conversations import Conversation

logger = logging.getLogger(__name__)

GroupError = (BadRequest, Forbidden)
"""What Telegram answers when the group is gone or the bot lacks a right there."""

TOPIC_GONE = ("message thread not found", "topic_deleted")
"""How Telegram refuses a message into a topic that the team deleted (lower case)."""


def topic_gone(error: BadRequest) -> bool:
    """Whether the group refused because the conversation's topic was deleted."""
    return any(words in error.message.lower() for words in TOPIC_GONE)


def counsel_settings(context: BotContext) -> CounselSettings:
    """The team's settings; the counselling handlers are registered only when they are set."""
    counsel = context.bot_data.settings.counsel
    if counsel is None:
        raise RuntimeError("the counsellors' group is not configured")
    return counsel


def _group(context: BotContext) -> int:
    return counsel_settings(context).chat_id


def name_for(code: str, language: str, *, danger: bool = False) -> str:
    return topic_name(code, native_language_name(language), danger=danger)


async def open_topic(context: BotContext, code: str, language: str, *, danger: bool = False) -> int:
    """Create the conversation's topic (marked 🆘 if ``danger``); returns its thread id.

    :raises BadRequest, Forbidden: the group refused (not a forum, bot not an admin …)
    """
    group = _group(context)
    name = name_for(code, language, danger=danger)
    topic = await with_retries(lambda: context.bot.create_forum_topic(group, name))
    return topic.message_thread_id


async def note(context: BotContext, topic_id: int, html_text: str) -> Message | None:
    """A line from the bot in a topic (or, with ``topic_id`` 0, in the group's General topic);
    None when the group refuses: a note is a help for the team, never worth failing for."""
    group = _group(context)
    try:
        return await with_retries(
            lambda: context.bot.send_message(
                group,
                html_text,
                message_thread_id=topic_id or None,
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
            )
        )
    except GroupError as error:
        logger.warning("The counsellors' group refused a note: %s", error.message)
        return None


async def copy_in(context: BotContext, conversation: Conversation, message: Message) -> None:
    """The person's message into their topic, as a copy without its sender.

    :raises BadRequest, Forbidden: the group refused
    """
    group = _group(context)
    await with_retries(
        lambda: context.bot.copy_message(
            group,
            message.chat_id,
            message.message_id,
            message_thread_id=conversation.topic_id,
        )
    )


async def mark_danger(context: BotContext, conversation: Conversation) -> None:
    """🆘 in front of the topic's name, so the team sees it in the list of topics."""
    group = _group(context)
    name = name_for(conversation.code, conversation.language, danger=True)
    try:
        await with_retries(
            lambda: context.bot.edit_forum_topic(group, conversation.topic_id, name=name)
        )
    except GroupError as error:
        logger.warning("Could not mark a topic with 🆘: %s", error.message)


async def close_topic(context: BotContext, conversation: Conversation) -> None:
    """Close the ended conversation's topic (the team still reads it; writing needs a reopen)."""
    group = _group(context)
    try:
        await with_retries(lambda: context.bot.close_forum_topic(group, conversation.topic_id))
    except GroupError as error:  # already closed, or deleted by the team
        logger.info("Could not close a topic: %s", error.message)


async def pin(context: BotContext, message: Message) -> bool:
    """Pin the rules in the group; False when the bot may not pin."""
    try:
        await with_retries(
            lambda: context.bot.pin_chat_message(
                message.chat_id, message.message_id, disable_notification=True
            )
        )
    except GroupError as error:
        logger.warning("Could not pin the rules: %s", error.message)
        return False
    return True
