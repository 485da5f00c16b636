"""Staff commands: /reload, /stats and /reports work in the staff chats and nowhere else.

The watcher is off here (``reload_interval=0``), so only /reload can pick up a saved file.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from catalogue_edits import BAD_PHONE, line_of, save, with_bad_phone, with_new_service
from conftest import FIXED_NOW, STAFF_GROUP, Launcher, Person, plain

from bot.chat.app import BotApplication
from bot.chat.handlers import staff
from bot.directory import Directory
from bot.staff.reload_messages import unchanged_message
from bot.staff.report import weekly_report
from bot.staff.report_formats import render_stats_html
from fakebotapi import FakeBotApi, JsonDict

STAFF_PERSON = 4242
"""A staff member whose private chat is in STAFF_CHAT_IDS too."""

OTHER_GROUP = -100888
"""A group that is not a staff chat."""


@pytest.fixture
async def bot(launch: Launcher, start: Directory) -> AsyncIterator[BotApplication]:
    staff_chats = frozenset({STAFF_GROUP, STAFF_PERSON})
    async with launch(catalogue=start, staff=staff_chats, reload_interval=0) as application:
        yield application


@pytest.fixture
async def group(server: FakeBotApi, bot: BotApplication) -> int:
    """The staff group, with the bot added (it says once that it talks in private)."""
    await server.bot_added_to_group(STAFF_GROUP, title="Wegweiser-Team")
    await server.wait_for_bot_messages(STAFF_GROUP)
    return STAFF_GROUP


async def in_group(server: FakeBotApi, chat_id: int, text: str, count: int = 1) -> list[JsonDict]:
    turn = await server.user_sends_text(chat_id, text, user_id=4711, chat_type="group")
    return await turn.replies(count)


async def test_reload_loads_the_saved_file_and_tells_every_staff_chat(
    server: FakeBotApi,
    bot: BotApplication,
    group: int,
    path: Path,
    start: Directory,
) -> None:
    staff_member = Person(server, chat_id=STAFF_PERSON)
    await staff_member.says("/start")
    save(path, with_new_service(path.read_text(encoding="utf-8")))
    marker = server.marker()
    (news,) = await in_group(server, group, "/reload")
    expected = (
        "✅ services.yaml reloaded: 6 services (1 new, 0 removed), 6 warnings "
        "(python -m bot validate lists them)."
    )
    assert news["text"] == expected
    assert texts(await server.wait_for_bot_messages(STAFF_PERSON, since=marker)) == [expected]
    assert "waermestube" in bot.bot_data.holder.current.catalogue.services_by_id
    marker = server.marker()
    (unchanged,) = await in_group(server, group, "/reload")
    assert unchanged["text"] == plain(unchanged_message(bot.bot_data.holder.current))
    assert await server.wait_for_bot_messages(STAFF_PERSON, 0, since=marker) == []


async def test_reload_of_a_broken_file_answers_with_the_errors_whenever_asked(
    server: FakeBotApi,
    bot: BotApplication,
    group: int,
    path: Path,
    start: Directory,
) -> None:
    broken = with_bad_phone(path.read_text(encoding="utf-8"))
    save(path, broken)
    staff_member = Person(server, chat_id=STAFF_PERSON)
    marker = server.marker()
    (first,) = await staff_member.says("/reload")
    assert f"{path}:{line_of(broken, BAD_PHONE)}: error: `tafel-2`, field `phone`:" in first["text"]
    (in_the_group,) = await server.wait_for_bot_messages(group, since=marker)
    assert in_the_group["text"] == first["text"]
    marker = server.marker()
    (again,) = await staff_member.says("/reload")  # no news: only the one who asked hears it
    assert again["text"] == first["text"]
    assert await server.wait_for_bot_messages(group, 0, since=marker) == []
    assert bot.bot_data.holder.current is start


async def test_stats_shows_the_last_seven_days_in_one_message(
    server: FakeBotApi, bot: BotApplication, group: int, start: Directory
) -> None:
    for query in ("Lebensmittel", "Frauenhaus", "qqqxz vvvwk"):
        await Person(server).says(query)
    (stats,) = await in_group(server, group, "/stats")
    report = await weekly_report(bot.bot_data.store, start.catalogue, FIXED_NOW)
    assert stats["text"] == plain(render_stats_html(report))
    assert "Searches: 3" in stats["text"]
    (in_private,) = await Person(server, chat_id=STAFF_PERSON).says("/stats")
    assert in_private["text"] == stats["text"]


async def test_reports_lists_the_newest_reports_with_the_service_names(
    server: FakeBotApi, bot: BotApplication, group: int
) -> None:
    (none,) = await in_group(server, group, "/reports")
    assert none["text"] == "No wrong-information reports yet."
    store = bot.bot_data.store
    await store.add_report("gone-service", "closed", FIXED_NOW - timedelta(hours=1))
    await store.add_report("tafel-1", "wrong-phone", FIXED_NOW)
    (listed,) = await in_group(server, group, "/reports")
    assert listed["text"] == (
        "Wrong-information reports, newest first (2):\n"
        "• 2026-11-18 · (not in the catalogue) (gone-service): closed\n"
        "• 2026-11-18 · Tafel 1 (tafel-1): wrong-phone"
    )


@pytest.mark.parametrize("command", ["/reload", "/stats", "/reports", "/stats@wegweiser_test_bot"])
async def test_staff_commands_are_silently_ignored_for_everyone_else(
    server: FakeBotApi, bot: BotApplication, path: Path, start: Directory, command: str
) -> None:
    save(path, with_new_service(path.read_text(encoding="utf-8")))
    assert await Person(server).says(command, count=0) == []
    await server.bot_added_to_group(OTHER_GROUP)
    await server.wait_for_bot_messages(OTHER_GROUP)
    assert await in_group(server, OTHER_GROUP, command, count=0) == []
    assert bot.bot_data.holder.current is start


async def test_staff_commands_are_in_no_command_menu(
    server: FakeBotApi, bot: BotApplication
) -> None:
    menus = server.requests_for("setMyCommands")
    assert menus
    names = {command["command"] for menu in menus for command in menu.params["commands"]}
    assert names and not names & set(staff.COMMANDS)


def texts(messages: list[JsonDict]) -> list[str]:
    return [message["text"] for message in messages]


async def test_an_unexpected_error_is_told_to_the_staff_once_an_hour_without_the_text(
    server: FakeBotApi, group: int
) -> None:
    person = Person(server, chat_id=8080, language_code="de")
    marker = server.marker()
    for _ in range(3):  # the same bug three times within the hour
        server.inject_error("sendMessage", 400, "Bad Request: something unexpected")
        (apology,) = await person.says("Ich heiße Maria Schmidt und brauche Essen")
        assert "Maria" not in apology["text"]
    notices = await server.wait_for_bot_messages(group, since=marker, settle=0.3)
    assert len(notices) == 1
    (notice,) = notices
    assert notice["text"].startswith("⚠️ Unexpected error while handling update ")
    assert "BadRequest in bot/" in notice["text"]
    assert "Maria" not in notice["text"] and "Essen" not in notice["text"]
    assert "something unexpected" not in notice["text"]  # the error's message could quote a person
