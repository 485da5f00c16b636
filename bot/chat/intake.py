"""From Telegram's hands to the handlers, through the durable inbox (:mod:`bot.store.inbox`).

Polling (:mod:`bot.chat.polling`) and the webhook (:mod:`bot.chat.webhook`) both hand the raw
JSON of each update to :meth:`Intake.accept`, which stores it before they confirm it to
Telegram. Each stored update is then parsed and handled through the application's update
processor (so one chat's updates keep their order and different chats run in parallel), and
deleted from the inbox when its handlers are done. At start, :meth:`Intake.resume` first
schedules what a crash left in the inbox.

An update that python-telegram-bot cannot parse (an older or self-hosted Bot API server may
leave out a field the library requires) is skipped: counted, logged by its id only (its
content may hold names and texts) and deleted, so it never stops the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.store.inbox import Inbox, InboxError, Pending

logger = logging.getLogger(__name__)

MAX_IN_FLIGHT = 1000
"""Updates stored and scheduled but not yet handled. Above this the intake stops taking more,
so Telegram holds the rest of a flood instead of our memory (a few MB at most here)."""

CHECKPOINT_SECONDS = 5.0
"""How often the inbox's write-ahead log is emptied while updates were handled: the longest a
handled update's text may linger in the log file."""

STOP_GRACE_SECONDS = 20.0
"""On SIGTERM, updates being handled get this long to finish; the rest stay in the inbox and
are handled at the next start."""


class BadUpdate(Exception):
    """Telegram sent something that is not an update (no integer ``update_id``)."""


def pending_from_json(raw: object) -> Pending:
    """The inbox row for one raw update, checked only for its id (the rest is parsed later).

    :raises BadUpdate: not a JSON object with an integer ``update_id``
    """
    if not isinstance(raw, dict):
        raise BadUpdate("an update must be a JSON object")
    update_id = raw.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        raise BadUpdate("an update needs an integer update_id")
    return Pending(update_id, json.dumps(raw, ensure_ascii=False, separators=(",", ":")))


class Intake:
    """Stores updates in the inbox, hands them to the application in order, marks them done."""

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any], inbox: Inbox):
        self._application = application
        self._inbox = inbox
        self._tasks: set[asyncio.Task[None]] = set()
        self._handled_since_checkpoint = 0
        self._checkpoints: asyncio.Task[None] | None = None
        self.skipped = 0
        """Updates that could not be parsed since the start (each logged by id)."""

    async def start(self) -> int:
        """Schedule what the inbox still holds from before (oldest first); returns how many."""
        self._checkpoints = asyncio.create_task(self._checkpoint_regularly(), name="inbox-wal")
        pending = await self._inbox.pending()
        for update in pending:
            self._schedule(update)
        if pending:
            logger.info("Handling %d updates left in the inbox by the last run", len(pending))
        return len(pending)

    async def accept(self, updates: Sequence[Pending]) -> None:
        """Store ``updates`` (one transaction), then schedule the new ones; only after this
        returns may they be confirmed to Telegram. Waits while ``MAX_IN_FLIGHT`` are in hand.

        :raises InboxError: nothing was stored; do not confirm
        """
        while len(self._tasks) >= MAX_IN_FLIGHT:
            await asyncio.wait(set(self._tasks), return_when=asyncio.FIRST_COMPLETED)
        for update in await self._inbox.add(updates):
            self._schedule(update)

    def _schedule(self, pending: Pending) -> None:
        # Tasks start in creation order, so each chat's updates reach its lock in order.
        task = asyncio.create_task(self._handle(pending), name=f"update-{pending.update_id}")
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("Handling an update failed", exc_info=task.exception())

    async def _handle(self, pending: Pending) -> None:
        application = self._application
        update = self._parse(pending)
        if update is not None:
            # The application's processor: per-chat order, MAX_CONCURRENT_UPDATES at a time.
            # Handler errors end in the application's error handler, not here.
            handling = application.process_update(update)
            try:
                await application.update_processor.process_update(update, handling)
            except asyncio.CancelledError:  # stopped while waiting for its turn
                handling.close()
                raise
        try:
            await self._inbox.done(pending.update_id)
        except InboxError:
            # Handled, but still stored: the next start would answer it again. Rare (disk
            # full); better a repeated answer than a silent loss.
            logger.exception("Could not mark update %d as handled", pending.update_id)
        self._handled_since_checkpoint += 1

    def _parse(self, pending: Pending) -> Update | None:
        """The library's Update, or None (counted and logged by id) when it cannot read it."""
        try:
            update = Update.de_json(json.loads(pending.payload), self._application.bot)
        except Exception as error:  # any failure of the library's parser, on foreign input
            self.skipped += 1
            # Never the content or the error's text: both may quote what a person wrote.
            logger.warning(
                "Skipped update %d: python-telegram-bot cannot read it (%s); %d skipped so far",
                pending.update_id,
                type(error).__name__,
                self.skipped,
            )
            return None
        return update

    async def _checkpoint_regularly(self) -> None:
        while True:
            await asyncio.sleep(CHECKPOINT_SECONDS)
            if self._handled_since_checkpoint:
                self._handled_since_checkpoint = 0
                try:
                    await self._inbox.checkpoint()
                except InboxError:  # a reader holds the log; the next round tries again
                    logger.warning("Could not empty the inbox's write-ahead log; retrying")

    async def stop(self, grace: float = STOP_GRACE_SECONDS) -> None:
        """Let the updates in hand finish (up to ``grace`` seconds), then stop the rest; what
        did not finish stays in the inbox for the next start."""
        if self._tasks:
            _, unfinished = await asyncio.wait(set(self._tasks), timeout=grace)
            for task in unfinished:
                task.cancel()
            if unfinished:
                await asyncio.wait(unfinished)
                logger.warning("%d updates stay in the inbox for the next start", len(unfinished))
        if self._checkpoints is not None:
            self._checkpoints.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._checkpoints
            self._checkpoints = None
