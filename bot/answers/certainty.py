"""How sure a card may sound: the open state, "hours uncertain", "closed until", dated alerts
and "as of 03/2024".

The decision itself (may the hours be presented as confirmed?) is
:func:`bot.hours.trust.hours_trust`; this module only words it. Every function returns plain
text (the card escapes it), so the wording is tested apart from the HTML.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.catalogue.model import Catalogue, Service
from bot.catalogue.status import current_alerts, is_stale
from bot.hours.describe import describe_state
from bot.hours.schedule import Schedules
from bot.hours.trust import HoursTrust, hours_trust
from bot.i18n.localized import format_date, ltr
from bot.i18n.translators import Translator
from bot.search.opening import open_for_listing


def is_open(schedules: Schedules, service: Service, now: datetime) -> bool:
    """Whether the service may be called open at ``now``: open by its hours, and the hours
    confirmed. The decision is :func:`bot.search.opening.open_for_listing`'s; cards and
    lists ask the same question and must never disagree."""
    return open_for_listing(schedules, service, now)


def uncertain_text(service: Service, tr: Translator) -> str:
    """ "Hours uncertain", with the one step that makes them sure for a place people go to:
    call first when it has a phone, else ask on site. A hotline has nowhere to go to."""
    _ = tr.gettext
    if service.location is None:
        # I18N: On a card whose hours nobody has confirmed lately (a hotline or online offer).
        return _("Hours uncertain")
    if service.phone:
        # I18N: On a card whose hours nobody has confirmed lately; the place has a phone.
        return _("Hours uncertain – please call before you go")
    # I18N: On a card whose hours nobody has confirmed lately; a place without a phone.
    return _("Hours uncertain – please ask on site")


def closed_text(service: Service, tr: Translator) -> str:
    """ "Temporarily closed until 15 January 2027" (or without a date when staff gave none)."""
    if service.closed_until is None:
        # I18N: The service is closed for now; nobody knows until when.
        return tr.gettext("Temporarily closed")
    # I18N: {date} is the last closed day, e.g. "15 January 2027".
    return tr.gettext("Temporarily closed until {date}").format(
        date=format_date(service.closed_until, tr)
    )


def state_text(
    schedules: Schedules, service: Service, tr: Translator, now: datetime
) -> tuple[str, str] | None:
    """The dot and the sentence of a card's state line, or None when there is nothing to say.

    Green only for confirmed hours; a temporarily closed service says until when even without
    hours; uncertain hours are never evaluated into "open now"."""
    trust = hours_trust(service, schedules.today(now))
    if trust is HoursTrust.CLOSED:
        return "⛔", closed_text(service, tr)
    state = schedules.state_at(service, now)
    if state is None:
        return None
    if trust is HoursTrust.UNCERTAIN:
        return "⚠️", uncertain_text(service, tr)
    return ("🟢" if state.is_open else "🔴"), describe_state(state, tr, now)


def caution_text(service: Service, tr: Translator, today: date) -> str | None:
    """What a printed entry says above its hours: closed until when, or that the hours are
    uncertain; None when the catalogue vouches for them (or gives none)."""
    trust = hours_trust(service, today)
    if trust is HoursTrust.CLOSED:
        return closed_text(service, tr)
    if trust is HoursTrust.UNCERTAIN and service.opening_hours:
        return uncertain_text(service, tr)
    return None


def alert_texts(catalogue: Catalogue, service: Service, tr: Translator, today: date) -> list[str]:
    """The service's alerts that apply today or start within two weeks, in the reader's
    language."""
    return [catalogue.text(alert.text, tr.code) for alert in current_alerts(service.alerts, today)]


def as_of_text(service: Service, tr: Translator, today: date) -> str | None:
    """ "As of 03/2024" for an entry older than the freshness rule; None for a fresh one."""
    if not is_stale(service.last_verified, today):
        return None
    if service.last_verified is None:
        # I18N: Short line on a card: nobody knows when the entry was last checked.
        return tr.gettext("As of: unknown")
    month = ltr(f"{service.last_verified.month:02d}/{service.last_verified.year}", tr)
    # I18N: Short line on a card; {month} is month/year of the last check, e.g. "03/2024".
    return tr.gettext("As of {month}").format(month=month)
