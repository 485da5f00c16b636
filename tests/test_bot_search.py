"""Free text: the best cards, "more results", details, "nothing found", the anonymous log."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import FIXED_NOW, Person, button_data, buttons, plain

from bot.answers import menus, replies, results
from bot.callbackdata import find_service, results_token
from bot.chat.app import BotApplication
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from fakebotapi import FakeBotApi

QUERIES = {"de": "Lebensmittel", "uk": "їжа", "ar": "طعام"}
"""A common need in each tested language; the catalogue's keywords cover all three."""


def expected_answer(
    directory: Directory, translators: TranslatorRegistry, query: str, code: str
) -> list[replies.Reply]:
    outcome = directory.search(
        query, language=code, near=None, limit=results.MAX_RESULTS, now=FIXED_NOW
    )
    return results.search_answer(directory, outcome, translators[code], FIXED_NOW)


@pytest.mark.parametrize("code", sorted(QUERIES))
async def test_free_text_gets_the_best_cards_with_buttons(
    server: FakeBotApi,
    app: object,
    directory: Directory,
    translators: TranslatorRegistry,
    code: str,
) -> None:
    expected = expected_answer(directory, translators, QUERIES[code], code)
    answers = await Person(server, language_code=code).says(QUERIES[code])
    assert [a["text"] for a in answers] == [plain(r.text) for r in expected]
    cards = expected[-1]
    assert cards.found, "the query should find something"
    data = button_data(answers[-1])
    shown = min(len(cards.found), results.RESULTS_PER_PAGE)
    assert [d.split("|")[0] for d in data[:shown]] == ["s"] * shown
    more = f"r|{results_token(cards.found)}|1"
    assert (more in data) == (len(cards.found) > results.RESULTS_PER_PAGE)
    assert "m" in data
    assert all(len(d.encode()) <= 64 for d in data)


async def test_more_results_turns_the_page_in_place_and_details_open_below(
    person: Person, directory: Directory, translators: TranslatorRegistry
) -> None:
    query = QUERIES["de"]
    (answer,) = await person.says(query)
    found = expected_answer(directory, translators, query, "de")[-1].found
    if len(found) <= results.RESULTS_PER_PAGE:
        pytest.skip("the catalogue has too few matches for a second page")
    (page,) = await person.presses(answer, data=f"r|{results_token(found)}|1")
    assert page["message_id"] == answer["message_id"] and "edit_date" in page
    tr = translators["de"]
    assert page["text"] == plain(results.results_page(directory, found, 1, tr, FIXED_NOW).text)
    first_details = next(d for d in button_data(page) if d.startswith("s|"))
    (details,) = await person.presses(page, data=first_details)
    assert details["message_id"] > page["message_id"]
    service = find_service(first_details.split("|")[1], directory.catalogue.services_by_id)
    assert service is not None
    assert details["text"] == plain(results.details(directory, service, tr, FIXED_NOW).text)


@pytest.mark.parametrize("code", ["de", "uk", "ar"])
async def test_nothing_found_is_kind_and_shows_the_topics(
    server: FakeBotApi,
    app: object,
    directory: Directory,
    translators: TranslatorRegistry,
    code: str,
) -> None:
    (answer,) = await Person(server, language_code=code).says("qqqxz vvvwk")
    expected = results.nothing_found(directory, translators[code])
    assert answer["text"] == plain(expected.text)
    assert button_data(answer) == [b.callback for row in expected.buttons for b in row]


async def test_more_results_after_a_restart_answers_kindly(
    person: Person, directory: Directory, translators: TranslatorRegistry
) -> None:
    """The found ids live in memory only: an old "more" button cannot page any more."""
    (menu,) = await person.says("/emergency")
    (answer,) = await person.presses(menu, data="r|0a1b2c3d|1", allow_stale=True)
    assert answer["text"] == plain(menus.expired_button(directory, translators["de"]).text)


async def test_more_results_of_an_earlier_search_do_not_page_the_newest(
    person: Person, directory: Directory, translators: TranslatorRegistry
) -> None:
    (debts,) = await person.says("Schulden")
    (doctor,) = await person.says("Arzt")
    older_more = next(d for d in button_data(debts) if d.startswith("r|"))
    newer_more = next(d for d in button_data(doctor) if d.startswith("r|"))
    assert older_more != newer_more
    (answer,) = await person.presses(debts, data=older_more)
    assert answer["text"] == plain(menus.expired_button(directory, translators["de"]).text)
    (page,) = await person.presses(doctor, data=newer_more)
    assert page["message_id"] == doctor["message_id"] and "edit_date" in page


async def test_the_search_log_keeps_the_search_but_not_its_text_nor_the_person(
    person: Person, db_path: Path, directory: Directory, app: BotApplication
) -> None:
    await person.says("  LEBENSMITTEL!!  ")
    # The log row is written within a second; a read (here /reports') writes it first.
    await app.bot_data.store.recent_reports(1)
    outcome = directory.search(
        "  LEBENSMITTEL!!  ", language="de", near=None, limit=results.MAX_RESULTS, now=FIXED_NOW
    )
    with sqlite3.connect(db_path) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(search_log)")]
        rows = db.execute(
            "SELECT language, categories, result_count, crisis, day FROM search_log"
        ).fetchall()
    assert columns == [
        "id",
        "language",
        "categories",
        "result_count",
        "top_score",
        "crisis",
        "day",
        "danger",
    ]
    assert rows == [
        (
            "de",
            json.dumps(sorted(set(outcome.categories))),
            len(outcome.results),
            0,
            FIXED_NOW.date().isoformat(),
        )
    ]


async def test_cards_offer_details_named_after_each_service_shown(
    person: Person, directory: Directory
) -> None:
    (answer,) = await person.says(QUERIES["de"])
    details = [b for b in buttons(answer) if b.get("callback_data", "").startswith("s|")]
    catalogue = directory.catalogue
    shown = [find_service(b["callback_data"][2:], catalogue.services_by_id) for b in details]
    names = [catalogue.text(s.name, "de") for s in shown if s is not None]
    assert len(names) == len(details) == 3
    for number, (button, name) in enumerate(zip(details, names, strict=True), start=1):
        label = button["text"]
        assert label.startswith(f"ℹ️ {number}. ")
        # The name, or its start cut at a word with "…" (the card above has it in full).
        shown_name = label.removeprefix(f"ℹ️ {number}. ")
        assert shown_name == name or (shown_name.endswith("…") and name.startswith(shown_name[:-1]))
        assert f"{number}. {name}" in answer["text"]
        assert len(button["callback_data"].encode()) <= 64
