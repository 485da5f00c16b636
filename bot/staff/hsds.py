"""The catalogue as open data: Open Referral HSDS 3.0, one JSON file per table.

The Human Services Data Specification is what directories of social services exchange (211
lines, city portals, Open Referral tools), so a city that publishes its catalogue this way
can be read by them without a custom parser. We write the tabular form: each table is a JSON
list of flat rows linked by ids (``services.json``, ``locations.json``, …), plus a
``datapackage.json`` that lists them.

Ids are UUIDs derived (uuid5) from the region and the service id, so a re-export gives every
row the same id as before and consumers can update instead of duplicating. Free texts (name,
description) come from the catalogue in the region's default language; schedule descriptions
are written by :func:`bot.hours.describe.describe_hours` in that language.

What the catalogue does not model is left out rather than guessed: it names no provider, so
each service gets an organization of its own with the service's name; accessibility belongs
to a place in HSDS, so it is exported only for services that have a location; coordinates
are exported only when staff gave them (not a district's approximate centre).
"""

from __future__ import annotations

import functools
import json
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import holidays
from babel.numbers import get_territory_currencies

from bot.answers.texts import format_phone, hours_describer
from bot.catalogue.model import Catalogue, Service
from bot.catalogue.status import HSDS_STATUS
from bot.hours.schedule import Schedules
from bot.i18n.translators import Translator, english_language_name
from bot.staff.weekly_openings import weekly_openings

HSDS_VERSION = "3.0"

NAMESPACE = uuid.UUID("e737e4a7-7b4e-4cef-af85-106bfcb390db")
"""Fixed once (uuid4) and never changed: every exported id is uuid5 of this and a name."""

TABLES = (
    "organizations",
    "services",
    "locations",
    "addresses",
    "service_at_locations",
    "phones",
    "schedules",
    "languages",
    "accessibility",
    "cost_options",
    "required_documents",
)
"""File names (without ``.json``) in the order HSDS's datapackage lists its tables."""

ACCESSIBILITY_DESCRIPTIONS = {
    "wheelchair": "Wheelchair accessible.",
    "hearing-loop": "Hearing loop (induction loop) for hearing aids.",
    "sign-language": "Staff can communicate in sign language.",
    "easy-language": "Information in easy language (Leichte Sprache).",
}
"""HSDS wants a free-text description; the catalogue's code goes into ``details``."""

COST_OPTIONS = {
    "free": ("Free of charge", 0),
    "reduced": ("Reduced price for people with little money", None),
    "paid": ("Paid", None),
}
"""The catalogue's cost level as an HSDS option; only "free" has a known amount (0)."""

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
"""iCal day codes, Monday first, as HSDS's ``byday`` uses them."""

_ADDRESS = re.compile(r"^(?P<street>[^,]+),\s*(?P<postal>\d{4,5})\s+(?P<city>.+)$")
"""German addresses as staff write them: "Limmerstraße 1, 30451 Hannover"."""


@dataclass
class HsdsExport:
    """The rows of every table, ready to be written; ``tables[name]`` is a list of rows."""

    tables: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {name: [] for name in TABLES}
    )

    def add(self, table: str, row: dict[str, Any]) -> None:
        """Add a row, leaving out unset fields: HSDS treats a missing field as unknown."""
        self.tables[table].append({key: value for key, value in row.items() if value is not None})


def stable_id(catalogue: Catalogue, *parts: str) -> str:
    """The same UUID for the same row in every export (and a different one in another city)."""
    return str(uuid.uuid5(NAMESPACE, "/".join((catalogue.region.name, *parts))))


def export_catalogue(
    catalogue: Catalogue, tr: Translator, now: datetime | None = None
) -> HsdsExport:
    """Map every service to HSDS rows; ``tr`` writes schedule descriptions (default language).

    ``now`` matters only for opening hours too complex to summarise, which are described from
    the next seven days.
    """
    export = HsdsExport()
    describe = hours_describer(Schedules.of_catalogue(catalogue), tr, now)

    for service in catalogue.services:
        _export_service(export, catalogue, service, describe)
    return export


