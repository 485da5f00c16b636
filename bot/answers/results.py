"""Services shown as cards: search results, a topic's list, offers near the reader, one
service's details and the emergency answer, with their paging buttons.

Paging keeps no state: a "more results" button carries the found ids (:mod:`bot.callbackdata`),
a list's button its page, so an old button still works after a restart. Answers about
sensitive topics add the quick-exit button.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from bot import callbackdata as cb
from bot.answers import crisis
from bot.answers.certainty import is_open
from bot.answers.menus import category_buttons, category_label, expired_button
from bot.answers.paging import details_rows, page_buttons, with_page_number
from bot.answers.replies import Button, Reply, Venue
from bot.answers.texts import esc, place_of, service_card, service_details
from bot.callbackdata import Action, service_token
from bot.catalogue.model import Catalogue, Service
from bot.directory import Directory
from bot.geo import Coordinates, distance_m
from bot.i18n.translators import Translator
from bot.search.outcome import SearchOutcome

RESULTS_PER_PAGE = 3
"""Three cards fit one phone screen; people in a hurry rarely read past them."""

LIST_PAGE_SIZE = 5
"""Category and nearby lists: five compact cards keep a message under a screen and a half."""

MAX_RESULTS = 12
"""Search results kept for "more results": four pages; beyond that a new question is better."""

NEARBY_RADIUS_M = 15_000
"""Beyond 15 km a "near me" answer stops being near; the region's edge is about that far."""


def _topics_button(tr: Translator) -> Button:
    return Button("📋 " + tr.gettext("Show topics"), cb.encode(Action.MENU))


def _clear_button(tr: Translator) -> Button:
    return Button("🧹 " + tr.gettext("Clear this chat"), cb.encode(Action.CLEAR))


def _is_sensitive(catalogue: Catalogue, services: Sequence[Service]) -> bool:
    return any(s.id in catalogue.sensitive_services for s in services)


def _cards_reply(
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
) -> Reply:
    """Numbered cards under a header, the given button rows, and quick exit when sensitive."""
    cards = [
        service_card(
            directory.catalogue, directory.schedules, s, tr, now, near=near, number=first_number + i
        )
        for i, s in enumerate(shown)
    ]
    if _is_sensitive(directory.catalogue, shown):
        rows = [*rows, (_clear_button(tr),)]
    return Reply("\n\n".join([header, *cards]), tuple(rows), found=tuple(found))


def search_answer(
    directory: Directory,
    outcome: SearchOutcome,
    tr: Translator,
    now: datetime,
    *,
    near: Coordinates | None = None,
) -> list[Reply]:
    """Free text: the first help for the danger a message speaks of, then the best cards."""
    replies: list[Reply] = []
    shown: set[str] = set()
    if outcome.crisis:
        replies.append(crisis.first_help(directory, outcome.danger, tr, now))
        shown = {s.id for s in crisis.first_help_services(directory, outcome.danger)}
    found = [m.service.id for m in outcome.results if m.service.id not in shown]
    if not found:
        if not outcome.crisis:
            replies.append(nothing_found(directory, tr))
        return replies
    replies.append(results_page(directory, found, 0, tr, now, near=near))
    return replies


