"""Long polling that confirms an update to Telegram only after the inbox has stored it.

python-telegram-bot's Updater confirms a batch (the next getUpdates ``offset``) as soon as it
has put the batch into an in-memory queue, and parses every update on the way: a crash then
loses the batch, and one update the library cannot parse fails the whole getUpdates call, so
the offset never moves and the bot is stuck for everyone. This loop fetches the raw JSON
instead (``Bot.do_api_request``), stores it in the inbox (:class:`bot.chat.intake.Intake`),
and only then asks for the next batch, whose offset confirms the stored one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import Bot
from telegram.error import InvalidToken, RetryAfter, TelegramError

from bot.chat.intake import BadUpdate, Intake, pending_from_json
from bot.store.inbox import InboxError, Pending

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")
"""The update types the handlers in :func:`bot.chat.app.handler_groups` use: new messages
(private chats, staff commands), edits (only during a conversation with the counsellors, where
either side must hear that a change does not reach the other; elsewhere they are dropped
unanswered), button taps, and the bot being added to a group. Channel posts, reactions,
polls … are never fetched (and never stored)."""

POLL_TIMEOUT_SECONDS = 10
"""Long-polling wait per getUpdates; a new message ends it at once."""

POLL_READ_GRACE_SECONDS = 10.0
"""Added to the long-polling wait for the HTTP read timeout (Telegram answers at the end)."""

FIRST_BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 30.0
"""Failed calls are retried after 0.5 s, doubling up to 30 s: an outage costs a few calls a
minute, not thousands (a 409 Conflict or a full disk would otherwise spin)."""


def backoff(failures: int) -> float:
    """Seconds to wait after ``failures`` failures in a row (1 → 0.5 s, doubling, capped)."""
    return min(FIRST_BACKOFF_SECONDS * 2 ** max(failures - 1, 0), MAX_BACKOFF_SECONDS)


async def _wait_out(error: Exception, failures: int, what: str) -> None:
    if isinstance(error, RetryAfter):
        wait = error.retry_after
        delay = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
    else:
        delay = backoff(failures)
    # The error's class and Telegram's description name no user; the update is never logged.
    logger.warning("%s failed (%s), retrying in %.1f s", what, error, delay)
    await asyncio.sleep(delay)


async def until_done(call: Callable[[], Awaitable[Any]], what: str) -> None:
    """Retry a start-up call with backoff until it succeeds (an invalid token ends it)."""
    failures = 0
    while True:
        try:
            await call()
            return
        except InvalidToken:
            raise
        except TelegramError as error:
            failures += 1
            await _wait_out(error, failures, what)


def read_batch(raws: object) -> tuple[list[Pending], int]:
    """The storable updates of a getUpdates result, and how many items were not updates."""
    batch: list[Pending] = []
    broken = 0
    for raw in raws if isinstance(raws, list) else []:
        try:
            batch.append(pending_from_json(raw))
        except BadUpdate:
            broken += 1
    return batch, broken


async def poll(bot: Bot, intake: Intake, *, timeout: int = POLL_TIMEOUT_SECONDS) -> None:
    """Fetch, store, confirm, forever (until cancelled). Pending updates are never dropped."""
    await until_done(lambda: bot.delete_webhook(drop_pending_updates=False), "deleteWebhook")
    offset: int | None = None
    failures = 0
    while True:
        kwargs: dict[str, Any] = {"timeout": timeout, "allowed_updates": list(ALLOWED_UPDATES)}
        if offset is not None:
            kwargs["offset"] = offset
        try:
            # "getupdates", not "getUpdates": Bot API method names are case-insensitive, and
            # PTB warns about do_api_request only for names it has a method for.
            raws = await bot.do_api_request(
                "getupdates", api_kwargs=kwargs, read_timeout=timeout + POLL_READ_GRACE_SECONDS
            )
            batch, broken = read_batch(raws)
            if broken:
                logger.warning("getUpdates returned %d items that are not updates", broken)
            await intake.accept(batch)
        except InvalidToken:
            logger.critical("Telegram rejects the token: no more updates are fetched")
            raise
        except (TelegramError, InboxError) as error:
            failures += 1
            await _wait_out(error, failures, "Fetching updates")
            continue
        failures = 0
        if batch:
            # Confirmed by the next call: every update up to here is in the inbox now.
            offset = max(update.update_id for update in batch) + 1
