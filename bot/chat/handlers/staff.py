"""Staff commands in the staff chats (/reload, /stats, /reports), and reload news for staff.

Only chats in STAFF_CHAT_IDS reach ``reload``, ``stats`` and ``reports`` (the filter is in
:func:`bot.chat.app.handler_groups`); anyone else who types these commands ends in ``ignore`` and
gets no answer at all, so the bot does not let on that they exist. Staff read English here:
the texts are technical, like the CLI's.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.chat.context import BotContext
from bot.chat.handlers.sending import NO_PREVIEW, notify_staff, with_retries
from bot.reloader import ReloadOutcome
from bot.staff.reload_messages import staff_message
from bot.staff.report import weekly_report
from bot.staff.report_formats import (
    RECENT_REPORTS_SHOWN,
    render_recent_reports_html,
    render_stats_html,
)

logger = logging.getLogger(__name__)

COMMANDS = ("reload", "stats", "reports")
"""Registered only for staff chats and never put into anybody's command menu."""


async def reload(update: Update, context: BotContext) -> None:
    """/reload: look at the catalogue file now, even if the watcher saw nothing new."""
    chat = update.effective_chat
    outcome = await context.bot_data.reloader.check(force=True)
    if outcome is not None:
        await tell_staff(context, outcome, asked_in=chat.id if chat else None)


async def stats(update: Update, context: BotContext) -> None:
    """/stats: the last seven days in one message (the full report: ``python -m bot stats``)."""
    store = context.bot_data.store
    report = await weekly_report(store, context.directory.catalogue, context.now)
    talking = store.conversations.waiting(context.now) if context.talk_offered else None
    await _reply(update, context, render_stats_html(report, talking))


async def reports(update: Update, context: BotContext) -> None:
    """/reports: the newest "wrong information" reports, with the services' names."""
    recent = await context.bot_data.store.recent_reports(RECENT_REPORTS_SHOWN)
    await _reply(update, context, render_recent_reports_html(recent, context.directory.catalogue))


async def ignore(update: Update, context: BotContext) -> None:
    """A staff command outside the staff chats: silence, as for a command that does not exist."""


async def tell_staff(
    context: BotContext, outcome: ReloadOutcome, *, asked_in: int | None = None
) -> None:
    """News (a reload, a newly refused file) goes to every staff chat; an answer that is no
    news (unchanged, refused again) only to the chat that sent /reload."""
    text = staff_message(outcome)
    if outcome.announce:
        await notify_staff(context, text)
    elif asked_in is not None:
        await _send(context, asked_in, text)


async def report_reload(context: BotContext, outcome: ReloadOutcome) -> None:
    """The watcher's news for staff; an outage only costs the message, never the watching."""
    try:
        await tell_staff(context, outcome)
    except TelegramError as error:
        logger.warning("Could not tell the staff chats about the catalogue: %s", error)


async def _reply(update: Update, context: BotContext, html_text: str) -> None:
    chat = update.effective_chat
    if chat is not None:
        await _send(context, chat.id, html_text)


async def _send(context: BotContext, chat_id: int, html_text: str) -> None:
    await with_retries(
        lambda: context.bot.send_message(
            chat_id, html_text, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
        )
    )
