"""The small Hannover catalogue the search tests write to ``tmp_path``, and helpers to ask it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.catalogue.validation import load_catalogue
from bot.search.index import SearchIndex
from bot.search.outcome import SearchOutcome

TESTDORF = """
version: 1
region: {name: Testdorf, country: DE, timezone: Europe/Berlin, default_language: de,
         center: [52.37, 9.74]}
"""
"""The head of a made-up town's catalogue, for tests that write their own few categories and
services after it (``TESTDORF + \"\"\"categories: …\"\"\"``)."""

HEADER = """
version: 1
region:
  name: Hannover
  country: DE
  timezone: Europe/Berlin
  default_language: de
  center: [52.3745, 9.7386]
  districts:
    - {name: Linden, center: [52.3690, 9.7150], aliases: [Linden-Nord]}
    - {name: Nordstadt, center: [52.3880, 9.7230]}
    - {name: Mitte, center: [52.3745, 9.7386], aliases: [Innenstadt]}
    - {name: List, center: [52.3925, 9.7600]}
crisis:
  keywords:
    de: [suizid, "nicht mehr leben", "schlägt mich"]
    en: ["kill myself", "don't want to live"]
    uk: ["не хочу жити"]
    ar: [انتحار]
categories:
  - id: food
    name: {de: Essen, en: Food, uk: Їжа, ar: طعام}
    keywords: {de: [lebensmittel, hunger], tr: [yemek]}
  - id: money
    name: {de: Geld und Schulden, en: Money and debt}
    keywords: {de: [schulden]}
  - id: work
    name: {de: Arbeit, en: Work}
    keywords: {de: [arbeit], tr: [iş]}
  - id: health
    name: {de: Gesundheit, en: Health}
    keywords: {de: [arzt]}
services:
"""

TAFEL_LINDEN = {
    "id": "tafel-linden",
    "name": "Tafel Linden",
    "categories": ["food"],
    "summary": {"de": "Lebensmittel für wenig Geld.", "en": "Food for little money."},
    "keywords": {"de": ["tafel", "lebensmittelausgabe"], "ru": ["продукты"]},
    "location": {"district": "Linden", "lat": 52.3665, "lon": 9.7160},
}
TAFEL_NORDSTADT = {
    "id": "tafel-nordstadt",
    "name": "Tafel Nordstadt",
    "categories": ["food"],
    "summary": {"de": "Lebensmittel für wenig Geld."},
    "keywords": {"de": ["tafel"]},
    "location": {"district": "Nordstadt", "lat": 52.3885, "lon": 9.7235},
}
DEBT = {
    "id": "schuldnerberatung",
    "name": "Schuldnerberatung Mitte",
    "categories": ["money"],
    "summary": {"de": "Beratung bei Schulden und Mahnungen.", "en": "Help with debts."},
    "keywords": {"de": ["schuldnerberatung", "inkasso"], "ru": ["помощь с долгами"]},
    "location": {"district": "Mitte", "lat": 52.375, "lon": 9.74},
}
SHELTER = {
    "id": "notschlafstelle",
    "name": "Notschlafstelle",
    "categories": ["food"],
    "summary": {"de": "Ein Bett für die Nacht."},
    "keywords": {"de": ["schlafplatz"], "ru": ["квартира", "ночлег"], "uk": ["їжа"]},
}
JOBS = {
    "id": "jobcenter",
    "name": "Jobcenter",
    "categories": ["work"],
    "summary": {"de": "Bürgergeld und Arbeitssuche."},
    "keywords": {"de": ["jobcenter"], "tr": ["iş", "iş arama"]},
}
HOTLINE = {
    "id": "seelsorge",
    "name": "TelefonSeelsorge",
    "categories": ["health"],
    "summary": {"de": "Tag und Nacht jemand zum Reden."},
    "keywords": {"de": ["reden", "einsam"]},
    "emergency": True,
    "phone": "0800 1110111",
}
DOCTOR = {
    "id": "praxis",
    "name": "Praxis ohne Grenzen",
    "categories": ["health"],
    "summary": {"de": "Ärztliche Hilfe ohne Krankenversicherung."},
    "keywords": {"de": ["arzt", "krankenversicherung"]},
    "location": {"district": "List", "lat": 52.3930, "lon": 9.7610},
}
EVERYONE = [TAFEL_LINDEN, TAFEL_NORDSTADT, DEBT, SHELTER, JOBS, HOTLINE, DOCTOR]


def write(path: Path, services: list[dict[str, Any]]) -> Path:
    """A catalogue file: the header above plus ``services`` as JSON-style YAML entries."""
    lines = [f"  - {json.dumps(s, ensure_ascii=False)}" for s in services]
    path.write_text(HEADER.lstrip() + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def index_of(tmp_path: Path, services: list[dict[str, Any]] = EVERYONE) -> SearchIndex:
    loaded = load_catalogue(write(tmp_path / "services.yaml", services))
    return SearchIndex.build(loaded.catalogue)


def ids(outcome: SearchOutcome) -> list[str]:
    return [m.service.id for m in outcome.results]


def first(index: SearchIndex, text: str, **options: Any) -> str | None:
    found = ids(index.search(text, **options))
    return found[0] if found else None
