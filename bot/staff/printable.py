"""A printable directory of the catalogue, for people without Telegram (or without a phone).

Social workers hand it out, hang it on a notice board, or leave it at the Tafel counter. It
shows the same facts as the bot, in the reader's language: every category on its own A4 page,
each service with its hours in words, address, phone and what to bring, plus a QR code that
opens the bot for those who do have Telegram.

Every sentence of the page goes through the reader's translator here, in Python (none lives
in the template), so ``pybabel extract`` finds them with the bot's other strings and
translators see them in the same ``.po`` file. The template only lays the page out.

Right-to-left: Arabic and Farsi pages get ``<html dir="rtl">``; phone numbers, addresses,
e-mail and web addresses are isolated as left-to-right (``<bdi dir="ltr">``) so the bidi
algorithm cannot reorder their digits, and a text that falls back to German or English carries
its own ``lang`` and ``dir``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

import jinja2
import segno
from babel import Locale, UnknownLocaleError
from markupsafe import Markup

from bot.answers.certainty import caution_text
from bot.answers.menus import verified_sentences
from bot.answers.texts import (
    accessibility_labels,
    format_phone,
    hours_describer,
    low_threshold_labels,
)
from bot.catalogue.localized import LocalizedText
from bot.catalogue.model import Catalogue, Service
from bot.hours.schedule import Schedules
from bot.i18n.localized import checked_on, format_list
from bot.i18n.translators import Translator, native_language_name

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "directory.html.j2"

EXAMPLE_BOT_USERNAME = "WegweiserHannoverBot"
BOT_USERNAME_ENV = "TELEGRAM_BOT_USERNAME"
BOT_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{4,31}$")
"""Telegram's rule for usernames: 5-32 characters, letters, digits and underscores."""

QR_SCALE = 4
"""Module size in SVG units; the printed size is set by CSS (about 3 cm, readable at arm's
length by every phone camera)."""


class PrintableError(ValueError):
    """The directory cannot be made as asked (say, a bot username Telegram would refuse)."""


@dataclass(frozen=True)
class Text:
    """A catalogue text with the language it is really in, so the page can mark fallbacks."""

    text: str
    lang: str
    dir: str


@dataclass(frozen=True)
class Entry:
    """One service as the page shows it; every string is final, translated text."""

    id: str
    name: Text
    summary: Text
    hours: str | None
    caution: str | None
    """Above the hours: "temporarily closed until …" or "hours uncertain – please call"."""
    hours_note: Text | None
    address: str | None
    district: str | None
    phone: str | None
    phone_link: str | None
    email: str | None
    website: str | None
    facts: str | None
    languages: str | None
    documents: Text | None
    checked: str | None


@dataclass(frozen=True)
class Section:
    """One category: it starts a new printed page."""

    id: str
    title: Text
    count: str
    entries: Sequence[Entry]


@dataclass(frozen=True)
class Page:
    """Everything the template needs; nothing in it is translated later."""

    lang: str
    dir: str
    title: str
    intro: str
    danger: str
    emergency_intro: str
    emergency_title: str
    emergency: Sequence[Entry]
    contents_title: str
    sections: Sequence[Section]
    qr_svg: Markup
    qr_caption: str
    bot_url: str
    updated: str
    labels: Mapping[str, str]


