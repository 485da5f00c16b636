"""Builds the one python-telegram-bot Application and runs it (polling or webhook).

Everything Telegram-facing is wired here, in one place: the handler order, the typed
context, the rate limiter, the per-chat ordering of updates, the resources that live as long
as the application (store, directory, translators) and the background housekeeping. The
tests and the sandbox run exactly this Application against the fake Bot API server.

Updates do not come through python-telegram-bot's Updater (``updater(None)``): our own
polling loop (:mod:`bot.chat.polling`) or webhook (:mod:`bot.chat.webhook`) writes each one to
the durable inbox before Telegram learns it arrived (:mod:`bot.chat.intake`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import sqlite3
import ssl
import time
from collections.abc import Awaitable, Collection
from typing import Any

import httpx
from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseHandler,
    BaseRateLimiter,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.answers import menus
from bot.chat.context import BotContext, BotData, Clock, DirectoryHolder, UserData, utc_now
from bot.chat.errors import on_error
from bot.chat.handlers import buttons, commands, counsel, counsel_team, messages, staff
from bot.config import Settings
from bot.directory import Directory
from bot.i18n.translators import SOURCE_LANGUAGE, TranslatorRegistry
from bot.reloader import CatalogueReloader, ReloadOutcome, watch
from bot.store.conversations import Conversations
from bot.store.store import StorageError, Store

logger = logging.getLogger(__name__)

BotApplication = Application[Any, BotContext, UserData, dict, BotData, Any]  # type: ignore[type-arg]

CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData, user_data=UserData)

MAX_CONCURRENT_UPDATES = 32
"""Updates handled at the same time (different people in parallel, one person in order).
Most of an update's time is waiting for Telegram, so 32 keep both cores busy, far above a
city's peak and Telegram's ~30 messages/s; more only queue for connections (bench_bot.py)."""

CONNECTION_POOL_SIZE = 8
"""HTTP connections to the Bot API. Telegram accepts about 30 messages/s; at ~0.1 s a request
that is 3 in flight, so 8 leave room for bursts of deletes and callback answers. More cost
CPU: httpcore checks every pooled connection on each request (measured on loopback: 202
updates/s with 32 connections, 238-262 with 8)."""

POOL_TIMEOUT_SECONDS = 10.0
"""How long a request may wait for a free connection in a burst before it counts as failed
(PTB's default of 1 s would turn a short queue into errors)."""

RATE_LIMIT_RETRIES = 3
"""How often AIORateLimiter waits out a 429 (retry_after) before the error reaches us."""

SEND_TIMEOUT_SECONDS = 30.0
"""How long a Bot API call may take to be written and answered. PTB's 5 s default made a
slow Telegram (an answer after 6 s) look like a failure: our retry then sent the message a
second time, although the first one had arrived. Telegram answers in well under a second
when well; 30 s turns its slow moments into a wait, and only a real outage into a retry."""

HOUSEKEEPING_INTERVAL_SECONDS = 3600
"""Hourly: purge expired message ids, old log rows and silent users; forget idle memory."""

USER_MEMORY_SECONDS = 3 * 3600
"""In-memory user data (last search, topic, cached language) is dropped after 3 silent hours."""

PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
"""New messages in private chats: edits (and live-location updates) are not asked again."""

MEDIA = (
    filters.VOICE
    | filters.AUDIO
    | filters.Sticker.ALL
    | filters.PHOTO
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.ANIMATION
    | filters.Document.ALL
    | filters.CONTACT
    | filters.POLL
    | filters.Dice.ALL
)
"""What people send instead of words; each gets the hint to type or tap."""


def handler_groups(
    staff_chat_ids: Collection[int] = (),
    conversations: Conversations | None = None,
    counsel_chat_id: int | None = None,
) -> dict[int, list[BaseHandler[Any, BotContext, Any]]]:
    """Every handler, in the order PTB tries them; the first match in a group wins.

    ``conversations`` and ``counsel_chat_id`` (both or neither) add talking to a person."""
    staff_chats = filters.Chat(chat_id=staff_chat_ids) & filters.UpdateType.MESSAGE
    return {
        # Group -2 runs first for every update: the flood gate may stop it right here.
        -2: [TypeHandler(Update, messages.gate)],
        # Group -1: during a conversation with the counsellors, the person's messages go to
        # them instead of the search; keyboard labels and commands pass on to group 0.
        -1: _relay(conversations, counsel_chat_id),
        0: [
            *_team(counsel_chat_id),
            ChatMemberHandler(messages.added_to_group, ChatMemberHandler.MY_CHAT_MEMBER),
            # Staff commands before the generic ones: in a staff chat they must win over
            # "any other /word gets the help" below; from anyone else the same commands are
            # swallowed silently, so the bot does not reveal them (not even with the help).
            CommandHandler("reload", staff.reload, filters=staff_chats),
            CommandHandler("stats", staff.stats, filters=staff_chats),
            CommandHandler("reports", staff.reports, filters=staff_chats),
            CommandHandler(staff.COMMANDS, staff.ignore),
            CommandHandler("start", commands.start, filters=PRIVATE),
            CommandHandler("help", commands.help_command, filters=PRIVATE),
            CommandHandler("about", commands.about, filters=PRIVATE),
            CommandHandler("privacy", commands.privacy, filters=PRIVATE),
            CommandHandler("language", commands.language, filters=PRIVATE),
            CommandHandler("emergency", commands.emergency, filters=PRIVATE),
            CommandHandler("now", commands.now, filters=PRIVATE),
            CommandHandler("clear", commands.quick_exit, filters=PRIVATE),
            CommandHandler("delete", commands.delete, filters=PRIVATE),
            *_talk(counsel_chat_id),
            # After the known commands: any other "/word" gets the help, not a search.
            MessageHandler(PRIVATE & filters.COMMAND, commands.help_command),
            MessageHandler(PRIVATE & filters.LOCATION, messages.location),
            # Text after commands: keyboard labels and free-text search.
            MessageHandler(PRIVATE & filters.TEXT, messages.text),
            MessageHandler(PRIVATE & MEDIA, messages.media),
            CallbackQueryHandler(buttons.button),
            # Messages in groups match nothing above: the bot stays silent there after saying
            # once, when it was added, that it only talks in private (added_to_group).
        ],
    }


def _relay(
    conversations: Conversations | None, counsel_chat_id: int | None
) -> list[BaseHandler[Any, BotContext, Any]]:
    if conversations is None or counsel_chat_id is None:
        return []
    talking = PRIVATE & counsel.InConversation(conversations) & ~filters.COMMAND
    edited = filters.ChatType.PRIVATE & filters.UpdateType.EDITED_MESSAGE
    return [
        MessageHandler(talking & ~filters.LOCATION, counsel.relay),
        MessageHandler(edited & counsel.InConversation(conversations), counsel.edited),
    ]


def _talk(counsel_chat_id: int | None) -> list[BaseHandler[Any, BotContext, Any]]:
    if counsel_chat_id is None:
        return []  # then /talk is an unknown command: the help, like any other
    return [CommandHandler("talk", counsel.talk_command, filters=PRIVATE)]


def _team(counsel_chat_id: int | None) -> list[BaseHandler[Any, BotContext, Any]]:
    """The counsellors' group: commands in a topic, and their words to the person. Service
    messages (a topic created or closed) are no one's words and pass silently."""
    if counsel_chat_id is None:
        return []
    the_group = filters.Chat(chat_id=counsel_chat_id)
    group = the_group & filters.UpdateType.MESSAGE
    words = group & filters.IS_TOPIC_MESSAGE & ~filters.StatusUpdate.ALL & ~filters.COMMAND
    edited = the_group & filters.UpdateType.EDITED_MESSAGE & filters.IS_TOPIC_MESSAGE
    return [
        CommandHandler("close", counsel_team.close, filters=group),
        CommandHandler("block", counsel_team.block, filters=group),
        CommandHandler("setup", counsel_team.setup, filters=group),
        MessageHandler(words, counsel_team.team_message),
        MessageHandler(edited, counsel_team.edited),
        # Before the generic one below, which tells a group that the bot talks in private.
        ChatMemberHandler(
            counsel_team.bot_status, ChatMemberHandler.MY_CHAT_MEMBER, chat_id=counsel_chat_id
        ),
    ]


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Different chats run concurrently; one chat's updates run strictly in arrival order.

    Why: a person's "/start" must be answered before the search they typed right after it,
    but nobody should wait behind another person's slow network round trip. (PTB takes a
    concurrency slot before the chat's turn comes; a flooding chat holds slots only for the
    moment the flood gate needs to refuse each update.)
    """

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = None
        if isinstance(update, Update):
            chat, user = update.effective_chat, update.effective_user
            key = chat.id if chat is not None else user.id if user is not None else None
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # nobody else queued for this chat: keep memory bounded
                del self._waiting[key], self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One TLS context for every connection of the process, built as httpx builds it (its CA
    bundle, or SSL_CERT_FILE): each one parses the bundle (~50 ms of CPU), and PTB built two
    per application, which every test that starts the bot paid again."""
    return httpx.create_ssl_context()


