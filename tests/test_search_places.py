"""The places stage alone, on the shipped catalogue: the grid's nearest services, the named
district, and the distances ranking uses."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bot.catalogue.model import Catalogue
from bot.catalogue.validation import load_catalogue
from bot.geo import Coordinates, city_distance_m, distance_m
from bot.search.grid import GRID_DEG, MAX_GRID_RINGS, PlaceGrid
from bot.search.index import SearchIndex
from bot.search.normalize import is_filler, tokens
from bot.search.places import DISTRICT_RADIUS_M, Places

SHIPPED = Path(__file__).resolve().parent.parent / "services.yaml"

POINTS: tuple[Coordinates, ...] = (
    (52.3745, 9.7386),  # Kröpcke
    (52.3600, 9.7100),  # Linden
    (52.4300, 9.6500),  # the edge of town
    (48.1374, 11.5755),  # Munich: nothing within reach of the grid walk
)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(SHIPPED).catalogue


@pytest.fixture(scope="module")
def places(catalogue: Catalogue) -> Places:
    return Places(catalogue)


def ring(near: Coordinates, place: Coordinates) -> int:
    """How many grid cells away ``place`` is from ``near`` (Chebyshev distance)."""
    rows = math.floor(place[0] / GRID_DEG) - math.floor(near[0] / GRID_DEG)
    columns = math.floor(place[1] / GRID_DEG) - math.floor(near[1] / GRID_DEG)
    return max(abs(rows), abs(columns))


@pytest.mark.parametrize("near", POINTS)
@pytest.mark.parametrize("count", [1, 5, 20])
def test_nearest_takes_whole_rings_of_cells_closest_first(
    places: Places, near: Coordinates, count: int
) -> None:
    found = PlaceGrid(places.of_service).nearest(near, count)
    rings = {i: ring(near, p) for i, p in enumerate(places.of_service) if p is not None}
    reachable = [i for i, r in rings.items() if r <= MAX_GRID_RINGS]
    assert len(found) == len(set(found)) == min(count, len(reachable))
    left_out = [rings[i] for i in reachable if i not in found]
    if found and left_out:
        assert max(rings[i] for i in found) <= min(left_out)


def test_nearest_with_room_for_all_returns_every_placed_service(places: Places) -> None:
    grid = PlaceGrid(places.of_service)
    found = grid.nearest(POINTS[0], 10_000)
    assert sorted(found) == [i for i, p in enumerate(places.of_service) if p is not None]
    assert grid.placed == len(found)


@pytest.mark.parametrize("near", POINTS)
def test_within_is_what_measuring_every_service_gives(places: Places, near: Coordinates) -> None:
    expected = sorted(
        (distance_m(near, p), i)
        for i, p in enumerate(places.of_service)
        if p is not None and distance_m(near, p) <= 3000
    )
    assert places.within(near, 3000) == expected


@pytest.mark.parametrize(
    ("text", "district"),
    [
        ("tafel in linden", "Linden"),
        ("ARZT LINDN", "Linden"),  # a typo in a name of five letters
        ("essen in der nordstadt", "Nordstadt"),
        ("linden nord", "Linden-Nord"),  # the longest name wins
        ("essen", None),
    ],
)
def test_the_query_names_a_district(places: Places, text: str, district: str | None) -> None:
    found, positions = places.find_district(tokens(text), is_filler)
    name = places.districts[found].name if found is not None else None
    assert name == district
    assert (found is None) == (positions == set())


@pytest.mark.parametrize(
    ("text", "district"),
    [
        # Arabic and Persian letters, short vowels unwritten, with the prefix "in" written on
        ("مطبخ خيري ببورغدورف", "Burgdorf"),
        ("کمک در گاربسن", "Garbsen"),
        ("ساكن في فارنفالد", "Vahrenwald"),
        ("دکتر در لیندن", "Linden"),
        # Cyrillic with case endings, the locative's г → з
        ("живу в Гарбсене", "Garbsen"),
        ("поруч із Лінденом", "Linden"),
        ("мы на Мюленберзі", "Mühlenberg"),
        ("работа в Зеелце", "Seelze"),
        # Turkish endings without the apostrophe
        ("Garbsende doktor", "Garbsen"),
        ("Laatzenden geldim", "Laatzen"),
    ],
)
def test_a_district_in_other_letters_or_with_an_ending(
    places: Places, text: str, district: str
) -> None:
    found, positions = places.find_district(tokens(text), is_filler)
    assert found is not None and places.districts[found].name == district
    assert len(positions) == 1


@pytest.mark.parametrize(
    "text",
    [
        "موبيليات مستعملة",  # furniture: the consonants of Empelde, not its vowels
        "ابحث عن تمريض",  # nursing: ض writes no German sound (Detmerode in other cities)
        "у меня синдром",  # syndrome: an everyday word, and "Zentrum" is one too
        "стакан воды",  # a glass: an everyday word that sounds like Stöcken
        "мене застуда",  # a cold: sounds like Südstadt, but is spelt otherwise
        "برنم",  # no vowel written: too little to tell a place
        "Mittel gegen Husten",  # "Mitte" + "l" is no Turkish ending
    ],
)
def test_everyday_words_of_other_scripts_name_no_district(places: Places, text: str) -> None:
    assert places.find_district(tokens(text), is_filler) == (None, set())


@pytest.fixture(scope="module")
def index(catalogue: Catalogue) -> SearchIndex:
    return SearchIndex.build(catalogue)


@pytest.mark.parametrize(
    ("text", "language", "local"),
    [
        ("борги, живу в Зеельце", "uk", "awo-soziales-haus-seelze"),  # the city's debt advice
        ("дешёвая еда в Линдене", "ru", "lindener-tisch"),  # before the soup buses
    ],
)
def test_a_service_in_the_named_place_comes_before_its_kind_elsewhere(
    index: SearchIndex, text: str, language: str, local: str
) -> None:
    assert index.search(text, language=language).results[0].service.id == local


def test_the_best_service_near_the_named_place_keeps_its_rank(places: Places) -> None:
    best = next(i for i, d in enumerate(places.district_of_service) if d is not None)
    district = places.district_of_service[best]
    assert district is not None
    other = next(i for i, d in enumerate(places.district_of_service) if d == district and i != best)
    found = {best: 80.0, other: 70.0}
    assert places.lift_local(found, district, lambda best, other: True, 36.0) == found
    elsewhere = next(i for i in range(len(places.of_service)) if places.of_service[i] is None)
    lifted = places.lift_local({elsewhere: 80.0, other: 70.0}, district, lambda b, o: True, 36.0)
    assert lifted == {elsewhere: 80.0, other: 80.0}  # a hotline is elsewhere


def test_stop_words_name_no_district(places: Places) -> None:
    assert places.find_district(tokens("wo kann ich das finden"), is_filler) == (None, set())


def test_district_proximity_is_full_inside_and_fades_outside(places: Places) -> None:
    inside = next(i for i, d in enumerate(places.district_of_service) if d is not None)
    district = places.district_of_service[inside]
    assert district is not None
    assert places.district_proximity(inside, district) == 1.0
    centre = places.districts[district].center
    for service, place in enumerate(places.of_service):
        if place is None or places.district_of_service[service] == district:
            continue
        expected = max(0.0, 1 - city_distance_m(place, centre) / DISTRICT_RADIUS_M)
        assert places.district_proximity(service, district) == expected


@pytest.mark.parametrize("near", POINTS[:3])
def test_the_flat_map_distance_agrees_with_the_great_circle_in_town(
    places: Places, near: Coordinates
) -> None:
    for place in places.of_service:
        if place is not None and distance_m(near, place) < 20_000:
            flat, great_circle = city_distance_m(near, place), distance_m(near, place)
            assert flat == pytest.approx(great_circle, rel=1e-3)
