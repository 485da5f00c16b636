"""Needs that no social service answers (unmet.yaml): a vet, the home country's consulate, a
rented car, tickets, a shop and its opening hours, an ID card at the citizens' office; a driving
licence, a car or a home to buy, a restaurant or a shop of one's cuisine, a gym, prayer, a
holiday visa, money sent home, a hair salon, "the best" of anything.

A message that speaks of one of these and of no need the product knows gets the honest
"nothing fits" — the unmet-needs log then keeps it — instead of the service that shares a side
word with it ("tierarzt notdienst": the doctors' on-call number; "русский магазин … часы
работы": the Jobcenter, through "работы"). A catalogue that names such a need in a service or
topic name (every word of the phrase: "Tierarzt", not only "Geld" of "Geld überweisen") does
offer it, and its words then count as usual.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path

import yaml

from bot.catalogue.model import Catalogue
from bot.search.normalize import Token, is_filler, terms

DATA = Path(__file__).resolve().parent / "unmet.yaml"


@cache
def shipped_phrases() -> tuple[tuple[str, ...], ...]:
    """Every phrase of every language, as its words' matching forms."""
    data = yaml.safe_load(DATA.read_text(encoding="utf-8")) or {}
    found = {tuple(terms(str(p))) for phrases in data.values() for p in phrases}
    return tuple(sorted(p for p in found if p))


class Unmet:
    """Finds the shipped unmet needs in a message, less those the catalogue offers."""

    def __init__(self, offered: Iterable[str]) -> None:
        """``offered``: the words of the catalogue's service and topic names."""
        names = frozenset(w for w in offered if not is_filler(w))
        # Offered only when the names say the whole phrase: "Geld" in one service's name and
        # "Telefon" in another's offer no money transfer and no second-hand phones.
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in shipped_phrases():
            if not _said(phrase) <= names:
                self._by_first.setdefault(phrase[0], []).append(phrase)

    @classmethod
    def of(cls, catalogue: Catalogue) -> Unmet:
        """The unmet needs less those ``catalogue`` offers (names them in a service's or a
        topic's name, in any language)."""
        named = [*catalogue.services, *catalogue.categories]
        return cls(t for n in named for text in n.name.root.values() for t in terms(text))

    def words(self, words: Sequence[Token]) -> frozenset[str]:
        """The message's words inside an unmet need's phrase (empty: it speaks of none)."""
        said = [t.term for t in words]
        found: set[str] = set()
        for start, word in enumerate(said):
            for phrase in self._by_first.get(word, ()):
                if tuple(said[start : start + len(phrase)]) == phrase:
                    found.update(phrase)
        return frozenset(found)

    def only(
        self,
        words: Sequence[Token],
        needs: Mapping[str, frozenset[str]],
        describing: frozenset[str] = frozenset(),
    ) -> bool:
        """Whether the message speaks of an unmet need and of no need the product knows:
        every need found (``needs``: its words) was read only from the unmet need's words or
        from ``describing``, the words of an attribute ("for women" beside a hairdresser
        describes the hairdresser, it is no need of its own)."""
        unmet = self.words(words)
        return bool(unmet) and all(said <= unmet | describing for said in needs.values())


def _said(phrase: tuple[str, ...]) -> frozenset[str]:
    """The words of ``phrase`` that say something (its stop words name nothing)."""
    return frozenset(w for w in phrase if not is_filler(w)) or frozenset(phrase)
