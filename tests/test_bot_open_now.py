"""Time as people ask it, end to end at the fixed clock (Wednesday 18 November 2026, 11:00 in
Hannover), on a small catalogue whose entries were checked recently: eight food offers on
Limmerstraße (odd numbers Mo-Fr 08:00-20:00, even ones Sa 10:00-12:00), a women's shelter and
a hotline, both 24/7. "What is open now" in four languages, "tonight" and "on Sunday" as
filters, /now and the "🟢 Open now" buttons with and without a location, and what opens first.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import FIXED_NOW, Launcher, Person, button_data, plain, write_catalogue

from bot.answers import lists, menus, timing
from bot.chat.app import BotApplication
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from bot.search.opening import open_for_listing
from bot.search.when import Asked, Moment
from fakebotapi import FakeBotApi

NOW = Asked(Moment.NOW)
LIMMERSTRASSE = (52.3750, 9.7170)
"""Near the far end of the street: Tafel 7 is the nearest open offer."""

OPEN_AT_FIXED_NOW = {"tafel-1", "tafel-3", "tafel-5", "tafel-7", "frauenhaus", "hilfetelefon"}

OPEN_NOW_QUESTIONS = {
    "de": "was hat jetzt offen?",
    "uk": "що зараз відчинено?",
    "ar": "ما المفتوح الآن؟",
    "tr": "şimdi ne açık?",
}


@pytest.fixture
def small(tmp_path: Path, translators: TranslatorRegistry) -> Directory:
    path = write_catalogue(tmp_path / "services.yaml", food_services=8)
    return Directory.load(path, ui_languages=tuple(translators))


@pytest.fixture
async def small_app(launch: Launcher, small: Directory) -> AsyncIterator[BotApplication]:
    async with launch(catalogue=small) as application:
        yield application


def shown_ids(directory: Directory, text: str, language: str) -> list[str]:
    """The ids of the services whose cards a message shows, by their numbered bold names."""
    catalogue = directory.catalogue
    by_name = {catalogue.text(s.name, language): s.id for s in catalogue.services}
    names = [
        line.split(". ", 1)[1].strip("\u2066\u2069")
        for card in text.split("\n\n")[1:]
        if (line := card.splitlines()[0])[:1].isdigit()
    ]
    return [by_name[name] for name in names]


@pytest.mark.parametrize("code", sorted(OPEN_NOW_QUESTIONS))
async def test_what_is_open_now_lists_only_open_services(
    server: FakeBotApi,
    small_app: object,
    small: Directory,
    translators: TranslatorRegistry,
    code: str,
) -> None:
    person = Person(server, language_code=code)
    (answer,) = await person.says(OPEN_NOW_QUESTIONS[code])
    expected = lists.when_page(small, NOW, None, 0, translators[code], FIXED_NOW)
    assert answer["text"] == plain(expected.text)
    assert timing.asked_label(NOW, translators[code]) in answer["text"].splitlines()[0]
    first = shown_ids(small, answer["text"], code)
    (second,) = await person.presses(answer, data="o||1|now")
    everything = first + shown_ids(small, second["text"], code)
    assert set(everything) == OPEN_AT_FIXED_NOW  # all open ones, and only those


async def test_tonight_keeps_only_services_open_this_evening(
    person_small: Person, small: Directory
) -> None:
    (answer,) = await person_small.says("Lebensmittel heute Abend")
    assert answer["text"].splitlines()[1] == "🕒 Heute Abend geöffnet"
    assert shown_ids(small, answer["text"], "de")[:3] == ["tafel-1", "tafel-3", "tafel-5"]
    assert answer["text"].startswith("Ich habe 4 Angebote gefunden")  # the Saturday ones left


async def test_on_saturday_keeps_only_services_open_that_day(
    person_small: Person, small: Directory
) -> None:
    (answer,) = await person_small.says("Lebensmittel am Samstag")
    assert answer["text"].splitlines()[1] == "🕒 Am Samstag geöffnet"
    assert answer["text"].startswith("Ich habe 4 Angebote gefunden")
    assert shown_ids(small, answer["text"], "de") == ["tafel-2", "tafel-4", "tafel-6"]


async def test_on_sunday_nothing_fits_and_the_answer_says_so(
    person_small: Person, small: Directory
) -> None:
    (answer,) = await person_small.says("Lebensmittel am Sonntag")
    assert answer["text"].splitlines()[1].startswith("🕒 Nichts Passendes hat am Sonntag")
    assert answer["text"].startswith("Ich habe 8 Angebote gefunden")


@pytest.fixture
def person_small(server: FakeBotApi, small_app: BotApplication) -> Person:
    return Person(server)


async def test_now_without_a_location_lists_open_services_in_the_files_order(
    person_small: Person, small: Directory, translators: TranslatorRegistry
) -> None:
    (answer,) = await person_small.says("/now")
    expected = lists.when_page(small, NOW, None, 0, translators["de"], FIXED_NOW)
    assert answer["text"] == plain(expected.text)
    assert shown_ids(small, answer["text"], "de") == [
        "tafel-1", "tafel-3", "tafel-5", "tafel-7", "frauenhaus"
    ]  # fmt: skip
    assert "o||1|now" in button_data(answer)


async def test_now_with_a_location_lists_the_nearest_open_services_first(
    person_small: Person, small: Directory, translators: TranslatorRegistry
) -> None:
    await person_small.shares_location(*LIMMERSTRASSE)
    (answer,) = await person_small.says("/now")
    expected = lists.when_page(
        small, NOW, None, 0, translators["de"], FIXED_NOW, near=LIMMERSTRASSE
    )
    assert answer["text"] == plain(expected.text)
    shown = shown_ids(small, answer["text"], "de")
    assert shown[:4] == ["tafel-7", "tafel-5", "tafel-3", "tafel-1"]
    assert set(shown) <= OPEN_AT_FIXED_NOW


async def test_the_open_now_buttons_of_the_menu_and_of_a_topic(
    person_small: Person, small: Directory, translators: TranslatorRegistry
) -> None:
    _, menu = await person_small.says("/start", count=2)
    assert "o||0|now" in button_data(menu)
    (topic,) = await person_small.presses(menu, data="c|food|0")
    assert "o|food|0|now" in button_data(topic)
    (answer,) = await person_small.presses(topic, data="o|food|0|now")
    expected = lists.when_page(small, NOW, "food", 0, translators["de"], FIXED_NOW)
    assert answer["text"] == plain(expected.text)
    assert shown_ids(small, answer["text"], "de") == ["tafel-1", "tafel-3", "tafel-5", "tafel-7"]


async def test_an_open_now_button_with_an_unknown_time_answers_kindly(
    person_small: Person, small: Directory, translators: TranslatorRegistry
) -> None:
    (menu,) = await person_small.says("/emergency")
    (answer,) = await person_small.presses(menu, data="o||0|later", allow_stale=True)
    assert answer["text"] == plain(menus.expired_button(small, translators["de"]).text)


def test_a_list_with_nothing_open_says_which_opens_first(
    small: Directory, translators: TranslatorRegistry
) -> None:
    """Sunday 03:00: no food offer is open; the topic's list says which opens first, when."""
    sunday = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
    page = lists.category_page(small, "food", 0, translators["de"], sunday)
    heading, first = page.text.splitlines()[2:4]
    assert heading == "⏳ Gerade hat hier nichts geöffnet. Als Erstes öffnet:"
    assert first.startswith("Tafel 1 – ")
    services = small.catalogue.services
    assert not any(open_for_listing(small.schedules, s, sunday) for s in services[:8])
    assert (
        timing.nothing_open_note(
            small.catalogue, small.schedules, services, translators["de"], sunday
        )
        is None
    ), "the 24/7 shelter is open: then nothing is said"


def test_among_equally_fitting_services_the_one_that_opens_first_leads(
    small: Directory,
) -> None:
    """Saturday 09:00: the weekday offers are closed, the Saturday ones open at 10:00; they
    lead, where the file's order would have put Tafel 1 first (the issue: "hab hunger" at
    07:40 led with a soup bus that comes at 18:00)."""
    saturday = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
    found = small.search("Lebensmittel", language="de", near=None, limit=8, now=saturday)
    assert [m.service.id for m in found.results][:4] == ["tafel-2", "tafel-4", "tafel-6", "tafel-8"]
    plain_order = small.index.search("Lebensmittel", language="de", limit=8).results
    assert plain_order[0].service.id == "tafel-1"
