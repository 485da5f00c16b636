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
    City("Hannover", ROOT / "services.yaml", (("tuned", ROOT / "tests" / "eval_queries.yaml"),)),
    City(
        "Wolfsburg",
        ROOT / "catalogues" / "wolfsburg.yaml",
        (("held-out", ROOT / "tests" / "heldout" / "wolfsburg.yaml"),),
    ),
    City(
        "Neunkirchen",
        ROOT / "catalogues" / "neunkirchen.yaml",
        (("held-out", ROOT / "tests" / "heldout" / "neunkirchen.yaml"),),
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


def rows(cities: Sequence[City] = CITIES) -> Iterator[Row]:
    """Every city's sets, first with the shipped catalogue, then without its keywords."""
    for city in cities:
        for keywords in (True, False):
            catalogue = (
                load_catalogue(city.catalogue).catalogue
                if keywords
                else without_keywords(city.catalogue)
            )
            index = SearchIndex.build(catalogue)
            for set_name, path in city.sets:
                results = run(index, load_queries(path))
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
