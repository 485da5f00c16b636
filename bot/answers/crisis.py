"""The first answer to someone in danger: short, warm, the one to three right contacts.

Worded as crisis services advise: no judgement, "you are not alone", one clear next step,
never a method. The contacts come from the catalogue (services whose ``danger`` names the
kind), with the ways to write instead of speak and the languages each line speaks; 112 and 110
close every message. For violence the person is asked whether they are safe right now (as Ask
Izzy does), and each answer gets its own next step. Every crisis answer has the quick exit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot import callbackdata as cb
from bot.answers.replies import Button, Reply
from bot.answers.texts import esc, format_phone, languages_line, online_lines, service_name
from bot.callbackdata import Action
from bot.catalogue.model import Service
from bot.directory import Directory
from bot.i18n.translators import Translator
from bot.search.danger.detector import Danger

MAX_CONTACTS = 3
"""One to three contacts: more is a list to read, and a person in danger does not read lists."""

SAFETY_KINDS = frozenset({"violence", "violence-other", "sexual-violence", "stalking"})
"""Kinds where "are you safe right now?" decides the next step (police, a quiet line, advice)."""

SAFETY_CHOICES = ("no", "unsure", "yes")


def _opening(kind: str, tr: Translator) -> str:
    """The first line: what to do now, for this kind of danger, in plain words."""
    _ = tr.gettext
    lines = {
        "suicide": _("You are not alone. Someone will listen to you, day and night, for free."),
        "self-harm": _("You are not alone. Someone will listen to you, day and night, for free."),
        "poisoning": _("Call the poison emergency line now. If someone is unconscious: 112."),
        "medical": _("Call 112 now. The ambulance is free and comes day and night."),
        "violence": _("It is not your fault. If you are in danger now, call the police: 110."),
        "violence-other": _("If someone is being hurt right now, call the police: 110."),
        "sexual-violence": _("It is not your fault. You can talk to someone, free and anonymous."),
        "stalking": _("If you are in danger now, call the police: 110."),
        "missing-child": _("Call the police now: 110. They start searching at once."),
        "forced-marriage": _("No one may force you to marry. Help is confidential and free."),
        "unspecified": _("In danger? Call 112 (ambulance, fire) or 110 (police)."),
    }
    return lines[kind]


def first_help_services(directory: Directory, danger: Danger) -> list[Service]:
    """The contacts for the most urgent kinds: the catalogue's first help, at most three."""
    catalogue = directory.catalogue
    found: dict[str, Service] = {}
    for kind in danger.kinds or ("unspecified",):
        for service in catalogue.services:
            if kind in service.danger:
                found.setdefault(service.id, service)
    if not found:  # a catalogue without `danger` fields: its emergency services, as before
        found = {s.id: s for s in catalogue.emergency_services}
    return list(found.values())[:MAX_CONTACTS]


def contact_lines(directory: Directory, service: Service, tr: Translator) -> list[str]:
    """A service in a crisis answer: its name and number, how to write, which languages."""
    catalogue = directory.catalogue
    name = service_name(catalogue, service, tr)
    lines = [f"<b>{name}</b>"]
    if service.phone:
        lines[0] += ": 📞 " + esc(format_phone(service.phone, catalogue.region.country))
    lines.extend(online_lines(catalogue, directory.schedules, service, tr))
    spoken = languages_line(service, tr)
    if spoken:
        lines.append(spoken)
    return lines


def _clear_row(tr: Translator) -> tuple[Button, ...]:
    return (Button("🧹 " + tr.gettext("Clear this chat"), cb.encode(Action.CLEAR)),)


def first_help(directory: Directory, danger: Danger, tr: Translator, now: datetime) -> Reply:
    """The answer that comes before any search result when a message speaks of danger."""
    kind = danger.kind or "unspecified"
    lines = ["🆘 <b>" + esc(_opening(kind, tr)) + "</b>"]
    services = first_help_services(directory, danger)
    for service in services:
        lines.append("")
        lines.extend(contact_lines(directory, service, tr))
    if kind != "unspecified":
        lines.append("")
        lines.append(esc(tr.gettext("In danger? Call 112 (ambulance, fire) or 110 (police).")))
    rows: list[tuple[Button, ...]] = []
    if kind in SAFETY_KINDS:
        lines.append("")
        lines.append("<b>" + esc(tr.gettext("Are you safe right now?")) + "</b>")
        labels = {
            "no": "🚨 " + tr.gettext("No"),
            "unsure": "❔ " + tr.gettext("Not sure"),
            "yes": "✅ " + tr.gettext("Yes"),
        }
        rows.append(
            tuple(Button(labels[c], cb.encode(Action.SAFETY, c, kind)) for c in SAFETY_CHOICES)
        )
    rows.append(_clear_row(tr))
    return Reply("\n".join(lines), tuple(rows))


def _quiet(services: Sequence[Service]) -> list[Service]:
    """Services that can be reached without speaking aloud."""
    return [s for s in services if s.online]


def safety_answer(directory: Directory, choice: str, kind: str, tr: Translator) -> Reply:
    """The next step after "Are you safe right now?": police, a helpline, or advice."""
    _ = tr.gettext
    catalogue = directory.catalogue
    helpers = [s for s in catalogue.services if kind in s.danger]
    lines: list[str] = []
    if choice == "no":
        lines.append("🚨 <b>" + esc(_("Call the police now: 110.")) + "</b>")
        lines.append(esc(_("If you cannot talk, you can write instead:")))
        shown = _quiet(helpers)[:MAX_CONTACTS]
    elif choice == "unsure":
        lines.append(
            "<b>" + esc(_("Talk to someone who knows about this, free and anonymous:")) + "</b>"
        )
        hotlines = [s for s in helpers if not s.location and (s.phone or s.online)]
        shown = hotlines[:MAX_CONTACTS]
    else:
        lines.append("<b>" + esc(_("Good. When you are ready, these places advise you:")) + "</b>")
        shown = [s for s in helpers if s.location][:MAX_CONTACTS]
    for service in shown:
        lines.append("")
        lines.extend(contact_lines(directory, service, tr))
    if not shown:
        lines.append(esc(_("In danger? Call 112 (ambulance, fire) or 110 (police).")))
    return Reply("\n".join(lines), (_clear_row(tr),))
