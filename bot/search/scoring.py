"""Scoring the query's units against the postings: per unit, the best entry of each candidate
service; then per service, its relevance 0-100.

relevance = the strongest specific match of one query word (a keyword beats a word in a
summary, exact beats a typo, a rare word beats one that every service uses), scaled by how much
of the query the service explains (coverage).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.search.normalize import is_modifier, term
from bot.search.postings import CODE_SHIFT, FIELD_MASK, WEIGHT_BY_CODE, Postings
from bot.search.query import Unit
from bot.search.reading import MODIFIER_FACTOR, Hit

POSTINGS_SCAN_LIMIT = 200
"""Postings read per vocabulary word. Words in more services ("beratung" in half of them) are
read only up to this many (keywords first) and are otherwise used to re-score candidates found
through rarer words: this keeps a query's cost flat as the catalogue grows."""
PROBE_CANDIDATES = 100
"""The best candidates so far that a common word looks up beyond its budget: the final top 3
(or a page of 12) comes from them."""
MAX_PROBED_WORDS = 3
"""Of the words a query word stands for, at most the 3 strongest (and only those worth at least
half the strongest) look up candidates beyond the budget: the weak readings of a common word
("kostenlose" for "kostenlos") add little and would cost a lookup per candidate each."""
COVERAGE_FLOOR = 0.5
"""relevance = best word × (0.5 + 0.5 × coverage): one strong keyword among unknown words still
counts; a service that explains every word ranks above one that explains only the best.
Without coverage (1.0) top-1 drops by 13 queries; 0.7 lets two more none-queries through."""


@dataclass(frozen=True, slots=True)
class Entry:
    """How well one unit matches one service: a hit in a field — or, for a reading in several
    parts (a split compound, two words), the weighted mean of the parts' own entries."""

    value: float
    """The hit's value (with specificity) × the field's weight: what ranks services."""
    quality: float
    """The hit's strength × the field's weight: what counts towards coverage."""
    hit: Hit | None
    """The vocabulary word that matched; None for a reading in several parts."""
    field: int
    """The field code of the posting (see bot.search.postings); -1 for several parts."""
    parts: Sequence[dict[int, Entry]] = ()
    """Per part of a reading in several parts: its entry per service (shared, not copied)."""

    def leaves(self, service: int) -> list[Entry]:
        """The single-hit entries behind this one for ``service``: itself, or its parts'."""
        if self.hit is not None:
            return [self]
        return [found for part in self.parts if (found := part.get(service)) is not None]


class Scorer:
    """Reads the postings of each unit's hits, within a budget, for one vocabulary."""

    def __init__(self, postings: Postings) -> None:
        self._postings = postings

    def score(self, units: list[Unit], nearby: list[int]) -> list[dict[int, Entry]]:
        """Each unit's best entry per candidate service.

        Units are scored rarest first, so that a common word mostly re-scores the candidates
        that rarer words found (see :data:`POSTINGS_SCAN_LIMIT`). ``nearby`` are services near
        the person that common words look up too.
        """
        per_unit: list[dict[int, Entry]] = [{} for _ in units]
        counts = self._postings.document_counts
        order = sorted(
            range(len(units)),
            key=lambda u: min((counts[h.term_id] for h in units[u].hits), default=0),
        )
        running: dict[int, float] = {}  # sum of unit values so far, to pick what to re-score
        leaders: list[int] = []
        for step, u in enumerate(order):
            best: dict[int, Entry] = {}
            for number, alternative in enumerate(units[u].alternatives):
                parts = [self._score_part(part, leaders, nearby) for part in alternative]
                merged = parts[0] if len(parts) == 1 else _merge_parts(parts, alternative)
                if number == 0:  # the first reading (a new dict): its entries are the best yet
                    best = merged
                    continue
                for service, entry in merged.items():
                    old = best.get(service)
                    if old is None or entry.value > old.value:
                        best[service] = entry
            per_unit[u] = best
            if step + 1 == len(order):
                break  # the leaders only guide the units still to come
            for service, entry in best.items():
                running[service] = running.get(service, 0.0) + entry.value
            leaders = _leaders(running)
        return per_unit

    def _score_part(
        self, hits: Sequence[Hit], leaders: list[int], nearby: list[int]
    ) -> dict[int, Entry]:
        """Best entry per service over the vocabulary words one query word stands for.

        At most :data:`POSTINGS_SCAN_LIMIT` postings are read in all (strongest words and
        keyword occurrences first); after that, words only look up the best candidates that
        earlier query words found, and the services near the person.
        """
        best: dict[int, Entry] = {}
        budget = POSTINGS_SCAN_LIMIT
        probes: list[int] | None = None
        probed = 0
        strongest = hits[0].value if hits else 0.0
        for hit in hits:
            # One entry per field code, shared by every service the word reaches that way; made
            # when a posting first needs it (a frozen dataclass costs more to make than a tuple,
            # and most words are met in one or two fields).
            entries: list[Entry | None] = [None] * len(WEIGHT_BY_CODE)
            codes, budget, complete = self._postings.read(hit.term_id, budget)
            if not complete and probed < MAX_PROBED_WORDS and hit.value >= strongest / 2:
                probed += 1
                if probes is None:
                    probes = sorted({*leaders, *nearby})
                codes.extend(self._postings.probe(hit.term_id, probes))
            for code in codes:
                field = code & FIELD_MASK
                entry = entries[field]
                if entry is None:
                    weight = WEIGHT_BY_CODE[field]
                    entry = Entry(hit.value * weight, hit.strength * weight, hit, field)
                    entries[field] = entry
                service = code >> CODE_SHIFT
                old = best.get(service)
                if old is None or entry.value > old.value:
                    best[service] = entry
        return best