HoursText = Callable[[Service], str | None]


def _alert_text(catalogue: Catalogue, service: Service) -> str | None:
    """HSDS has one free-text ``alert`` per service: each dated alert with its days, and the
    last closed day of a temporarily closed service, in the default language."""
    language = catalogue.region.default_language
    parts = []
    if service.status == "temporarily-closed" and service.closed_until is not None:
        parts.append(f"temporarily closed until {service.closed_until.isoformat()}")
    for alert in service.alerts:
        days = f"{alert.start.isoformat()}/{alert.until.isoformat()}"
        parts.append(f"{days}: {catalogue.text(alert.text, language)}")
    return "; ".join(parts) or None


def _export_service(
    export: HsdsExport,
    catalogue: Catalogue,
    service: Service,
    describe: HoursText,
) -> None:
    language = catalogue.region.default_language
    name = catalogue.text(service.name, language)
    summary = catalogue.text(service.summary, language)
    service_id = stable_id(catalogue, "service", service.id)
    organization_id = stable_id(catalogue, "organization", service.id)
    export.add(
        "organizations",
        {
            "id": organization_id,
            "name": name,
            "description": summary,
            "email": service.email,
            "website": service.website,
        },
    )
    export.add(
        "services",
        {
            "id": service_id,
            "organization_id": organization_id,
            "name": name,
            "description": summary,
            "url": service.website,
            "email": service.email,
            "status": HSDS_STATUS[service.status],
            "alert": _alert_text(catalogue, service),
            "assured_date": service.last_verified.isoformat() if service.last_verified else None,
        },
    )
    location_id = _export_location(export, catalogue, service, service_id, name)
    if service.phone:
        export.add(
            "phones",
            {
                "id": stable_id(catalogue, "phone", service.id),
                "service_id": service_id,
                "number": format_phone(service.phone, catalogue.region.country),
                "type": "voice",
            },
        )
    _export_schedules(export, catalogue, service, service_id, describe)
    for code in service.languages:
        export.add(
            "languages",
            {
                "id": stable_id(catalogue, "language", service.id, code),
                "service_id": service_id,
                "name": english_language_name(code),
                "code": code,
            },
        )
    if location_id is not None:
        for kind in service.accessibility:
            export.add(
                "accessibility",
                {
                    "id": stable_id(catalogue, "accessibility", service.id, kind),
                    "location_id": location_id,
                    "description": ACCESSIBILITY_DESCRIPTIONS[kind],
                    "details": kind,
                },
            )
    if service.cost is not None:
        option, amount = COST_OPTIONS[service.cost]
        currencies = _currencies(catalogue.region.country)
        export.add(
            "cost_options",
            {
                "id": stable_id(catalogue, "cost_option", service.id),
                "service_id": service_id,
                "option": option,
                "amount": amount,
                "currency": currencies[0] if amount is not None and currencies else None,
            },
        )
    if service.documents is not None:
        export.add(
            "required_documents",
            {
                "id": stable_id(catalogue, "required_document", service.id),
                "service_id": service_id,
                "document": catalogue.text(service.documents, language),
            },
        )


@functools.cache
def _currencies(country: str) -> tuple[str, ...]:
    return tuple(get_territory_currencies(country))


