"""Slash commands, and the two actions shared with buttons: quick exit and language menu."""

from __future__ import annotations

from telegram import Update

from bot.answers import lists, menus, replies, results
from bot.chat.context import BotContext
from bot.chat.handlers.sending import answer, delete_messages
from bot.i18n.translators import Translator
from bot.search.when import Asked, Moment

OPEN_NOW = Asked(Moment.NOW)

SERVICE_LINK_PREFIX = "s-"
"""Poster deep links: ``t.me/<bot>?start=s-<service-id>`` opens a service's details;
``?start=<category-id>`` a topic (Telegram allows A-Z, a-z, 0-9, _ and - in the payload)."""


def _deep_link(context: BotContext, payload: str, tr: Translator) -> replies.Reply | None:
    """The page a poster's QR code points at, or None for an unknown or missing payload."""
    catalogue = context.directory.catalogue
    near = context.memory.current_location()
    if payload.startswith(SERVICE_LINK_PREFIX):
        service = catalogue.services_by_id.get(payload.removeprefix(SERVICE_LINK_PREFIX))
        if service is not None:
            return results.details(context.directory, service, tr, context.now, near=near)
    if payload in catalogue.categories_by_id:
        context.memory.category = payload
        return lists.category_page(context.directory, payload, 0, tr, context.now, near=near)
    return None


async def start(update: Update, context: BotContext) -> None:
    """/start: greeting, privacy line, keyboard and topics; a deep link opens its page instead."""
    tr = await context.translator_for(update)
    welcome = menus.welcome(context.directory, tr, talk=context.talk_offered)
    linked = _deep_link(context, context.args[0], tr) if context.args else None
    if linked is not None:
        welcome = [welcome[0], linked]
    await answer(update, context, welcome, tr)


async def help_command(update: Update, context: BotContext) -> None:
    """/help, and any command the bot does not know: never a dead end."""
    tr = await context.translator_for(update)
    await answer(update, context, menus.help_text(tr, talk=context.talk_offered), tr)


async def about(update: Update, context: BotContext) -> None:
    """/about: city, number of services, when the catalogue last changed."""
    tr = await context.translator_for(update)
    await answer(update, context, menus.about(context.directory, tr), tr)


async def privacy(update: Update, context: BotContext) -> None:
    """/privacy: what is stored, and for how long."""
    tr = await context.translator_for(update)
    counsel = context.bot_data.settings.counsel
    days = counsel.retention.days if counsel is not None else None
    await answer(update, context, menus.privacy(tr, talk_days=days), tr)


async def language(update: Update, context: BotContext) -> None:
    """/language and the keyboard's language button: every language in its own script."""
    tr = await context.translator_for(update)
    await answer(update, context, menus.language_menu(context.bot_data.translators, tr), tr)


async def emergency(update: Update, context: BotContext) -> None:
    """/emergency, the emergency buttons: numbers that help right now."""
    tr = await context.translator_for(update)
    await answer(update, context, results.emergency(context.directory, tr, context.now), tr)


async def now(update: Update, context: BotContext) -> None:
    """/now: what is open now in all topics, nearest first when the location is known."""
    tr = await context.translator_for(update)
    near = context.memory.current_location()
    reply = lists.when_page(context.directory, OPEN_NOW, None, 0, tr, context.now, near=near)
    await answer(update, context, reply, tr)


async def quick_exit(update: Update, context: BotContext) -> None:
    """/clear and "Clear this chat": delete the conversation on both sides, as far as Telegram
    allows (48 hours), then say so in one harmless line that stays."""
    tr = await context.translator_for(update)
    chat, message = update.effective_chat, update.effective_message
    if chat is None:
        return
    store = context.bot_data.store
    ids = await store.messages_to_clear(chat.id, context.now)
    if message is not None:
        ids.append(message.message_id)
    await delete_messages(context, chat.id, ids)
    await store.forget_messages(chat.id, ids)
    await answer(update, context, menus.cleared(tr), tr, track=False)


async def delete(update: Update, context: BotContext) -> None:
    """/delete: ask first; the button then forgets everything (see buttons.confirm_delete)."""
    tr = await context.translator_for(update)
    await answer(update, context, menus.delete_confirm(tr), tr)
