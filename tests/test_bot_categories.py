"""Topics: open ones first, nearest first with a location, paging in place with buttons."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from conftest import FIXED_NOW, Launcher, Person, button_data, plain, write_catalogue

from bot.answers import lists, menus
from bot.chat.app import BotApplication
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from fakebotapi import FakeBotApi


@pytest.fixture
def small(tmp_path: Path, translators: TranslatorRegistry) -> Directory:
    """Eight food offers (two pages of five), half of them open at FIXED_NOW."""
    path = write_catalogue(tmp_path / "services.yaml", food_services=8)
    return Directory.load(path, ui_languages=tuple(translators))


@pytest.fixture
async def small_app(launch: Launcher, small: Directory) -> AsyncIterator[BotApplication]:
    async with launch(catalogue=small) as application:
        yield application


@pytest.mark.parametrize("code", ["de", "uk", "ar"])
async def test_a_topic_from_the_menu_opens_below_it(
    server: FakeBotApi,
    app: object,
    directory: Directory,
    translators: TranslatorRegistry,
    code: str,
) -> None:
    person = Person(server, language_code=code)
    _, menu = await person.says("/start", count=2)
    category = directory.catalogue.categories[0]
    (page,) = await person.presses(menu, data=f"c|{category.id}|0")
    expected = lists.category_page(directory, category.id, 0, translators[code], FIXED_NOW)
    assert page["text"] == plain(expected.text)
    assert page["message_id"] > menu["message_id"]
    assert person.server.message(person.chat_id, menu["message_id"]).edited is False


def card_titles(text: str) -> list[str]:
    """The numbered first lines of the cards in a list message."""
    return [line for line in text.splitlines() if re.match(r"^\d+\. ", line)]


async def test_open_offers_come_first_and_pages_turn_in_place(
    server: FakeBotApi, small_app: object, small: Directory, translators: TranslatorRegistry
) -> None:
    person = Person(server)
    (menu,) = await person.says("📋 Themen")
    (first,) = await person.presses(menu, data="c|food|0")
    expected = lists.category_page(small, "food", 0, translators["de"], FIXED_NOW)
    assert first["text"] == plain(expected.text)
    # Wednesday 11:00: the odd-numbered offers (Mo-Fr) are open, the even ones (Sa) are not.
    assert card_titles(first["text"]) == [
        "1. Tafel 1",
        "2. Tafel 3",
        "3. Tafel 5",
        "4. Tafel 7",
        "5. Tafel 2",
    ]
    assert button_data(first) == [
        "s|tafel-1",
        "s|tafel-3",
        "s|tafel-5",
        "s|tafel-7",
        "s|tafel-2",
        "c|food|1",
        "o|food|0|now",
        "m",
    ]
    (second,) = await person.presses(first, data="c|food|1")
    assert second["message_id"] == first["message_id"] and "edit_date" in second
    assert card_titles(second["text"]) == ["6. Tafel 4", "7. Tafel 6", "8. Tafel 8"]
    assert button_data(second) == [
        "s|tafel-4",
        "s|tafel-6",
        "s|tafel-8",
        "c|food|0",
        "o|food|0|now",
        "m",
    ]
    (back,) = await person.presses(second, data="c|food|0")
    assert back["text"] == first["text"]


async def test_with_a_known_location_the_nearest_open_offer_comes_first(
    server: FakeBotApi, small_app: object, small: Directory, translators: TranslatorRegistry
) -> None:
    person = Person(server)
    near = (52.3760, 9.7170)  # next to Tafel 8 (closed), then Tafel 7 (open)
    await person.shares_location(*near)
    (menu,) = await person.says("📋 Themen")
    (page,) = await person.presses(menu, data="c|food|0")
    expected = lists.category_page(small, "food", 0, translators["de"], FIXED_NOW, near=near)
    assert page["text"] == plain(expected.text)
    assert card_titles(page["text"])[:2] == ["1. Tafel 7", "2. Tafel 5"]


@pytest.mark.parametrize(
    ("data", "first_title"),
    [("c|food|999", "6. Tafel 4"), ("c|food|x", "1. Tafel 1"), ("c|food", "1. Tafel 1")],
)
async def test_odd_page_numbers_fall_back_to_a_page_that_exists(
    server: FakeBotApi, small_app: object, data: str, first_title: str
) -> None:
    person = Person(server)
    (menu,) = await person.says("📋 Themen")
    (page,) = await person.presses(menu, data=data, allow_stale=True)
    assert card_titles(page["text"])[0] == first_title


async def test_a_topic_that_left_the_catalogue_answers_kindly(
    server: FakeBotApi, small_app: object, small: Directory, translators: TranslatorRegistry
) -> None:
    person = Person(server)
    (menu,) = await person.says("📋 Themen")
    (answer,) = await person.presses(menu, data="c|no-such-topic|0", allow_stale=True)
    assert answer["text"] == plain(menus.expired_button(small, translators["de"]).text)
