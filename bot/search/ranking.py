"""Ranking the candidates: relevance plus small bounded bonuses, emergency services first in a
crisis, and the reasons for each finalist.

Bonuses — the category the query names, the district it names, nearness to the person — only
decide between services that the words found about equally well; none of them can lift a
service below :data:`MIN_RELEVANCE`, which is the line between an answer and "nothing found"
(the bot then shows the menu: better than three random services for "hallo").
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from bot.catalogue.model import Service
from bot.geo import Coordinates, city_distances_from, ordering_distance
from bot.search.outcome import Match, Reason
from bot.search.places import Places
from bot.search.postings import PART, field_name
from bot.search.reading import Hit
from bot.search.scoring import Entry

MIN_RELEVANCE = 36.0
"""Below this, "nothing found". Chosen from ``python -m bot.search.evaluation`` (threshold off): the
none-queries' best candidates score at most 32.6, except three that hit real catalogue words
("bus" 92.5, "super"→Suppe 57.1, "test"→rest 49.9, which no threshold can tell); the right
answers score at least 38.1 ("strom" inside "Stromschulden"), except three misses; 36 sits
in that gap."""

CATEGORY_SHARE = 0.05
"""A service in a category the query names ("Schulden" → money) gets 5 points: it decides
between equally good matches ("ديون" is also a keyword of the rent-arrears office) and no more.
Without it top-1 loses 2 queries; 0.1 gains nothing."""

DISTRICT_SHARE = 0.15
"""A district named in the query is worth 15 points: it reorders equally good services and lets
a good one nearby beat a perfect one across town, but not a weak one a strong one."""

NEAR_SHARE = 0.10
"""With a location, up to 10 points for being close: a gentle preference, not an override."""
NEAR_HALF_M = 2000.0
"""Half the bonus at 2 km (about 25 minutes on foot), a fifth at 8 km."""
OPEN_SHARE = 0.04
"""With a clock, up to 4 points for being open now (up to half for opening later today): among
equally fitting services the one that can help now comes first ("hab hunger" at 07:40 does not
lead with a bus that comes at 18:00), and no more than that."""
NO_PLACE_PROXIMITY = 0.5
"""Hotlines and online services have no place; they are as reachable as something 2 km away."""

RANK_POOL = 100
"""Equally good candidates ranked in full (with distances); the rest of a tie is dropped, keeping
those in the named district and near the person."""

CRISIS_REORDER_MIN = 50.0
"""Among emergency services the file's order is deliberate (staff put 112 first); only a clear
match (≥ 50, e.g. "mein Mann schlägt mich" → the violence hotline) reorders them, not a typo
reading of one word ("жити" → "діти")."""


def _within_reach(
    relevance: dict[int, float], floor: float, limit: int, share: float
) -> dict[int, float]:
    """The services at or above ``floor`` whose value before bonuses (relevance × (1 −
    ``share``)) could still reach the ``limit`` best with every bonus: the cut of
    :meth:`Ranker.rank` in one pass over a need's whole topic, the threshold from one C sort."""
    keep = 1 - share
    values = sorted(relevance.values(), reverse=True)
    if len(values) > limit and values[limit] >= floor:  # more than ``limit`` above the floor
        reachable = values[limit - 1] * keep - 100 * share
        return {s: b for s, r in relevance.items() if r >= floor and (b := r * keep) >= reachable}
    return {s: r * keep for s, r in relevance.items() if r >= floor}


@dataclass(frozen=True, slots=True)
class Preferences:
    """What beyond the words decides between services: the named category and district, the
    person's place, and the reader's language."""

    district: int | None
    near: Coordinates | None
    language: str
    categories: frozenset[str]
    nearby: list[int]
    """The services nearest to ``near`` (see Places.nearest), kept in a tie that is cut."""
    readiness: Callable[[Service], float] | None = None
    """1 open now, up to 0.5 opening later today (see Opening.readiness); None without a
    clock."""
    keep: Callable[[Service], bool] | None = None
    """Only services open at the time the message asks about (first help is always kept)."""
    named_order: tuple[str, ...] = ()
    """The named categories, the best named first (the words' best match, then the needs' topics in
    the order the message names them)."""
    may_keep: frozenset[int] | None = None
    """With ``keep``, the services it can accept at all (those whose hours say open then),
    found with set operations: only these are tested one by one."""


