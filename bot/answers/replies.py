"""What the bot answers at each step of a conversation, without any Telegram types.

Each function takes the directory, the reader's translator and the clock, and returns
:class:`Reply` objects: HTML text plus button rows described by plain data. The Telegram layer
only turns them into API calls, so the whole conversation can be tested in every language
without a network, and handlers stay a few lines long.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from bot import callbackdata as cb
from bot.answers.texts import (
    esc,
    is_open,
    place_of,
    service_card,
    service_details,
)
from bot.callbackdata import Action, service_token
from bot.catalogue.model import Catalogue, Category, Service
from bot.directory import Directory
from bot.geo import Coordinates, distance_m
from bot.i18n.localized import format_date
from bot.i18n.translators import Translator, TranslatorRegistry
from bot.search.outcome import SearchOutcome
from bot.store.store import REPORT_KINDS

RESULTS_PER_PAGE = 3
"""Three cards fit one phone screen; people in a hurry rarely read past them."""

LIST_PAGE_SIZE = 5
"""Category and nearby lists: five compact cards keep a message under a screen and a half."""

MAX_RESULTS = 12
"""Search results kept for "more results": four pages; beyond that a new question is better."""

SENSITIVE_CATEGORIES = frozenset({"women", "mental-health"})
"""Answers about these topics offer the quick-exit button, like emergency answers."""


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


# -- menus -----------------------------------------------------------------------------------


def _category_label(catalogue: Catalogue, category: Category, tr: Translator) -> str:
    name = catalogue.text(category.name, tr.code)
    return f"{category.icon} {name}" if category.icon else name


def category_buttons(catalogue: Catalogue, tr: Translator) -> Keyboard:
    """Two categories per row, then Emergency, then Language: one thumb reaches everything."""
    buttons = [
        Button(_category_label(catalogue, c, tr), cb.encode(Action.CATEGORY, c.id, 0))
        for c in catalogue.categories
    ]
    rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    rows.append(
        (
            Button("🆘 " + tr.gettext("Emergency"), cb.encode(Action.EMERGENCY)),
            Button("🌐 " + tr.gettext("Language"), cb.encode(Action.LANGUAGE_MENU)),
        )
    )
    return tuple(rows)


def welcome(directory: Directory, tr: Translator) -> list[Reply]:
    """/start: greeting, one line on privacy, the keyboard and the topic menu."""
    _ = tr.gettext
    region = directory.catalogue.region.name
    greeting = "\n".join(
        [
            "<b>"
            + esc(_("Hello! I help you find support in {city}.").format(city=region))
            + "</b>",
            esc(_("Free and without registration. Choose a topic or just write what you need.")),
            "",
            "🔒 " + esc(_("I do not store what you write. More: /privacy")),
        ]
    )
    return [Reply(greeting, main_keyboard=True), topics_menu(directory, tr)]


def topics_menu(directory: Directory, tr: Translator) -> Reply:
    """The category menu as its own message."""
    return Reply(
        esc(tr.gettext("What do you need help with?")),
        category_buttons(directory.catalogue, tr),
    )


def language_menu(translators: TranslatorRegistry, tr: Translator) -> Reply:
    """Every shipped language, named in its own language and script."""
    buttons = [
        Button(
            ("✓ " if t.code == tr.code else "") + t.native_name, cb.encode(Action.LANGUAGE, code)
        )
        for code, t in translators.items()
    ]
    rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    return Reply(esc(tr.gettext("Choose your language:")), rows)


def language_set(directory: Directory, tr: Translator) -> list[Reply]:
    """Confirmation in the new language, with the keyboard and menu redrawn in it."""
    confirmation = Reply(
        esc(tr.gettext("OK, I will write in English from now on.")), main_keyboard=True
    )
    return [confirmation, topics_menu(directory, tr)]


# -- search ----------------------------------------------------------------------------------


def _topics_button(tr: Translator) -> Button:
    return Button("📋 " + tr.gettext("Show topics"), cb.encode(Action.MENU))


def _cards_reply(
    catalogue: Catalogue,
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
        service_card(catalogue, s, tr, now, near=near, number=first_number + i)
        for i, s in enumerate(shown)
    ]
    if _is_sensitive(shown):
        rows = [*rows, (_clear_button(tr),)]
    return Reply("\n\n".join([header, *cards]), tuple(rows), found=tuple(found))


def _clear_button(tr: Translator) -> Button:
    return Button("🧹 " + tr.gettext("Clear this chat"), cb.encode(Action.CLEAR))


def _details_buttons(services: Sequence[Service], first_number: int) -> tuple[Button, ...]:
    return tuple(
        Button(f"ℹ️ {first_number + i}", cb.encode(Action.DETAILS, service_token(s.id)))
        for i, s in enumerate(services)
    )


def _is_sensitive(services: Sequence[Service]) -> bool:
    return any(s.emergency or SENSITIVE_CATEGORIES.intersection(s.categories) for s in services)


def search_answer(
    directory: Directory,
    outcome: SearchOutcome,
    tr: Translator,
    now: datetime,
    *,
    near: Coordinates | None = None,
) -> list[Reply]:
    """Free text: emergency help first on crisis words, then the best three cards."""
    replies: list[Reply] = []
    if outcome.crisis:
        replies.append(emergency(directory, tr, now))
    found = [m.service.id for m in outcome.results]
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
    return _cards_reply(catalogue, header, shown, start + 1, rows, tr, now, near, found=found)


def nothing_found(directory: Directory, tr: Translator) -> Reply:
    """Kind words and the topic menu: never a dead end."""
    _ = tr.gettext
    text = "\n".join(
        [
            esc(_("Sorry, I did not find anything for that.")),
            esc(_("Try other words, or choose a topic:")),
        ]
    )
    return Reply(text, category_buttons(directory.catalogue, tr))


# -- lists: category and nearby --------------------------------------------------------------


def _sorted_for_list(
    catalogue: Catalogue, services: Sequence[Service], now: datetime, near: Coordinates | None
) -> list[Service]:
    """Open ones first; within each group nearest first when the reader's location is known."""

    def distance(service: Service) -> float:
        place = place_of(catalogue, service)
        if near is None or place is None or place.coordinates is None:
            return float("inf")
        return distance_m(near, place.coordinates)

    order = {s.id: i for i, s in enumerate(services)}
    return sorted(
        services,
        key=lambda s: (not is_open(catalogue, s, now), distance(s), order[s.id]),
    )


