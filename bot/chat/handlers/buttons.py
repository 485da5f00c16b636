"""Inline buttons: one ``parse_callback``, then one small function per :class:`Action`.

Buttons live on in old messages: after a restart, a catalogue reload or a forged client, a
code may name a topic, a service or a page that no longer exists. Each of those answers with
``menus.expired_button`` (kind words and the topics), never with an error.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Sequence

from telegram import Update
from telegram.error import TelegramError

from bot.answers import crisis, lists, maps, menus, replies, reports, results
from bot.callbackdata import (
    Action,
    Callback,
    CallbackDataError,
    find_service,
    parse_callback,
    results_token,
)
from bot.catalogue.model import REPORT_KINDS, Service
from bot.chat.context import BotContext
from bot.chat.handlers import commands, counsel
from bot.chat.handlers.sending import answer, notify_staff
from bot.chat.keyboards import is_menu
from bot.i18n.translators import Translator
from bot.search.when import Asked

ActionHandler = Callable[[Update, BotContext, Callback, Translator], Awaitable[None]]


async def button(update: Update, context: BotContext) -> None:
    """Acknowledge the tap (stops the spinner), read the code once, run its action."""
    query = update.callback_query
    assert query is not None
    # The acknowledgement only stops the spinner: one attempt, and no failure (a tap from
    # before a restart is "too old", the network hiccups) may keep the action from running.
    with contextlib.suppress(TelegramError):
        await query.answer()
    tr = await context.translator_for(update)
    try:
        callback = parse_callback(query.data)
    except CallbackDataError:
        await _expired(update, context, tr)
        return
    await ACTIONS[callback.action](update, context, callback, tr)


async def _expired(update: Update, context: BotContext, tr: Translator) -> None:
    await answer(update, context, menus.expired_button(context.directory, tr), tr)


def _service(context: BotContext, callback: Callback) -> Service | None:
    return find_service(callback.arg(0), context.directory.catalogue.services_by_id)


def _pages_in_place(update: Update) -> bool:
    """List pages turn in place; a button on a topic menu opens a new message below it."""
    query = update.callback_query
    return query is not None and not is_menu(query.message)


async def category(update: Update, context: BotContext, callback: Callback, tr: Translator) -> None:
    """A topic: its services, open ones first (nearest first when the location is known)."""
    category_id, memory = callback.arg(0), context.memory
    if category_id in context.directory.catalogue.categories_by_id:
        memory.category = category_id
    reply = lists.category_page(
        context.directory,
        category_id,
        callback.page(1),
        tr,
        context.now,
        near=memory.current_location(),
    )
    await answer(update, context, reply, tr, in_place=_pages_in_place(update))


async def more_results(
    update: Update, context: BotContext, callback: Callback, tr: Translator
) -> None:
    """The next cards of the last search, from the ids kept in memory; the button of an
    earlier search (or one from before a restart) is answered kindly instead."""
    found = context.memory.found
    if not found or callback.arg(0) != results_token(found):
        await _expired(update, context, tr)
        return
    near = context.memory.current_location()
    reply = results.results_page(
        context.directory, found, callback.page(1), tr, context.now, near=near
    )
    await answer(update, context, reply, tr, in_place=True)


async def nearby(update: Update, context: BotContext, callback: Callback, tr: Translator) -> None:
    """Another page of the services near the shared location (asked again once forgotten),
    within the topic the list was made for."""
    near = context.memory.current_location()
    if near is None:
        await answer(update, context, replies.near_me_prompt(tr), tr)
        return
    reply = lists.nearby_page(
        context.directory,
        near,
        callback.page(1),
        tr,
        context.now,
        category_id=callback.arg(0) or None,
    )
    await answer(update, context, reply, tr, in_place=True)


async def open_at(update: Update, context: BotContext, callback: Callback, tr: Translator) -> None:
    """ "🟢 Open now" (in a topic or in all) and the pages of such a list: what is open at the
    button's time, now."""
    asked = Asked.parse(callback.arg(2, "now"))
    if asked is None:
        await _expired(update, context, tr)
        return
    reply = lists.when_page(
        context.directory,
        asked,
        callback.arg(0) or None,
        callback.page(1),
        tr,
        context.now,
        near=context.memory.current_location(),
    )
    await answer(update, context, reply, tr, in_place=_pages_in_place(update))


async def details(update: Update, context: BotContext, callback: Callback, tr: Translator) -> None:
    """Everything about one service, as a new message so the list stays."""
    service = _service(context, callback)
    if service is None:
        await _expired(update, context, tr)
        return
    near = context.memory.current_location()
    reply = results.details(context.directory, service, tr, context.now, near=near)
    await answer(update, context, reply, tr)


async def venue(update: Update, context: BotContext, callback: Callback, tr: Translator) -> None:
    """The service's place as a Telegram venue: one tap opens the phone's map app."""
    service = _service(context, callback)
    catalogue = context.directory.catalogue
    reply = maps.venue(catalogue, service, tr) if service is not None else None
    if reply is None:
        await _expired(update, context, tr)
        return
    await answer(update, context, reply, tr)


