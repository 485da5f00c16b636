"""The person's side of a conversation with the counsellors: /talk, start, stop, and relaying.

While a conversation is open, what the person writes (text, photos, PDFs and other documents)
goes into their topic instead of the search. Crisis always wins: every relayed text or caption
is read by the crisis stage first, and on danger the person gets the first help at once, the
message still reaches the team, and the topic is marked 🆘.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from telegram import Message, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import ApplicationHandlerStop
from telegram.ext.filters import MessageFilter

from bot.answers import counsel as texts
from bot.answers import crisis, replies, talk
from bot.chat import topics
from bot.chat.context import BotContext
from bot.chat.handlers.sending import answer
from bot.counsel import notes
from bot.counsel.codes import new_code
from bot.counsel.rules import team_is_open
from bot.i18n.translators import Translator
from bot.store.conversations import Conversation, Conversations

logger = logging.getLogger(__name__)


class InConversation(MessageFilter):
    """Messages from a chat with an open conversation (asked of the store's memory)."""

    def __init__(self, conversations: Conversations) -> None:
        super().__init__(name="InConversation")
        self._conversations = conversations

    def filter(self, message: Message) -> bool:
        return self._conversations.is_open(message.chat_id)


async def talk_command(update: Update, context: BotContext) -> None:
    """/talk and "Write to a person": the intro (or, when open already, how to go on)."""
    tr = await context.translator_for(update)
    await answer(update, context, intro_or_open(update, context, tr), tr)


def intro_or_open(update: Update, context: BotContext, tr: Translator) -> replies.Reply:
    """The intro before a conversation; "already connected" during one; the old answer that
    lists advice services when no counsellors are set up (an old button)."""
    counsel = context.bot_data.settings.counsel
    chat = update.effective_chat
    if counsel is None or chat is None:
        return talk.person_answer(context.directory, tr)
    if context.bot_data.store.conversations.is_open(chat.id):
        return texts.already_open(counsel, tr)
    return texts.intro(counsel, context.directory, tr, context.now)


async def start(update: Update, context: BotContext, tr: Translator) -> None:
    """ "Start the conversation": a new topic in the group, named by a fresh random code."""
    chat = update.effective_chat
    counsel = context.bot_data.settings.counsel
    if chat is None or counsel is None:
        return
    conversations = context.bot_data.store.conversations
    if conversations.is_open(chat.id):
        await answer(update, context, texts.already_open(counsel, tr), tr)
        return
    until = await conversations.blocked_until(chat.id, context.now)
    if until is not None:
        await answer(update, context, texts.blocked(tr, until), tr)
        return
    code = new_code((await conversations.codes_in_use()).__contains__)
    try:
        topic_id = await topics.open_topic(context, code, tr.code)
    except (BadRequest, Forbidden) as error:
        logger.error("The counsellors' group refused a new topic: %s", error.message)
        await answer(update, context, texts.unreachable(tr), tr)
        return
    await conversations.start(code, chat.id, topic_id, tr.code, context.now)
    await topics.note(context, topic_id, notes.opened(code, tr.native_name))
    await answer(update, context, texts.started(counsel, context.directory, tr, context.now), tr)


async def stop(update: Update, context: BotContext, tr: Translator) -> None:
    """ "End the conversation": the team is told, the topic closed, the link kept for the
    retention period only."""
    chat = update.effective_chat
    conversations = context.bot_data.store.conversations
    conversation = conversations.of_chat(chat.id) if chat is not None else None
    if conversation is None:
        await answer(update, context, texts.not_open(tr), tr)
        return
    if await conversations.end(conversation, context.now) is None:  # the team was faster
        await answer(update, context, texts.not_open(tr), tr)
        return
    await topics.note(context, conversation.topic_id, notes.ENDED_BY_PERSON)
    await topics.close_topic(context, conversation)
    await answer(update, context, texts.stopped(tr), tr)


async def forget(context: BotContext, chat_id: int) -> None:
    """/delete: the team hears that the conversation is gone, before the store forgets it."""
    context.bot_data.relay_limit.forget(chat_id)
    conversation = context.bot_data.store.conversations.of_chat(chat_id)
    if conversation is not None and context.bot_data.settings.counsel is not None:
        await topics.note(context, conversation.topic_id, notes.DELETED_BY_PERSON)
        await topics.close_topic(context, conversation)


RELAYED_KINDS = ("text", "photo", "document")
"""What reaches the team: words, and photos or files of letters."""


async def relay(update: Update, context: BotContext) -> None:
    """A message during an open conversation: into the topic, read for danger on the way.

    Keyboard labels (🆘 Emergency, Topics …) keep their meaning; anything else that is not
    text, a photo or a document gets a hint instead.
    """
    message = update.message
    assert message is not None
    tr = await context.translator_for(update)
    if message.text and replies.keyboard_action(message.text, context.bot_data.translators):
        return  # not stopped: the text handler runs the button's action
    conversation = context.bot_data.store.conversations.of_chat(message.chat_id)
    if conversation is None:  # ended by the team a moment ago: searched as usual
        return
    refusal = await _refusal(message, context, tr)
    if refusal is not None:
        await answer(update, context, refusal, tr)
        raise ApplicationHandlerStop
    danger = context.directory.index.danger(message.text or message.caption or "")
    if danger.found:  # first help first: the person must not wait for the team's side
        first_help = crisis.first_help(context.directory, danger, tr, context.now)
        await answer(update, context, first_help, tr)
    try:
        conversation = await _copy_in(update, context, conversation, tr)
    except (BadRequest, Forbidden) as error:
        logger.error("The counsellors' group refused a message: %s", error.message)
        await answer(update, context, texts.unreachable(tr), tr)
        raise ApplicationHandlerStop from None
    await _relayed(update, context, conversation, tr, danger=danger.found)
    raise ApplicationHandlerStop


async def _copy_in(
    update: Update, context: BotContext, conversation: Conversation, tr: Translator
) -> Conversation:
    """Copy the message into the topic once per update (the inbox may hand it again after a
    crash); when the team deleted the topic, the conversation goes on in a new one.

    :raises BadRequest, Forbidden: the group refused (and no new topic could be opened)
    """
    message = update.message
    assert message is not None
    conversations = context.bot_data.store.conversations
    if await conversations.was_relayed(update.update_id):
        return conversation
    try:
        await topics.copy_in(context, conversation, message)
    except BadRequest as error:
        if not topics.topic_gone(error):
            raise
        conversation = await _new_topic(context, conversation, tr)
        await topics.copy_in(context, conversation, message)
    await conversations.relayed(update.update_id)
    return conversation


async def _new_topic(
    context: BotContext, conversation: Conversation, tr: Translator
) -> Conversation:
    """The same conversation (code, language) in a fresh topic, with a note for the team."""
    c = conversation
    topic_id = await topics.open_topic(context, c.code, c.language, danger=c.marked)
    moved = await context.bot_data.store.conversations.moved(conversation, topic_id)
    if moved is None:  # ended meanwhile: the message still reaches the new topic
        return replace(conversation, topic_id=topic_id)
    await topics.note(context, topic_id, notes.moved(conversation.code, tr.native_name))
    return moved


async def edited(update: Update, context: BotContext) -> None:
    """A person changed a message during a conversation: the copy in the topic stays as it
    was (the bot keeps no link between the two), so the person is asked to send it again.
    Crisis still wins: a change that speaks of danger gets the first help at once."""
    message = update.edited_message
    assert message is not None
    tr = await context.translator_for(update)
    danger = context.directory.index.danger(message.text or message.caption or "")
    if danger.found:
        first_help = crisis.first_help(context.directory, danger, tr, context.now)
        await answer(update, context, first_help, tr)
    await answer(update, context, texts.edit_not_relayed(tr), tr)


async def _refusal(message: Message, context: BotContext, tr: Translator) -> replies.Reply | None:
    """Why this message does not go to the team (its kind, or the hour's limit), or None."""
    if not any(getattr(message, kind) for kind in RELAYED_KINDS):
        return texts.not_relayed(tr)
    if not await context.bot_data.relay_limit.admit(message.chat_id):
        return texts.rate_limited(tr)
    return None


async def _relayed(
    update: Update, context: BotContext, conversation: Conversation, tr: Translator, *, danger: bool
) -> None:
    """After the copy: the person now waits; 🆘 for the team; outside the hours, when."""
    message = update.message
    assert message is not None
    store, now = context.bot_data.store, context.now
    await store.track_messages(message.chat_id, [message.message_id], now)
    current = store.conversations.of_chat(message.chat_id)
    first_of_wait = current is not None and current.waiting_since is None
    updated = await store.conversations.person_wrote(conversation, now)
    if updated is None:  # the team closed it while the message was on its way: it arrived
        return
    if danger:
        if not updated.marked:
            await topics.mark_danger(context, updated)
            await store.conversations.mark(updated)
        await topics.note(context, updated.topic_id, notes.DANGER)
    counsel = topics.counsel_settings(context)
    region = context.directory.catalogue.region
    schedule = counsel.schedule(region.timezone, region.country, region.state)
    if first_of_wait and not team_is_open(schedule, now):
        await answer(update, context, texts.outside_hours(counsel, context.directory, tr, now), tr)
