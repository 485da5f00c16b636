"""Fixtures for the conversation tests: the real Application against the fake Bot API server.

Nothing of ours is mocked: ``build_application`` builds the production Application, which
talks HTTP on loopback to ``fakebotapi.FakeBotApi`` through ``base_url`` (as
TELEGRAM_BASE_URL would make it), stores into a real SQLite file in ``tmp_path`` and speaks
through the real ``.po`` files. Only the clock is fixed, so "open now" is the same on every
run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.chat.app import BotApplication, build_application
from bot.chat.serve import running
from bot.config import Settings
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry, load_translators
from bot.store.store import Store
from fakebotapi import FakeBotApi, Turn, parse_telegram_html

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SERVICES_FILE = PROJECT_ROOT / "services.yaml"
TOKEN = "123456:TEST-TOKEN-for-the-fake-server"
USER = 1001
STAFF_GROUP = -100777
FIXED_NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
"""A Wednesday, 11:00 in Hannover: an ordinary opening time for most offers."""

JsonDict = dict[str, Any]


def plain(html_text: str) -> str:
    """What a Telegram user sees of an HTML text: exactly how the fake server stores it."""
    return parse_telegram_html(html_text)[0].strip()


def buttons(message: JsonDict) -> list[JsonDict]:
    """Every inline button of a message, row after row."""
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


def button_data(message: JsonDict) -> list[str]:
    return [b["callback_data"] for b in buttons(message) if "callback_data" in b]


@dataclass
class Person:
    """One person in a private chat with the bot, typing and tapping like a Telegram user."""

    server: FakeBotApi
    chat_id: int = USER
    language_code: str | None = "de"
    first_name: str = "Test"
    last_turn: Turn | None = field(default=None, repr=False)

    @property
    def _user(self) -> JsonDict:
        return {"language_code": self.language_code, "first_name": self.first_name}

    async def _wait(self, turn: Turn, count: int) -> list[JsonDict]:
        self.last_turn = turn
        return await turn.replies(count)

    async def says(self, text: str, *, count: int = 1) -> list[JsonDict]:
        """Send a text message and wait for (at least ``count``) answers."""
        return await self._wait(
            await self.server.user_sends_text(self.chat_id, text, **self._user), count
        )

    async def shares_location(self, lat: float, lon: float) -> list[JsonDict]:
        turn = await self.server.user_sends_location(self.chat_id, lat, lon, **self._user)
        return await self._wait(turn, 1)

    async def presses(
        self,
        message: JsonDict,
        *,
        data: str | None = None,
        text: str | None = None,
        allow_stale: bool = False,
        count: int = 1,
    ) -> list[JsonDict]:
        """Tap an inline button of ``message``, found by its callback data or its label."""
        turn = await self.server.user_presses_button(
            self.chat_id,
            message["message_id"],
            data,
            text=text,
            allow_stale=allow_stale,
            **self._user,
        )
        return await self._wait(turn, count)

    async def sends_photo(
        self,
        *,
        caption: str | None = None,
        content: bytes = b"\xff\xd8\xff fake jpeg of a letter",
        count: int = 1,
    ) -> list[JsonDict]:
        """Send a photo (two sizes, as Telegram delivers it) and wait for ``count`` answers."""
        turn = await self.server.user_sends_photo(
            self.chat_id, caption=caption, content=content, **self._user
        )
        return await self._wait(turn, count)

    async def sends_document(
        self,
        *,
        file_name: str = "Bescheid.pdf",
        mime_type: str = "application/pdf",
        caption: str | None = None,
        content: bytes = b"%PDF-1.4 fake letter",
        count: int = 1,
    ) -> list[JsonDict]:
        """Send a file (a PDF of a letter by default) and wait for ``count`` answers."""
        turn = await self.server.user_sends_document(
            self.chat_id,
            file_name=file_name,
            mime_type=mime_type,
            caption=caption,
            content=content,
            **self._user,
        )
        return await self._wait(turn, count)

    def history(self) -> list[JsonDict]:
        return self.server.chat_history(self.chat_id)

    def received(self) -> list[JsonDict]:
        """What the bot sent to this person (copies included), oldest first."""
        return [m for m in self.history() if m["from"]["id"] == self.server.bot_user["id"]]

    def keyboard(self) -> list[JsonDict]:
        """The reply keyboard under the input field, key after key."""
        markup = self.server.chat(self.chat_id).reply_keyboard or {}
        return [key for row in markup.get("keyboard", []) for key in row]


NASTY = "<b>x</b> & *y* _z_ [a](b) `c` &amp; <script>"
"""HTML and Markdown that must reach the reader as the characters they are."""


def write_catalogue(path: Path, *, food_services: int = 8, nasty: bool = False) -> Path:
    """A small valid catalogue: one topic with ``food_services`` offers along Limmerstraße,
    a women's topic, an emergency hotline; ``nasty`` puts HTML and Markdown into its texts."""
    odd = NASTY if nasty else ""
    services = []
    for number in range(1, food_services + 1):
        services.append(
            f"""
  - id: tafel-{number}
    name: {{de: {_yaml(f"Tafel {number} {odd}".strip())}}}
    categories: [food]
    summary: {{de: {_yaml(f"Lebensmittel für wenig Geld. {odd}".strip())}, en: "Cheap food."}}
    keywords: {{de: [lebensmittel, tafel]}}
    cost: reduced
    appointment: none
    location: {{address: {_yaml(f"Limmerstraße {number}, 30451 Hannover {odd}".strip())},
                district: Linden, lat: {52.3600 + number * 0.002:.4f}, lon: 9.7170}}
    opening_hours: "{"Mo-Fr 08:00-20:00" if number % 2 else "Sa 10:00-12:00"}"
    phone: "0511 12345{number}"
    last_verified: 2026-10-01"""
        )
    text = f"""version: 1
region:
  name: Hannover
  country: DE
  timezone: Europe/Berlin
  default_language: de
  state: NI
  center: [52.3745, 9.7386]
  districts:
    - name: Linden
      center: [52.3600, 9.7100]
crisis:
  keywords:
    de: [gewalt, "schlägt mich"]
    uk: ["б'є мене"]
    ar: [يضربني]
categories:
  - id: food
    icon: "🍞"
    name: {{de: {_yaml(f"Essen {odd}".strip())}, en: Food}}
    keywords: {{de: [hunger]}}
  - id: women
    icon: "🚺"
    name: {{de: Frauen, en: Women}}
    keywords: {{de: [frauenhaus]}}
services:{"".join(services)}
  - id: frauenhaus
    name: {{de: Frauenhaus Hannover}}
    categories: [women]
    summary: {{de: "Schutz für Frauen und Kinder, Tag und Nacht."}}
    keywords: {{de: [frauenhaus, schutz]}}
    cost: free
    appointment: none
    anonymous: true
    location: {{district: Linden}}
    opening_hours: "24/7"
    phone: "0511 66 44 77"
    last_verified: 2026-10-01
  - id: hilfetelefon
    name: {{de: Hilfetelefon Gewalt gegen Frauen}}
    categories: [women]
    summary: {{de: "Beratung rund um die Uhr, anonym, in vielen Sprachen."}}
    keywords: {{de: [gewalt, hilfetelefon]}}
    cost: free
    appointment: none
    anonymous: true
    emergency: true
    opening_hours: "24/7"
    phone: "116 016"
    last_verified: 2026-10-01
"""
    path.write_text(text, encoding="utf-8")
    return path


