"""Emergency first: /emergency, its buttons, crisis words; and the quick exit (/clear)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import FIXED_NOW, Person, button_data, plain

from bot.answers import crisis, menus, replies, results
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from fakebotapi import FakeBotApi

CRISIS = {
    "de": "mein Mann schlägt mich, ich brauche Hilfe",
    "uk": "чоловік б'є мене",
    "ar": "زوجي يضربني",
}


@pytest.mark.parametrize("code", ["de", "uk", "ar"])
async def test_emergency_command_lists_the_numbers_with_quick_exit(
    server: FakeBotApi,
    app: object,
    directory: Directory,
    translators: TranslatorRegistry,
    code: str,
) -> None:
    (answer,) = await Person(server, language_code=code).says("/emergency")
    assert answer["text"] == plain(results.emergency(directory, translators[code], FIXED_NOW).text)
    assert "112" in answer["text"] and "110" in answer["text"]
    assert button_data(answer) == ["x", "m"]


async def test_emergency_from_the_keyboard_and_from_the_menu(
    person: Person, directory: Directory, translators: TranslatorRegistry
) -> None:
    tr = translators["de"]
    expected = plain(results.emergency(directory, tr, FIXED_NOW).text)
    (by_key,) = await person.says(replies.main_keyboard_labels(tr).emergency)
    assert by_key["text"] == expected
    _, menu = await person.says("/start", count=2)
    (by_button,) = await person.presses(menu, data="e")
    assert by_button["text"] == expected


@pytest.mark.parametrize("code", sorted(CRISIS))
async def test_crisis_words_get_the_emergency_numbers_first(
    server: FakeBotApi,
    app: object,
    directory: Directory,
    translators: TranslatorRegistry,
    code: str,
) -> None:
    outcome = directory.search(
        CRISIS[code], language=code, near=None, limit=results.MAX_RESULTS, now=FIXED_NOW
    )
    assert outcome.crisis
    answers = await Person(server, language_code=code).says(CRISIS[code])
    expected = results.search_answer(directory, outcome, translators[code], FIXED_NOW)
    assert [a["text"] for a in answers] == [plain(r.text) for r in expected]
    first = crisis.first_help(directory, outcome.danger, translators[code], FIXED_NOW)
    assert answers[0]["text"] == plain(first.text)
    assert outcome.danger.kind == "violence"
    assert len(answers[0]["text"].splitlines()) <= 16  # short: a person in danger reads little
    assert "110" in answers[0]["text"]
    assert button_data(answers[0]) == ["a|no|violence", "a|unsure|violence", "a|yes|violence", "x"]


@pytest.mark.parametrize("code", ["de", "uk", "ar"])
async def test_clear_deletes_the_conversation_on_both_sides(
    server: FakeBotApi, app: object, translators: TranslatorRegistry, db_path: Path, code: str
) -> None:
    person = Person(server, language_code=code)
    await person.says("/start", count=2)
    crisis = await person.says(CRISIS[code])
    before = [m["message_id"] for m in person.history()]
    (done,) = await person.presses(crisis[0], data="x")
    assert done["text"] == plain(menus.cleared(translators[code]).text)
    assert [m["message_id"] for m in person.history()] == [done["message_id"]]
    assert all(server.message(person.chat_id, mid).deleted for mid in before)
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM chat_messages").fetchone() == (0,)


@pytest.mark.parametrize("topic", ["women", "mental-health"])
async def test_violence_and_mental_health_topics_offer_the_quick_exit(
    person: Person, directory: Directory, topic: str
) -> None:
    assert directory.catalogue.categories_by_id[topic].sensitive  # the catalogue says so
    _, menu = await person.says("/start", count=2)
    (page,) = await person.presses(menu, data=f"c|{topic}|0")
    assert "x" in button_data(page)
    calm = next(
        c.id
        for c in directory.catalogue.categories
        if not any(
            s.id in directory.catalogue.sensitive_services
            for s in directory.catalogue.services_in(c.id)
        )
    )
    (other,) = await person.presses(menu, data=f"c|{calm}|0", allow_stale=True)
    assert "x" not in button_data(other)  # no reason to alarm anyone looking for a course


async def test_clear_command_also_deletes_itself(person: Person, server: FakeBotApi) -> None:
    await person.says("/help")
    (done,) = await person.says("/clear")
    assert [m["message_id"] for m in person.history()] == [done["message_id"]]


async def test_clear_after_48_hours_removes_what_telegram_still_allows(
    person: Person, server: FakeBotApi
) -> None:
    """Older messages cannot be deleted any more: no error, the newer ones still go."""
    await person.says("/help")
    old = [m["message_id"] for m in person.history()]
    server.advance_clock(49 * 3600)
    await person.says("/privacy")
    (done,) = await person.says("/clear")
    assert [m["message_id"] for m in person.history()] == [*old, done["message_id"]]