def file_url_for(base_url: str) -> str:
    """A local Bot API server serves files beside its API: ``…/bot`` → ``…/file/bot``."""
    root, _, last = base_url.rstrip("/").rpartition("/")
    return f"{root}/file/{last}"


def build_application(
    settings: Settings,
    *,
    directory: Directory,
    store: Store,
    translators: TranslatorRegistry,
    clock: Clock = utc_now,
    rate_limiter: BaseRateLimiter[Any] | None = None,
) -> BotApplication:
    """The Application with every handler; it owns ``store`` and closes it on shutdown."""
    if not settings.token:
        raise ValueError("build_application needs settings.token (the sandbox sets its own)")
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .context_types(CONTEXT_TYPES)
        .rate_limiter(rate_limiter or AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
        .concurrent_updates(PerChatUpdateProcessor(MAX_CONCURRENT_UPDATES))
        .request(
            HTTPXRequest(
                CONNECTION_POOL_SIZE,
                read_timeout=SEND_TIMEOUT_SECONDS,
                write_timeout=SEND_TIMEOUT_SECONDS,
                pool_timeout=POOL_TIMEOUT_SECONDS,
                httpx_kwargs={"verify": tls_context()},
            )
        )
        # PTB's own default for getUpdates (one connection), with the shared TLS context.
        .get_updates_request(HTTPXRequest(1, httpx_kwargs={"verify": tls_context()}))
        .updater(None)
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
    )
    if settings.base_url:
        builder = builder.base_url(settings.base_url).base_file_url(file_url_for(settings.base_url))
    application: BotApplication = builder.build()  # type: ignore[assignment]
    holder = DirectoryHolder(directory)
    application.bot_data.attach(
        settings=settings,
        holder=holder,
        reloader=CatalogueReloader(holder, ui_languages=tuple(translators)),
        store=store,
        translators=translators,
        clock=clock,
    )
    counsel_chat_id = settings.counsel.chat_id if settings.counsel is not None else None
    groups = handler_groups(settings.staff_chat_ids, store.conversations, counsel_chat_id)
    application.add_handlers(groups)  # type: ignore[arg-type]
    application.add_error_handler(on_error)  # type: ignore[arg-type]
    return application


