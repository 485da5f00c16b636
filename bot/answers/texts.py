"""Catalogue facts rendered as short Telegram HTML, in the reader's language.

Pure functions: the translator and the clock come in as arguments, so every text can be tested
for every language at a fixed time. All catalogue text is escaped here, at the one place where
it meets HTML; left-to-right fragments (phones, addresses, times, German names) are isolated
for Arabic and Farsi readers so Telegram does not scramble them.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import phonenumbers

from bot.answers.certainty import alert_texts, as_of_text, state_text
from bot.catalogue.model import Catalogue, Service
from bot.geo import Coordinates, distance_m
from bot.hours.describe import describe_hours
from bot.hours.schedule import Schedules
from bot.i18n.localized import checked_on, format_distance, format_list, ltr
from bot.i18n.translators import Translator, native_language_name


def esc(text: str) -> str:
    """Escape catalogue or user text for Telegram's HTML parse mode."""
    return html.escape(text, quote=False)


@functools.lru_cache(maxsize=4096)
def format_phone(number: str, country: str) -> str:
    """International format, which Telegram turns into a tappable number on every phone."""
    try:
        parsed = phonenumbers.parse(number, country)
    except phonenumbers.NumberParseException:
        return number
    if phonenumbers.is_valid_number(parsed):
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return number  # short numbers such as 112 or 116 016 are dialled as written


@dataclass(frozen=True)
class Place:
    """Where a service is, as far as the catalogue tells."""

    district: str | None
    address: str | None
    coordinates: Coordinates | None
    approximate: bool


def place_of(catalogue: Catalogue, service: Service) -> Place | None:
    """Address, district and coordinates (own, or the district's centre)."""
    location = service.location
    if location is None:
        return None
    found = catalogue.place_of(service)
    return Place(
        district=location.district,
        address=location.address,
        coordinates=found[0] if found else None,
        approximate=found[1] if found else False,
    )


def low_threshold_labels(service: Service, tr: Translator) -> list[str]:
    """The short facts that lower the threshold: free, no appointment, anonymous, …"""
    _ = tr.gettext
    labels = []
    if service.cost == "free":
        labels.append(_("free"))
    elif service.cost == "reduced":
        labels.append(_("low cost"))
    if service.appointment == "none":
        labels.append(_("no appointment"))
    elif service.appointment == "required":
        labels.append(_("appointment needed"))
    if service.anonymous:
        labels.append(_("anonymous"))
    if "wheelchair" in service.accessibility:
        labels.append("♿ " + _("wheelchair access"))
    return labels


def accessibility_labels(service: Service, tr: Translator) -> list[str]:
    """Accessibility beyond the wheelchair, which ``low_threshold_labels`` already names:
    too specific for a card, but the details and the printed directory list them."""
    _ = tr.gettext
    words = {
        # I18N: A fact about a service: it has an induction loop for hearing aids.
        "hearing-loop": _("hearing loop"),
        # I18N: A fact about a service: staff can use sign language.
        "sign-language": _("sign language"),
        # I18N: A fact about a service: it explains things in easy language (Leichte Sprache).
        "easy-language": _("easy language"),
    }
    return [words[kind] for kind in service.accessibility if kind in words]


def languages_line(service: Service, tr: Translator) -> str | None:
    """The languages the staff speak, each named in its own language."""
    if not service.languages:
        return None
    names = [native_language_name(code) for code in service.languages]
    return "🗣 " + esc(format_list(names, tr))


def state_line(schedules: Schedules, service: Service, tr: Translator, now: datetime) -> str | None:
    """ "Open now, until 17:00" and friends, with a coloured dot people can scan; "hours
    uncertain" or "temporarily closed" when the catalogue cannot vouch for the hours."""
    found = state_text(schedules, service, tr, now)
    if found is None:
        return None
    dot, text = found
    return f"{dot} {esc(text)}"


