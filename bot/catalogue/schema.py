"""The JSON Schema of ``services.yaml``, so staff's editors can check the file as they type.

VS Code (with the YAML extension), JetBrains IDEs and others read the
``# yaml-language-server: $schema=./docs/services.schema.json`` line at the top of the
catalogue and then complete field names, list the allowed values and underline typos before
the file is ever saved. The schema is generated from the pydantic model in
:mod:`bot.catalogue.model`, never written by hand, so the editor and the bot cannot disagree about
which fields exist. Pydantic sees the model's Python types; what it cannot see (that a text
may be a plain string, the id syntax checked in validators, the staff-facing explanations) is
added here. Rules that need the whole file (category references, stale dates, phone numbers)
stay with ``python -m bot validate``: a schema can only check shapes.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from bot.catalogue.fields import (
    COUNTRY_CODE,
    EMAIL_ADDRESS,
    HTTPS_ADDRESS,
    ID_PATTERN,
    LANGUAGE_CODE,
)
from bot.catalogue.model import Catalogue

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
"""Pydantic writes draft 2020-12 (``$defs``, ``prefixItems``), so we declare that draft."""

SCHEMA_ID = "urn:wegweiser:schema:services:1"
"""A name, not an address: editors read the file next to the catalogue and fetch nothing."""

SCHEMA_TITLE = "Wegweiser service catalogue (services.yaml)"


_LANGUAGE = {"type": "string", "pattern": LANGUAGE_CODE.pattern}
_ID = {"type": "string", "pattern": ID_PATTERN.pattern}

_LOCALIZED_TEXT = {
    "description": (
        "A text in several languages: one line per language code (`de: …`, `en: …`), or one "
        "plain text, which counts as the region's default language. The default language "
        "must be present."
    ),
    "anyOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "propertyNames": _LANGUAGE,
            "additionalProperties": {"type": "string", "minLength": 1},
            "minProperties": 1,
        },
    ],
}

_KEYWORDS = {
    "description": (
        "Words people type, per language code (`de: [tafel, essen]`). They are matched in "
        "every language, whatever the reader's language."
    ),
    "type": "object",
    "propertyNames": _LANGUAGE,
    "additionalProperties": {
        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    },
}

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "Catalogue": {
        "version": "Schema version of this file; this Wegweiser reads `version: 1`.",
        "region": "The city the catalogue is for.",
        "crisis": (
            'Words that mean "danger now": the bot then shows the services marked '
            "`emergency: true` first."
        ),
        "categories": "The menu; the order in the file is the order on screen.",
        "services": "Every place or hotline that helps.",
    },
    "Region": {
        "name": "Shown in /start and /about, e.g. Hannover.",
        "country": "ISO 3166-1 country code (DE): phone numbers are read and shown for it.",
        "timezone": 'IANA time zone (Europe/Berlin): "open now" is computed in it.',
        "default_language": (
            "ISO 639-1 language code (de): every text must have it; it is the last fallback."
        ),
        "center": "[latitude, longitude] of the city centre; optional.",
        "state": "ISO 3166-2 state code without the country (NI): its public holidays count.",
        "districts": "The Stadtteile people name, each with an approximate centre.",
    },
    "District": {
        "name": "The district's name as people in the city say it.",
        "center": "[latitude, longitude]: services without their own coordinates are put here.",
        "aliases": "Other names for the same district (Innenstadt, Zentrum).",
    },
    "Crisis": {"keywords": "Crisis words per language code."},
    "Category": {
        "id": "Small letters, digits and single hyphens; unique (food, shelter, debt-advice).",
        "icon": "One emoji shown before the name; optional.",
        "name": "The menu entry, per language.",
        "keywords": "Words that lead to this category, per language code.",
        "sensitive": (
            "true: answers under this topic offer the quick-exit button (violence, mental "
            "health): for topics a person may need to hide on their phone."
        ),
        "needs": (
            "The shipped needs this topic stands for (bot/catalogue/needs.yaml); leave it out "
            "for a standard topic id (food, clothing, housing …), which carries its needs."
        ),
    },
    "OnlineContact": {
        "kind": "chat, messenger, sms, email, app or video.",
        "address": (
            "chat/app/video: an https:// address; messenger: an https:// link or a mobile "
            "number; sms: the number to text; email: an address or an https:// form."
        ),
        "hours": 'When someone answers, in opening_hours syntax ("24/7", "Mo-Fr 14:00-20:00").',
        "note": "Anything else people should know, per language; optional.",
    },
    "Location": {
        "address": 'Street, number, postcode and town: "Limmerstraße 1, 30451 Hannover".',
        "district": "The Stadtteil; should be one of region.districts (or an alias).",
        "lat": "Latitude in decimal degrees (Hannover is at about 52.37).",
        "lon": "Longitude in decimal degrees (Hannover is at about 9.74).",
    },
    "Service": {
        "id": "Small letters, digits and single hyphens; unique and stable (links and "
        "statistics use it).",
        "name": "The organisation's own name for the offer.",
        "categories": "One or more category ids defined under `categories:`.",
        "summary": "One or two plain sentences: what people get there.",
        "keywords": "What people type, in any language.",
        "audience": "Who it is for.",
        "cost": "free, reduced (little money) or paid.",
        "appointment": "none, recommended or required.",
        "anonymous": "Can people come without giving their name?",
        "emergency": "true: listed by /emergency and shown first on crisis words.",
        "languages": "Languages the staff there speak (ISO 639-1 codes).",
        "accessibility": "wheelchair, hearing-loop, sign-language, easy-language.",
        "documents": "What to bring; optional.",
        "location": "Where it is; hotlines and online services have none.",
        "opening_hours": (
            'OpenStreetMap opening_hours syntax, e.g. "Mo-Fr 09:00-17:00; Sa 10:00-13:00" '
            'or "Nov 01-Mar 31: Mo-Su 17:00-09:00". Anything else goes in hours_note.'
        ),
        "hours_note": "Free text about the hours, per language; optional.",
        "phone": 'As printed, with the area code: "0511 123456" or "+49 511 123456".',
        "online": (
            "Ways to reach the service without speaking on the phone (chat, messenger, text "
            "message, e-mail counselling, app), each with its hours; for people who cannot "
            "talk aloud."
        ),
        "danger": (
            "The kinds of danger this service is the first help for (suicide, self-harm, "
            "poisoning, medical, violence, violence-other, sexual-violence, stalking, "
            "missing-child, forced-marriage, unspecified): the crisis answer shows these."
        ),
        "needs": (
            "Shipped needs this service answers beyond its topics' (the Familienkasse: "
            "kinderzuschlag, kindergeld); the search then knows the words people use for them."
        ),
        "email": "info@example.org",
        "website": "Full address starting with https://.",
        "last_verified": "When staff last checked the entry with the service (YYYY-MM-DD).",
        "source": "Where the entry was checked (a web page); optional.",
        "status": (
            "active (default), unconfirmed (nobody could confirm it lately: hours are shown as "
            "uncertain), temporarily-closed (with closed_until) or closed (never shown; kept "
            "for the record). HSDS: active, active, temporarily closed, defunct."
        ),
        "closed_until": "With status temporarily-closed: the last closed day (YYYY-MM-DD).",
        "alerts": (
            'Dated notices such as "closed 24–26 December": from, until and a text per '
            "language; shown on the cards from two weeks before until the last day."
        ),
    },
    "Alert": {
        "from": "The first day the notice is about (YYYY-MM-DD).",
        "until": "The last day the notice is about (YYYY-MM-DD).",
        "text": 'What people should know, per language: "Geschlossen vom 24. bis 26. Dezember."',
    },
}
"""One line per field for the editor's hover help, taken from ``catalogue-schema.md``."""

