"""Precision: when what a message shares with the catalogue is too little to be an answer.

"wo gibts in Linden den besten Döner" shares "Linden" with the Lindener Tisch; "iphone ekranım
kırıldı, tamir eden yer biliyor musunuz" shares "yer" (place) with the shelters' keywords. One
everyday word or a place name is all they have in common, and a word that says what the person
wants ("Döner", "iphone") matches nothing at all. Such a message gets the honest "nothing fits"
(and the unmet-needs log records it), not three services that happen to share a word.

Three rules, all about everyday words (bot.search.common) and the city's places:

- :func:`only_places`: a message that shares only a place (a district, a street of a service's
  address, a station) with the catalogue names no need: nothing fits;
- :func:`keep_supported`: when a word of the message matches nothing, a service that only one
  everyday word or place reached is no answer;
- :func:`discount_weak`: otherwise a service that only such words reached keeps half its
  relevance (the words of a real need beside it come first).

A need found through the shipped phrases always counts as support: the phrases are the words
people use for that need.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from bot.search.query import Unit
from bot.search.reading import INFLECTED
from bot.search.scoring import Entry

WEAK_EVIDENCE = 0.5
"""A service found only through everyday words or place names keeps half its relevance: "how
much is a train ticket to berlin" shares "ticket" with the culture pass. The same words still
count fully when they are the whole message ("ticket", "wann fährt der bus")."""

SUPPORTING_WEAK_WORDS = 2
"""Two everyday words that reach the same service say something together ("دعم نفسي",
psychological support; "поговорить с кем-то"); one alone ("yer", "Linden") does not."""


def weak_units(units: Sequence[Unit], weak: frozenset[str]) -> list[bool]:
    """Per unit, whether it is only words of ``weak`` (everyday words, place names)."""
    return [set(unit.terms) <= weak for unit in units]


def says_something_unknown(
    per_unit: Sequence[Mapping[int, Entry]],
    units: Sequence[Unit],
    said: Mapping[str, frozenset[str]],
) -> bool:
    """Whether a word of the message matched nothing: no service's words and no need's phrase
    (``said``: per need found, the words its phrases took). Then the message speaks of
    something the catalogue does not know ("Döner", "iphone")."""
    spoken = frozenset().union(*said.values()) if said else frozenset()
    return any(not per_unit[u] and not set(unit.terms) <= spoken for u, unit in enumerate(units))


def place_units(units: list[Unit], places: frozenset[str], vocabulary: list[str]) -> list[bool]:
    """Per unit, whether it is a place: its words are, or it is a form of one ("вокзала" is
    read as вокзал with its ending; not a compound's part: "Schlafplatz" is no "Platz")."""
    return [
        set(unit.terms) <= places
        or any(
            h.kind in _FORMS and h.strength >= INFLECTED and vocabulary[h.term_id] in places
            for part in unit.alternatives[0]
            for h in part
        )
        for unit in units
    ]


_FORMS = frozenset({"exact", "ending", "prefix"})
"""The readings of a query word that are the same word in another form."""


def only_places(per_unit: Sequence[Mapping[int, Entry]], place: Sequence[bool]) -> bool:
    """Whether all the message shares with the catalogue is where: a district, a street of a
    service's address, a station ("in Linden", "Лангенхаген", "у вокзала"). A place is no
    need: then nothing fits (the caller asks only when no need was found). Beside everyday
    words the other rules decide, as without the place ("schlafen am Bahnhof")."""
    matched = [u for u, best in enumerate(per_unit) if best]
    return bool(matched) and all(place[u] for u in matched)


def keep_supported(
    found: Mapping[int, float],
    per_unit: Sequence[Mapping[int, Entry]],
    weak: Sequence[bool],
    need_reach: Sequence[Mapping[int, float]],
    places: Sequence[bool] = (),
) -> dict[int, float]:
    """``found`` without the services that only one everyday word or place reached. Kept are
    those that a word that says something matched, that :data:`SUPPORTING_WEAK_WORDS` everyday
    words matched together, or that a need found (``need_reach``: each need's services).
    Places (``places``, per unit) never support: "near the main station" is one place, not two
    words that say something together."""
    supported = set().union(*(best.keys() for u, best in enumerate(per_unit) if not weak[u]))
    shared: Counter[int] = Counter()
    for u, best in enumerate(per_unit):
        if weak[u] and not (places and places[u]):
            shared.update(best.keys())
    supported |= {s for s, count in shared.items() if count >= SUPPORTING_WEAK_WORDS}
    return {
        s: v for s, v in found.items() if s in supported or any(s in reach for reach in need_reach)
    }


def discount_weak(
    found: dict[int, float],
    per_unit: Sequence[Mapping[int, Entry]],
    units: Sequence[Unit],
    weak: Sequence[bool],
) -> dict[int, float]:
    """``found`` with :data:`WEAK_EVIDENCE` applied to services that only weak words reached
    (unless weak words are the whole message and the service matches every one of them)."""
    weak_at = [u for u in range(len(units)) if weak[u]]
    if not weak_at:
        return found
    reached = [per_unit[u].keys() for u in weak_at]
    strong = set().union(*(best.keys() for u, best in enumerate(per_unit) if not weak[u]))
    only_weak = set().union(*reached) - strong
    if len(weak_at) == len(units):  # the whole message: what matches all of it counts
        only_weak -= set(reached[0]).intersection(*reached[1:])
    discounted = dict(found)
    for service in only_weak & found.keys():
        discounted[service] *= WEAK_EVIDENCE
    return discounted
