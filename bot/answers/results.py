"""The answer to a message: search results as cards (with the time asked about), one
service's details, and the emergency answer. The lists of a topic, of offers near the reader
and of what is open are :mod:`bot.answers.lists`.

Paging keeps no state: a "more results" button carries the found ids (:mod:`bot.callbackdata`),
so an old button still works after a restart. Answers about sensitive topics add the
quick-exit button.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot import callbackdata as cb
from bot.answers import crisis, lists, maps, timing
from bot.answers.cards import cards_reply, clear_button, is_sensitive, topics_button
from bot.answers.menus import category_buttons, expired_button
from bot.answers.paging import details_rows, page_buttons, with_page_number
from bot.answers.replies import Button, Reply
from bot.answers.texts import esc, service_details
from bot.callbackdata import Action, service_token
from bot.catalogue.model import Service
from bot.directory import Directory
from bot.geo import Coordinates
from bot.i18n.translators import Translator
from bot.search.outcome import SearchOutcome
from bot.search.when import Moment

RESULTS_PER_PAGE = 3
"""Three cards fit one phone screen; people in a hurry rarely read past them."""


MAX_RESULTS = 12
"""Search results kept for "more results": four pages; beyond that a new question is better."""


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
    asked = outcome.asked if not outcome.crisis else None
    if not found:
        if asked is not None:  # only a time ("was hat jetzt offen?"): what is open then
            replies.append(lists.when_page(directory, asked, None, 0, tr, now, near=near))
        elif not outcome.crisis:
            replies.append(nothing_found(directory, tr))
        return replies
    subtitle = _time_line(directory, outcome, tr, now)
    # Asked about tonight or Sunday, "nothing is open right now" is beside the point.
    later = asked is not None and asked.moment in (Moment.TONIGHT, Moment.DAY)
    replies.append(
        results_page(
            directory, found, 0, tr, now, near=near, subtitle=subtitle, open_note=not later
        )
    )
    return replies


def _time_line(
    directory: Directory, outcome: SearchOutcome, tr: Translator, now: datetime
) -> str | None:
    """ "🕒 Open tonight" above results filtered by the time asked; when none fitted it, that
    they are open at other times (for "now", the list's own "nothing here is open" says so)."""
    asked = outcome.asked
    if asked is None or outcome.crisis:
        return None
    if outcome.asked_met:
        return "🕒 " + esc(timing.asked_label(asked, tr))
    if asked.moment is Moment.NOW:
        services = [m.service for m in outcome.results]
        catalogue, schedules = directory.catalogue, directory.schedules
        if timing.nothing_open_note(catalogue, schedules, services, tr, now) is not None:
            return None
    return "🕒 " + esc(timing.not_met_sentence(asked, tr))


def results_page(
    directory: Directory,
    found: Sequence[str],
    page: int,
    tr: Translator,
    now: datetime,
    *,
    near: Coordinates | None = None,
    subtitle: str | None = None,
    open_note: bool = True,
) -> Reply:
    """One page of search results as cards, with details, more and topics buttons;
    ``subtitle`` (HTML) goes under the count; ``open_note``: say what opens first when
    nothing is open now."""
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
    if subtitle is not None:
        header += "\n" + subtitle
    header = with_page_number(header, page, pages, tr)
    token = cb.results_token(found)
    rows = details_rows(catalogue, shown, start + 1, tr)
    nav = page_buttons(page, pages, lambda p: cb.encode(Action.MORE_RESULTS, token, p), tr)
    if nav:
        rows.append(nav)
    rows.append((topics_button(tr),))
    listed = services if open_note else ()
    return cards_reply(
        directory, header, shown, start + 1, rows, tr, now, near, found=found, listed=listed
    )


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
    rows.append((topics_button(tr),))
    if is_sensitive(catalogue, [service]):
        rows.append((clear_button(tr),))
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
        (clear_button(tr),),
        (topics_button(tr),),
    )
    return Reply("\n".join(lines), rows)
