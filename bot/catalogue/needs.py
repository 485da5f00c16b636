"""The shipped taxonomy of needs: what a person may ask for, by id (``needs.yaml`` beside this).

It is the contract between a catalogue and the search. A catalogue links its categories and
services to needs (``needs: [...]``, or implicitly through a standard category id); the search
knows the words people use for each need (``bot/search/needs/``). So a city is understood
without writing synonyms, and its ``keywords`` only add local names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

NEEDS_FILE = Path(__file__).resolve().parent / "needs.yaml"


@dataclass(frozen=True, slots=True)
class Need:
    """One need of the taxonomy."""

    id: str
    about: str
    """One line for staff: what the need covers (docs and ``validate`` messages show it)."""
    open_eligibility: str
    """The closest Open Eligibility term, for the HSDS export."""
    categories: tuple[str, ...]
    """Standard category ids that carry this need unless they name their own ``needs``."""
    background: bool = False
    """A reason or a person more than a thing asked for ("no money", "my kids"): beside
    another need it gives way to it ("broke, nothing to eat" asks for food)."""
    person: bool = False
    """A need that also names who a thing is for (children, women): beside a need no service
    answers ("the best ice rink for the children", "a women's hair salon") it is no reason to
    answer. "No money" is a reason, and a social pass may answer it ("the kids want to swim,
    no money")."""
    also: tuple[str, ...] = ()
    """Standard category ids that may answer it too, less surely: a German course is taught at
    an education service and may be found at a migration service (the search links them
    weaker, so the place that does it comes first)."""


@cache
def shipped_needs() -> dict[str, Need]:
    """Every need of the taxonomy by id, in the file's order; read once per process."""
    data = yaml.safe_load(NEEDS_FILE.read_text(encoding="utf-8"))
    needs: dict[str, Need] = {}
    for item in data["needs"]:
        need = Need(
            id=str(item["id"]),
            about=str(item["about"]),
            open_eligibility=str(item["open_eligibility"]),
            categories=tuple(str(c) for c in item.get("categories") or ()),
            also=tuple(str(c) for c in item.get("also") or ()),
            background=bool(item.get("background", False)),
            person=bool(item.get("person", False)),
        )
        if need.id in needs:
            raise ValueError(f"{NEEDS_FILE.name}: need `{need.id}` is listed twice")
        needs[need.id] = need
    return needs


def needs_of_category(category_id: str, named: tuple[str, ...]) -> tuple[str, ...]:
    """The needs a category stands for: those it names, else those of its standard id."""
    if named:
        return named
    return tuple(n.id for n in shipped_needs().values() if category_id in (*n.categories, *n.also))
