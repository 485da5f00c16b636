"""One table for every shipped city: the tuned set, the held-out sets, with and without keywords.

The question it answers is whether the bot understands people or only the words someone wrote
into one catalogue. So each city's sets run twice: against the catalogue as shipped, and against
the same catalogue with every ``keywords`` list removed (services, categories and the crisis
block). Held-out sets (``tests/heldout/``) were written from the catalogues before the search
changed, and are never edited because a message failed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.catalogue.model import Catalogue
from bot.catalogue.validation import load_catalogue
from bot.catalogue.yamlsource import read_yaml
from bot.search.evaluation import ROOT, Summary, load_queries, run
from bot.search.index import SearchIndex


@dataclass(frozen=True)
class City:
    """A shipped catalogue and the evaluation sets written for it."""

    name: str
    catalogue: Path
    sets: tuple[tuple[str, Path], ...]


CITIES = (
    City(
        "Hannover",
        ROOT / "services.yaml",
        (
            ("tuned", ROOT / "tests" / "eval_queries.yaml"),
            ("held-out de en tr ru", ROOT / "tests" / "heldout" / "hannover-de-en-tr-ru.yaml"),
            ("held-out uk ar fa", ROOT / "tests" / "heldout" / "hannover-uk-ar-fa.yaml"),
            ("held-out round 2", ROOT / "tests" / "heldout" / "hannover-round2-all.yaml"),
            (
                "held-out round 3 de en tr ru",
                ROOT / "tests" / "heldout" / "hannover-round3-de-en-tr-ru.yaml",
            ),
            (
                "held-out round 3 uk ar fa",
                ROOT / "tests" / "heldout" / "hannover-round3-uk-ar-fa.yaml",
            ),
            ("held-out round 4", ROOT / "tests" / "heldout" / "hannover-round4-all.yaml"),
            (
                "held-out round 5 de en tr ru",
                ROOT / "tests" / "heldout" / "hannover-round5-de-en-tr-ru.yaml",
            ),
            (
                "held-out round 5 uk ar fa",
                ROOT / "tests" / "heldout" / "hannover-round5-uk-ar-fa.yaml",
            ),
            (
                "held-out round 6 de en tr ru",
                ROOT / "tests" / "heldout" / "hannover-round6-de-en-tr-ru.yaml",
            ),
            (
                "held-out round 6 uk ar fa",
                ROOT / "tests" / "heldout" / "hannover-round6-uk-ar-fa.yaml",
            ),
        ),
    ),
    City(
        "Wolfsburg",
        ROOT / "catalogues" / "wolfsburg.yaml",
        (
            ("held-out", ROOT / "tests" / "heldout" / "wolfsburg.yaml"),
            ("held-out round 2", ROOT / "tests" / "heldout" / "wolfsburg-round2-all.yaml"),
            (
                "held-out round 3 de en tr ru",
                ROOT / "tests" / "heldout" / "wolfsburg-round3-de-en-tr-ru.yaml",
            ),
            (
                "held-out round 3 uk ar fa",
                ROOT / "tests" / "heldout" / "wolfsburg-round3-uk-ar-fa.yaml",
            ),
        ),
    ),
    City(
        "Neunkirchen",
        ROOT / "catalogues" / "neunkirchen.yaml",
        (
            ("held-out", ROOT / "tests" / "heldout" / "neunkirchen.yaml"),
            ("held-out round 2", ROOT / "tests" / "heldout" / "neunkirchen-round2-all.yaml"),
            ("held-out round 3", ROOT / "tests" / "heldout" / "neunkirchen-round3-all.yaml"),
        ),
    ),
)


@dataclass(frozen=True)
class Row:
    """One line of the table: a city's set against the catalogue with or without keywords."""

    city: str
    set_name: str
    keywords: bool
    queries: int
    summary: Summary


def _strip_keywords(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip_keywords(v) for k, v in node.items() if k != "keywords"}
    if isinstance(node, list):
        return [_strip_keywords(v) for v in node]
    return node


