"""The buttons under a list of cards: one named details button per card, and the way forward
and back through the pages.

Apart from :mod:`bot.answers.results` (which builds the cards) because search results and
topic or nearby lists page the same way: "➕ More results" adds a page and "◀️ Back" returns
to the one before, each a short code (:mod:`bot.callbackdata`); the service's name goes in
the button's label, never in its 64-byte code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot import callbackdata as cb
from bot.answers.replies import Button
from bot.answers.texts import esc
from bot.callbackdata import Action, service_token
from bot.catalogue.model import Catalogue, Service
from bot.i18n.translators import Translator

DETAILS_LABEL_CHARS = 40
"""A details button names its service in at most 40 characters: one full-width row on a phone
held upright, enough for "Notschlafstelle Langensalzastraße 17" (36); the card above carries
the full name."""

WORD_CUT_SLACK = 8
"""A long name is cut at a space when one lies within the last 8 characters: "…Straße 17" is
worth more than a whole word, so a farther space is not looked for."""


def short_name(catalogue: Catalogue, service: Service, tr: Translator) -> str:
    """The service's name cut to DETAILS_LABEL_CHARS, at a word boundary when one is near,
    with "…"."""
    name = " ".join(catalogue.text(service.name, tr.code).split())
    if len(name) <= DETAILS_LABEL_CHARS:
        return name
    cut = name[: DETAILS_LABEL_CHARS - 1]
    space = cut.rfind(" ")
    if space >= len(cut) - WORD_CUT_SLACK:
        cut = cut[:space]
    return cut.rstrip(" –-,(") + "…"


def details_rows(
    catalogue: Catalogue, services: Sequence[Service], first_number: int, tr: Translator
) -> list[tuple[Button, ...]]:
    """One row per card: its number and short name in the label; the code stays the id."""
    return [
        (
            Button(
                f"ℹ️ {first_number + i}. {short_name(catalogue, s, tr)}",
                cb.encode(Action.DETAILS, service_token(s.id)),
            ),
        )
        for i, s in enumerate(services)
    ]


def with_page_number(header: str, page: int, pages: int, tr: Translator) -> str:
    """The header, and "Page 2 of 4" under it when there is more than one page."""
    if pages <= 1:
        return header
    return (
        header + "\n" + esc(tr.gettext("Page {page} of {pages}").format(page=page + 1, pages=pages))
    )


def page_buttons(
    page: int, pages: int, code_for: Callable[[int], str], tr: Translator
) -> tuple[Button, ...]:
    """ "◀️ Back" from the second page on, "➕ More results" while pages follow."""
    nav = []
    if page > 0:
        nav.append(Button("◀️ " + tr.gettext("Back"), code_for(page - 1)))
    if page + 1 < pages:
        nav.append(Button("➕ " + tr.gettext("More results"), code_for(page + 1)))
    return tuple(nav)
