"""Serving: the application running in a process, with updates coming in and a clean stop.

:func:`running` is what ``python -m bot run``, the tests and the sandbox all use: the
application and its resources start, the updates a crash left in the durable inbox are handled
first, then new ones arrive by polling or webhook; stopping goes backwards. :mod:`bot.chat.app`
builds the application itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlparse

from bot import heap
from bot.chat.app import (
    BotApplication,
    build_application,
    post_init,
    post_shutdown,
    post_stop,
)
from bot.chat.errors import configure_logging
from bot.chat.intake import Intake
from bot.chat.polling import poll
from bot.chat.webhook import start_webhook
from bot.config import Settings
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry, load_translators
from bot.store.inbox import Inbox
from bot.store.store import Store

logger = logging.getLogger(__name__)


@asynccontextmanager
async def running(
    application: BotApplication, *, listen: str | None = None
) -> AsyncIterator[BotApplication]:
    """Run the application inside an existing event loop; used by ``run``, the tests and
    the sandbox alike.

    The order: the application and its resources, then the updates the last run left in the
    inbox, then new ones (webhook when the settings ask for one, else polling). Stopping goes
    backwards: no new updates, the ones in hand finish (or stay in the inbox), then the rest.
    ``listen`` overrides the ``WEBHOOK_LISTEN`` setting (the tests use loopback).
    """
    settings = application.bot_data.settings
    inbox = Inbox.open(application.bot_data.store.path)
    intake = Intake(application, inbox)
    receiver: asyncio.Task[None] | None = None
    server = None
    try:
        await application.initialize()
        await post_init(application)
        await application.start()
        await intake.start()
        if settings.webhook_url and settings.webhook_secret:
            server = await start_webhook(
                application.bot,
                intake,
                listen=listen or settings.webhook_listen,
                port=settings.port,
                url_path=urlparse(settings.webhook_url).path,
                webhook_url=settings.webhook_url,
                secret=settings.webhook_secret,
            )
        else:
            receiver = asyncio.create_task(poll(application.bot, intake), name="wegweiser-poll")
        yield application
    finally:
        if receiver is not None:
            receiver.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await receiver
        if server is not None:
            server.stop()
        await intake.stop()
        await inbox.close()
        if application.running:
            await application.stop()
        await post_stop(application)
        await application.shutdown()
        await post_shutdown(application)


def load_content(settings: Settings) -> tuple[Directory, TranslatorRegistry]:
    """Read the translations and the catalogue; raises TranslationFileError or CatalogueError."""
    translators = load_translators()
    directory = Directory.load(settings.services_file, ui_languages=tuple(translators))
    return directory, translators


def run(settings: Settings) -> None:
    """Run the bot until SIGINT/SIGTERM: webhook when WEBHOOK_URL is set, else polling."""
    configure_logging(settings.log_level, settings.token)
    directory, translators = load_content(settings)
    store = Store.open(settings.database_path)
    application = build_application(
        settings, directory=directory, store=store, translators=translators
    )
    logger.debug("%d long-lived objects kept out of garbage collection", heap.settle())
    logger.info(
        "Wegweiser %s: %d services, %s",
        directory.catalogue.region.name,
        len(directory.catalogue.services),
        "webhook" if settings.webhook_url else "polling",
    )
    asyncio.run(_serve(application))


async def _serve(application: BotApplication) -> None:
    """Run until SIGINT or SIGTERM, then stop in order (see :func:`running`)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    async with running(application):
        await stop.wait()
