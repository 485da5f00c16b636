"""Reporting wrong information about a service: the question, the thanks, the staff notice.

One tap records what is wrong (:data:`bot.catalogue.model.REPORT_KINDS`) and nothing about the
reader; staff hear about it in their own chats.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot import callbackdata as cb
from bot.answers.replies import Button, Reply
from bot.answers.texts import esc
from bot.callbackdata import Action, service_token
from bot.catalogue.model import REPORT_KINDS, Catalogue, Service
from bot.i18n.translators import Translator


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


def report_limit_reached(tr: Translator) -> Reply:
    """A person filed the most reports an hour allows: thanks, and come back later."""
    return Reply(
        esc(
            tr.gettext(
                "Thank you! You have sent several reports in the last hour. Please send more later."
            )
        )
    )


def staff_report_line(catalogue: Catalogue, service: Service, kind: str) -> str:
    """One report as staff read it; in the region's language, staff read the catalogue's."""
    name = catalogue.text(service.name, catalogue.region.default_language)
    return f"<b>{esc(name)}</b> (<code>{esc(service.id)}</code>): {esc(kind)}"


def staff_report_notice(lines: Sequence[str]) -> str:
    """The message for staff chats about one report, or one summary of several."""
    if len(lines) == 1:
        return f"⚠️ Report: {lines[0]}"
    return "\n".join([f"⚠️ {len(lines)} reports:", *(f"• {line}" for line in lines)])
