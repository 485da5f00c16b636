"""Coordinates from street addresses, proposed to staff for review: ``python -m bot geocode``.

Only coordinates that staff gave are shown as a distance or a pin (a district's centre is not
where a service is). Looking up a few dozen addresses by hand is slow, so this fills in ``lat``
and ``lon`` with OpenStreetMap's Nominatim through geopy, and writes them into a copy of the
file (or shows the change) with a comment above each pair that says they were geocoded and
must be checked. Nothing is ever changed silently, and the rest of the file keeps its lines,
comments and formatting: the new lines are inserted as text under each ``address:``.

Nominatim's usage policy (https://operations.osmfoundation.org/policies/nominatim/): at most
one request per second, a user agent that names the deployment, results cached, no bulk jobs.
So every lookup goes through geopy's RateLimiter at one per second, the user agent is required,
answers (also "not found") are kept in a JSON cache file, and one run looks up at most
:data:`MAX_LOOKUPS` new addresses.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.catalogue.model import Catalogue
from bot.catalogue.yamlsource import YamlDocument
from bot.geo import Coordinates, distance_m

MIN_DELAY_S = 1.0
"""Nominatim's policy: an absolute maximum of one request per second."""

MAX_LOOKUPS = 100
"""New addresses looked up per run: a catalogue's worth, not a bulk job (the cache keeps the
rest for the next run)."""

FAR_M = 50_000
"""A result farther than this from the region's centre is another town's street of the same
name: left out and reported (the same distance the catalogue check warns about)."""

Found = tuple[float, float, str]
"""Latitude, longitude and the place's name as Nominatim gives it."""

Lookup = Callable[[str], Found | None]


@dataclass(frozen=True)
class Proposal:
    """Coordinates for one service, to be inserted under the line of its address."""

    service_id: str
    address_line: int
    """1-based line of the ``address:`` key."""
    indent: str
    coordinates: Coordinates
    found_as: str


@dataclass(frozen=True)
class Skipped:
    """A service whose address was not geocoded, and why (said to staff)."""

    service_id: str
    reason: str


class GeocodeCache:
    """Answers already received, by query (None: Nominatim found nothing), kept in a JSON file
    so that a second run asks Nominatim nothing it asked before."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._answers: dict[str, list[float | str] | None] = {}
        if path.is_file():
            self._answers = json.loads(path.read_text(encoding="utf-8"))

    def get(self, query: str) -> tuple[bool, Found | None]:
        """Whether ``query`` was asked before, and its answer."""
        if query not in self._answers:
            return False, None
        answer = self._answers[query]
        if answer is None:
            return True, None
        lat, lon, name = answer
        return True, (float(lat), float(lon), str(name))

    def put(self, query: str, found: Found | None) -> None:
        self._answers[query] = None if found is None else [found[0], found[1], found[2]]

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self._answers, ensure_ascii=False, indent=1, sort_keys=True)
        self.path.write_text(text + "\n", encoding="utf-8")


def nominatim_lookup(
    user_agent: str,
    country: str,
    *,
    domain: str = "nominatim.openstreetmap.org",
    scheme: str = "https",
    min_delay_s: float = MIN_DELAY_S,
) -> Lookup:
    """geopy's Nominatim client behind its RateLimiter (one request per ``min_delay_s``),
    restricted to the region's country. ``domain`` and ``scheme`` point it at another server
    (a local Nominatim, or the tests' fake one)."""
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim

    client = Nominatim(user_agent=user_agent, domain=domain, scheme=scheme, timeout=10)
    geocode = RateLimiter(client.geocode, min_delay_seconds=min_delay_s, max_retries=1)

    def lookup(query: str) -> Found | None:
        location = geocode(query, country_codes=country.lower(), exactly_one=True)
        if location is None:
            return None
        return location.latitude, location.longitude, location.address

    return lookup


def query_for(catalogue: Catalogue, address: str) -> str:
    """The address as Nominatim is asked: with the city when staff left it out."""
    city = catalogue.region.name
    return address if city.casefold() in address.casefold() else f"{address}, {city}"


def propose(
    catalogue: Catalogue,
    document: YamlDocument,
    text: str,
    lookup: Lookup,
    cache: GeocodeCache,
    *,
    max_lookups: int = MAX_LOOKUPS,
) -> tuple[list[Proposal], list[Skipped]]:
    """Coordinates for every service with an address and without coordinates: from the cache,
    else from ``lookup`` (at most ``max_lookups`` new ones)."""
    lines = text.splitlines()
    proposals: list[Proposal] = []
    skipped: list[Skipped] = []
    asked = 0
    for number, service in enumerate(catalogue.services):
        location = service.location
        if location is None or location.address is None or location.coordinates is not None:
            continue
        line = document.lines.get(("services", number, "location", "address"))
        source = lines[line - 1] if line is not None else ""
        if not source.lstrip().startswith("address:"):
            reason = "its location is written on one line; add `lat` and `lon` by hand"
            skipped.append(Skipped(service.id, reason))
            continue
        query = query_for(catalogue, location.address)
        known, found = cache.get(query)
        if not known:
            if asked >= max_lookups:
                skipped.append(Skipped(service.id, "not looked up: run again for the rest"))
                continue
            asked += 1
            found = lookup(query)
            cache.put(query, found)
        if found is None:
            skipped.append(Skipped(service.id, f"OpenStreetMap does not know {query!r}"))
            continue
        lat, lon, name = found
        center = catalogue.region.center
        if center is not None and distance_m((lat, lon), center) > FAR_M:
            reason = f"found {name!r}, {distance_m((lat, lon), center) / 1000:.0f} km away"
            skipped.append(Skipped(service.id, reason))
            continue
        indent = source[: len(source) - len(source.lstrip())]
        proposals.append(Proposal(service.id, line or 0, indent, (lat, lon), name))
    return proposals, skipped


def apply(text: str, proposals: list[Proposal], today: date) -> str:
    """``text`` with ``lat`` and ``lon`` under each proposal's address, each pair below a
    comment that says where it came from and that staff must check it; nothing else moves."""
    inserts = {p.address_line: p for p in proposals}
    out: list[str] = []
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        out.append(line if line.endswith("\n") else line + "\n")
        proposal = inserts.get(number)
        if proposal is None:
            continue
        lat, lon = proposal.coordinates
        indent = proposal.indent
        out.append(
            f"{indent}# geocoded {today.isoformat()} from the address by OpenStreetMap "
            f"Nominatim ({proposal.found_as[:80]}); check on a map, then delete this line\n"
        )
        out.append(f"{indent}lat: {lat:.6f}\n{indent}lon: {lon:.6f}\n")
    return "".join(out)
