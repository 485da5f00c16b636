"""Each shipped city runs: /start names it, food is found in German and Arabic, /emergency has 112
and 110. The catalogues were written from the shared sources the way staff write one, with
keywords only for local names, so these answers come from what the product itself understands."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT_ROOT, Launcher, Person

from bot.chat.app import BotApplication
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from fakebotapi import FakeBotApi

CITIES = {
    "Hannover": PROJECT_ROOT / "services.yaml",
    "Wolfsburg": PROJECT_ROOT / "catalogues" / "wolfsburg.yaml",
    "Neunkirchen": PROJECT_ROOT / "catalogues" / "neunkirchen.yaml",
}
FOOD = {"de": "ich habe hunger und kein geld für essen", "ar": "أنا جائع وليس عندي مال للطعام"}


def _food_services(path: Path) -> set[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {s["id"] for s in data["services"] if "food" in s["categories"]}


@pytest.fixture(params=sorted(CITIES), scope="module")
def city(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def city_directory(city: str, translators: TranslatorRegistry) -> Directory:
    return Directory.load(CITIES[city], ui_languages=tuple(translators))


@pytest.fixture
async def city_bot(launch: Launcher, city_directory: Directory) -> AsyncIterator[BotApplication]:
    async with launch(catalogue=city_directory, services_file=city_directory.source) as bot:
        yield bot


async def test_start_names_the_city(server: FakeBotApi, city_bot: object, city: str) -> None:
    answers = await Person(server, language_code="de").says("/start", count=2)
    assert city in answers[0]["text"]


@pytest.mark.parametrize("language", sorted(FOOD))
async def test_a_food_question_finds_a_food_service(
    server: FakeBotApi, city_bot: object, city: str, city_directory: Directory, language: str
) -> None:
    food = _food_services(CITIES[city])
    names = {
        city_directory.catalogue.text(s.name, language)
        for s in city_directory.catalogue.services
        if s.id in food
    }
    (answer,) = await Person(server, language_code=language).says(FOOD[language])
    assert any(name in answer["text"] for name in names), answer["text"][:300]


async def test_emergency_shows_112_and_110(server: FakeBotApi, city_bot: object) -> None:
    (answer,) = await Person(server, language_code="de").says("/emergency")
    assert "112" in answer["text"] and "110" in answer["text"]