# -- lifecycle -------------------------------------------------------------------------------


async def post_init(application: BotApplication) -> None:
    """Commands in every language, then the hourly housekeeping and the catalogue watcher."""
    await register_commands(application)
    data = application.bot_data
    data.housekeeping = asyncio.create_task(
        _housekeeping(application), name="wegweiser-housekeeping"
    )
    if data.settings.reload_interval > 0:

        async def report(outcome: ReloadOutcome) -> None:
            await staff.report_reload(BotContext(application), outcome)

        data.reload_watcher = asyncio.create_task(
            watch(data.reloader, data.settings.reload_interval, report),
            name="wegweiser-reload-watcher",
        )


async def post_stop(application: BotApplication) -> None:
    data = application.bot_data
    await data.report_notices.close()  # held reports are told before the bot stops
    tasks = [data.housekeeping, data.reload_watcher]
    data.housekeeping = data.reload_watcher = None
    for task in tasks:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def post_shutdown(application: BotApplication) -> None:
    await application.bot_data.store.close()


async def register_commands(application: BotApplication) -> None:
    """``set_my_commands`` once per language (language_code), plus a default in English."""
    translators = application.bot_data.translators
    talk = application.bot_data.settings.counsel is not None
    for code, tr in [*translators.items(), ("", translators.get(SOURCE_LANGUAGE))]:
        if tr is None:
            continue
        listed = menus.bot_commands(tr, talk=talk)
        commands = [BotCommand(name, text) for name, text in listed]
        try:
            await application.bot.set_my_commands(commands, language_code=code or None)
        except TelegramError as error:  # the menu is a comfort; the bot works without it
            logger.warning("Could not register the %s command menu: %s", code or "default", error)


async def _housekeeping(application: BotApplication) -> None:
    """Forget on time: expired rows in the store, idle conversations (closed, so that their
    link expires too), idle people and flood buckets in memory."""
    data = application.bot_data
    while True:
        await asyncio.sleep(HOUSEKEEPING_INTERVAL_SECONDS)
        try:
            counsel = data.settings.counsel
            result = await data.store.housekeeping(
                data.clock(),
                search_log_retention=data.settings.log_retention,
                **({"conversation_retention": counsel.retention} if counsel else {}),
            )
            logger.info("Housekeeping: %s", result)
            if counsel is not None:
                closed = await counsel_team.close_idle(BotContext(application))
                logger.info("Closed %d idle conversations", closed)
        except (StorageError, sqlite3.Error):  # a locked or full disk: try again next hour
            logger.exception("Housekeeping failed")
        except TelegramError as error:  # Telegram unreachable: the rest closes next hour
            logger.warning("Closing idle conversations failed: %s", error)
        forget_idle_users(application)
        data.flood.forget_idle()


def forget_idle_users(
    application: BotApplication, idle_seconds: float = USER_MEMORY_SECONDS
) -> int:
    """Drop the in-memory data of people silent for ``idle_seconds``; returns how many."""
    cutoff = time.monotonic() - idle_seconds
    idle = [uid for uid, data in application.user_data.items() if data.last_seen < cutoff]
    for user_id in idle:
        application.drop_user_data(user_id)
    return len(idle)
