"""Generate large, realistic, valid ``services.yaml`` files for benchmarks.

The region, crisis words and categories are taken from the shipped catalogue, so a generated
file looks like Hannover grown to n services. Each generated service copies the summary and
keywords of a real service of its category (German, English and one to five other languages),
and adds a name, a sentence and keywords made of proper names and German compounds drawn with a
skew from pools that grow with the square root of n — so the vocabulary grows sublinearly, as in
a real city, and a benchmark whose cost follows the vocabulary shows it.

    python bench/generate.py 10000 -o /tmp/services-10k.yaml
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from bot.catalogue.yamlsource import read_yaml  # noqa: E402

SHIPPED = ROOT / "services.yaml"

LANGUAGES = ("de", "en", "uk", "ru", "ar", "tr", "fa")

PROPER_NAMES_PER_SQRT_N = 40
"""Distinct proper names (organisations, projects, places) ≈ 40·√n: 400 at 100 services, 4,000
at 10,000 — Heaps' law with the exponent 0.5 typical of names in city directories."""

COMPOUNDS_PER_SQRT_N = 40
"""Distinct German compounds built from the stems below ("Familientreff", "Mieterladen"),
≈ 40·√n: they grow the vocabulary and exercise the compound splitting as real names do."""

OTHER_LANGUAGES_PER_SERVICE = (1, 5)
"""Besides German and English, each generated service has summaries and keywords in one to
five of the other five shipped languages, copied from a real service of the same category."""

_STEMS_TEXT = (
    "familien kinder eltern frauen mädchen jugend senioren nachbarschafts stadtteil mieter "
    "schuldner sucht drogen beratungs hilfe lern sprach kultur begegnungs kleider möbel "
    "lebensmittel essens tages nacht wohn arbeits job bildungs gesundheits sozial migrations "
    "flüchtlings integrations frühstücks mittags spiel musik garten werk reparatur fahrrad"
)
_STEMS = _STEMS_TEXT.split()
_HEADS_TEXT = (
    "treff laden café zentrum stube haus werkstatt börse kammer küche punkt netz büro "
    "stelle dienst insel oase brücke hafen"
)
_HEADS = _HEADS_TEXT.split()
_OPERATORS = [
    "Caritas", "Diakonie", "AWO", "DRK", "Paritätischer", "Johanniter", "Malteser",
    "Stadt Hannover", "Region Hannover", "Verein", "Initiative", "Kirchengemeinde", "Stiftung",
]  # fmt: skip
_HOURS = [
    "Mo-Fr 09:00-17:00", "Tu,Th 10:00-13:00", "Mo-Su 17:00-09:00", "We 14:00-18:00",
    "Mo-Fr 08:00-12:00; Th 14:00-18:00", "Sa 10:00-13:00",
]  # fmt: skip
_SYLLABLES = "ka ro mi lu be ta no si ve dor lin mar kes ten hol bur wen gra fi zu pe sta ri mon"
_SYLLABLES_LIST = _SYLLABLES.split()


def _proper_name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES_LIST) for _ in range(rng.randint(2, 4))).capitalize()


def _compound(rng: random.Random) -> str:
    return (rng.choice(_STEMS) + rng.choice(_HEADS)).capitalize()


def _zipf(rng: random.Random, items: list[str]) -> str:
    """A few items are picked very often, most rarely (rank-1/rank frequencies)."""
    weights = [1 / (rank + 1) for rank in range(len(items))]
    return rng.choices(items, weights=weights)[0]


