"""Plain button data from :mod:`bot.answers.replies` turned into Telegram keyboards.

Two kinds: inline buttons under a message (topics, details, paging), and the main reply
keyboard under the input field (Near me, Emergency, Topics, Language), whose "Near me"
asks the phone for its location.
"""

from __future__ import annotations

from functools import lru_cache

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    MaybeInaccessibleMessage,
    Message,
    ReplyKeyboardMarkup,
)

from bot.answers.replies import Keyboard, Reply, main_keyboard_labels
from bot.callbackdata import Action
from bot.i18n.translators import Translator

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup


@lru_cache(maxsize=1024)
def inline_keyboard(rows: Keyboard) -> InlineKeyboardMarkup | None:
    """Inline buttons; None when there are none (Telegram refuses an empty keyboard).

    Shared between messages (PTB's objects are immutable): the same few result lists and
    detail buttons are shown to many people, and each built keyboard is a dozen objects.
    """
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b.label, url=b.url)
                if b.url
                else InlineKeyboardButton(b.label, callback_data=b.callback)
                for b in row
            ]
            for row in rows
            if row
        ]
    )


@lru_cache(maxsize=32)
def main_keyboard(tr: Translator) -> ReplyKeyboardMarkup:
    """The always-visible keyboard; built once per language (Translator is immutable)."""
    labels = main_keyboard_labels(tr)
    return ReplyKeyboardMarkup(
        [
            [KeyboardButton(labels.near_me, request_location=True), KeyboardButton(labels.topics)],
            [KeyboardButton(labels.emergency), KeyboardButton(labels.language)],
        ],
        resize_keyboard=True,
        is_persistent=True,
    )


def markup_for(reply: Reply, tr: Translator) -> Markup | None:
    """A message has one keyboard: the main keyboard when asked for, else its buttons."""
    if reply.main_keyboard:
        return main_keyboard(tr)
    return inline_keyboard(reply.buttons)


def is_menu(message: MaybeInaccessibleMessage | None) -> bool:
    """Whether a message is a topic menu (it offers the language button).

    Buttons pressed on a menu open a new message, so the menu stays; buttons on a list page
    turn that page in place, so paging does not fill the chat. A message older than 48 hours
    arrives without its content and counts as no menu.
    """
    markup = message.reply_markup if isinstance(message, Message) else None
    if markup is None:
        return False
    return any(
        button.callback_data == Action.LANGUAGE_MENU.value
        for row in markup.inline_keyboard
        for button in row
    )
