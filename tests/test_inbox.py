"""The durable inbox: stored before confirmed, handled once, then gone from the file."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest
from conftest import FIXED_NOW, USER, Launcher, Person, plain

from bot.answers import menus
from bot.i18n.translators import TranslatorRegistry
from bot.store.inbox import Inbox, Pending
from bot.store.store import Store
from fakebotapi import FakeBotApi

SECRET_WORDS = "Kaltenbrunnerweg Zyxwvutsrqponm"
STORY = f"Ich wohne im {SECRET_WORDS} 17 und brauche dringend Hilfe, bitte schnell antworten"
"""Longer than the search log keeps, so only the inbox could hold these words."""


def file_bytes(db_path: Path) -> bytes:
    """The database file with its write-ahead log and shared memory, free pages included."""
    parts = [db_path, db_path.with_name(db_path.name + "-wal")]
    parts.append(db_path.with_name(db_path.name + "-shm"))
    return b"".join(part.read_bytes() for part in parts if part.exists())


async def test_the_inbox_stores_each_update_once_and_remembers_only_handled_ids(
    tmp_path: Path,
) -> None:
    Store.open(tmp_path / "db.sqlite3").close_sync()
    async with Inbox.open(tmp_path / "db.sqlite3") as inbox:
        first, second = Pending(7, '{"update_id": 7}'), Pending(8, '{"update_id": 8}')
        assert await inbox.add([second, first]) == [second, first]
        assert await inbox.add([first]) == []  # delivered again while waiting
        assert await inbox.pending() == [first, second]  # oldest first
        await inbox.done(7)
        assert await inbox.add([first]) == []  # delivered again after it was handled
        assert await inbox.pending() == [second]


async def test_an_unreadable_update_costs_one_skipped_update(
    server: FakeBotApi,
    app: object,
    translators: TranslatorRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A poll without the fields python-telegram-bot 22 requires, as an older or self-hosted
    Bot API server sends it, stopped polling for everyone."""
    # INFO: PTB's own DEBUG lines dump every API result (the logging work handles those).
    caplog.set_level(logging.INFO)
    broken = await server.user_sends(
        USER + 1, {"poll": {"id": "1", "question": "Wer ist Maria Schmidt?"}}
    )
    (answer,) = await Person(server).says("/help")
    assert answer["text"] == plain(menus.help_text(translators["de"]).text)
    skipped = [r.getMessage() for r in caplog.records if "Skipped update" in r.getMessage()]
    assert skipped == [
        f"Skipped update {broken.update_id}: python-telegram-bot cannot read it (TypeError); "
        "1 skipped so far"
    ]
    assert "Maria Schmidt" not in caplog.text
    assert len(server.requests_for("getUpdates")) < 10
    assert broken.update_id in server.updates.confirmed


async def test_polling_asks_only_for_the_handled_update_types(
    server: FakeBotApi, app: object
) -> None:
    await Person(server).says("/help")
    calls = server.requests_for("getUpdates")
    assert {str(call.params["allowed_updates"]) for call in calls} == {
        "['message', 'edited_message', 'callback_query', 'my_chat_member']"
    }


async def test_updates_a_crash_left_in_the_inbox_are_handled_at_start(
    server: FakeBotApi, launch: Launcher, db_path: Path, translators: TranslatorRegistry
) -> None:
    # The last run stored the update and confirmed it, then died before handling it.
    turn = await server.user_sends_text(USER, "/help", language_code="de")
    raw = server.updates.update(turn.update_id)
    Store.open(db_path).close_sync()
    inbox = Inbox.open(db_path)
    await inbox.add([Pending(turn.update_id, json.dumps(raw))])
    await inbox.close()
    server.updates.pending.clear()  # Telegram will not send it again
    async with launch():
        (answer,) = await server.wait_for_bot_messages(USER, since=0)
    assert answer["text"] == plain(menus.help_text(translators["de"]).text)


async def test_what_a_person_wrote_leaves_the_file_once_handled(
    server: FakeBotApi, launch: Launcher, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.chat.intake.CHECKPOINT_SECONDS", 0.2)
    needle = SECRET_WORDS.split()[1].encode()
    async with launch():
        await Person(server).says(STORY)
        await asyncio.sleep(1.0)  # the update is marked done, then the log is emptied
        while_running = file_bytes(db_path)
    assert needle not in while_running
    assert needle not in file_bytes(db_path)


async def test_a_report_handled_again_is_counted_once(db_path: Path) -> None:
    store = Store.open(db_path)
    try:
        assert await store.add_report("tafel-1", "closed", FIXED_NOW, 42)
        assert not await store.add_report("tafel-1", "closed", FIXED_NOW, 42)
        assert await store.add_report("tafel-1", "closed", FIXED_NOW, 43)
        assert len(await store.recent_reports()) == 2
    finally:
        await store.close()
