"""/delete forgets everything stored about the person; /privacy says what that is."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import USER, Person, button_data, plain

from bot.answers import menus
from bot.i18n.translators import TranslatorRegistry


def rows_about(db_path: Path, user_id: int) -> dict[str, int]:
    """Rows that name the person (user id, or their private chat's id, which is the same)."""
    with sqlite3.connect(db_path) as db:
        return {
            "users": db.execute(
                "SELECT count(*) FROM users WHERE user_id = ?", [user_id]
            ).fetchone()[0],
            "chat_messages": db.execute(
                "SELECT count(*) FROM chat_messages WHERE chat_id = ?", [user_id]
            ).fetchone()[0],
        }


@pytest.mark.parametrize("code", ["de", "uk", "ar"])
async def test_delete_asks_then_leaves_nothing_of_the_person(
    server: object, app: object, translators: TranslatorRegistry, db_path: Path, code: str
) -> None:
    person = Person(server, language_code=code)  # type: ignore[arg-type]
    (menu,) = await person.says("/language")
    await person.presses(menu, data=f"L|{code}", count=2)
    await person.says("Lebensmittel")
    assert rows_about(db_path, USER) != {"users": 0, "chat_messages": 0}
    (question,) = await person.says("/delete")
    assert question["text"] == plain(menus.delete_confirm(translators[code]).text)
    assert button_data(question) == ["d"]
    (done,) = await person.presses(question, data="d")
    assert done["text"] == plain(menus.deleted(translators[code]).text)
    assert rows_about(db_path, USER) == {"users": 0, "chat_messages": 0}


async def test_after_delete_the_bot_forgets_the_language_choice(
    person: Person, translators: TranslatorRegistry
) -> None:
    person.language_code = "uk"
    (menu,) = await person.says("/language")
    await person.presses(menu, data="L|ar", count=2)
    (question,) = await person.says("/delete")
    await person.presses(question, data="d")
    (answer,) = await person.says("/privacy")
    assert answer["text"] == plain(menus.privacy(translators["uk"]).text)


@pytest.mark.parametrize("code", ["de", "uk", "ar"])
async def test_privacy_explains_what_is_stored(
    server: object, app: object, translators: TranslatorRegistry, code: str
) -> None:
    (answer,) = await Person(server, language_code=code).says("/privacy")  # type: ignore[arg-type]
    assert answer["text"] == plain(menus.privacy(translators[code]).text)
