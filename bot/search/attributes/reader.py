"""Reading a message for attributes: "speaks Russian", "for women", "free", "without
appointment", "anonymous" — answered by the services' structured fields, not by their words.

The words are shipped in ``attributes.yaml`` beside this module (seven languages), read as
whole phrases with :mod:`bot.search.phrasematch`. A service that has an attribute asked for is
preferred among those that fit the need about equally well; none is dropped for lacking one,
since most entries do not say which languages their staff speak.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from bot.catalogue.model import Service
from bot.search.common import common_words
from bot.search.normalize import term, words
from bot.search.phrasematch import Phrase, PhraseMatcher

DATA = Path(__file__).resolve().parent / "attributes.yaml"

Check = Callable[[Service, str], bool]

CHECKS: dict[str, Check] = {
    "languages": lambda service, value: value in service.languages,
    "audience": lambda service, value: value in service.audience,
    "cost": lambda service, value: service.cost == value,
    "appointment": lambda service, value: service.appointment == value,
    "anonymous": lambda service, value: service.anonymous is (value == "yes"),
}
"""Per field of the catalogue: whether a service has the value asked for."""


@dataclass(frozen=True, slots=True)
class Attribute:
    """One thing asked of a service: a field and the value wanted (``languages``, ``ru``)."""

    field: str
    value: str

    def fits(self, service: Service) -> bool:
        return CHECKS[self.field](service, self.value)


@cache
def _matcher() -> PhraseMatcher:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    phrases: list[Phrase] = []
    for field, values in data.items():
        if field not in CHECKS:
            raise ValueError(f"{DATA.name}: `{field}` is not a field the search can check")
        for value, texts in values.items():
            for text in texts:
                parts = tuple(term(w) for w in words(str(text), join_apostrophes=True))
                if parts:
                    phrases.append(Phrase("", f"{field}:{value}", parts))
    return PhraseMatcher(phrases, {}, common_words())


@dataclass(frozen=True, slots=True)
class AttributeReading:
    """The attributes a message asks for and the words that asked for them."""

    attributes: tuple[Attribute, ...]
    words: frozenset[str]
    """The message's terms inside an attribute's phrase ("für", "frauen" of "für Frauen"): a
    need said only by them ("Frauen") describes the thing asked for, not a need of its own."""


def read_attributes(text: str) -> AttributeReading:
    """The attributes ``text`` asks for, in its order, each once, and their words."""
    reading = _matcher().read(text)
    hits = sorted(reading.hits, key=lambda h: (h.start, h.group))
    groups = dict.fromkeys(h.group for h in hits)
    said = frozenset(t for h in hits for t in reading.terms[h.start : h.end + 1])
    return AttributeReading(tuple(Attribute(*group.split(":", 1)) for group in groups), said)
