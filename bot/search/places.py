"""Where the services are: each service's place and district, the district a query names, and
the services near a point.

A service without coordinates is placed at its district's centre (as ``Catalogue.place_of``
does), which is good for "which district is near", never for a distance in metres (see
``bot.geo.ordering_distance``); hotlines and online services have no place at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

import yaml

from bot.catalogue.model import Catalogue, District
from bot.geo import Coordinates, city_distance_m, distance_m
from bot.search.categories import CategoryMembers
from bot.search.common import everyday_words
from bot.search.grid import PlaceGrid
from bot.search.normalize import Token, is_filler, term, terms, tokens
from bot.search.phrases import PhraseMatcher
from bot.search.placesounds import PlaceSounds

DISTRICT_RADIUS_M = 2500.0
"""Services outside the named district still get part of the bonus when its centre is within
2.5 km (Hannover's Stadtteile are 1-3 km across)."""

LOCAL_MARGIN = 0.75
"""A service in the named district comes first when it fits at least three quarters as well as
the best one elsewhere and is of its kind (0.5 and 0.6 moved no held-out message more)."""

NEAR_CANDIDATES = 100
"""With a location, about this many of the nearest services (whole grid cells, nearest first)
are also considered for common words."""


def _district_allowance(query_length: int, word_length: int) -> int:
    """District names: one typo from 5 letters ("Lindn"); "List" and "Mitte"-like short names
    only exactly, or every "last" and "lust" would name a district."""
    return 1 if min(query_length, word_length) >= 5 else 0


class Places:
    """The services' places and districts (by service index), and the region's districts."""

    def __init__(self, catalogue: Catalogue) -> None:
        """District names are looked up once per distinct name, not per service."""
        self.districts: tuple[District, ...] = tuple(catalogue.region.districts)
        position = {id(d): i for i, d in enumerate(self.districts)}  # find_district returns these
        named: dict[str, int | None] = {}
        self.of_service: list[Coordinates | None] = []
        """Per service: its coordinates, else its district's centre, else None."""
        self.district_of_service: list[int | None] = []
        """Per service: the number of its district, if it names a known one."""
        self.exact: list[bool] = []
        """Per service: whether its place is coordinates that staff gave (not a centre)."""
        for service in catalogue.services:
            location = service.location
            district: int | None = None
            if location is not None and location.district:
                if location.district not in named:
                    found = catalogue.region.find_district(location.district)
                    named[location.district] = None if found is None else position[id(found)]
                district = named[location.district]
            coordinates = location.coordinates if location is not None else None
            if coordinates is None and district is not None:
                coordinates = self.districts[district].center  # as Catalogue.place_of does
            self.exact.append(location is not None and location.coordinates is not None)
            self.of_service.append(coordinates)
            self.district_of_service.append(district)
        self._grid = PlaceGrid(self.of_service)
        self._district_phrases, self._district_owner = _district_names(self.districts)
        self._district_sounds = PlaceSounds(_one_word_names(self.districts))
        self._everyday = everyday_words()

    def find_district(
        self, words: list[Token], is_filler: Callable[[str], bool]
    ) -> tuple[int | None, set[int]]:
        """The district named in the query (the longest name wins) and the words it used.

        Stop words (``is_filler``) and everyday words match district names only exactly, so
        "finden" never means "Linden" nor "Mittel" "Mitte". A name in Latin letters comes
        first; else one in other letters or with a Turkish ending
        (:mod:`bot.search.placesounds`: "ليندن", "в Линдене", "Lindende").
        """
        everyday = self._everyday
        hits = self._district_phrases.find(words, lambda w: is_filler(w) or w in everyday)
        if not hits:
            return self._district_sounds.find(words)
        # Two districts may share a name or an alias: the first in the file wins.
        best = max(hits, key=lambda h: (h.stop - h.start, -h.typos, -h.start, -h.phrase))
        return self._district_owner[best.phrase], set(range(best.start, best.stop))

    def lift_local(
        self,
        found: dict[int, float],
        district: int,
        same_kind: Callable[[int, int], bool],
        floor: float,
    ) -> dict[int, float]:
        """``found`` with the services in the named district that are of the same kind as the
        best service (``same_kind(best, other)``) and fit nearly as well (:data:`LOCAL_MARGIN`)
        raised to the best's relevance when the best is elsewhere (beyond
        :data:`DISTRICT_RADIUS_M`, or a hotline): the district's bonus then puts them first.
        "In Seelze, debts": the debt advice in Seelze before the city's across town."""
        if not found:
            return found
        best = max(found, key=lambda s: (found[s], -s))
        if self.district_proximity(best, district) > 0:
            return found  # the best is there or near: the district's bonus decides already
        at_least = max(floor, found[best] * LOCAL_MARGIN)
        of_service = self.district_of_service
        local = [
            s
            for s, value in found.items()
            if of_service[s] == district and s != best and value >= at_least and same_kind(best, s)
        ]
        if not local:
            return found
        lifted = dict(found)
        for service in local:
            lifted[service] = found[best]
        return lifted

    def district_proximity(self, service: int, district: int) -> float:
        """1.0 in the district, less the farther the service is from its centre, 0 beyond
        :data:`DISTRICT_RADIUS_M` or without a place."""
        if self.district_of_service[service] == district:
            return 1.0
        place = self.of_service[service]
        if place is None:
            return 0.0
        distance = city_distance_m(place, self.districts[district].center)
        return max(0.0, 1 - distance / DISTRICT_RADIUS_M)

    def nearest(self, near: Coordinates) -> list[int]:
        """About :data:`NEAR_CANDIDATES` services around ``near`` (see PlaceGrid.nearest)."""
        return self._grid.nearest(near, NEAR_CANDIDATES)

    def within(
        self, near: Coordinates, radius_m: float, wanted: frozenset[int] | None = None
    ) -> list[tuple[float, int]]:
        """The services within ``radius_m`` of ``near`` (of ``wanted`` if given), nearest
        first, with their great-circle distance in metres."""
        found: list[tuple[float, int]] = []
        for services in self._grid.within(near, radius_m):
            for service in services:
                if wanted is not None and service not in wanted:
                    continue
                place = self.of_service[service]
                assert place is not None  # only placed services are in the grid
                metres = distance_m(near, place)
                if metres <= radius_m:
                    found.append((metres, service))
        found.sort()
        return found


def _district_names(districts: tuple[District, ...]) -> tuple[PhraseMatcher, list[int]]:
    """A phrase matcher over every name and alias of the districts, and per phrase the
    number of its district."""
    phrases: list[tuple[Token, ...]] = []
    owners: list[int] = []
    for index, district in enumerate(districts):
        for name in (district.name, *district.aliases):
            words = tuple(tokens(name))
            if not words:
                continue
            phrases.append(words)
            owners.append(index)
            if len(words) > 1:  # "Linden-Nord" is also typed "lindennord"
                joined = "".join(t.surface for t in words)
                phrases.append((Token(joined, term(joined)),))
                owners.append(index)
    return PhraseMatcher(phrases, allowance=_district_allowance), owners


def _one_word_names(districts: tuple[District, ...]) -> list[tuple[str, int]]:
    """Every name and alias of the districts as one written word ("Linden-Süd" as
    "lindensud"), with the number of its district: how other scripts write them."""
    names: list[tuple[str, int]] = []
    for index, district in enumerate(districts):
        for name in (district.name, *district.aliases):
            words = tokens(name)
            if words:
                names.append(("".join(t.surface for t in words), index))
    return names


LANDMARKS = Path(__file__).resolve().parent / "landmarks.yaml"


@cache
def landmark_terms() -> frozenset[str]:
    """The words of the shipped landmarks (stations, stops, the centre) in every language, in
    matching forms: like a district's name they say where, not what (landmarks.yaml)."""
    data = yaml.safe_load(LANDMARKS.read_text(encoding="utf-8")) or {}
    found = (t for phrases in data.values() for phrase in phrases for t in terms(str(phrase)))
    return frozenset(t for t in found if len(t) > 1 and not is_filler(t))


def same_kind(
    categories: CategoryMembers, named: tuple[str, ...], needs: Mapping[str, Mapping[int, float]]
) -> Callable[[int, int], bool]:
    """Whether another service is of the best one's kind (for :meth:`Places.lift_local`):
    linked at least as closely to the first need found that the best answers; without needs,
    sharing a topic the message names (else any of the best's topics)."""
    numbers = frozenset(categories.order[c] for c in named if c in categories.order)
    of_service = categories.of_service

    def same(best: int, other: int) -> bool:
        for reach in needs.values():
            if best in reach:
                return reach.get(other, 0.0) >= reach[best]
        kind = of_service[best] & numbers or of_service[best]
        return not kind.isdisjoint(of_service[other])

    return same