def _load_base(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise FileNotFoundError(
            f"{path} does not exist; the generator reuses its region, categories and texts"
        )
    data = read_yaml(path).data
    if not isinstance(data, dict) or "region" not in data or "categories" not in data:
        raise ValueError(f"{path} is not a catalogue with region and categories")
    return data


def _as_texts(value: Any, default_language: str) -> dict[str, str]:
    return value if isinstance(value, dict) else {default_language: str(value)}


def _models(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Per category, the shipped services (summary and keywords) that generated ones copy.

    A category without services gets one made of its own name and keywords."""
    default = str(data["region"].get("default_language", "de"))
    models: dict[str, list[dict[str, Any]]] = {}
    for service in data.get("services") or []:
        model = {
            "summary": _as_texts(service["summary"], default),
            "keywords": service.get("keywords") or {},
        }
        for category in service.get("categories") or []:
            models.setdefault(str(category), []).append(model)
    for category in data["categories"]:
        if str(category["id"]) not in models:
            name = _as_texts(category["name"], default)
            models[str(category["id"])] = [
                {"summary": name, "keywords": category.get("keywords") or {}}
            ]
    return models


def generate_catalogue(n_services: int, seed: int = 0, base: Path = SHIPPED) -> str:
    """A valid services.yaml text with ``n_services`` services (deterministic for a seed)."""
    rng = random.Random(seed)
    data = _load_base(base)
    region = data["region"]
    categories = [str(c["id"]) for c in data["categories"]]
    models = _models(data)
    weights = [len(models[c]) for c in categories]  # big categories stay big
    districts = region.get("districts") or [
        {"name": region["name"], "center": region.get("center") or [52.3745, 9.7386]}
    ]
    root = math.sqrt(n_services)
    proper = sorted({_proper_name(rng) for _ in range(int(PROPER_NAMES_PER_SQRT_N * root))})
    compounds = sorted({_compound(rng) for _ in range(int(COMPOUNDS_PER_SQRT_N * root))})
    rng.shuffle(proper)
    rng.shuffle(compounds)
    head = {k: data[k] for k in ("region", "crisis", "categories") if k in data}
    lines = [
        "# Generated by bench/generate.py for benchmarks; not real services.",
        "version: 1",
        *(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in head.items()),
        "services:",
    ]
    for number in range(n_services):
        category = rng.choices(categories, weights=weights)[0]
        chosen = [category]
        if rng.random() < 0.25:
            chosen.append(rng.choice([c for c in categories if c != category]))
        model = rng.choice(models[category])
        place = _zipf(rng, proper)
        kind = _zipf(rng, compounds)
        district = rng.choice(districts)
        name = rng.choice(
            [f"{kind} {district['name']}", f"{_zipf(rng, _OPERATORS)} {kind} {place}", kind]
        )
        others = [lang for lang in LANGUAGES[2:] if lang in model["summary"]]
        wanted = rng.randint(*OTHER_LANGUAGES_PER_SERVICE)
        extra = set(rng.sample(others, k=min(wanted, len(others))))
        languages = [lang for lang in LANGUAGES if lang in ("de", "en") or lang in extra]
        summary = {lang: model["summary"][lang] for lang in languages if lang in model["summary"]}
        summary.setdefault("de", next(iter(model["summary"].values())))
        summary["de"] += f" Im Projekt {place}: {kind}."
        keywords = {
            lang: [words] if isinstance(words, str) else list(words)
            for lang, words in model["keywords"].items()
            if lang in languages and words
        }
        keywords.setdefault("de", []).append(kind.lower())
        if rng.random() < 0.3:
            keywords["de"].append(_zipf(rng, proper).lower())
        service: dict[str, Any] = {
            "id": f"gen-{number:05d}",
            "name": {"de": name},
            "categories": chosen,
            "summary": summary,
            "keywords": keywords,
            "cost": rng.choice(["free", "free", "reduced", "paid"]),
            "appointment": rng.choice(["none", "recommended", "required"]),
            "emergency": rng.random() < 0.005,
            "languages": sorted(rng.sample(LANGUAGES, rng.randint(1, 3))),
            "opening_hours": rng.choice(_HOURS),
            "phone": f"0511 {rng.randint(1_000_000, 9_999_999)}",
            "last_verified": "2026-10-01",
        }
        if rng.random() < 0.93:
            lat, lon = district["center"]
            service["location"] = {
                "address": f"{_proper_name(rng)}straße {rng.randint(1, 120)}, 30159 Hannover",
                "district": district["name"],
                "lat": round(lat + rng.uniform(-0.008, 0.008), 5),
                "lon": round(lon + rng.uniform(-0.012, 0.012), 5),
            }
        lines.append(f"  - {json.dumps(service, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write a generated catalogue to a file (or stdout)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("services", type=int, help="number of services")
    parser.add_argument("-o", "--output", type=Path, help="default: stdout")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--base", type=Path, default=SHIPPED, help="default: services.yaml")
    args = parser.parse_args(argv)
    text = generate_catalogue(args.services, seed=args.seed, base=args.base)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
