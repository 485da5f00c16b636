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
from bot.answers import crisis, maps
from bot.answers.menus import category_buttons, category_label, expired_button
from bot.answers.replies import Button, Reply
from bot.answers.texts import esc, is_open, place_of, service_card, service_details
from bot.callbackdata import Action, service_token
from bot.catalogue.model import Catalogue, Service
from bot.directory import Directory
from bot.geo import Coordinates, distance_m, ordering_distance
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


def _details_buttons(services: Sequence[Service], first_number: int) -> tuple[Button, ...]:
    return tuple(
        Button(f"ℹ️ {first_number + i}", cb.encode(Action.DETAILS, service_token(s.id)))
        for i, s in enumerate(services)
    )


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
    nav = []
    if start + RESULTS_PER_PAGE < len(services):
        nav.append(
            Button(
                "➕ " + tr.gettext("More results"),
                cb.encode(Action.MORE_RESULTS, cb.results_token(found), page + 1),
            )
        )
    nav.append(_topics_button(tr))
    rows = [_details_buttons(shown, start + 1), tuple(nav)]
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
    if pages > 1:
        header += "\n" + esc(
            tr.gettext("Page {page} of {pages}").format(page=page + 1, pages=pages)
        )
    rows: list[tuple[Button, ...]] = []
    details = _details_buttons(shown, start + 1)
    rows.extend(tuple(details[i : i + 5]) for i in range(0, len(details), 5))
    nav = []
    if page > 0:
        nav.append(Button("◀️ " + tr.gettext("Back"), page_button(page - 1)))
    if page + 1 < pages:
        nav.append(Button(tr.gettext("Next") + " ▶️", page_button(page + 1)))
    if nav:
        rows.append(tuple(nav))
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
    map_row = maps.map_buttons(catalogue, service, tr)
    if map_row:
        rows.append(map_row)
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