def _export_location(
    export: HsdsExport, catalogue: Catalogue, service: Service, service_id: str, name: str
) -> str | None:
    """A physical location with its address; returns its id, or None for hotlines."""
    location = service.location
    if location is None:
        return None
    location_id = stable_id(catalogue, "location", service.id)
    state = state_name(catalogue.region.country, catalogue.region.state)
    # HSDS requires street, postcode, town and state: without them the address stays text.
    address = _ADDRESS.match(location.address or "") if state else None
    export.add(
        "locations",
        {
            "id": location_id,
            "location_type": "physical",
            "organization_id": stable_id(catalogue, "organization", service.id),
            "name": name,
            # An address that does not split into street, postcode and town stays readable here.
            "description": location.address if location.address and not address else None,
            "latitude": location.lat,
            "longitude": location.lon,
        },
    )
    if address:
        export.add(
            "addresses",
            {
                "id": stable_id(catalogue, "address", service.id),
                "location_id": location_id,
                "address_1": address["street"].strip(),
                "city": address["city"].strip(),
                "state_province": state,
                "postal_code": address["postal"],
                "country": catalogue.region.country,
                "address_type": "physical",
            },
        )
    export.add(
        "service_at_locations",
        {
            "id": stable_id(catalogue, "service_at_location", service.id),
            "service_id": service_id,
            "location_id": location_id,
        },
    )
    return location_id


@functools.cache
def state_name(country: str, state: str | None) -> str | None:
    """The state's own name ("Niedersachsen") from the holidays calendar, else its ISO code."""
    if state is None:
        return None
    try:
        aliases = holidays.country_holidays(country).subdivisions_aliases
    except NotImplementedError:
        aliases = {}
    names = [name for name, code in aliases.items() if code == state]
    return names[0] if names else f"{country}-{state}"


# --- Schedules --------------------------------------------------------------------------


def _export_schedules(
    export: HsdsExport,
    catalogue: Catalogue,
    service: Service,
    service_id: str,
    describe: HoursText,
) -> None:
    description = describe(service)
    if description is None or service.opening_hours is None:
        return
    language = catalogue.region.default_language
    notes = [catalogue.text(service.hours_note, language)] if service.hours_note else []
    notes.append(f"OpenStreetMap opening_hours: {service.opening_hours}")
    common = {
        "service_id": service_id,
        "description": description,
        "notes": " ".join(notes),
    }
    openings = weekly_openings(service.opening_hours)
    if openings is None:
        export.add("schedules", {"id": stable_id(catalogue, "schedule", service.id), **common})
        return
    for index, opening in enumerate(openings):
        export.add(
            "schedules",
            {
                "id": stable_id(catalogue, "schedule", service.id, str(index)),
                **common,
                "freq": "WEEKLY",
                "wkst": "MO",
                "byday": ",".join(WEEKDAYS[day] for day in opening.days),
                "opens_at": opening.opens.strftime("%H:%M"),
                "closes_at": opening.closes.strftime("%H:%M"),
            },
        )


# --- Files ------------------------------------------------------------------------------


def datapackage(catalogue: Catalogue, export: HsdsExport) -> dict[str, Any]:
    """The index of the export: which file holds which HSDS table, and how to read times."""
    return {
        "name": f"wegweiser-{_slug(catalogue.region.name)}-hsds",
        "title": f"Wegweiser {catalogue.region.name}: support services (HSDS {HSDS_VERSION})",
        "description": (
            "Open Referral Human Services Data Specification 3.0, tabular form as JSON: one "
            "file per table, rows linked by id. Texts are in the language "
            f"'{catalogue.region.default_language}'. Opening and closing times are local time "
            f"in {catalogue.region.timezone}."
        ),
        "profile": "data-package",
        "resources": [
            {
                "name": table,
                "path": f"{table}.json",
                "format": "json",
                "mediatype": "application/json",
                "count": len(export.tables[table]),
            }
            for table in TABLES
        ],
    }


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "catalogue"


def write_export(catalogue: Catalogue, export: HsdsExport, folder: Path) -> list[Path]:
    """Write every table (even empty ones, so consumers find them) and ``datapackage.json``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    documents: Iterable[tuple[str, Any]] = [
        *((f"{table}.json", export.tables[table]) for table in TABLES),
        ("datapackage.json", datapackage(catalogue, export)),
    ]
    for name, content in documents:
        path = folder / name
        path.write_text(json.dumps(content, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