def certainty_lines(
    catalogue: Catalogue, schedules: Schedules, service: Service, tr: Translator, now: datetime
) -> tuple[list[str], str | None]:
    """The alerts a card shows now ("⚠️ closed 24–26 December"), and "As of 03/2024" when
    the entry is older than the freshness rule."""
    today = schedules.today(now)
    alerts = ["📢 " + esc(text) for text in alert_texts(catalogue, service, tr, today)]
    as_of = as_of_text(service, tr, today)
    return alerts, ("<i>" + esc(as_of) + "</i>") if as_of else None


def reach_line(service: Service, tr: Translator) -> str | None:
    """How to reach a service that has no phone and no chat: its website or e-mail, or
    "only in person" when the place is all there is (the place line names it)."""
    if service.phone or service.online:
        return None
    if service.website:
        return "🌐 " + ltr(esc(service.website), tr)
    if service.email:
        return "✉️ " + ltr(esc(service.email), tr)
    if service.location is not None:
        # I18N: On a card: the service has no phone, chat or website; people go there.
        return "🚶 " + esc(tr.gettext("Only in person"))
    return None


def place_line(
    catalogue: Catalogue, service: Service, tr: Translator, near: Coordinates | None
) -> str | None:
    """District, address and distance on one line; a distance only from coordinates that staff
    gave. A service placed at its district's centre is "in the district X": the centre is not
    where it is, and a metre figure from it would be invented."""
    place = place_of(catalogue, service)
    if place is None:
        return None
    parts = []
    if place.district:
        district = ltr(esc(place.district), tr)
        if place.coordinates is None or place.approximate:
            # I18N: Where a service is when only its district is known, e.g. "im Stadtteil
            # Südstadt". {district} is the district's German name.
            district = esc(tr.gettext("in the district {district}")).format(district=district)
        parts.append(district)
    if place.address:
        parts.append(ltr(esc(place.address), tr))
    if near is not None and place.coordinates is not None and not place.approximate:
        parts.append(esc(format_distance(distance_m(near, place.coordinates), tr)))
    return ("📍 " + " · ".join(parts)) if parts else None


def phone_line(catalogue: Catalogue, service: Service, tr: Translator) -> str | None:
    """The phone number, formatted so Telegram makes it tappable."""
    if not service.phone:
        return None
    return "📞 " + ltr(esc(format_phone(service.phone, catalogue.region.country)), tr)


def online_kind_label(kind: str, tr: Translator) -> str:
    """What a contact without a voice is called, in the reader's language."""
    _ = tr.gettext
    labels = {
        "chat": _("Chat"),
        "messenger": _("Messenger"),
        "sms": _("Text message"),
        "email": _("E-mail counselling"),
        "app": _("App"),
        "video": _("Video counselling"),
    }
    return labels.get(kind, kind)


def online_lines(
    catalogue: Catalogue,
    schedules: Schedules,
    service: Service,
    tr: Translator,
    *,
    notes: bool = False,
) -> list[str]:
    """One line per way to write instead of speak: kind, address, and when someone answers;
    with ``notes``, what staff wrote about it (the details view has room for that)."""
    lines = []
    for contact in service.online:
        address = contact.address
        if contact.kind in ("sms", "messenger") and not address.startswith("https://"):
            address = format_phone(address, catalogue.region.country)
        line = f"💬 {esc(online_kind_label(contact.kind, tr))}: {ltr(esc(address), tr)}"
        schedule = schedules.of_expression(contact.hours)
        if schedule is not None:
            line += f" ({esc(describe_hours(schedule, tr))})"
        if notes and contact.note is not None:
            line += " – " + esc(catalogue.text(contact.note, tr.code))
        lines.append(line)
    return lines


def service_name(catalogue: Catalogue, service: Service, tr: Translator) -> str:
    """The organisation's own name; isolated when it is German inside an RTL sentence."""
    return ltr(esc(catalogue.text(service.name, tr.code)), tr)


