"""The counsellors' side: what they write in a topic goes to the person; /close, /block, /setup.

Only messages from the configured group reach these handlers (the filter is in
:func:`bot.chat.app.handler_groups`). A text goes out as a new message under the team's name;
a photo or file is copied with the team's name as its caption. Who in the team wrote is never
passed on: the person sees the team, not a counsellor's account.
"""

from __future__ import annotations

import logging

from telegram import ChatMember, ChatMemberAdministrator, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from bot.answers import counsel as texts
from bot.answers.replies import Reply
from bot.answers.texts import esc
from bot.chat import topics
from bot.chat.context import BotContext
from bot.chat.handlers.sending import NO_PREVIEW, send_replies, with_retries
from bot.counsel import notes
from bot.counsel.rules import BlockDurationError, block_duration, idle_since, waited_long
from bot.i18n.translators import Translator
from bot.store.conversations import Conversation

logger = logging.getLogger(__name__)


def _topic_conversation(update: Update, context: BotContext) -> tuple[Message, Conversation | None]:
    message = update.message
    assert message is not None
    topic = message.message_thread_id if message.is_topic_message else None
    conversations = context.bot_data.store.conversations
    return message, conversations.of_topic(topic) if topic is not None else None


def _person_translator(context: BotContext, conversation: Conversation) -> Translator:
    translators = context.bot_data.translators
    region_default = context.directory.catalogue.region.default_language
    return translators.negotiate(conversation.language, None, region_default)


async def team_message(update: Update, context: BotContext) -> None:
    """A counsellor wrote in a topic: to the person, under the team's name."""
    message, conversation = _topic_conversation(update, context)
    if conversation is None:
        if message.is_topic_message:
            await topics.note(context, message.message_thread_id or 0, notes.NO_CONVERSATION)
        return
    conversations = context.bot_data.store.conversations
    if await conversations.was_relayed(update.update_id):  # handed again after a crash
        return
    counsel = topics.counsel_settings(context)
    tr = _person_translator(context, conversation)
    header = texts.team_header(
        counsel, tr, waited=waited_long(conversation.waiting_since, context.now)
    )
    try:
        sent = await _deliver(context, conversation.chat_id, message, header)
    except Forbidden:
        await topics.note(context, conversation.topic_id, notes.NOT_DELIVERED)
        return
    except BadRequest as error:  # too long with the team's line above it, the chat gone …
        await topics.note(context, conversation.topic_id, notes.refused(error.message))
        return
    await conversations.relayed(update.update_id)
    await conversations.team_wrote(conversation, context.now)
    await context.bot_data.store.track_messages(conversation.chat_id, [sent], context.now)


async def _deliver(context: BotContext, chat_id: int, message: Message, header: str) -> int:
    """Send the counsellor's words or copy their file; returns the new message's id."""
    if message.text is not None:
        text = header + "\n" + esc(message.text)
        sent = await with_retries(
            lambda: context.bot.send_message(
                chat_id, text, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
            )
        )
        return sent.message_id
    caption = header + ("\n" + esc(message.caption) if message.caption else "")
    copied = await with_retries(
        lambda: context.bot.copy_message(
            chat_id,
            message.chat_id,
            message.message_id,
            caption=caption,
            parse_mode=ParseMode.HTML,
        )
    )
    return copied.message_id


async def close(update: Update, context: BotContext) -> None:
    """/close in a topic: the person is told, with a way to start again."""
    _, conversation = _topic_conversation(update, context)
    if conversation is None:
        await _note_here(update, context, notes.NO_CONVERSATION)
        return
    counsel = topics.counsel_settings(context)
    await context.bot_data.store.conversations.end(conversation, context.now)
    tr = _person_translator(context, conversation)
    await _tell_person(context, conversation, texts.closed_by_team(counsel, tr), tr)
    await topics.note(context, conversation.topic_id, notes.CLOSED)
    await topics.close_topic(context, conversation)


async def block(update: Update, context: BotContext) -> None:
    """/block 7d in a topic: ends the conversation and refuses new ones until then."""
    _, conversation = _topic_conversation(update, context)
    if conversation is None:
        await _note_here(update, context, notes.NO_CONVERSATION)
        return
    try:
        duration = block_duration(context.args[0] if context.args else "")
    except BlockDurationError:
        await topics.note(context, conversation.topic_id, notes.BLOCK_USAGE)
        return
    until = context.now + duration
    await context.bot_data.store.conversations.end(conversation, context.now, blocked_until=until)
    tr = _person_translator(context, conversation)
    await _tell_person(context, conversation, texts.blocked(tr, until), tr)
    await topics.note(context, conversation.topic_id, notes.blocked(until))
    await topics.close_topic(context, conversation)


async def close_idle(context: BotContext) -> int:
    """Housekeeping: close conversations in which nobody wrote for ``COUNSEL_IDLE_DAYS``, so
    that retention deletes their link in time; both sides are told. Returns how many."""
    counsel = topics.counsel_settings(context)
    conversations = context.bot_data.store.conversations
    since = idle_since(context.now, counsel.idle)
    closed = 0
    for conversation in conversations.idle(since):
        if await conversations.end_if_idle(conversation, since, context.now) is None:
            continue  # a message came in meanwhile, or it ended
        closed += 1
        tr = _person_translator(context, conversation)
        await _tell_person(context, conversation, texts.closed_idle(counsel, tr), tr)
        await topics.note(context, conversation.topic_id, notes.closed_idle(counsel.idle.days))
        await topics.close_topic(context, conversation)
    return closed


async def edited(update: Update, context: BotContext) -> None:
    """A counsellor changed a message in a topic: the person keeps the first version."""
    message = update.edited_message
    assert message is not None
    topic = message.message_thread_id or 0
    if context.bot_data.store.conversations.of_topic(topic) is not None:
        await topics.note(context, topic, notes.EDIT_NOT_DELIVERED)


async def bot_status(update: Update, context: BotContext) -> None:
    """The bot was added to the counsellors' group or its status there changed: say what it
    still needs, or, when it was removed, tell the operators in the log."""
    change = update.my_chat_member
    assert change is not None
    member = change.new_chat_member
    if member.status not in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR):
        logger.error("The bot was removed from the counsellors' group: nobody can reach them")
        return
    ready = isinstance(member, ChatMemberAdministrator) and bool(member.can_manage_topics)
    await topics.note(context, 0, notes.READY if ready else notes.NEEDS_RIGHTS)


async def setup(update: Update, context: BotContext) -> None:
    """/setup in the group: post the rules and pin them (again, after a change)."""
    counsel = topics.counsel_settings(context)
    posted = await topics.note(context, 0, notes.rules(counsel.retention.days, counsel.idle.days))
    if posted is not None:
        pinned = await topics.pin(context, posted)
        await topics.note(context, 0, notes.SET_UP if pinned else notes.CANNOT_PIN)


async def _note_here(update: Update, context: BotContext, html_text: str) -> None:
    message = update.message
    topic = message.message_thread_id if message is not None and message.is_topic_message else 0
    await topics.note(context, topic or 0, html_text)


async def _tell_person(
    context: BotContext, conversation: Conversation, reply: Reply, tr: Translator
) -> None:
    try:
        await send_replies(context, conversation.chat_id, [reply], tr)
    except (BadRequest, Forbidden) as error:  # the person blocked the bot: nothing to tell
        logger.info("Could not tell a person that their conversation ended: %s", error.message)