def _yaml(text: str) -> str:
    """A double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="session")
def translators() -> TranslatorRegistry:
    return load_translators()


@pytest.fixture(scope="session")
def directory(translators: TranslatorRegistry) -> Directory:
    """The shipped catalogue, loaded once for the whole run (it is immutable)."""
    return Directory.load(SERVICES_FILE, ui_languages=tuple(translators))


@pytest.fixture
async def server() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(token=TOKEN) as fake:
        yield fake


Launcher = Callable[..., AbstractAsyncContextManager[BotApplication]]


@pytest.fixture
def launch(
    server: FakeBotApi, directory: Directory, translators: TranslatorRegistry, tmp_path: Path
) -> Launcher:
    """Start the real bot; call again (on the same database) to simulate a restart."""

    @asynccontextmanager
    async def start(
        *,
        catalogue: Directory | None = None,
        database: Path | None = None,
        staff: frozenset[int] = frozenset({STAFF_GROUP}),
        **settings: Any,
    ) -> AsyncIterator[BotApplication]:
        config = Settings(
            token=TOKEN,
            base_url=server.base_url,
            database_path=database or tmp_path / "bot.sqlite3",
            staff_chat_ids=staff,
            **settings,
        )
        store = Store.open(config.database_path)
        application = build_application(
            config,
            directory=catalogue or directory,
            store=store,
            translators=translators,
            clock=lambda: FIXED_NOW,
        )
        async with running(application, listen="127.0.0.1"):
            yield application

    return start


@pytest.fixture
async def app(launch: Launcher) -> AsyncIterator[BotApplication]:
    """The bot, running, on an empty database."""
    async with launch() as application:
        yield application


@pytest.fixture
def person(server: FakeBotApi, app: BotApplication) -> Person:
    """A German-speaking person in a private chat with the running bot."""
    return Person(server)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "bot.sqlite3"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A small catalogue file that reload tests edit while the bot watches it."""
    return write_catalogue(tmp_path / "services.yaml", food_services=3)


@pytest.fixture
def start(path: Path, translators: TranslatorRegistry) -> Directory:
    """The directory loaded from ``path`` before any edit."""
    return Directory.load(path, ui_languages=tuple(translators))
