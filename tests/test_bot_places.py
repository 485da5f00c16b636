"""Places as they are: a distance and a pin only from coordinates that staff gave; a service
filed at its district's centre is "in the district", and its map buttons search its address."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import Person, button_data, buttons, plain

from bot.answers import menus
from bot.answers.texts import place_of
from bot.callbackdata import service_token
from bot.catalogue.model import Service
from bot.directory import Directory
from bot.geo import ordering_distance
from bot.i18n.translators import TranslatorRegistry
from fakebotapi import FakeBotApi

MAIN_STATION = (52.3766, 9.7410)
"""Hannover Hauptbahnhof, a few hundred metres from the centre of Mitte."""

DISTANCE = re.compile(r"\d+(?:[.,]\d)?\s?(?:m|km|м|км|م|کیلومتر|متر)\b")


def at_a_centre(directory: Directory) -> list[Service]:
    """The services without coordinates that the bot files at their district's centre."""
    catalogue = directory.catalogue
    return [
        s for s in catalogue.services if (p := place_of(catalogue, s)) is not None and p.approximate
    ]


@pytest.mark.parametrize("code", ["de", "tr", "ar"])
async def test_a_location_at_the_station_gives_no_invented_distances(
    server: FakeBotApi, app: object, directory: Directory, code: str
) -> None:
    (answer,) = await Person(server, language_code=code).shares_location(*MAIN_STATION)
    cards = answer["text"].split("\n\n")[1:]
    assert cards, "the centre of Hannover has offers near it"
    placed = {directory.catalogue.text(s.name, code) for s in at_a_centre(directory)}
    for card in cards:
        name = card.splitlines()[0].split(". ", 1)[1]
        if name in placed:
            assert not DISTANCE.search(card), card
    assert "etwa" not in answer["text"] and "yaklaşık" not in answer["text"]


async def test_a_card_says_in_which_district_instead_of_metres(
    person: Person, directory: Directory
) -> None:
    await person.shares_location(*MAIN_STATION)
    service = next(s for s in at_a_centre(directory) if s.location and s.location.district)
    (_, details) = await person.says(f"/start s-{service.id}", count=2)
    assert service.location is not None
    assert f"📍 im Stadtteil {service.location.district}" in details["text"]
    assert not DISTANCE.search(details["text"].split("📍", 1)[1].splitlines()[0])


async def test_map_and_route_search_the_address_instead_of_a_pin_at_the_centre(
    person: Person, directory: Directory
) -> None:
    service = next(s for s in at_a_centre(directory) if s.location and s.location.address)
    assert service.location is not None and service.location.address is not None
    (_, details) = await person.says(f"/start s-{service.id}", count=2)
    assert f"v|{service_token(service.id)}" not in button_data(details)
    urls = [
        urlsplit(b["url"]) for b in buttons(details) if "url" in b and "openstreetmap" in b["url"]
    ]
    assert [u.path for u in urls] == ["/search", "/directions"]
    search, route = (parse_qs(u.query) for u in urls)
    assert search["query"][0].startswith(service.location.address)
    assert route["to"] == search["query"]
    assert not any("mlat" in u.query or "#map" in b for u in urls for b in [u.fragment])


async def test_an_old_map_button_of_a_service_at_a_centre_sends_no_pin(
    person: Person, directory: Directory, translators: TranslatorRegistry
) -> None:
    service = at_a_centre(directory)[0]
    (menu,) = await person.says("/emergency")
    (answer,) = await person.presses(menu, data=f"v|{service_token(service.id)}", allow_stale=True)
    assert "venue" not in answer and "location" not in answer
    assert answer["text"] == plain(menus.expired_button(directory, translators["de"]).text)


def test_distances_from_a_centre_are_compared_by_whole_kilometres() -> None:
    assert ordering_distance(180.0, exact=False) == ordering_distance(940.0, exact=False) == 500.0
    assert ordering_distance(1200.0, exact=False) == 1500.0
    assert ordering_distance(180.0, exact=True) == 180.0