def results_page(
    directory: Directory,
    found: Sequence[str],
    page: int,
    tr: Translator,
    now: datetime,
    *,
    near: Coordinates | None = None,
) -> Reply:
    """One page of search results as cards, with details, more and topics buttons."""
    catalogue = directory.catalogue
    services = [catalogue.services_by_id[i] for i in found if i in catalogue.services_by_id]
    start = page * RESULTS_PER_PAGE
    shown = services[start : start + RESULTS_PER_PAGE]
    if not shown:
        return expired_button(directory, tr)
    header = esc(
        tr.ngettext("I found {count} offer:", "I found {count} offers:", len(services)).format(
            count=len(services)
        )
    )
    pages = -(-len(services) // RESULTS_PER_PAGE)
    header = with_page_number(header, page, pages, tr)
    token = cb.results_token(found)
    rows = details_rows(catalogue, shown, start + 1, tr)
    nav = page_buttons(page, pages, lambda p: cb.encode(Action.MORE_RESULTS, token, p), tr)
    if nav:
        rows.append(nav)
    rows.append((_topics_button(tr),))
    return _cards_reply(directory, header, shown, start + 1, rows, tr, now, near, found=found)


def nothing_found(directory: Directory, tr: Translator) -> Reply:
    """Kind words and the topic menu: never a dead end."""
    _ = tr.gettext
    text = "\n".join(
        [
            esc(_("Sorry, I did not find anything for that.")),
            esc(_("Try other words, or choose a topic:")),
            "",
            "🆘 " + esc(_("In danger? Call 112 (ambulance, fire) or 110 (police).")),
        ]
    )
    return Reply(text, category_buttons(directory.catalogue, tr))


def _sorted_for_list(
    directory: Directory, services: Sequence[Service], now: datetime, near: Coordinates | None
) -> list[Service]:
    """Open ones first; within each group nearest first when the reader's location is known."""

    def distance(service: Service) -> float:
        place = place_of(directory.catalogue, service)
        if near is None or place is None or place.coordinates is None:
            return float("inf")
        return distance_m(near, place.coordinates)

    order = {s.id: i for i, s in enumerate(services)}
    return sorted(
        services,
        key=lambda s: (not is_open(directory.schedules, s, now), distance(s), order[s.id]),
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
    rows.append((_topics_button(tr),))
    return _cards_reply(directory, header, shown, start + 1, rows, tr, now, near)


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
    )


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


def details(
    directory: Directory,
    service: Service,
    tr: Translator,
    now: datetime,
    *,
    near: Coordinates | None = None,
) -> Reply:
    """Everything about one service, with map, report and quick-exit buttons."""
    catalogue = directory.catalogue
    text = service_details(catalogue, directory.schedules, service, tr, now, near=near)
    token = service_token(service.id)
    rows: list[tuple[Button, ...]] = []
    place = place_of(catalogue, service)
    if place is not None and place.coordinates is not None:
        lat, lon = place.coordinates
        rows.append(
            (
                Button("🗺 " + tr.gettext("Show on map"), cb.encode(Action.VENUE, token)),
                Button(
                    "🧭 " + tr.gettext("Route"),
                    url=f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=17/{lat:.5f}/{lon:.5f}",
                ),
            )
        )
    if service.website:
        rows.append((Button("🌐 " + tr.gettext("Website"), url=service.website),))
    rows.append(
        (
            Button(
                "⚠️ " + tr.gettext("Report wrong information"), cb.encode(Action.REPORT_MENU, token)
            ),
        )
    )
    rows.append((_topics_button(tr),))
    if _is_sensitive(catalogue, [service]):
        rows.append((_clear_button(tr),))
    return Reply(text, tuple(rows))


def venue(directory: Directory, service: Service, tr: Translator) -> Reply | None:
    """The service's place as a Telegram venue, or None when it has no coordinates."""
    catalogue = directory.catalogue
    place = place_of(catalogue, service)
    if place is None or place.coordinates is None:
        return None
    address = place.address or place.district or catalogue.region.name
    if place.approximate:
        address = tr.gettext("Approximate location: {place}").format(place=address)
    lat, lon = place.coordinates
    return Reply(
        "",
        venue=Venue(lat, lon, catalogue.text(service.name, tr.code)[:100], address[:100]),
    )


def emergency(directory: Directory, tr: Translator, now: datetime) -> Reply:
    """The emergency numbers first, each service in two or three lines, then the quick exit."""
    catalogue = directory.catalogue
    _ = tr.gettext
    lines = [
        "🆘 <b>" + esc(_("In danger? Call 112 (ambulance, fire) or 110 (police).")) + "</b>",
    ]
    if catalogue.emergency_services:
        lines.append(esc(_("These services help in an emergency:")))
    for service in catalogue.emergency_services:
        lines.append("")
        lines.extend(crisis.contact_lines(directory, service, tr))
        summary = catalogue.text(service.summary, tr.code)
        lines.append(esc(summary))
    rows = (
        (_clear_button(tr),),
        (_topics_button(tr),),
    )
    return Reply("\n".join(lines), rows)