def _list_page(
    catalogue: Catalogue,
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
    return _cards_reply(catalogue, header, shown, start + 1, rows, tr, now, near)


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
    services = _sorted_for_list(catalogue, catalogue.services_in(category_id), now, near)
    header = "<b>" + esc(_category_label(catalogue, category, tr)) + "</b>"
    if not services:
        return _empty_list(
            catalogue, header, tr.gettext("There are no offers in this topic yet."), tr
        )
    return _list_page(
        catalogue,
        services,
        page,
        header,
        tr,
        now,
        near,
        lambda p: cb.encode(Action.CATEGORY, category_id, p),
    )


NEARBY_RADIUS_M = 15_000
"""Beyond 15 km a "near me" answer stops being near; the region's edge is about that far."""


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
            tr.gettext("Near you: {topic}").format(topic=_category_label(catalogue, category, tr))
        )
    else:
        header = esc(tr.gettext("Offers near you:"))
    header = f"<b>{header}</b>"
    if not services:
        return _empty_list(catalogue, header, tr.gettext("I found no offers near this place."), tr)
    return _list_page(
        catalogue,
        services,
        page,
        header,
        tr,
        now,
        near,
        lambda p: cb.encode(Action.NEARBY, category.id if category else "", p),
    )


# -- details, venue, reports -----------------------------------------------------------------


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
    text = service_details(catalogue, service, tr, now, near=near)
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
    if _is_sensitive([service]):
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


def report_kind_label(kind: str, tr: Translator) -> str:
    """What a "wrong information" button says."""
    _ = tr.gettext
    return {
        "wrong-hours": _("Opening hours are wrong"),
        "wrong-phone": _("Phone number is wrong"),
        "wrong-address": _("Address is wrong"),
        "closed": _("This offer no longer exists"),
        "other": _("Something else is wrong"),
    }[kind]


def report_menu(service: Service, tr: Translator) -> Reply:
    """Ask what is wrong; one tap records it, without anything about the reader."""
    token = service_token(service.id)
    rows = tuple(
        (Button(report_kind_label(kind, tr), cb.encode(Action.REPORT, token, kind)),)
        for kind in REPORT_KINDS
    )
    return Reply(esc(tr.gettext("What is wrong? Thank you for helping!")), rows)


def report_thanks(tr: Translator) -> Reply:
    """After a report: thanks, and what happens next."""
    return Reply(esc(tr.gettext("Thank you! The team will check this entry.")))


def staff_report_notice(catalogue: Catalogue, service: Service, kind: str) -> str:
    """The message for staff chats; in the region's language, staff read the catalogue's."""
    name = catalogue.text(service.name, catalogue.region.default_language)
    return f"⚠️ Report: <b>{esc(name)}</b> (<code>{esc(service.id)}</code>): {esc(kind)}"


# -- emergency -------------------------------------------------------------------------------