def bot_username(explicit: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """``--bot-username``, else ``TELEGRAM_BOT_USERNAME``; never a name nobody configured.

    A flyer printed by another organisation with a built-in name would send people to a bot
    that nobody there controls, so without a name there is no QR code and no directory.

    :raises PrintableError: if no name is configured or it is not a valid Telegram username
    """
    env = os.environ if env is None else env
    name = (explicit or env.get(BOT_USERNAME_ENV, "")).strip()
    if not name:
        raise PrintableError(
            "the QR code needs your bot's username: give --bot-username NAME or set "
            f"{BOT_USERNAME_ENV} (the name @BotFather gave your bot, e.g. {EXAMPLE_BOT_USERNAME})"
        )
    name = name.removeprefix("@")
    if not BOT_USERNAME.match(name):
        raise PrintableError(
            f"{name!r} is not a Telegram bot username (5-32 letters, digits or _, as in "
            f"{EXAMPLE_BOT_USERNAME})"
        )
    return name


@cache
def _direction(language: str) -> str:
    try:
        return Locale.parse(language).text_direction
    except (UnknownLocaleError, ValueError):
        return "ltr"


def _text(catalogue: Catalogue, value: LocalizedText, tr: Translator) -> Text:
    text, language = value.resolve(tr.code, catalogue.region.default_language)
    return Text(text, language, _direction(language))


def _labels(tr: Translator) -> dict[str, str]:
    """The short labels in front of each fact."""
    _ = tr.gettext
    return {
        # I18N: Label in the printed directory, before a service's opening hours.
        "hours": _("Opening hours"),
        # I18N: Label in the printed directory, before a street address.
        "address": _("Address"),
        # I18N: Label in the printed directory, before a phone number.
        "phone": _("Phone"),
        # I18N: Label in the printed directory, before an e-mail address.
        "email": _("E-mail"),
        "website": _("Website"),
        # I18N: Label in the printed directory, before "free · no appointment · anonymous".
        "facts": _("Good to know"),
        # I18N: Label in the printed directory, before the languages the staff speak.
        "languages": _("Languages spoken"),
    }


def _entry(
    catalogue: Catalogue,
    service: Service,
    tr: Translator,
    hours: Callable[[Service], str | None],
    today: date,
) -> Entry:
    location = service.location
    facts = low_threshold_labels(service, tr) + accessibility_labels(service, tr)
    phone = format_phone(service.phone, catalogue.region.country) if service.phone else None
    return Entry(
        id=service.id,
        name=_text(catalogue, service.name, tr),
        summary=_text(catalogue, service.summary, tr),
        hours=hours(service),
        caution=caution_text(service, tr, today),
        hours_note=_text(catalogue, service.hours_note, tr) if service.hours_note else None,
        address=location.address if location else None,
        district=location.district if location else None,
        phone=phone,
        phone_link="tel:" + re.sub(r"[^+0-9]", "", phone) if phone else None,
        email=service.email,
        website=service.website,
        facts=" · ".join(facts) if facts else None,
        languages=(
            format_list([native_language_name(code) for code in service.languages], tr)
            if service.languages
            else None
        ),
        documents=(
            Text(
                tr.gettext("Please bring: {documents}").format(
                    documents=catalogue.text(service.documents, tr.code)
                ),
                tr.code,
                _direction(tr.code),
            )
            if service.documents
            else None
        ),
        checked=checked_on(service.last_verified, tr) if service.last_verified else None,
    )


def build_page(
    catalogue: Catalogue, tr: Translator, *, username: str, now: datetime | None = None
) -> Page:
    """The directory as plain data in the reader's language; pure apart from ``now``."""
    now = now or datetime.now(catalogue.region.tz)
    catalogue = catalogue.without_closed()
    _ = tr.gettext
    city = catalogue.region.name
    entries: dict[str, Entry] = {}
    schedules = Schedules.of_catalogue(catalogue)
    hours = hours_describer(schedules, tr, now)
    today = schedules.today(now)

    def entry(service: Service) -> Entry:
        # A service in three categories is printed three times; describe it once.
        if service.id not in entries:
            entries[service.id] = _entry(catalogue, service, tr, hours, today)
        return entries[service.id]

    sections = []
    for category in catalogue.categories:
        services = catalogue.services_in(category.id)
        if not services:
            continue
        sections.append(
            Section(
                id=category.id,
                title=_text(catalogue, category.name, tr),
                # I18N: How many offers a topic has, in the printed directory's contents.
                count=tr.ngettext("{count} offer", "{count} offers", len(services)).format(
                    count=len(services)
                ),
                entries=[entry(service) for service in services],
            )
        )
    url = f"https://t.me/{username}"
    # I18N: Title of the printed directory. {city} is the city, e.g. Hannover.
    title = _("Support services in {city}").format(city=city)
    qr = segno.make(url, error="m")
    return Page(
        lang=tr.code,
        dir="rtl" if tr.is_rtl else "ltr",
        title=title,
        # I18N: First sentence of the printed directory.
        intro=_("Places and phone numbers that help, sorted by topic."),
        danger=_("In danger? Call 112 (ambulance, fire) or 110 (police)."),
        emergency_intro=_("These numbers help right now, day and night:"),
        emergency_title=_("Emergency"),
        emergency=[entry(service) for service in catalogue.emergency_services],
        contents_title=_("Topics"),
        sections=sections,
        qr_svg=Markup(qr.svg_inline(scale=QR_SCALE, omitsize=True, title=url)),
        # I18N: Next to a QR code in the printed directory.
        qr_caption=_("Scan the code with your phone to ask the bot on Telegram."),
        bot_url=url,
        updated=" ".join(verified_sentences(catalogue, tr)),
        labels=_labels(tr),
    )


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_directory(
    catalogue: Catalogue, tr: Translator, *, username: str, now: datetime | None = None
) -> str:
    """The whole printable directory as one self-contained HTML file (no external files)."""
    page = build_page(catalogue, tr, username=username, now=now)
    return _environment().get_template(TEMPLATE_NAME).render(page=page)
