"""Near me: a shared location lists the nearest offers with distances, within the last topic."""

from __future__ import annotations

import pytest
from conftest import FIXED_NOW, USER, Person, button_data, plain

from bot.answers import lists, replies
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from fakebotapi import FakeBotApi

KROEPCKE = (52.3745, 9.7386)
"""Hannover's centre."""


@pytest.mark.parametrize("code", ["de", "uk", "ar"])
async def test_a_location_lists_the_nearest_offers_with_distances(
    server: FakeBotApi,
    app: object,
    directory: Directory,
    translators: TranslatorRegistry,
    code: str,
) -> None:
    (answer,) = await Person(server, language_code=code).shares_location(*KROEPCKE)
    expected = lists.nearby_page(directory, KROEPCKE, 0, translators[code], FIXED_NOW)
    assert answer["text"] == plain(expected.text)
    assert button_data(answer) == [b.callback for row in expected.buttons for b in row]


async def test_after_a_topic_near_me_stays_within_it(
    person: Person, directory: Directory, translators: TranslatorRegistry
) -> None:
    _, menu = await person.says("/start", count=2)
    category = directory.catalogue.categories[0]
    await person.presses(menu, data=f"c|{category.id}|0")
    (answer,) = await person.shares_location(*KROEPCKE)
    expected = lists.nearby_page(
        directory, KROEPCKE, 0, translators["de"], FIXED_NOW, category_id=category.id
    )
    assert answer["text"] == plain(expected.text)


async def test_a_nearby_page_stays_in_its_topic_after_another_is_opened(
    person: Person, directory: Directory, translators: TranslatorRegistry
) -> None:
    _, menu = await person.says("/start", count=2)
    category = max(
        directory.catalogue.categories,
        key=lambda c: len(directory.catalogue.services_in(c.id)),
    )
    await person.presses(menu, data=f"c|{category.id}|0")
    (nearby,) = await person.shares_location(*KROEPCKE)
    next_page = f"n|{category.id}|1"
    assert next_page in button_data(nearby)
    other = next(c for c in directory.catalogue.categories if c.id != category.id)
    await person.presses(menu, data=f"c|{other.id}|0", allow_stale=True)
    (page,) = await person.presses(nearby, data=next_page)
    expected = lists.nearby_page(
        directory, KROEPCKE, 1, translators["de"], FIXED_NOW, category_id=category.id
    )
    assert page["text"] == plain(expected.text)


async def test_near_me_typed_as_text_asks_for_the_location(
    person: Person, translators: TranslatorRegistry
) -> None:
    """Desktop clients cannot share a location: they send the key's label as text."""
    label = replies.main_keyboard_labels(translators["de"]).near_me
    (answer,) = await person.says(label)
    assert answer["text"] == plain(replies.near_me_prompt(translators["de"]).text)


async def test_a_nearby_page_button_without_a_location_asks_for_one(
    person: Person, translators: TranslatorRegistry
) -> None:
    (menu,) = await person.says("/emergency")
    (answer,) = await person.presses(menu, data="n||1", allow_stale=True)
    assert answer["text"] == plain(replies.near_me_prompt(translators["de"]).text)


async def test_a_far_away_location_says_so_and_offers_the_topics(
    person: Person, directory: Directory, translators: TranslatorRegistry
) -> None:
    (answer,) = await person.shares_location(48.1374, 11.5755)  # Munich
    expected = lists.nearby_page(directory, (48.1374, 11.5755), 0, translators["de"], FIXED_NOW)
    assert answer["text"] == plain(expected.text)
    assert "l" in button_data(answer)


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(91.0, 9.7), (52.37, 200.0), (float("nan"), 9.7), (52.37, float("inf")), (-90.5, 0.0)],
    ids=["latitude-91", "longitude-200", "nan", "inf", "below-south-pole"],
)
async def test_a_location_that_is_no_place_gets_a_kind_answer(
    server: FakeBotApi,
    app: object,
    translators: TranslatorRegistry,
    latitude: float,
    longitude: float,
) -> None:
    # What a modified client or a broken GPS sends; the fake client itself refuses to.
    location = {"latitude": latitude, "longitude": longitude}
    turn = await server.user_sends(USER, {"location": location}, language_code="de")
    (answer,) = await turn.replies(1)
    person = Person(server)
    assert answer["text"] == plain(replies.location_unreadable(translators["de"]).text)
    (again,) = await person.shares_location(*KROEPCKE)  # nothing of it was remembered
    assert again["text"] != answer["text"]