def service_card(
    catalogue: Catalogue,
    schedules: Schedules,
    service: Service,
    tr: Translator,
    now: datetime,
    *,
    near: Coordinates | None = None,
    number: int | None = None,
) -> str:
    """The compact card of a search result: name, summary, open state, place, phone, labels."""
    prefix = f"{number}. " if number is not None else ""
    lines = [f"<b>{prefix}{service_name(catalogue, service, tr)}</b>"]
    lines.append(esc(catalogue.text(service.summary, tr.code)))
    alerts, as_of = certainty_lines(catalogue, schedules, service, tr, now)
    for line in (
        state_line(schedules, service, tr, now),
        *alerts,
        place_line(catalogue, service, tr, near),
        phone_line(catalogue, service, tr),
        *online_lines(catalogue, schedules, service, tr),
        reach_line(service, tr),
    ):
        if line:
            lines.append(line)
    labels = low_threshold_labels(service, tr)
    if labels:
        lines.append("✅ " + esc(" · ".join(labels)))
    if as_of:
        lines.append(as_of)
    return "\n".join(lines)


def service_details(
    catalogue: Catalogue,
    schedules: Schedules,
    service: Service,
    tr: Translator,
    now: datetime,
    *,
    near: Coordinates | None = None,
) -> str:
    """Everything the catalogue holds about one service, for the details view."""
    _ = tr.gettext
    lines = [f"<b>{service_name(catalogue, service, tr)}</b>"]
    summary, summary_language = service.summary.resolve(tr.code, catalogue.region.default_language)
    lines.append(esc(summary))
    if summary_language != tr.code:
        lines.append("<i>" + esc(_("This text is not yet available in your language.")) + "</i>")
    schedule = schedules.of(service)
    state = state_line(schedules, service, tr, now)
    alerts, _as_of = certainty_lines(catalogue, schedules, service, tr, now)
    if schedule is not None or state or alerts:
        lines.append("")
    if schedule is not None:
        lines.append("🕒 " + esc(describe_hours(schedule, tr, now)))
    lines.extend(line for line in (state, *alerts) if line)
    if service.hours_note is not None:
        lines.append("ℹ️ " + esc(catalogue.text(service.hours_note, tr.code)))
    contact = [
        place_line(catalogue, service, tr, near),
        phone_line(catalogue, service, tr),
        *online_lines(catalogue, schedules, service, tr, notes=True),
        ("✉️ " + ltr(esc(service.email), tr)) if service.email else None,
        ("🌐 " + ltr(esc(service.website), tr)) if service.website else None,
    ]
    if not any(contact[1:]) and service.location is not None:
        contact.append("🚶 " + esc(_("Only in person")))
    if any(contact):
        lines.append("")
        lines.extend(line for line in contact if line)
    labels = low_threshold_labels(service, tr) + accessibility_labels(service, tr)
    facts = [("✅ " + esc(" · ".join(labels))) if labels else None, languages_line(service, tr)]
    if service.documents is not None:
        facts.append(
            "📄 "
            + esc(
                _("Please bring: {documents}").format(
                    documents=catalogue.text(service.documents, tr.code)
                )
            )
        )
    if any(facts):
        lines.append("")
        lines.extend(line for line in facts if line)
    if service.last_verified is not None:
        lines.append("")
        lines.append("<i>" + esc(checked_on(service.last_verified, tr)) + "</i>")
    return "\n".join(lines)


def hours_describer(
    schedules: Schedules, tr: Translator, now: datetime | None
) -> Callable[[Service], str | None]:
    """Opening hours in words for many services, described once per distinct expression.

    Exports and printed directories render thousands of services that share a few hundred
    expressions; describing each expression once keeps a 10,000-service export fast.
    """
    descriptions: dict[str, str] = {}

    def describe(service: Service) -> str | None:
        schedule = schedules.of(service)
        if schedule is None:
            return None
        if schedule.expression not in descriptions:
            descriptions[schedule.expression] = describe_hours(schedule, tr, now)
        return descriptions[schedule.expression]

    return describe
