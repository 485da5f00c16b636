"""Time as people ask it, end to end at the fixed clock (Wednesday 18 November 2026, 11:00 in
Hannover): "what is open now" in four languages, "tonight" and "on Sunday" as filters, /now
and the "🟢 Open now" button with and without a location, and a list with nothing open."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import FIXED_NOW, Person, button_data, plain

from bot.answers import lists, menus, timing
from bot.answers.results import RESULTS_PER_PAGE
from bot.catalogue.model import Service
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from bot.search.opening import open_for_listing
from bot.search.when import Asked, Moment
from fakebotapi import FakeBotApi

NOW = Asked(Moment.NOW)
MAIN_STATION = (52.3766, 9.7410)

OPEN_NOW_QUESTIONS = {
    "de": "was hat jetzt offen?",
    "uk": "що зараз відчинено?",
    "ar": "ما المفتوح الآن؟",
    "tr": "şimdi ne açık?",
}


def shown_services(directory: Directory, text: str, language: str) -> list[Service]:
    """The services whose cards a message shows, by their numbered bold names."""
    catalogue = directory.catalogue
    by_name = {catalogue.text(s.name, language): s for s in catalogue.services}
    names = [
        line.split(". ", 1)[1]
        for card in text.split("\n\n")[1:]
        if (line := card.splitlines()[0])[:1].isdigit()
    ]
    return [by_name[name.strip("\u2066\u2069")] for name in names]


@pytest.mark.parametrize("code", sorted(OPEN_NOW_QUESTIONS))
async def test_what_is_open_now_lists_only_open_services(
    server: FakeBotApi,
    app: object,
    directory: Directory,
    translators: TranslatorRegistry,
    code: str,
) -> None:
    (answer,) = await Person(server, language_code=code).says(OPEN_NOW_QUESTIONS[code])
    expected = lists.when_page(directory, NOW, None, 0, translators[code], FIXED_NOW)
    assert answer["text"] == plain(expected.text)
    assert timing.asked_label(NOW, translators[code]) in answer["text"].splitlines()[0]
    shown = shown_services(directory, answer["text"], code)
    assert shown, "some services are open on a Wednesday morning"
    assert all(open_for_listing(directory.schedules, s, FIXED_NOW) for s in shown)
    closed = [s for s in directory.catalogue.services if s.opening_hours and s not in shown]
    assert any(not open_for_listing(directory.schedules, s, FIXED_NOW) for s in closed)


@pytest.mark.parametrize(
    ("text", "asked", "label"),
    [
        ("wo kann ich heute abend essen", Asked(Moment.TONIGHT), "🕒 Heute Abend geöffnet"),
        ("Essen am Sonntag", Asked(Moment.DAY, 6), "🕒 Am Sonntag geöffnet"),
    ],
)
async def test_tonight_and_sunday_keep_only_services_open_then(
    person: Person, directory: Directory, text: str, asked: Asked, label: str
) -> None:
    (answer,) = await person.says(text)
    assert answer["text"].splitlines()[1] == label
    shown = shown_services(directory, answer["text"], "de")
    opening = directory.opening(FIXED_NOW)
    assert shown and all(opening.fits(s, asked) for s in shown)
    everything = directory.index.search(text, language="de", limit=50).results
    assert any(not opening.fits(m.service, asked) for m in everything), "the filter took some"


async def test_the_time_filter_says_so_when_nothing_fitting_is_open_then(
    person: Person, directory: Directory
) -> None:
    """Debt counselling is not open on Sundays: the offers come all the same, with a warning."""
    (answer,) = await person.says("Schuldnerberatung am Sonntag")
    assert answer["text"].splitlines()[1].startswith("🕒 Nichts Passendes hat am Sonntag")
    assert shown_services(directory, answer["text"], "de")


async def test_now_without_a_location_lists_open_services_in_the_files_order(
    person: Person, directory: Directory, translators: TranslatorRegistry
) -> None:
    (answer,) = await person.says("/now")
    expected = lists.when_page(directory, NOW, None, 0, translators["de"], FIXED_NOW)
    assert answer["text"] == plain(expected.text)
    shown = shown_services(directory, answer["text"], "de")
    order = [s for s in directory.catalogue.services if s in shown]
    assert shown == order
    assert "o||1|now" in button_data(answer)


async def test_now_with_a_location_lists_the_nearest_open_services_first(
    person: Person, directory: Directory, translators: TranslatorRegistry
) -> None:
    await person.shares_location(*MAIN_STATION)
    (answer,) = await person.says("/now")
    expected = lists.when_page(
        directory, NOW, None, 0, translators["de"], FIXED_NOW, near=MAIN_STATION
    )
    assert answer["text"] == plain(expected.text)
    without = lists.when_page(directory, NOW, None, 0, translators["de"], FIXED_NOW)
    assert answer["text"] != plain(without.text), "the location changes the order"
    shown = shown_services(directory, answer["text"], "de")
    assert all(open_for_listing(directory.schedules, s, FIXED_NOW) for s in shown)


async def test_the_open_now_button_of_a_topic_lists_its_open_services(
    person: Person, directory: Directory, translators: TranslatorRegistry
) -> None:
    _, menu = await person.says("/start", count=2)
    assert "o||0|now" in button_data(menu)
    (topic,) = await person.presses(menu, data="c|food|0")
    assert "o|food|0|now" in button_data(topic)
    (answer,) = await person.presses(topic, data="o|food|0|now")
    expected = lists.when_page(directory, NOW, "food", 0, translators["de"], FIXED_NOW)
    assert answer["text"] == plain(expected.text)
    shown = shown_services(directory, answer["text"], "de")
    assert shown and all("food" in s.categories for s in shown)
    assert all(open_for_listing(directory.schedules, s, FIXED_NOW) for s in shown)


async def test_an_open_now_button_with_an_unknown_time_answers_kindly(
    person: Person, directory: Directory, translators: TranslatorRegistry
) -> None:
    (menu,) = await person.says("/emergency")
    (answer,) = await person.presses(menu, data="o||0|later", allow_stale=True)
    assert answer["text"] == plain(menus.expired_button(directory, translators["de"]).text)


def test_a_list_with_nothing_open_says_which_opens_first(
    directory: Directory, translators: TranslatorRegistry
) -> None:
    """Thursday 03:00: the daytime services of a topic are all closed; the list says which
    opens first and when, above the cards."""
    night = datetime(2026, 11, 19, 2, 0, tzinfo=UTC)
    schedules = directory.schedules
    closed = [
        s
        for s in directory.catalogue.services
        if schedules.state_at(s, night) is not None
        and not open_for_listing(schedules, s, night)
        and schedules.state_at(s, night).opens_at is not None  # type: ignore[union-attr]
    ][:RESULTS_PER_PAGE]
    note = timing.nothing_open_note(
        directory.catalogue, schedules, closed, translators["de"], night
    )
    assert note is not None
    first = min(closed, key=lambda s: schedules.state_at(s, night).opens_at)  # type: ignore[union-attr]
    heading, line = note.splitlines()
    assert heading == "⏳ Gerade hat hier nichts geöffnet. Als Erstes öffnet:"
    assert line.startswith(directory.catalogue.text(first.name, "de") + " – Öffnet")
    opened = [
        *closed,
        next(s for s in directory.catalogue.services if open_for_listing(schedules, s, night)),
    ]
    assert (
        timing.nothing_open_note(directory.catalogue, schedules, opened, translators["de"], night)
        is None
    )


def test_among_equally_fitting_services_the_one_that_opens_first_leads(
    directory: Directory,
) -> None:
    """The issue's walk-through: "hab hunger" on Monday at 07:40 led with a soup bus that
    comes at 18:00; now the day centre that opens at 10:00 leads, the bus follows."""
    monday = datetime(2026, 12, 7, 6, 40, tzinfo=UTC)
    opening = directory.opening(monday)
    found = directory.search("hab hunger", language="de", near=None, limit=12, now=monday)
    readiness = [opening.readiness(m.service) for m in found.results]
    assert readiness[0] > 0 and readiness == sorted(readiness, reverse=True)
    plain_order = directory.index.search("hab hunger", language="de", limit=12).results
    assert [m.service.id for m in found.results] != [m.service.id for m in plain_order]
