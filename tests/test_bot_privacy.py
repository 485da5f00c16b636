"""What the database file keeps of a conversation: nothing that names the person, down to the
bytes of the file, its WAL and its shared-memory file, free pages included; and after /delete,
nothing linked to the chat at all.

The real Application against the fake Bot API, as in every conversation test.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from conftest import USER, Person, plain

from bot.answers import menus
from bot.chat.app import BotApplication
from bot.i18n.translators import TranslatorRegistry
from fakebotapi import FakeBotApi

FIRST_NAME, LAST_NAME, USERNAME = "Mariana", "Schimkowitz", "mariana_schimko"
SAID = [
    "Ich heiße Mariana Schimkowitz",
    "Nummer 0176 98765432, IBAN DE89 3704 0044 0532 0130 00",
    "ich wohne in der Schwanenburgstraße 17",
]
"""A full name (without digits, so its words reach the counting in memory), a phone number,
an IBAN and a street, as people write them; few enough messages for the flood gate."""

NEEDLES = [
    "mariana",
    "schimkowitz",
    "schimko",
    "98765432",
    "0176",
    "de89",
    "370400440532013000",
    "0532 0130",
    "schwanenburg",
]
"""Each looked for case-insensitively, in every spelling the bot could have stored."""


def on_disk(db_path: Path) -> bytes:
    """The database file, its WAL and its shared-memory file, lower-cased."""
    files = [db_path, db_path.with_name(db_path.name + "-wal")]
    files.append(db_path.with_name(db_path.name + "-shm"))
    return b"".join(path.read_bytes() for path in files if path.exists()).lower()


def found(db_path: Path) -> list[str]:
    stored = on_disk(db_path)
    return [needle for needle in NEEDLES if needle.encode() in stored]


def values_linked_to(db_path: Path, chat_id: int) -> list[str]:
    """Every table and column that holds the chat id, as a number or as text."""
    with sqlite3.connect(db_path) as db:
        tables = [
            name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        hits = []
        for table in tables:
            for column in [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]:
                count = db.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}" IN (?, ?)',
                    [chat_id, str(chat_id)],
                ).fetchone()[0]
                if count:
                    hits.append(f"{table}.{column}")
    return hits


async def converse(server: FakeBotApi, chat_id: int, text: str) -> None:
    person = {"first_name": FIRST_NAME, "last_name": LAST_NAME, "username": USERNAME}
    turn = await server.user_sends_text(chat_id, text, language_code="de", **person)
    await turn.replies(1)


@pytest.fixture(autouse=True)
def prompt_checkpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    """The inbox empties its write-ahead log every 5 s in production; here at once, so that
    the file is read after the handled updates were wiped (before the bot starts)."""
    monkeypatch.setattr("bot.chat.intake.CHECKPOINT_SECONDS", 0.05)


async def settle(app: BotApplication) -> None:
    """Let the store's waiting writes land (every read applies them first), and the inbox
    wipe the updates it handled."""
    await app.bot_data.store.recent_reports(1)
    await asyncio.sleep(0.3)


async def test_the_database_holds_no_name_phone_iban_or_street(
    server: FakeBotApi, app: BotApplication, db_path: Path, translators: TranslatorRegistry
) -> None:
    for text in SAID:
        await converse(server, USER, text)
    (menu,) = await Person(server).says("/language")
    await Person(server).presses(menu, data="L|de", count=2)
    await settle(app)
    assert found(db_path) == []
    assert values_linked_to(db_path, USER) != []  # the language choice, /clear's ids

    (question,) = await Person(server).says("/delete")
    (done,) = await Person(server).presses(question, data="d")
    assert done["text"] == plain(menus.deleted(translators["de"]).text)
    await settle(app)
    assert found(db_path) == []
    assert values_linked_to(db_path, USER) == []


async def test_a_word_reaches_the_disk_only_when_three_chats_typed_it(
    server: FakeBotApi, app: BotApplication, db_path: Path
) -> None:
    for chat_id in (USER, USER + 1):
        for _ in range(3):
            await converse(server, chat_id, "Quokkafutter")
    await settle(app)
    assert b"quokkafutter" not in on_disk(db_path)

    await converse(server, USER + 2, "quokkafutter")
    await settle(app)
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT word, searches FROM unmet_words").fetchall() == [
            ("quokkafutter", 7)
        ]
