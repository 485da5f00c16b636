"""The one error handler, and the logging rule that the bot token never reaches a log.

Expected Telegram refusals are handled where they happen (an edit that is refused becomes a
new message, a staff chat that blocked the bot is skipped, a deletion Telegram does not allow
is left alone). What reaches this handler is unexpected: it is logged with its traceback but
without the person's text (privacy), and the person gets an apology with the main keyboard,
so a bug never leaves them at a dead end.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden, NetworkError, RetryAfter, TelegramError

from bot.answers import replies
from bot.chat.bugs import bug_location, bug_notice
from bot.chat.context import BotContext
from bot.chat.handlers.sending import answer, notify_staff
from bot.store.store import StorageError

logger = logging.getLogger(__name__)

REDACTED = "<TOKEN>"


class TokenFilter(logging.Filter):
    """Replace the bot token in every log record; it appears in Bot API URLs."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._token in message:
            record.msg, record.args = message.replace(self._token, REDACTED), None
        if record.exc_info and record.exc_text is None:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self._token in record.exc_text:
            record.exc_text = record.exc_text.replace(self._token, REDACTED)
        return True


def configure_logging(level: int, token: str | None) -> None:
    """Log to stderr at ``level``; the token is redacted from every handler's output.

    httpx logs every request URL at INFO, and Bot API URLs contain the token: it is kept at
    WARNING whatever the level, as a second line of defence.
    """
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    if token:
        for handler in logging.getLogger().handlers:
            if not any(isinstance(f, TokenFilter) for f in handler.filters):
                handler.addFilter(TokenFilter(token))


def _describe(update: object) -> str:
    """Which update failed, without what anybody wrote."""
    if isinstance(update, Update):
        kinds = [k for k in update.to_dict() if k != "update_id"]
        return f"update {update.update_id} ({', '.join(kinds)})"
    return "no update" if update is None else type(update).__name__


async def on_error(update: object, context: BotContext) -> None:
    """Log what went wrong, tell the staff chats once an hour, apologise to the person."""
    error = context.error
    if update is None and isinstance(error, NetworkError | RetryAfter):
        logger.warning("Fetching updates failed, PTB retries: %s", error)  # an outage, not a bug
        return
    if isinstance(error, Forbidden):  # the person blocked the bot: nothing to tell them
        logger.info("Telegram refused to deliver for %s: %s", _describe(update), error)
        return
    logger.error("Error while handling %s", _describe(update), exc_info=error)
    if error is not None:
        bug = bug_location(error)
        if context.bot_data.bug_notices.due(bug, context.now):
            try:
                await notify_staff(context, bug_notice(bug, _describe(update)))
            except TelegramError as notice_error:
                logger.warning("Could not tell the staff chats either: %s", notice_error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != ChatType.PRIVATE:
        return
    try:
        tr = await context.translator_for(update)
        await answer(update, context, replies.error_apology(tr), tr, track=False)
    except (TelegramError, StorageError) as apology_error:  # the outage that caused the error
        logger.warning("Could not apologise for the error either: %s", apology_error)
