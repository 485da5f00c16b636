"""Details, the place as a venue, and "Report wrong information" to the staff chats."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from conftest import FIXED_NOW, STAFF_GROUP, Person, button_data, buttons, plain

from bot.answers import maps, menus, reports, results
from bot.answers.texts import place_of
from bot.callbackdata import service_token
from bot.catalogue.model import REPORT_KINDS, Service
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from fakebotapi import FakeBotApi


def placed_service(directory: Directory) -> Service:
    """A service with coordinates that staff gave, so its details offer the pin."""
    catalogue = directory.catalogue
    return next(
        s
        for s in catalogue.services
        if (p := place_of(catalogue, s)) is not None
        and p.coordinates is not None
        and not p.approximate
    )


async def open_details(person: Person, service: Service) -> dict:
    (_, details) = await person.says(f"/start s-{service.id}", count=2)
    return details


@pytest.mark.parametrize("code", ["de", "uk", "ar"])
async def test_details_show_everything_with_map_route_and_report_buttons(
    server: FakeBotApi,
    app: object,
    directory: Directory,
    translators: TranslatorRegistry,
    code: str,
) -> None:
    service = placed_service(directory)
    details = await open_details(Person(server, language_code=code), service)
    expected = results.details(directory, service, translators[code], FIXED_NOW)
    assert details["text"] == plain(expected.text)
    token = service_token(service.id)
    assert f"v|{token}" in button_data(details)
    assert f"w|{token}" in button_data(details)
    urls = [b["url"] for b in buttons(details) if "url" in b]
    assert any(u.startswith("https://www.openstreetmap.org/") for u in urls)


async def test_show_on_map_sends_the_place_as_a_venue(
    person: Person, directory: Directory, translators: TranslatorRegistry
) -> None:
    service = placed_service(directory)
    details = await open_details(person, service)
    (venue,) = await person.presses(details, data=f"v|{service_token(service.id)}")
    expected = maps.venue(directory.catalogue, service, translators["de"])
    assert expected is not None and expected.venue is not None
    assert venue["venue"]["title"] == expected.venue.title
    assert venue["venue"]["address"] == expected.venue.address
    assert venue["location"] == {
        "latitude": pytest.approx(expected.venue.latitude),
        "longitude": pytest.approx(expected.venue.longitude),
    }


@pytest.mark.parametrize("code", ["de", "uk", "ar"])
async def test_a_report_is_recorded_without_the_person_and_staff_are_told(
    server: FakeBotApi,
    app: object,
    directory: Directory,
    translators: TranslatorRegistry,
    db_path: Path,
    code: str,
) -> None:
    await server.bot_added_to_group(STAFF_GROUP, title="Wegweiser-Team")
    await server.wait_for_bot_messages(STAFF_GROUP)
    person = Person(server, language_code=code)
    service = placed_service(directory)
    token = service_token(service.id)
    details = await open_details(person, service)
    (menu,) = await person.presses(details, data=f"w|{token}")
    assert menu["text"] == plain(reports.report_menu(service, translators[code]).text)
    assert button_data(menu) == [f"W|{token}|{kind}" for kind in REPORT_KINDS]
    marker = server.marker()
    (thanks,) = await person.presses(menu, data=f"W|{token}|wrong-phone")
    assert thanks["message_id"] == menu["message_id"]  # the menu is replaced: one tap, one report
    assert thanks["text"] == plain(reports.report_thanks(translators[code]).text)
    (notice,) = await server.wait_for_bot_messages(STAFF_GROUP, since=marker)
    line = reports.staff_report_line(directory.catalogue, service, "wrong-phone")
    expected = reports.staff_report_notice([line])
    assert notice["text"] == plain(expected)
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT service_id, kind, created_at FROM reports").fetchall() == [
            (service.id, "wrong-phone", FIXED_NOW.replace(hour=0).isoformat())
        ]
        columns = {row[1] for row in db.execute("PRAGMA table_info(reports)")}
    # update_id keeps a report from counting twice while its update may be handled again
    # after a crash; it is cleared as soon as the update is done.
    assert columns == {"id", "service_id", "kind", "created_at", "update_id"}
    for _ in range(50):
        with sqlite3.connect(db_path) as db:
            keys = db.execute("SELECT update_id FROM reports").fetchall()
        if keys == [(None,)]:
            break
        await asyncio.sleep(0.1)
    assert keys == [(None,)]


async def test_a_staff_chat_that_refuses_does_not_stop_the_report(
    server: FakeBotApi, app: object, directory: Directory, translators: TranslatorRegistry
) -> None:
    """The staff group never added the bot: Telegram answers 400 "chat not found"."""
    person = Person(server)
    service = placed_service(directory)
    token = service_token(service.id)
    details = await open_details(person, service)
    (menu,) = await person.presses(details, data=f"w|{token}")
    (thanks,) = await person.presses(menu, data=f"W|{token}|closed")
    assert thanks["text"] == plain(reports.report_thanks(translators["de"]).text)


@pytest.mark.parametrize(
    "data", ["s|gone-service", "v|gone-service", "w|gone-service", "W|gone-service|closed"]
)
async def test_buttons_of_a_service_that_left_the_catalogue_answer_kindly(
    person: Person, directory: Directory, translators: TranslatorRegistry, data: str
) -> None:
    (menu,) = await person.says("/emergency")
    (answer,) = await person.presses(menu, data=data, allow_stale=True)
    assert answer["text"] == plain(menus.expired_button(directory, translators["de"]).text)


async def test_a_forged_report_kind_is_not_recorded(
    person: Person, directory: Directory, db_path: Path
) -> None:
    service = placed_service(directory)
    (menu,) = await person.says("/emergency")
    await person.presses(menu, data=f"W|{service_token(service.id)}|lies", allow_stale=True)
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM reports").fetchone() == (0,)
