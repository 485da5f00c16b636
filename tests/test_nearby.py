"""SearchIndex.nearby: the grid lookup behind "📍 Near me" gives what checking every service
would give, on the shipped catalogue and on 10,000 generated services."""

from __future__ import annotations

import itertools

import pytest
from large_catalogue import large, large_catalogue

from bot.catalogue.model import Catalogue, Service
from bot.directory import Directory
from bot.geo import Coordinates, distance_m
from bot.search.index import SearchIndex

POINTS: tuple[Coordinates, ...] = (
    (52.3745, 9.7386),  # Kröpcke
    (52.3600, 9.7100),  # Linden
    (52.4300, 9.6500),  # the edge of town
    (52.1000, 9.3000),  # outside the region
    (48.1374, 11.5755),  # Munich
)


def every_service(
    catalogue: Catalogue, near: Coordinates, radius_m: float, category_id: str | None
) -> list[tuple[float, Service]]:
    """The obvious way: every service of the topic, its place, its distance."""
    pool = catalogue.services_in(category_id) if category_id else catalogue.services
    found = []
    for service in pool:
        place = catalogue.place_of(service)
        if place is not None and (metres := distance_m(near, place[0])) <= radius_m:
            found.append((metres, service))
    found.sort(key=lambda pair: pair[0])  # stable: file order among equals
    return found


@pytest.mark.parametrize("radius_m", [500, 3_000, 15_000])
def test_nearby_matches_checking_every_service(directory: Directory, radius_m: float) -> None:
    catalogue = directory.catalogue
    topics = [None, *(c.id for c in catalogue.categories)]
    for near, category_id in itertools.product(POINTS, topics):
        assert directory.index.nearby(near, radius_m, category_id) == every_service(
            catalogue, near, radius_m, category_id
        ), (near, category_id)


def test_an_unknown_topic_has_nothing_near(directory: Directory) -> None:
    assert directory.index.nearby(POINTS[0], 15_000, "no-such-topic") == []


@large
def test_nearby_on_ten_thousand_services() -> None:
    catalogue = large_catalogue()
    index = SearchIndex.build(catalogue)
    shown = 0
    for near, category_id in itertools.product(POINTS[:3], [None, catalogue.categories[0].id]):
        found = index.nearby(near, 15_000, category_id)
        assert found == every_service(catalogue, near, 15_000, category_id)
        shown += len(found)
    assert shown > 1000, "the generated city should have plenty of offers near its centre"