def relevance(
    per_unit: list[dict[int, Entry]], units: list[Unit], counted: Sequence[bool]
) -> dict[int, float]:
    """relevance = 100 × best word value × (floor + (1 - floor) × coverage), over the units
    marked ``counted``; coverage is the weighted share of those units the service matches."""
    top: dict[int, float] = {}
    covered: dict[int, float] = {}
    first = True
    for best, unit, count in zip(per_unit, units, counted, strict=True):
        if not count:
            continue
        weight = unit.weight
        if first:  # most queries have one unit: build both maps in one pass each
            first = False
            top = {service: entry.value for service, entry in best.items() if entry.value > 0.0}
            covered = {service: entry.quality * weight for service, entry in best.items()}
            continue
        for service, entry in best.items():
            if entry.value > top.get(service, 0.0):
                top[service] = entry.value
            covered[service] = covered.get(service, 0.0) + entry.quality * weight
    total = sum(u.weight for u, count in zip(units, counted, strict=True) if count) or 1.0
    floor, share = COVERAGE_FLOOR, 1 - COVERAGE_FLOOR
    return {s: 100 * value * (floor + share * covered[s] / total) for s, value in top.items()}


def need_relevance(
    links: Mapping[str, Mapping[int, float]],
    levels: Mapping[str, Sequence[tuple[float, frozenset[int]]]],
    per_unit: list[dict[int, Entry]],
    units: list[Unit],
    words_of: Mapping[str, frozenset[str]],
    counted: Sequence[bool] | None = None,
    everyday: Sequence[bool] = (),
) -> dict[int, float]:
    """relevance of the services the needs reached = 100 × link × (floor + (1 - floor) × coverage).

    ``links``: per need found, the services it reaches and how closely; ``levels``: the same
    services grouped by link strength (see NeedReader.levels). A query word counts
    as explained for a service when it is inside a phrase of a need the service answers, or
    when the service's own words match it: "vermieter droht mit kündigung, ich kann nachts
    nicht schlafen" is mostly about losing the flat, so the offices for that explain more of
    it than the night shelter does for "nachts schlafen". ``counted`` leaves out words (of
    danger) as for :func:`relevance`. ``everyday`` marks the units that are only everyday words
    or place names: a service's own words matching them explain nothing about the need ("paid",
    "months" in the housing-benefit office's summary must not put it before the Familienkasse
    for "Kindergeld hasn't been paid for two months").

    A need reaches a whole topic (thousands of services in a large catalogue), so the words
    its phrases said are counted once per need, the services of one link strength get their
    value in one dict operation, and the other words are counted once per service that
    matched them: the cost follows the postings read, not topics × words."""
    counted = counted if counted is not None else [True] * len(units)
    active = [u for u, c in enumerate(counted) if c]
    total = len(active) or 1
    floor, share = COVERAGE_FLOOR, 1 - COVERAGE_FLOOR
    unit_terms = [frozenset(unit.terms) for unit in units]
    said_by = {
        need: {u for u in active if unit_terms[u] <= words} for need, words in words_of.items()
    }
    said_any = set().union(*said_by.values()) if said_by else set()
    matched: Counter[int] = Counter()  # per service: other words its own words matched
    for u in active:
        if u not in said_any and not (everyday and everyday[u]):
            matched.update(per_unit[u].keys())

    def value(link: float, covered: int) -> float:
        return 100 * link * (floor + share * min(total, covered) / total)

    found: dict[int, float] = {}
    # Most services a need reaches match none of the other words: all of them get the same
    # value, set in one dict operation; needs in rising order, so the best one stays.
    bases = sorted(
        (value(link, len(said_by.get(need, ()))), need, number)
        for need, grouped in levels.items()
        for number, (link, _) in enumerate(grouped)
    )
    for base, need, number in bases:
        found.update(dict.fromkeys(levels[need][number][1], base))
    # The services whose own words also matched, and those that several needs reach, in
    # groups by the needs that reach them, each group's words counted once; within a group,
    # each service takes its strongest link, found with set operations level by level.
    for needs, members in _by_needs(links, matched.keys() & found.keys() | _several(links)):
        said = len(set().union(*(said_by.get(n, set()) for n in needs)))
        ladder = sorted((pair for n in needs for pair in levels[n]), key=lambda p: -p[0])
        for link, group in ladder:
            taken = members & group
            members -= taken
            plain = taken - matched.keys()
            found.update(dict.fromkeys(plain, value(link, said)))
            for service in taken - plain:
                found[service] = value(link, said + matched[service])
            if not members:
                break
    return found


