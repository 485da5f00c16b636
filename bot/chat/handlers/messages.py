"""Messages: the gate every update passes first, free text, locations, media and groups."""

from __future__ import annotations

import contextlib

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.answers import counsel, lists, menus, replies, results, talk
from bot.callbackdata import Action
from bot.chat.context import Admission, BotContext
from bot.chat.handlers import commands
from bot.chat.handlers.sending import answer
from bot.geo import is_on_earth
from bot.i18n.translators import Translator
from bot.search.conversation.reader import Intent
from bot.search.outcome import SearchOutcome


async def gate(update: Update, context: BotContext) -> None:
    """Runs before every handler in private chats: stop floods, remember the day.

    A flood gets one friendly notice, then silence until the person slows down; a refused
    update never reaches the search or the database writes.
    """
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    store, flood = context.bot_data.store, context.bot_data.flood
    # Quick exit always passes: someone in danger may well tap it many times in a hurry.
    admission = Admission.ALLOWED if _is_quick_exit(update) else await flood.admit(user.id)
    if admission is Admission.ALLOWED:
        # The region's calendar day: "last seen" should not flip at 01:00 Hannover time.
        region_tz = context.directory.catalogue.region.tz
        await store.touch(user.id, context.now.astimezone(region_tz).date())
        return
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer()
    if admission is Admission.WARN:
        tr = await context.translator_for(update)
        await answer(update, context, replies.slow_down(tr), tr)  # tracks the message too
    elif update.message is not None:
        # Unanswered, but on the phone all the same: /clear must still find it.
        await store.track_messages(chat.id, [update.message.message_id], context.now)
    raise ApplicationHandlerStop


def _is_quick_exit(update: Update) -> bool:
    """/clear (also as /clear@botname) or the "Clear this chat" button."""
    if update.callback_query is not None:
        return update.callback_query.data == Action.CLEAR.value
    words = (update.message.text or "").split(maxsplit=1) if update.message is not None else []
    return bool(words) and words[0].split("@")[0] == "/clear"


async def text(update: Update, context: BotContext) -> None:
    """Typed text: a reply-keyboard label runs its action; anything else is read by
    :func:`search` (crisis, conversation, then the catalogue)."""
    assert update.message is not None and update.message.text is not None
    tr = await context.translator_for(update)
    action = replies.keyboard_action(update.message.text, context.bot_data.translators)
    if action is Action.NEARBY:
        await answer(update, context, replies.near_me_prompt(tr), tr)
    elif action is Action.EMERGENCY:
        await commands.emergency(update, context)
    elif action is Action.MENU:
        reply = menus.topics_menu(context.directory, tr, talk=context.talk_offered)
        await answer(update, context, reply, tr)
    elif action is Action.LANGUAGE_MENU:
        await commands.language(update, context)
    else:
        await search(update, context, update.message.text, tr)


async def search(update: Update, context: BotContext, query: str, tr: Translator) -> None:
    """Free text: crisis help first when needed, then conversation, then the best cards.

    A message clearly written in another shipped language is answered in that language, with
    a one-tap offer to keep it; the log stays anonymous and leaves conversation out."""
    written = talk.written_language(query, tr, context.bot_data.translators)
    speak = written or tr
    directory, memory = context.directory, context.memory
    near = memory.current_location()
    outcome = directory.search(
        query, language=speak.code, near=near, limit=results.MAX_RESULTS, now=context.now
    )
    said = talk.conversation(query, outcome)
    team = context.bot_data.settings.counsel
    if said is Intent.PERSON and team is not None:  # "a person, please": the counsellors
        messages = [counsel.intro(team, directory, speak, context.now)]
    elif said is not None:
        messages = talk.conversation_answer(said, directory, speak, talk=team is not None)
    else:
        memory.found = tuple(match.service.id for match in outcome.results)
        messages = results.search_answer(directory, outcome, speak, context.now, near=near)
        if team is not None and not outcome.results and not outcome.crisis:
            messages.append(counsel.nothing_fits(team, speak))
    if written is not None:
        messages.append(talk.language_offer(written, tr))
    await answer(update, context, messages, speak)
    if said is None:
        await _log_search(update, context, query, outcome, speak)


async def _log_search(
    update: Update, context: BotContext, query: str, outcome: SearchOutcome, tr: Translator
) -> None:
    """One anonymous line in the search log (see :mod:`bot.store.searchlog`)."""
    chat = update.effective_chat
    await context.bot_data.store.log_search(
        chat.id if chat is not None else 0,
        typed=query,
        query=outcome.normalized,
        language=tr.code,
        categories=outcome.categories,
        result_count=len(outcome.results),
        top_score=outcome.results[0].score if outcome.results else None,
        danger=outcome.danger.kind,
        day=context.now.astimezone(context.directory.catalogue.region.tz).date(),
    )


async def location(update: Update, context: BotContext) -> None:
    """A shared location: the nearest services, within the last opened topic if any."""
    assert update.message is not None and update.message.location is not None
    tr = await context.translator_for(update)
    shared = update.message.location
    if not is_on_earth(shared.latitude, shared.longitude):
        await answer(update, context, replies.location_unreadable(tr), tr)
        return
    memory = context.memory
    memory.remember_location((shared.latitude, shared.longitude))
    reply = lists.nearby_page(
        context.directory,
        (shared.latitude, shared.longitude),
        0,
        tr,
        context.now,
        category_id=memory.category,
    )
    await answer(update, context, reply, tr)


async def media(update: Update, context: BotContext) -> None:
    """Voice notes, stickers, photos, files and the like: a hint to type or tap."""
    tr = await context.translator_for(update)
    await answer(update, context, replies.media_hint(tr), tr)


async def added_to_group(update: Update, context: BotContext) -> None:
    """Said once, when someone adds the bot to a group: it only talks in private chats."""
    change = update.my_chat_member
    if change is None or change.chat.type == ChatType.PRIVATE:
        return
    was_in = change.old_chat_member.status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR)
    is_in = change.new_chat_member.status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR)
    if was_in or not is_in:
        return
    tr = await context.translator_for(update)
    with contextlib.suppress(TelegramError):  # removed again at once, or not allowed to write
        await answer(update, context, replies.private_only(tr), tr)