class Ranker:
    """Orders the candidates of one catalogue and explains the finalists."""

    def __init__(self, services: tuple[Service, ...], places: Places, surfaces: list[str]) -> None:
        """``surfaces``: how each vocabulary word was written, for the reasons."""
        self._services = services
        self._places = places
        self._surfaces = surfaces
        self._emergency = [i for i, s in enumerate(services) if s.emergency]

    def rank(
        self,
        per_unit: list[dict[int, Entry]],
        relevance: dict[int, float],
        other_relevance: dict[int, float],
        prefer: Preferences,
        crisis: str | None,
        limit: int,
        min_relevance: float,
        urgent: Sequence[int] = (),
    ) -> list[Match]:
        """The ``limit`` best services: the first help for the danger first, then by score.

        ``relevance`` ranks the first help; ``other_relevance`` (without the words that spoke
        of danger) the rest. ``crisis`` is the kind of danger found, if any; ``urgent`` the
        services that are first help for it, in the catalogue's order.

        Bonuses (category, district, nearness) are bounded, so only candidates whose relevance
        alone could still reach the top need the (slower) distance computations.
        """
        if limit <= 0:
            return []
        share = (
            (CATEGORY_SHARE if prefer.categories else 0.0)
            + (DISTRICT_SHARE if prefer.district is not None else 0.0)
            + (NEAR_SHARE if prefer.near is not None else 0.0)
            + (OPEN_SHARE if prefer.readiness is not None else 0.0)
        )
        # The list for order (file order), the set to look services up.
        emergency_order = list(urgent or self._emergency) if crisis is not None else []
        emergency = frozenset(emergency_order)
        if prefer.keep is None and not emergency:
            base = _within_reach(other_relevance, min_relevance, limit, share)
        else:
            base = {
                s: r * (1 - share)
                for s, r in other_relevance.items()
                if r >= min_relevance and s not in emergency
            }
        if prefer.keep is not None:
            base = self._kept(base, prefer, limit, share)
        if len(base) > limit:
            # The limit-th best relevance (one C sort beats heapq's Python loop here).
            reachable = sorted(base.values(), reverse=True)[limit - 1] - 100 * share
            base = {s: b for s, b in base.items() if b >= reachable}
        pool = max(RANK_POOL, limit)
        if len(base) > pool:
            # Many equally good services (a category word in a big city): keep those in the
            # named district and near the person, without computing every distance.
            promising = self._in_promise_order(base, base, prefer)
            base = {s: base[s] for _, s in islice(promising, pool)}
        for service in emergency_order:
            # Below the threshold a match is noise; among emergency services it would reorder
            # the file's deliberate order for no reason.
            value = relevance.get(service, 0.0)
            clear = value >= max(min_relevance, CRISIS_REORDER_MIN)
            base[service] = value * (1 - share) if clear else 0.0
        # Sort keys are flat tuples, (urgent, score, primary, speaks, -distance, -service,
        # service, distance): the last two ride along; -service is unique, so they never decide.
        keyed: list[tuple[float, float, float, float, float, int, int, float]] = []
        bonus_of = self._bonus(prefer)
        named, language, order = prefer.categories, prefer.language, prefer.named_order
        for service, value in base.items():
            bonus, distance = bonus_of(service)
            score = round(value + bonus, 1)
            # In a crisis the emergency services keep the file's order among equals: staff put
            # the most general help (112) first on purpose.
            urgent = service in emergency
            # Among equal scores, a service whose main (first) category is the one the query
            # names comes first: "essen" → the Tafel before a night café that also serves soup;
            # of several named, the first named ("Deutschkurs": the need's first topic,
            # education, so the adult education centre before the youth migration service).
            found = self._services[service]
            main = found.categories[0]
            primary = (
                float(len(order) - order.index(main))
                if main in order
                else float(bool(named) and main in named)
            )
            speaks = float(not urgent and language in found.languages)
            keyed.append(
                (float(urgent), score, primary, speaks, -distance, -service, service, distance)
            )
        finalists = heapq.nlargest(limit, keyed)
        # Relevance may pass 100 when a need and the service's own words both fit (the order
        # among those then follows their words: "food bank" → the Tafel first); shown, 100.
        return [
            Match(
                self._services[service],
                min(100.0, score),
                self._reasons(service, per_unit, prefer, distance, crisis),
            )
            for _, score, _, _, _, _, service, distance in finalists
        ]

    def _in_promise_order(
        self, candidates: Iterable[int], base: dict[int, float], prefer: Preferences
    ) -> Iterator[tuple[float, int]]:
        """The candidates, most promising first, with their value before distances: their
        value plus the named district's bonus; among equals those among the nearest, then
        the file's order. Grouped by value rather than sorted by a key per candidate: a need
        reaches whole topics, thousands of services at a few values."""
        groups: dict[float, list[int]] = {}
        if prefer.district is None:
            for service in candidates:
                groups.setdefault(base[service], []).append(service)
        else:
            district, of_service = prefer.district, self._places.district_of_service
            bonus = 100 * DISTRICT_SHARE
            for service in candidates:
                value = base[service] + bonus if of_service[service] == district else base[service]
                groups.setdefault(value, []).append(service)
        close = set(prefer.nearby)
        for value in sorted(groups, reverse=True):
            members = groups[value]
            nearest = close.intersection(members) if close else set()
            if nearest:
                members = [*sorted(nearest), *sorted(set(members) - nearest)]
            else:
                members.sort()
            for service in members:
                yield value, service

    def _kept(
        self, base: dict[int, float], prefer: Preferences, limit: int, share: float
    ) -> dict[int, float]:
        """The candidates open at the time asked, tested most promising first and only until
        enough are found: a need reaches a whole topic, and whether a service is open tonight
        costs a look at its hours."""
        assert prefer.keep is not None
        keep, services = prefer.keep, self._services
        candidates = base.keys() if prefer.may_keep is None else base.keys() & prefer.may_keep
        kept: dict[int, float] = {}
        reachable = -math.inf
        for promise, service in self._in_promise_order(candidates, base, prefer):
            if len(kept) >= limit and promise < reachable:
                break  # nothing below can reach the answer any more
            if keep(services[service]):
                kept[service] = base[service]
                if len(kept) == limit:
                    reachable = min(kept.values()) - 100 * share
                if len(kept) >= max(RANK_POOL, limit):
                    break
        return kept

    def _bonus(self, prefer: Preferences) -> Callable[[int], tuple[float, float]]:
        """Points for the named category, the named district, being near; and the distance.

        Returns a function of the service, with what is the same for every candidate of the
        query (the scale of the map at the person's latitude, the lookups) worked out once:
        ranking calls it for up to :data:`RANK_POOL` candidates.
        """
        services, places, exact = self._services, self._places.of_service, self._places.exact
        district_proximity = self._places.district_proximity
        named, district, near = prefer.categories, prefer.district, prefer.near
        readiness = prefer.readiness
        distance_to = city_distances_from(near) if near is not None else None

        def bonus_of(service: int) -> tuple[float, float]:
            bonus = 0.0
            distance = math.inf
            if named and not named.isdisjoint(services[service].categories):
                bonus += 100 * CATEGORY_SHARE
            if district is not None:
                bonus += 100 * DISTRICT_SHARE * district_proximity(service, district)
            if distance_to is not None:
                place = places[service]
                if place is None:
                    proximity = NO_PLACE_PROXIMITY
                else:
                    # A district's centre: near by whole kilometres, not as if exact.
                    distance = ordering_distance(distance_to(place), exact[service])
                    proximity = 1 / (1 + distance / NEAR_HALF_M)
                bonus += 100 * NEAR_SHARE * proximity
            if readiness is not None:
                bonus += 100 * OPEN_SHARE * readiness(services[service])
            return bonus, distance

        return bonus_of

    def _reasons(
        self,
        service: int,
        per_unit: list[dict[int, Entry]],
        prefer: Preferences,
        distance: float,
        crisis: str | None,
    ) -> tuple[Reason, ...]:
        reasons: list[Reason] = []
        found = self._services[service]
        if crisis is not None and (found.emergency or found.danger):
            reasons.append(Reason("crisis", crisis, crisis, 1.0, "emergency"))
        for best in per_unit:
            entry = best.get(service)
            if entry is None:
                continue
            for leaf in entry.leaves(service):
                assert leaf.hit is not None  # leaves are single hits
                reasons.append(self._reason(leaf.hit, leaf.field))
        if prefer.district is not None:
            proximity = self._places.district_proximity(service, prefer.district)
            if proximity > 0:
                name = self._places.districts[prefer.district].name
                reasons.append(Reason("district", name, name, round(proximity, 2), "place"))
        place = self._places.of_service[service]
        if prefer.near is not None:
            if place is None:
                shown, proximity = "no place", NO_PLACE_PROXIMITY
            else:  # the distance ranking used
                shown = f"{distance / 1000:.1f} km"
                if not self._places.exact[service]:
                    shown = f"district centre, about {shown}"
                proximity = 1 / (1 + distance / NEAR_HALF_M)
            reasons.append(Reason("near", "", shown, round(proximity, 2), "place"))
        return tuple(reasons)

    def _reason(self, hit: Hit, field: int) -> Reason:
        kind = hit.kind if field < PART else f"{hit.kind}, in compound"
        return Reason(
            field_name(field),
            hit.query_word,
            self._surfaces[hit.term_id],
            round(hit.strength, 2),
            kind,
        )
