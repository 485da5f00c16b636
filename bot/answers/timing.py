"""What a list says about time: the time a message asked about ("🕒 Heute Abend geöffnet"),
that nothing fitting is open then, and, when nothing in a list is open, which opens first.

Pure texts over the Directory's schedules; whether a service is open now is decided only by
:func:`bot.search.opening.open_for_listing`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from babel.dates import get_day_names

from bot.answers.texts import esc, service_name
from bot.catalogue.model import Catalogue, Service
from bot.hours.describe import describe_state
from bot.hours.schedule import Schedules
from bot.i18n.translators import Translator
from bot.search.opening import next_opening, open_for_listing
from bot.search.when import Asked, Moment


def day_name(weekday: int, tr: Translator) -> str:
    """The weekday's name in the reader's language (0 = Monday, as Babel counts)."""
    return get_day_names("wide", context="format", locale=tr.locale)[weekday]


def asked_label(asked: Asked, tr: Translator) -> str:
    """ "Open now", "Open tonight", "Open on Sunday": a list's title or a results' filter."""
    _ = tr.gettext
    if asked.moment is Moment.DAY and asked.weekday is not None:
        # I18N: The title of a list of services open on one weekday; {day} is its name
        # ("Sonntag", "воскресенье"), as Babel writes it.
        return _("Open on {day}").format(day=day_name(asked.weekday, tr))
    labels = {
        # I18N: The title of a list of services open at this moment; also a button.
        Moment.NOW: _("Open now"),
        # I18N: The title of a list of services open at some time today, from now on.
        Moment.TODAY: _("Open today"),
        # I18N: The title of a list of services open this evening or night.
        Moment.TONIGHT: _("Open tonight"),
    }
    return labels[asked.moment]


def not_met_sentence(asked: Asked, tr: Translator) -> str:
    """Said above results that fit the words but not the time asked."""
    _ = tr.gettext
    if asked.moment is Moment.DAY and asked.weekday is not None:
        # I18N: Above search results when none of them is open on the weekday asked about.
        return _("Nothing that fits is open on {day}. These fit, at other times:").format(
            day=day_name(asked.weekday, tr)
        )
    sentences = {
        # I18N: Above search results when none of them is open at this moment.
        Moment.NOW: _("Nothing that fits is open right now. These fit, at other times:"),
        # I18N: Above search results when none of them opens again today.
        Moment.TODAY: _("Nothing that fits is open today. These fit, at other times:"),
        # I18N: Above search results when none of them is open this evening or night.
        Moment.TONIGHT: _("Nothing that fits is open tonight. These fit, at other times:"),
    }
    return sentences[asked.moment]


def nothing_open_note(
    catalogue: Catalogue,
    schedules: Schedules,
    services: Sequence[Service],
    tr: Translator,
    now: datetime,
) -> str | None:
    """ "Nothing here is open right now", and which service opens first and when; None when
    something is open, or when a list may not rely on some service's hours (then nobody can
    say which opens first)."""
    first: tuple[datetime, Service] | None = None
    for service in services:
        if open_for_listing(schedules, service, now):
            return None
        opens = next_opening(schedules, service, now)
        if opens is None:
            return None  # unknown, uncertain or no further opening: nobody can say
        if first is None or opens < first[0]:
            first = (opens, service)
    if first is None:
        return None
    state = schedules.state_at(first[1], now)
    assert state is not None  # it has an opening, so it has hours
    # I18N: Above a list in which no service is open now; the next line names the one that
    # opens first and when ("Tafel – Öffnet heute um 11:00 Uhr").
    heading = esc(tr.gettext("Nothing here is open right now. The first to open:"))
    name = service_name(catalogue, first[1], tr)
    return f"⏳ {heading}\n{name} – {esc(describe_state(state, tr, now))}"
