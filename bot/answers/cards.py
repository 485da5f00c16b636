"""A list message of numbered service cards, and the buttons every such list shares: details
per card, the topics, and quick exit when a card belongs to a sensitive topic.

Search results (:mod:`bot.answers.results`) and the topic, nearby and open-now lists
(:mod:`bot.answers.lists`) are all built from these.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot import callbackdata as cb
from bot.answers import timing
from bot.answers.replies import Button, Reply
from bot.answers.texts import service_card
from bot.callbackdata import Action
from bot.catalogue.model import Catalogue, Service
from bot.directory import Directory
from bot.geo import Coordinates
from bot.i18n.translators import Translator


def topics_button(tr: Translator) -> Button:
    return Button("📋 " + tr.gettext("Show topics"), cb.encode(Action.MENU))


def clear_button(tr: Translator) -> Button:
    return Button("🧹 " + tr.gettext("Clear this chat"), cb.encode(Action.CLEAR))


def is_sensitive(catalogue: Catalogue, services: Sequence[Service]) -> bool:
    return any(s.id in catalogue.sensitive_services for s in services)


def cards_reply(
    directory: Directory,
    header: str,
    shown: Sequence[Service],
    first_number: int,
    rows: list[tuple[Button, ...]],
    tr: Translator,
    now: datetime,
    near: Coordinates | None,
    *,
    found: Sequence[str] = (),
    listed: Sequence[Service] = (),
) -> Reply:
    """Numbered cards under a header, the given button rows, and quick exit when sensitive;
    when nothing of the whole list (``listed``) is open, which service opens first."""
    cards = [
        service_card(
            directory.catalogue, directory.schedules, s, tr, now, near=near, number=first_number + i
        )
        for i, s in enumerate(shown)
    ]
    if is_sensitive(directory.catalogue, shown):
        rows = [*rows, (clear_button(tr),)]
    note = timing.nothing_open_note(directory.catalogue, directory.schedules, listed, tr, now)
    if note is not None:
        header = f"{header}\n{note}"
    return Reply("\n\n".join([header, *cards]), tuple(rows), found=tuple(found))
