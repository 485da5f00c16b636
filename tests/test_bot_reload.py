"""Live reload in the running bot: a saved change is live within seconds, a broken file is
refused (and staff told once), old buttons keep working, and no search fails meanwhile."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from catalogue_edits import BAD_PHONE, line_of, save, until, with_bad_phone, with_new_service
from conftest import (
    FIXED_NOW,
    STAFF_GROUP,
    Launcher,
    Person,
    button_data,
    plain,
    write_catalogue,
)

from bot.answers import menus, replies, results
from bot.callbackdata import service_token
from bot.catalogue.validation import check_catalogue
from bot.chat.app import BotApplication
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from bot.staff.reload_messages import refused_message
from fakebotapi import FakeBotApi, JsonDict

POLL_SECONDS = 0.2
"""The watcher's interval in these tests: a change is seen within a few hundred ms."""


@pytest.fixture
async def live(launch: Launcher, start: Directory) -> AsyncIterator[BotApplication]:
    """The bot, watching ``path`` every POLL_SECONDS, after its first look at the file."""
    async with launch(catalogue=start, reload_interval=POLL_SECONDS) as application:
        await asyncio.sleep(POLL_SECONDS * 1.5)
        yield application


@pytest.fixture
async def staff_chat(server: FakeBotApi, live: BotApplication) -> int:
    await server.bot_added_to_group(STAFF_GROUP, title="Wegweiser-Team")
    await server.wait_for_bot_messages(STAFF_GROUP)  # it says once that it talks in private
    return STAFF_GROUP


def search_texts(directory: Directory, translators: TranslatorRegistry, query: str) -> list[str]:
    """What a German speaker sees for ``query`` when ``directory`` answers."""
    outcome = directory.search(
        query, language="de", near=None, limit=results.MAX_RESULTS, now=FIXED_NOW
    )
    answer = results.search_answer(directory, outcome, translators["de"], FIXED_NOW)
    return [plain(reply.text) for reply in answer]


def texts(messages: list[JsonDict]) -> list[str]:
    return [message["text"] for message in messages]


async def test_a_saved_change_is_live_within_seconds(
    server: FakeBotApi,
    live: BotApplication,
    staff_chat: int,
    path: Path,
    translators: TranslatorRegistry,
) -> None:
    person = Person(server)
    before = await person.says("Wärmestube")
    assert "Wärmestube Nordstadt" not in "".join(texts(before))
    marker = server.marker()
    save(path, with_new_service(path.read_text(encoding="utf-8")))
    (news,) = await server.wait_for_bot_messages(staff_chat, since=marker, timeout=3)
    assert news["text"] == (
        "✅ services.yaml reloaded: 6 services (1 new, 0 removed), 6 warnings "
        "(python -m bot validate lists them)."
    )
    after = await person.says("Wärmestube")
    current = live.bot_data.holder.current
    assert texts(after) == search_texts(current, translators, "Wärmestube")
    assert "Wärmestube Nordstadt" in after[-1]["text"]


async def test_a_broken_file_is_refused_and_reported_once(
    server: FakeBotApi,
    live: BotApplication,
    staff_chat: int,
    path: Path,
    start: Directory,
    translators: TranslatorRegistry,
) -> None:
    broken = with_bad_phone(path.read_text(encoding="utf-8"))
    marker = server.marker()
    save(path, broken)
    (news,) = await server.wait_for_bot_messages(staff_chat, since=marker, timeout=3)
    _, findings = check_catalogue(path, ui_languages=tuple(translators))
    assert news["text"] == plain(refused_message(path, findings, start))
    assert f"{path}:{line_of(broken, BAD_PHONE)}: error: `tafel-2`, field `phone`:" in news["text"]
    answers = await Person(server).says("Lebensmittel")
    assert texts(answers) == search_texts(start, translators, "Lebensmittel")
    assert live.bot_data.holder.current is start
    marker = server.marker()
    await asyncio.sleep(POLL_SECONDS * 5)  # five more looks at the same broken file
    assert await server.wait_for_bot_messages(staff_chat, 0, since=marker) == []


async def test_buttons_from_before_a_reload_keep_working_or_answer_kindly(
    server: FakeBotApi,
    live: BotApplication,
    path: Path,
    start: Directory,
    translators: TranslatorRegistry,
) -> None:
    person = Person(server)
    cards = (await person.says("Lebensmittel"))[-1]
    kept, removed = f"s|{service_token('tafel-1')}", f"s|{service_token('tafel-3')}"
    assert {kept, removed} <= set(button_data(cards))
    write_catalogue(path, food_services=2)  # tafel-3 is gone
    await until(lambda: live.bot_data.holder.current is not start)
    current = live.bot_data.holder.current
    tr = translators["de"]
    (gone,) = await person.presses(cards, data=removed)
    assert gone["text"] == plain(menus.expired_button(current, tr).text)
    (details,) = await person.presses(cards, data=kept)
    service = current.catalogue.services_by_id["tafel-1"]
    assert details["text"] == plain(results.details(current, service, tr, FIXED_NOW).text)


async def test_no_search_fails_while_the_file_changes_again_and_again(
    server: FakeBotApi,
    live: BotApplication,
    path: Path,
    start: Directory,
    translators: TranslatorRegistry,
    tmp_path: Path,
) -> None:
    """Six people search while the file is saved eight times, good and broken, in place (not
    renamed): every search gets the full answer of one whole catalogue version."""
    small = path.read_text(encoding="utf-8")
    large = write_catalogue(tmp_path / "large.yaml", food_services=6).read_text(encoding="utf-8")
    bigger = Directory.load(tmp_path / "large.yaml", ui_languages=tuple(translators))
    versions = [large, with_bad_phone(small), small, "services: [\n", large, small, "", large]
    expected = {
        tuple(search_texts(start, translators, "Lebensmittel")),
        tuple(search_texts(bigger, translators, "Lebensmittel")),
    }
    apology = plain(replies.error_apology(translators["de"]).text)
    editing = True
    seen: list[tuple[str, ...]] = []

    async def edit() -> None:
        nonlocal editing
        for text in versions:
            path.write_text(text, encoding="utf-8")
            await asyncio.sleep(POLL_SECONDS * 1.5)
        editing = False

    async def search(person: Person) -> int:
        asked = 0
        while editing and asked < 9:  # below the flood limit of 10 at once
            answers = await person.says("Lebensmittel")
            seen.append(tuple(texts(answers)))
            asked += 1
        return asked

    people = [Person(server, chat_id=3000 + n) for n in range(6)]
    _, *asked = await asyncio.gather(edit(), *(search(p) for p in people))
    assert all(count >= 3 for count in asked), asked
    assert apology not in {text for answer in seen for text in answer}
    assert set(seen) == expected  # both versions answered, and nothing else
    await until(lambda: live.bot_data.holder.current.catalogue.services_by_id.keys() >= {"tafel-6"})
