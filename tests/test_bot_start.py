"""/start, the main menu, deep links from posters, /help, /about and the command menus."""

from __future__ import annotations

import pytest
from conftest import FIXED_NOW, Person, button_data, plain

from bot.answers import lists, menus, replies, results
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from fakebotapi import FakeBotApi

LANGUAGES = ["de", "uk", "ar"]


@pytest.mark.parametrize("code", LANGUAGES)
async def test_start_greets_in_the_readers_language_with_keyboard_and_topics(
    server: FakeBotApi,
    app: object,
    directory: Directory,
    translators: TranslatorRegistry,
    code: str,
) -> None:
    tr = translators[code]
    person = Person(server, language_code=code)
    greeting, menu = await person.says("/start", count=2)
    expected = menus.welcome(directory, tr)
    assert greeting["text"] == plain(expected[0].text)
    assert directory.catalogue.region.name in greeting["text"]
    assert "/privacy" in greeting["text"]
    assert menu["text"] == plain(expected[1].text)
    labels = replies.main_keyboard_labels(tr)
    assert person.keyboard() == [
        {"text": labels.near_me, "request_location": True},
        {"text": labels.topics},
        {"text": labels.emergency},
        {"text": labels.language},
    ]
    categories = [f"c|{c.id}|0" for c in directory.catalogue.categories]
    assert button_data(menu) == [*categories, "o||0|now", "e", "l"]


async def test_unknown_telegram_language_falls_back_to_english(
    server: FakeBotApi, app: object, directory: Directory, translators: TranslatorRegistry
) -> None:
    greeting, _ = await Person(server, language_code="ja").says("/start", count=2)
    assert greeting["text"] == plain(menus.welcome(directory, translators["en"])[0].text)


@pytest.mark.parametrize("code", ["de", "uk", "ar"])
async def test_deep_link_to_a_category_opens_it_under_the_greeting(
    server: FakeBotApi,
    app: object,
    directory: Directory,
    translators: TranslatorRegistry,
    code: str,
) -> None:
    category = directory.catalogue.categories[0]
    person = Person(server, language_code=code)
    greeting, page = await person.says(f"/start {category.id}", count=2)
    expected = lists.category_page(directory, category.id, 0, translators[code], FIXED_NOW)
    assert page["text"] == plain(expected.text)
    assert greeting["text"] == plain(menus.welcome(directory, translators[code])[0].text)


@pytest.mark.parametrize("code", ["de", "uk", "ar"])
async def test_deep_link_to_a_service_opens_its_details(
    server: FakeBotApi,
    app: object,
    directory: Directory,
    translators: TranslatorRegistry,
    code: str,
) -> None:
    service = directory.catalogue.services[0]
    _, page = await Person(server, language_code=code).says(f"/start s-{service.id}", count=2)
    expected = results.details(directory, service, translators[code], FIXED_NOW)
    assert page["text"] == plain(expected.text)


@pytest.mark.parametrize("payload", ["s-no-such-service", "no-such-topic", "%%%"])
async def test_unknown_deep_link_is_the_normal_welcome(
    person: Person, directory: Directory, translators: TranslatorRegistry, payload: str
) -> None:
    _, menu = await person.says(f"/start {payload}", count=2)
    assert menu["text"] == plain(menus.topics_menu(directory, translators["de"]).text)


@pytest.mark.parametrize(
    ("command", "render"),
    [
        ("/help", lambda d, tr: menus.help_text(tr)),
        ("/about", lambda d, tr: menus.about(d, tr)),
        ("/privacy", lambda d, tr: menus.privacy(tr)),
        ("/whatever", lambda d, tr: menus.help_text(tr)),
    ],
)
async def test_info_commands(
    server: FakeBotApi,
    app: object,
    directory: Directory,
    translators: TranslatorRegistry,
    command: str,
    render: object,
) -> None:
    for code in LANGUAGES:
        (answer,) = await Person(server, language_code=code).says(command)
        assert answer["text"] == plain(render(directory, translators[code]).text)  # type: ignore[operator]


async def test_about_names_city_count_and_date(
    person: Person, directory: Directory, translators: TranslatorRegistry
) -> None:
    (answer,) = await person.says("/about")
    count = len(directory.catalogue.services)
    assert str(count) in answer["text"]
    assert directory.catalogue.region.name in answer["text"]
    assert str(directory.modified_at.year) in answer["text"]


async def test_command_menus_are_registered_per_language(
    server: FakeBotApi, app: object, translators: TranslatorRegistry
) -> None:
    default_scope = '{"type": "default"}'
    for code, tr in translators.items():
        commands = server.commands[(default_scope, code)]
        assert [c["command"] for c in commands] == [n for n, _ in menus.bot_commands(tr)]
        assert [c["description"] for c in commands] == [d for _, d in menus.bot_commands(tr)]
    assert server.commands[(default_scope, "")] == server.commands[(default_scope, "en")]
