"""/language: the choice is saved, redraws keyboard and topics, and survives a restart."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import Launcher, Person, button_data, plain

from bot.answers import menus, replies
from bot.callbackdata import Action
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from fakebotapi import FakeBotApi


async def test_language_menu_names_every_language_in_itself(
    person: Person, translators: TranslatorRegistry
) -> None:
    (menu,) = await person.says("/language")
    expected = menus.language_menu(translators, translators["de"])
    assert menu["text"] == plain(expected.text)
    assert button_data(menu) == [f"L|{code}" for code in translators]
    assert expected.buttons[0][0].label == "✓ Deutsch"


@pytest.mark.parametrize("code", ["uk", "ar"])
async def test_choosing_a_language_redraws_everything_in_it(
    person: Person, directory: Directory, translators: TranslatorRegistry, code: str
) -> None:
    (menu,) = await person.says(replies.main_keyboard_labels(translators["de"]).language)
    confirmation, topics = await person.presses(menu, data=f"L|{code}", count=2)
    expected = menus.language_set(directory, translators[code])
    assert [confirmation["text"], topics["text"]] == [plain(r.text) for r in expected]
    labels = replies.main_keyboard_labels(translators[code])
    assert [k["text"] for k in person.keyboard()] == [
        labels.near_me,
        labels.topics,
        labels.emergency,
        labels.language,
    ]
    (help_answer,) = await person.says("/help")
    assert help_answer["text"] == plain(menus.help_text(translators[code]).text)


async def test_the_choice_survives_a_restart(
    server: FakeBotApi,
    launch: Launcher,
    directory: Directory,
    translators: TranslatorRegistry,
    db_path: Path,
) -> None:
    person = Person(server, language_code="de")
    async with launch():
        (menu,) = await person.says("/language")
        await person.presses(menu, data="L|ar", count=2)
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT user_id, language FROM users").fetchall() == [(1001, "ar")]
    async with launch():
        (answer,) = await person.says("/privacy")
    assert answer["text"] == plain(menus.privacy(translators["ar"]).text)


async def test_an_unknown_language_button_answers_kindly(
    person: Person, directory: Directory, translators: TranslatorRegistry, db_path: Path
) -> None:
    (menu,) = await person.says("/language")
    (answer,) = await person.presses(menu, data="L|xx", allow_stale=True)
    assert answer["text"] == plain(menus.expired_button(directory, translators["de"]).text)
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT language FROM users WHERE language IS NOT NULL").fetchall() == []


def test_every_keyboard_label_in_every_language_leads_back_to_its_action(
    translators: TranslatorRegistry,
) -> None:
    for tr in translators.values():
        labels = replies.main_keyboard_labels(tr)
        assert replies.keyboard_action(labels.near_me, translators) is Action.NEARBY
        assert replies.keyboard_action(labels.emergency, translators) is Action.EMERGENCY
        assert replies.keyboard_action(f" {labels.topics}\n", translators) is Action.MENU
        assert replies.keyboard_action(labels.language, translators) is Action.LANGUAGE_MENU
    for typed in ("Essen", "Near me", "📍", ""):
        assert replies.keyboard_action(typed, translators) is None