def without_keywords(path: Path) -> Catalogue:
    """The catalogue at ``path`` with every ``keywords`` list removed, validated as staff's is."""
    data = _strip_keywords(read_yaml(path).data)
    with tempfile.TemporaryDirectory() as folder:
        stripped = Path(folder) / path.name
        stripped.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return load_catalogue(stripped).catalogue


def _indexes(cities: Sequence[City]) -> Iterator[tuple[City, bool, SearchIndex]]:
    """Each city's catalogue as shipped, then without its keyword lists, indexed."""
    for city in cities:
        for keywords in (True, False):
            catalogue = (
                load_catalogue(city.catalogue).catalogue
                if keywords
                else without_keywords(city.catalogue)
            )
            yield city, keywords, SearchIndex.build(catalogue)


def rows(cities: Sequence[City] = CITIES) -> Iterator[Row]:
    """Every city's sets, first with the shipped catalogue, then without its keywords."""
    for city, keywords, index in _indexes(cities):
        for set_name, path in city.sets:
            results = run(index, load_queries(path), calibrate=False)
            yield Row(city.name, set_name, keywords, len(results), Summary.of(results))


def format_table(table: Sequence[Row]) -> str:
    """The table as Markdown (it goes into the README as it is)."""
    lines = [
        "| city | set | keywords | messages | top-1 | top-3 | nothing on none |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for row in table:
        s = row.summary
        lines.append(
            f"| {row.city} | {row.set_name} | {'as shipped' if row.keywords else 'removed'} "
            f"| {row.queries} | {s.top1_rate:.2f} | {s.top3_rate:.2f} | {s.nothing_rate:.2f} |"
        )
    return "\n".join(lines)


_HELD_OUT = ROOT / "tests" / "heldout"
CRISIS_ROUNDS = {
    "round 1": (_HELD_OUT / "crisis-de-en-tr.yaml", _HELD_OUT / "crisis-uk-ru-ar-fa.yaml"),
    "round 2": (_HELD_OUT / "crisis-round2.yaml",),
    "round 3": (
        _HELD_OUT / "crisis-round3-de-en-tr-ru.yaml",
        _HELD_OUT / "crisis-round3-uk-ar-fa.yaml",
    ),
    "round 4": (
        _HELD_OUT / "crisis-round4-de-en-tr-ru.yaml",
        _HELD_OUT / "crisis-round4-uk-ar-fa.yaml",
    ),
    "round 5": (
        _HELD_OUT / "crisis-round5-de-en-tr-ru.yaml",
        _HELD_OUT / "crisis-round5-uk-ar-fa.yaml",
    ),
    "round 6": (
        _HELD_OUT / "crisis-round6-de-en-tr-ru.yaml",
        _HELD_OUT / "crisis-round6-uk-ar-fa.yaml",
    ),
    "round 7": (
        _HELD_OUT / "crisis-round7-de-en-tr-ru.yaml",
        _HELD_OUT / "crisis-round7-uk-ar-fa.yaml",
    ),
    "round 8": (
        _HELD_OUT / "crisis-round8-de-en-tr-ru.yaml",
        _HELD_OUT / "crisis-round8-uk-ar-fa.yaml",
    ),
    "round 9": (
        _HELD_OUT / "crisis-round9-de-en-tr-ru.yaml",
        _HELD_OUT / "crisis-round9-uk-ar-fa.yaml",
    ),
    "round 10": (
        _HELD_OUT / "crisis-round10-de-en-tr-ru.yaml",
        _HELD_OUT / "crisis-round10-uk-ar-fa.yaml",
    ),
    "round 11": (
        _HELD_OUT / "crisis-round11-de-en-tr-ru.yaml",
        _HELD_OUT / "crisis-round11-uk-ar-fa.yaml",
    ),
    "round 12": (
        _HELD_OUT / "crisis-round12-de-en-tr-ru.yaml",
        _HELD_OUT / "crisis-round12-uk-ar-fa.yaml",
    ),
}
"""Held-out crisis messages and harmless look-alikes, each round written before the change
to the crisis knowledge that the round after it measures."""


@dataclass(frozen=True)
class CrisisRow:
    """Danger seen in held-out crisis messages, and alarms on harmless ones, for one catalogue."""

    city: str
    keywords: bool
    round: str
    recall: float
    crisis_messages: int
    lookalike_alarms: float
    lookalikes: int
    ordinary_alarms: float
    ordinary: int
    by_kind: dict[str, tuple[int, int]]
    by_language: dict[str, tuple[int, int]]


def crisis_sets(paths: Sequence[Path]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    crisis: list[dict[str, str]] = []
    lookalikes: list[dict[str, str]] = []
    for path in paths:
        data = read_yaml(path).data
        crisis.extend(data["crisis"])
        lookalikes.extend(data["lookalikes"])
    return crisis, lookalikes


def ordinary_by_set(cities: Sequence[City]) -> dict[tuple[str, str], list[str]]:
    """Every search message of every set that neither speaks of danger nor asks for a service
    that is first help (asking for the Frauenhaus by name may well bring its first help), by
    (city, set)."""
    first_help: set[str] = set()
    for city in cities:
        services = load_catalogue(city.catalogue).catalogue.services
        first_help |= {s.id for s in services if s.emergency or s.danger}
    return {
        (city.name, set_name): [
            q.text
            for q in load_queries(path)
            if q.kind != "crisis" and not set(q.expect) & first_help
        ]
        for city in cities
        for set_name, path in city.sets
    }


def _ordinary(cities: Sequence[City]) -> list[str]:
    """The ordinary messages of every set, in one list."""
    return [text for texts in ordinary_by_set(cities).values() for text in texts]


def crisis_rows(cities: Sequence[City] = CITIES) -> Iterator[CrisisRow]:
    """The crisis stage on every city's catalogue, as shipped and without its keyword lists,
    for each round of held-out crisis messages. It asks the index's crisis stage alone
    (``SearchIndex.danger``), which is what ``search(text).crisis`` reads, without the rest of
    the search: the same figures in a fraction of the time."""
    rounds = {name: crisis_sets(paths) for name, paths in CRISIS_ROUNDS.items()}
    ordinary = _ordinary(cities)
    for city, keywords, index in _indexes(cities):
        alarms = sum(index.danger(text).found for text in ordinary) / len(ordinary)
        for name, (crisis, lookalikes) in rounds.items():
            by_kind: dict[str, tuple[int, int]] = {}
            by_language: dict[str, tuple[int, int]] = {}
            seen = 0
            for message in crisis:
                found = index.danger(message["text"]).found
                seen += found
                for table, key in ((by_kind, message["kind"]), (by_language, message["lang"])):
                    hits, count = table.get(key, (0, 0))
                    table[key] = (hits + found, count + 1)
            look = sum(index.danger(m["text"]).found for m in lookalikes)
            yield CrisisRow(
                city.name,
                keywords,
                name,
                seen / len(crisis),
                len(crisis),
                look / len(lookalikes),
                len(lookalikes),
                alarms,
                len(ordinary),
                by_kind,
                by_language,
            )


def format_crisis_table(table: Sequence[CrisisRow]) -> str:
    """Recall on the held-out crisis messages, false alarms; then recall by kind and language."""
    lines = [
        "| city | keywords | held-out | danger seen | look-alike alarms | ordinary alarms |",
        "|---|---|---|---:|---:|---:|",
    ]
    for row in table:
        lines.append(
            f"| {row.city} | {'as shipped' if row.keywords else 'removed'} | {row.round} "
            f"| {row.recall:.2f} of {row.crisis_messages} "
            f"| {row.lookalike_alarms:.2f} of {row.lookalikes} "
            f"| {row.ordinary_alarms:.3f} of {row.ordinary} |"
        )
    first = table[0]
    for title, counts in (("kind", first.by_kind), ("language", first.by_language)):
        lines += ["", f"| {title} | danger seen |", "|---|---:|"]
        lines += [f"| {k} | {h}/{n} |" for k, (h, n) in sorted(counts.items())]
    return "\n".join(lines)