_PATTERNS: dict[tuple[str, str], dict[str, Any]] = {
    ("Category", "id"): _ID,
    ("Service", "id"): _ID,
    ("Service", "categories"): {"type": "array", "minItems": 1, "items": _ID},
    ("Service", "languages"): {"type": "array", "items": _LANGUAGE},
    ("Region", "default_language"): _LANGUAGE,
    ("Region", "country"): {"type": "string", "pattern": COUNTRY_CODE.pattern},
}
"""Rules the model checks in validators, which pydantic cannot see, restated as schema."""

_OPTIONAL_PATTERNS: dict[tuple[str, str], str] = {
    ("Service", "website"): HTTPS_ADDRESS.pattern,
    ("Service", "email"): EMAIL_ADDRESS.pattern,
}
"""Like ``_PATTERNS``, for optional fields whose schema is ``anyOf [string, null]``."""


def catalogue_schema() -> dict[str, Any]:
    """The JSON Schema of ``services.yaml`` as a plain dict, ready for ``json.dumps``."""
    schema = Catalogue.model_json_schema(mode="validation")
    definitions: dict[str, Any] = schema["$defs"]
    definitions["LocalizedText"] = _LOCALIZED_TEXT
    definitions["Keywords"] = _KEYWORDS
    for model_name, model_schema in [("Catalogue", schema), *definitions.items()]:
        properties: dict[str, Any] = model_schema.get("properties", {})
        for field_name, field_schema in properties.items():
            if field_name == "keywords":
                field_schema.clear()
                field_schema["$ref"] = "#/$defs/Keywords"
            pattern = _PATTERNS.get((model_name, field_name))
            if pattern is not None:
                title = field_schema.get("title")
                field_schema.clear()
                field_schema.update(pattern)
                if title:
                    field_schema["title"] = title
            optional_pattern = _OPTIONAL_PATTERNS.get((model_name, field_name))
            if optional_pattern is not None:
                for option in field_schema["anyOf"]:
                    if option.get("type") == "string":
                        option["pattern"] = optional_pattern
            description = DESCRIPTIONS.get(model_name, {}).get(field_name)
            if description:
                field_schema["description"] = description
    # A deep copy, so no caller can change the module's shared fragments through the result.
    return copy.deepcopy(
        {
            "$schema": SCHEMA_DIALECT,
            "$id": SCHEMA_ID,
            "title": SCHEMA_TITLE,
            "description": (
                "The catalogue of local support services that Wegweiser answers from. "
                "See docs/catalogue.md; check the whole file with `python -m bot validate`."
            ),
            **{key: value for key, value in schema.items() if key not in ("title", "description")},
        }
    )


def catalogue_schema_json() -> str:
    """The schema as the text of ``docs/services.schema.json`` (stable order, final newline)."""
    return json.dumps(catalogue_schema(), ensure_ascii=False, indent=2) + "\n"
