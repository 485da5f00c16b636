"""Where the services are: each service's place and district, the district a query names, and
the services near a point.

A service without coordinates is placed at its district's centre (as ``Catalogue.place_of``
does), which is good for "which district is near", never for a distance in metres (see
``bot.geo.ordering_distance``); hotlines and online services have no place at all.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.catalogue.model import Catalogue, District
from bot.geo import Coordinates, city_distance_m, distance_m
from bot.search.grid import PlaceGrid
from bot.search.normalize import Token, term, tokens
from bot.search.phrases import PhraseMatcher

DISTRICT_RADIUS_M = 2500.0
"""Services outside the named district still get part of the bonus when its centre is within
2.5 km (Hannover's Stadtteile are 1-3 km across)."""

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

    def find_district(
        self, words: list[Token], is_filler: Callable[[str], bool]
    ) -> tuple[int | None, set[int]]:
        """The district named in the query (the longest name wins) and the words it used.

        Stop words (``is_filler``) match district names only exactly, so "finden" never means
        "Linden".
        """
        hits = self._district_phrases.find(words, is_filler)
        if not hits:
            return None, set()
        # Two districts may share a name or an alias: the first in the file wins.
        best = max(hits, key=lambda h: (h.stop - h.start, -h.typos, -h.start, -h.phrase))
        return self._district_owner[best.phrase], set(range(best.start, best.stop))

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
