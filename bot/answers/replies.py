"""What the bot answers at each step of a conversation, without any Telegram types.

Each answer function takes the directory, the reader's translator and the clock, and returns
:class:`Reply` objects: HTML text plus button rows described by plain data. The Telegram layer
only turns them into API calls, so the whole conversation can be tested in every language
without a network, and handlers stay a few lines long.

This module holds the types every answer is made of, the always-visible keyboard and the short
notices any step may need; the answers themselves live by step: :mod:`bot.answers.menus`
(start, help, topics, language, about, privacy), :mod:`bot.answers.results` (search results,
topic and nearby lists, one service's details, emergency) and :mod:`bot.answers.reports`
(reporting wrong information).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from bot.answers.texts import esc
from bot.callbackdata import Action
from bot.i18n.translators import Translator, TranslatorRegistry


@dataclass(frozen=True)
class Button:
    """An inline button: either a callback code or a URL."""

    label: str
    callback: str | None = None
    url: str | None = None


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Venue:
    """A place Telegram shows on a map (sendVenue)."""

    latitude: float
    longitude: float
    title: str
    address: str


@dataclass(frozen=True)
class Reply:
    """One message to send: text (Telegram HTML) and its buttons."""

    text: str
    buttons: Keyboard = ()
    main_keyboard: bool = False
    """Attach the reply keyboard (Near me, Emergency, Topics, Language) instead of buttons."""
    venue: Venue | None = None
    found: Sequence[str] = field(default=())
    """Service ids shown, so "more results" can page without storing the question."""


# -- the main keyboard -----------------------------------------------------------------------


@dataclass(frozen=True)
class MainKeyboardLabels:
    """The reply-keyboard buttons in one language; their text comes back as a message."""

    near_me: str
    emergency: str
    topics: str
    language: str


def main_keyboard_labels(tr: Translator) -> MainKeyboardLabels:
    """The labels of the always-visible keyboard."""
    _ = tr.gettext
    return MainKeyboardLabels(
        near_me="📍 " + _("Near me"),
        emergency="🆘 " + _("Emergency"),
        topics="📋 " + _("Topics"),
        language="🌐 " + _("Language"),
    )


def keyboard_action(text: str, translators: TranslatorRegistry) -> Action | None:
    """Map a tapped reply-keyboard label (in any language) back to its action."""
    return _label_actions(tuple(translators.values())).get(text.strip())


@lru_cache(maxsize=8)
def _label_actions(translators: tuple[Translator, ...]) -> dict[str, Action]:
    """Every language's labels, built once: every typed message is checked against them."""
    actions: dict[str, Action] = {}
    for tr in reversed(translators):  # the first language wins if two share a label
        labels = main_keyboard_labels(tr)
        actions[labels.language] = Action.LANGUAGE_MENU
        actions[labels.topics] = Action.MENU
        actions[labels.emergency] = Action.EMERGENCY
        # Sent as text by clients that cannot share a location.
        actions[labels.near_me] = Action.NEARBY
    return actions


def near_me_prompt(tr: Translator) -> Reply:
    """Asked when someone taps "Near me" on a device that cannot share a location."""
    return Reply(
        esc(
            tr.gettext(
                "Tap “📍 Near me” below to send your location. I use it only to sort "
                "offers by distance and forget it after 30 minutes."
            )
        ),
        main_keyboard=True,
    )


def location_unreadable(tr: Translator) -> Reply:
    """A shared location that is no place on Earth (a broken GPS or a modified app)."""
    return Reply(
        esc(
            tr.gettext(
                "I could not read this location. Please share it again, "
                "or write the name of your district."
            )
        ),
        main_keyboard=True,
    )


# -- notices any step may need ----------------------------------------------------------------


def media_hint(tr: Translator) -> Reply:
    """Voice notes, stickers, photos, files."""
    return Reply(
        esc(tr.gettext("I can only read text. Please write a few words or use the buttons.")),
        main_keyboard=True,
    )


def private_only(tr: Translator) -> Reply:
    """Said once when the bot lands in a group."""
    return Reply(
        esc(
            tr.gettext(
                "I only answer in private chats, to protect your privacy. "
                "Please write to me directly."
            )
        )
    )


def slow_down(tr: Translator) -> Reply:
    """Flood notice: friendly, no punishment."""
    return Reply(esc(tr.gettext("That was a lot at once. Please wait a moment.")))


def error_apology(tr: Translator) -> Reply:
    """Something broke on our side; the reader still gets a way forward."""
    return Reply(
        esc(tr.gettext("Sorry, something went wrong on my side. Please try again.")),
        main_keyboard=True,
    )