def emergency(directory: Directory, tr: Translator, now: datetime) -> Reply:
    """The emergency numbers first, then the quick-exit button."""
    catalogue = directory.catalogue
    _ = tr.gettext
    lines = [
        "🆘 <b>" + esc(_("In danger? Call 112 (emergency) or 110 (police).")) + "</b>",
    ]
    if catalogue.emergency_services:
        lines.append(esc(_("These services help in an emergency:")))
    for service in catalogue.emergency_services:
        lines.append("")
        lines.append(service_card(catalogue, service, tr, now))
    rows = (
        (_clear_button(tr),),
        (_topics_button(tr),),
    )
    return Reply("\n".join(lines), rows)


# -- commands --------------------------------------------------------------------------------


def _bulleted(title: str, points: Sequence[str], after: Sequence[str] = ()) -> str:
    """A bold title, one bullet per sentence, then extra lines (already HTML) after a gap."""
    lines = ["<b>" + esc(title) + "</b>", *("• " + esc(point) for point in points)]
    if after:
        lines.extend(["", *after])
    return "\n".join(lines)


def help_text(tr: Translator) -> Reply:
    """/help: how to use the bot, in a few short lines, then the command menu."""
    _ = tr.gettext
    points = [
        _(
            "Write what you need, in your language. For example: “food”, “debt”, "
            "“doctor without insurance”."
        ),
        _("Or tap a topic."),
        _("📍 Near me: send your location to see offers close to you."),
        _("🆘 Emergency: numbers that help right now."),
    ]
    commands = [f"/{name} – {esc(text)}" for name, text in bot_commands(tr) if name != "help"]
    return Reply(_bulleted(_("How I can help"), points, commands), main_keyboard=True)


def bot_commands(tr: Translator) -> tuple[tuple[str, str], ...]:
    """The command menu Telegram shows beside the input field (set_my_commands), per language.

    Reuses the /help wording, so translators translate each description once.
    """
    _ = tr.gettext
    return (
        ("start", _("main menu")),
        ("emergency", _("emergency numbers")),
        ("language", _("change language")),
        ("help", _("How I can help")),
        ("clear", _("delete this chat from your phone")),
        ("privacy", _("what I store")),
        ("delete", _("forget everything about me")),
        ("about", _("about this bot")),
    )


def about(directory: Directory, tr: Translator) -> Reply:
    """/about: city, number of services, when the catalogue last changed."""
    _ = tr.gettext
    catalogue = directory.catalogue
    count = len(catalogue.services)
    lines = [
        "<b>" + esc(_("Wegweiser {city}").format(city=catalogue.region.name)) + "</b>",
        esc(
            tr.ngettext(
                "I know {count} offer in {city}.", "I know {count} offers in {city}.", count
            ).format(count=count, city=catalogue.region.name)
        ),
        esc(
            _("Last update of the list: {date}").format(
                date=format_date(directory.modified_at.date(), tr)
            )
        ),
        esc(
            _(
                "The information comes from public pages of the city and welfare organisations. "
                "Please call before you go."
            )
        ),
    ]
    return Reply("\n".join(lines))


def privacy(tr: Translator) -> Reply:
    """/privacy: what is stored and for how long."""
    _ = tr.gettext
    points = [
        _(
            "I store your language choice and the last day you used me. "
            "After 180 days without use, this is deleted."
        ),
        _(
            "I do not store your messages with your name or number. For statistics, "
            "I count searches without any link to you."
        ),
        _(
            "Your location is used only to sort offers by distance. I keep it for "
            "30 minutes, never in a database."
        ),
        _("For /clear I remember the numbers of our messages for 48 hours."),
    ]
    after = [
        esc(_("/delete deletes everything about you. /clear removes this chat from your phone."))
    ]
    return Reply(_bulleted(_("Your privacy"), points, after))


def delete_confirm(tr: Translator) -> Reply:
    """Ask before forgetting: the reader may have tapped by mistake."""
    return Reply(
        esc(tr.gettext("Delete everything I store about you (your language choice)?")),
        ((Button("🗑 " + tr.gettext("Yes, delete"), cb.encode(Action.DELETE_CONFIRM)),),),
    )


def deleted(tr: Translator) -> Reply:
    """After /delete."""
    return Reply(esc(tr.gettext("Done. I deleted everything I stored about you.")))


def cleared(tr: Translator) -> Reply:
    """After /clear; this message itself is harmless to leave on the phone."""
    return Reply(esc(tr.gettext("Chat cleared.")), main_keyboard=True)


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


def expired_button(directory: Directory, tr: Translator) -> Reply:
    """A button from an older list: answer kindly and offer the menu."""
    return Reply(
        esc(tr.gettext("This button is out of date. Please choose again.")),
        category_buttons(directory.catalogue, tr),
    )


def error_apology(tr: Translator) -> Reply:
    """Something broke on our side; the reader still gets a way forward."""
    return Reply(
        esc(tr.gettext("Sorry, something went wrong on my side. Please try again.")),
        main_keyboard=True,
    )
