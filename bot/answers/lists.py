"""Lists of services: a topic's, the ones near the reader, and the ones open at a time asked
(/now, "🟢 Open now", "was hat heute offen?"), open ones first and paginated.

Paging keeps no state: a list's button carries its page (and topic, and time), so an old button
still works after a restart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from bot import callbackdata as cb
from bot.answers import timing
from bot.answers.cards import cards_reply, topics_button
from bot.answers.menus import category_buttons, category_label, expired_button, open_now_button
from bot.answers.paging import details_rows, page_buttons, with_page_number
from bot.answers.replies import Button, Reply
from bot.answers.texts import esc, place_of
from bot.callbackdata import Action
from bot.catalogue.model import Catalogue, Service
from bot.directory import Directory
from bot.geo import Coordinates, distance_m, ordering_distance
from bot.i18n.translators import Translator
from bot.search.opening import open_for_listing
from bot.search.when import Asked, Moment

LIST_PAGE_SIZE = 5
"""Category and nearby lists: five compact cards keep a message under a screen and a half."""


NEARBY_RADIUS_M = 15_000
"""Beyond 15 km a "near me" answer stops being near; the region's edge is about that far."""


def _sorted_for_list(
    directory: Directory, services: Sequence[Service], now: datetime, near: Coordinates | None
) -> list[Service]:
    """Open ones first; within each group nearest first when the reader's location is known
    (a service at its district's centre only by whole kilometres: see ``ordering_distance``)."""

    def distance(service: Service) -> float:
        place = place_of(directory.catalogue, service)
        if near is None or place is None or place.coordinates is None:
            return float("inf")
        return ordering_distance(distance_m(near, place.coordinates), not place.approximate)

    order = {s.id: i for i, s in enumerate(services)}
    return sorted(
        services,
        key=lambda s: (
            not open_for_listing(directory.schedules, s, now),
            distance(s),
            order[s.id],
        ),
    )


def _list_page(
    directory: Directory,
    services: Sequence[Service],
    page: int,
    header: str,
    tr: Translator,
    now: datetime,
    near: Coordinates | None,
    page_button: Callable[[int], str],
    extra: tuple[Button, ...] = (),
) -> Reply:
    pages = max(1, -(-len(services) // LIST_PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    start = page * LIST_PAGE_SIZE
    shown = services[start : start + LIST_PAGE_SIZE]
    header = with_page_number(header, page, pages, tr)
    rows = details_rows(directory.catalogue, shown, start + 1, tr)
    nav = page_buttons(page, pages, page_button, tr)
    if nav:
        rows.append(nav)
    rows.append((*extra, topics_button(tr)))
    return cards_reply(directory, header, shown, start + 1, rows, tr, now, near, listed=services)


def _empty_list(catalogue: Catalogue, header: str, sentence: str, tr: Translator) -> Reply:
    """An empty list still offers the topics: never a dead end."""
    return Reply(header + "\n" + esc(sentence), category_buttons(catalogue, tr))


def category_page(
    directory: Directory,
    category_id: str,
    page: int,
    tr: Translator,
    now: datetime,
    *,
    near: Coordinates | None = None,
) -> Reply:
    """A category's services, open ones first (nearest first when known), paginated."""
    catalogue = directory.catalogue
    category = catalogue.categories_by_id.get(category_id)
    if category is None:
        return expired_button(directory, tr)
    services = _sorted_for_list(directory, catalogue.services_in(category_id), now, near)
    header = "<b>" + esc(category_label(catalogue, category, tr)) + "</b>"
    if not services:
        return _empty_list(
            catalogue, header, tr.gettext("There are no offers in this topic yet."), tr
        )
    return _list_page(
        directory,
        services,
        page,
        header,
        tr,
        now,
        near,
        lambda p: cb.encode(Action.CATEGORY, category_id, p),
        (open_now_button(tr, category_id),),
    )


def _has_coordinates(service: Service) -> bool:
    """Whether staff gave the service's own coordinates (else it sits at a district centre)."""
    return service.location is not None and service.location.coordinates is not None


def nearby_page(
    directory: Directory,
    near: Coordinates,
    page: int,
    tr: Translator,
    now: datetime,
    *,
    category_id: str | None = None,
) -> Reply:
    """The nearest services with distances, within the last chosen category if any."""
    catalogue = directory.catalogue
    # A topic that left the catalogue (an old button after a reload): everything near.
    category = catalogue.categories_by_id.get(category_id or "")
    nearest = directory.index.nearby(near, NEARBY_RADIUS_M, category.id if category else None)
    # Stable sort: the file's order among services of one district (see ordering_distance).
    nearest.sort(key=lambda found: ordering_distance(found[0], _has_coordinates(found[1])))
    services = [service for _, service in nearest]
    if category is not None:
        header = esc(
            tr.gettext("Near you: {topic}").format(topic=category_label(catalogue, category, tr))
        )
    else:
        header = esc(tr.gettext("Offers near you:"))
    header = f"<b>{header}</b>"
    if not services:
        return _empty_list(catalogue, header, tr.gettext("I found no offers near this place."), tr)
    return _list_page(
        directory,
        services,
        page,
        header,
        tr,
        now,
        near,
        lambda p: cb.encode(Action.NEARBY, category.id if category else "", p),
    )


def when_page(
    directory: Directory,
    asked: Asked,
    category_id: str | None,
    page: int,
    tr: Translator,
    now: datetime,
    *,
    near: Coordinates | None = None,
) -> Reply:
    """The services open at the time asked (/now, "🟢 Open now", "was hat heute offen?"), in
    a topic or in all, nearest first when the location is known, else in the file's order.
    When nothing is open now, the topic's services that open next, first to open first."""
    catalogue = directory.catalogue
    category = catalogue.categories_by_id.get(category_id or "")
    pool = catalogue.services_in(category.id) if category else catalogue.services
    opening = directory.opening(now)
    services = [s for s in pool if opening.fits(s, asked)]
    header = "🟢 " + esc(timing.asked_label(asked, tr))
    if category is not None:
        header += " · " + esc(category_label(catalogue, category, tr))
    header = f"<b>{header}</b>"
    if not services and asked.moment is Moment.NOW:
        note = timing.nothing_open_note(catalogue, directory.schedules, pool, tr, now)
        if note is not None:
            return Reply(f"{header}\n{note}", category_buttons(catalogue, tr))
    if not services:
        # I18N: When no service of a topic (or at all) is open at the time asked.
        return _empty_list(catalogue, header, tr.gettext("I know of nothing open then."), tr)
    if near is not None:
        services = _sorted_for_list(directory, services, now, near)
    return _list_page(
        directory,
        services,
        page,
        header,
        tr,
        now,
        near,
        lambda p: cb.encode(Action.OPEN, category.id if category else "", p, asked.code),
    )