async def report_menu(
    update: Update, context: BotContext, callback: Callback, tr: Translator
) -> None:
    """ "Report wrong information": what is wrong?"""
    service = _service(context, callback)
    if service is None:
        await _expired(update, context, tr)
        return
    await answer(update, context, reports.report_menu(service, tr), tr)


async def report(update: Update, context: BotContext, callback: Callback, tr: Translator) -> None:
    """Record the report (service, kind, day; nobody's id) and tell the staff chats.

    Keyed by the update: handled again after a crash, it is neither counted nor announced
    twice (the thanks may repeat: it might not have reached the person)."""
    service, kind = _service(context, callback), callback.arg(1)
    if service is None or kind not in REPORT_KINDS:
        await _expired(update, context, tr)
        return
    user, data = update.effective_user, context.bot_data
    if user is None or not data.report_limit.allow(user.id, context.now):
        await answer(update, context, reports.report_limit_reached(tr), tr, in_place=True)
        return
    new = await data.store.add_report(service.id, kind, context.now, key=update.update_id)
    await answer(update, context, reports.report_thanks(tr), tr, in_place=True)
    if not new:
        return

    async def tell_staff(lines: Sequence[str]) -> None:
        await notify_staff(context, reports.staff_report_notice(lines))

    line = reports.staff_report_line(context.directory.catalogue, service, kind)
    await data.report_notices.add(line, tell_staff)


async def set_language(
    update: Update, context: BotContext, callback: Callback, tr: Translator
) -> None:
    """Save the choice (it survives restarts) and redraw keyboard and topics in it."""
    chosen = context.bot_data.translators.get(callback.arg(0))
    user = update.effective_user
    if chosen is None or user is None:
        await _expired(update, context, tr)
        return
    await context.bot_data.store.set_language(user.id, chosen.code)
    redrawn = menus.language_set(context.directory, chosen, talk=context.talk_offered)
    await answer(update, context, redrawn, chosen)


async def language_menu(
    update: Update, context: BotContext, callback: Callback, tr: Translator
) -> None:
    await commands.language(update, context)


async def emergency(
    update: Update, context: BotContext, callback: Callback, tr: Translator
) -> None:
    await commands.emergency(update, context)


async def safety(update: Update, context: BotContext, callback: Callback, tr: Translator) -> None:
    """The answer to "Are you safe right now?": police, a helpline, or advice near them."""
    choice, kind = callback.arg(0), callback.arg(1)
    if choice not in crisis.SAFETY_CHOICES:
        await _expired(update, context, tr)
        return
    await answer(update, context, crisis.safety_answer(context.directory, choice, kind, tr), tr)


async def menu(update: Update, context: BotContext, callback: Callback, tr: Translator) -> None:
    reply = menus.topics_menu(context.directory, tr, talk=context.talk_offered)
    await answer(update, context, reply, tr)


async def talk(update: Update, context: BotContext, callback: Callback, tr: Translator) -> None:
    await answer(update, context, counsel.intro_or_open(update, context, tr), tr)


async def talk_start(
    update: Update, context: BotContext, callback: Callback, tr: Translator
) -> None:
    await counsel.start(update, context, tr)


async def talk_stop(
    update: Update, context: BotContext, callback: Callback, tr: Translator
) -> None:
    await counsel.stop(update, context, tr)


async def clear(update: Update, context: BotContext, callback: Callback, tr: Translator) -> None:
    await commands.quick_exit(update, context)


async def confirm_delete(
    update: Update, context: BotContext, callback: Callback, tr: Translator
) -> None:
    """/delete confirmed: forget the user in the store and in memory; the answer is untracked.

    Idempotent by nature, so handling it again after a crash is harmless: deleting what is
    already gone deletes nothing."""
    user = update.effective_user
    if user is None:
        return
    await counsel.forget(context, user.id)  # the team hears it while the link still exists
    await context.bot_data.store.forget_user(user.id)
    context.memory.forget()
    await answer(update, context, menus.deleted(tr), tr, in_place=True, track=False)


ACTIONS: dict[Action, ActionHandler] = {
    Action.CATEGORY: category,
    Action.DETAILS: details,
    Action.MORE_RESULTS: more_results,
    Action.NEARBY: nearby,
    Action.LANGUAGE: set_language,
    Action.LANGUAGE_MENU: language_menu,
    Action.EMERGENCY: emergency,
    Action.MENU: menu,
    Action.CLEAR: clear,
    Action.REPORT_MENU: report_menu,
    Action.REPORT: report,
    Action.VENUE: venue,
    Action.DELETE_CONFIRM: confirm_delete,
    Action.SAFETY: safety,
    Action.OPEN: open_at,
    Action.TALK: talk,
    Action.TALK_START: talk_start,
    Action.TALK_STOP: talk_stop,
}
"""Every action has its function; a test checks that none is missing."""
