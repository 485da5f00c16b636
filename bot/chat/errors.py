"""The one error handler, and the logging rule: no message text, name, username or bot token
reaches a log, at any level.

Expected Telegram refusals are handled where they happen (an edit that is refused becomes a
new message, a staff chat that blocked the bot is skipped, a deletion Telegram does not allow
is left alone). What reaches this handler is unexpected: it is logged with its traceback but
without the person's text (privacy), and the person gets an apology with the main keyboard,
so a bug never leaves them at a dead end.
"""

from __future__ import annotations

import logging
import traceback
from typing import IO

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
WITHHELD = "<withheld>"
OUR_PACKAGE = "bot"
"""Loggers and exception types of our own code, whose log lines and messages never carry what a
person wrote (the house rule); everything else is treated as if it could."""
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _Withheld:
    """Stands in for an argument of a library's log line: formats as ``<withheld>``."""

    def __str__(self) -> str:
        return WITHHELD

    __repr__ = __str__


def _is_ours(name: str) -> bool:
    return name == OUR_PACKAGE or name.startswith(OUR_PACKAGE + ".")


def _safe_argument(value: object) -> object:
    """Numbers stay (ids, counts, seconds); anything else a library logs may hold a person's
    words: python-telegram-bot logs whole updates and API calls at DEBUG and the raw data of an
    update it cannot parse at CRITICAL; httpx logs request URLs."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, BaseException):
        return type(value).__name__
    return _Withheld()


def _exception_line(error: BaseException) -> str:
    """``Type: message`` for our own exceptions and Telegram's answers; the type alone for the
    rest, whose message may quote a person's text (``KeyError('Maria')``)."""
    kind = type(error)
    name = f"{kind.__module__}.{kind.__qualname__}"
    if _is_ours(kind.__module__) or isinstance(error, TelegramError):
        return f"{name}: {error}"
    return f"{name}: {WITHHELD}"


def safe_traceback(error: BaseException) -> str:
    """The traceback with its frames and exception types, every message judged as above."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    parts = []
    for number, link in enumerate(reversed(chain)):
        if number:
            parts.append("\nThe above exception led to the following one:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(link.__traceback__))
        parts.append(_exception_line(link))
    return "".join(parts)


class PrivacyFilter(logging.Filter):
    """Rewrite each record so that it cannot carry a person's words: a library's arguments are
    withheld (its message template stays, so the line still says what happened), and every
    traceback keeps its frames but only the messages :func:`_exception_line` trusts."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _is_ours(record.name):
            if not isinstance(record.msg, str):
                record.msg, record.args = WITHHELD, None
            elif isinstance(record.args, tuple):
                record.args = tuple(_safe_argument(arg) for arg in record.args)
            elif record.args:  # a mapping for %(name)s templates
                record.msg, record.args = record.msg + " " + WITHHELD, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = safe_traceback(record.exc_info[1])
        if record.stack_info:
            record.stack_info = None
        return True


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


def configure_logging(
    level: int, token: str | None, stream: IO[str] | None = None
) -> logging.Handler:
    """Log to ``stream`` (stderr) at ``level`` through :class:`PrivacyFilter` and, with a
    ``token``, :class:`TokenFilter`; returns the handler (a test removes it again).

    httpx logs every request URL at INFO, and Bot API URLs contain the token: it is kept at
    WARNING whatever the level, as a second line of defence.
    """
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(PrivacyFilter())
    if token:
        handler.addFilter(TokenFilter(token))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    return handler


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