def _by_needs(
    links: Mapping[str, Mapping[int, float]], services: set[int]
) -> list[tuple[tuple[str, ...], set[int]]]:
    """``services`` split by the combination of needs that reach each (a service reached by
    none is left out)."""
    cells: list[tuple[tuple[str, ...], set[int]]] = [((), services)]
    for need, reach in links.items():
        split: list[tuple[tuple[str, ...], set[int]]] = []
        for needs, members in cells:
            inside = members & reach.keys()
            if inside:
                split.append(((*needs, need), inside))
            if len(inside) < len(members):
                split.append((needs, members - inside))
        cells = split
    return [(needs, members) for needs, members in cells if needs]


def _several(links: Mapping[str, Mapping[int, float]]) -> set[int]:
    """Services that more than one of the needs found reaches (usually none: one need)."""
    if len(links) < 2:
        return set()
    seen: set[int] = set()
    several: set[int] = set()
    for reach in links.values():
        several |= seen & reach.keys()
        seen |= reach.keys()
    return several


def _leaders(running: dict[int, float]) -> list[int]:
    """The :data:`PROBE_CANDIDATES` services with the highest running value; of those tied at
    the cut, the first in the file, so that which ones are probed never depends on the order
    in which services were met.

    One C sort of the values finds the cut: cheaper than ``heapq.nlargest`` with a key.
    """
    if len(running) <= PROBE_CANDIDATES:
        return list(running)
    cut = sorted(running.values(), reverse=True)[PROBE_CANDIDATES - 1]
    leaders = [s for s, v in running.items() if v > cut]
    tied = sorted(s for s, v in running.items() if v == cut)
    return leaders + tied[: PROBE_CANDIDATES - len(leaders)]


def _merge_parts(parts: list[dict[int, Entry]], hits: Sequence[Sequence[Hit]]) -> dict[int, Entry]:
    """A reading in several parts (a split compound, two words) scores the weighted mean of its
    parts, a modifier part ("beratung" in "Wohnungslosenberatung") counting less; the parts
    themselves are kept (shared, not copied) to explain the finalists later."""
    weights = [
        MODIFIER_FACTOR if part_hits and is_modifier(term(part_hits[0].query_word)) else 1.0
        for part_hits in hits
    ]
    values: dict[int, float] = {}
    qualities: dict[int, float] = {}
    for part, weight in zip(parts, weights, strict=True):
        for service, entry in part.items():
            values[service] = values.get(service, 0.0) + weight * entry.value
            qualities[service] = qualities.get(service, 0.0) + weight * entry.quality
    total = sum(weights)
    return {s: Entry(v / total, qualities[s] / total, None, -1, parts) for s, v in values.items()}
