"""The local sandbox: the real bot against the fake Bot API server, chatted with in a terminal.

``make run`` without ``TELEGRAM_BOT_TOKEN`` lands here, so staff can preview the catalogue
and the translations without a Telegram account. It starts the project's fake Bot API server
on loopback and the very Application that production runs (``app.build_application``) with
``base_url`` pointing at it, then turns each input line into what a Telegram user would do:

- text is sent as a message;
- a number presses that numbered button (inline buttons of the last answer, then the
  keyboard below the input field);
- ``/loc LAT LON`` shares a location;
- ``/quit`` (or the end of the input) ends the session.

Input may be a terminal or a pipe (``printf '/start\\nEssen\\n' | python -m bot run``): lines
are read until the end, each answer is awaited before the next line, then the sandbox stops
cleanly. Its database is a temporary file, so previews never count as searches in the
statistics.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from bot.chat.app import build_application
from bot.chat.errors import configure_logging
from bot.chat.serve import load_content, running
from bot.config import Settings
from bot.store.store import Store
from fakebotapi import FakeBotApi, RepliesTimeout, Turn

SANDBOX_TOKEN = "100000001:sandbox-local-only-not-a-secret"
"""Shaped like a real token (the fake server only checks that it matches itself)."""

SANDBOX_USER_ID = 424242
ANSWER_TIMEOUT_SECONDS = 10.0
"""How long to wait for the bot's answer to one line before saying there was none."""

DEFAULT_EXAMPLE_LOCATION = "52.3745 9.7386"
"""Hannover's centre (Kröpcke): the hint on sharing a location when a catalogue has no centre."""


def example_location(center: tuple[float, float] | None) -> str:
    """``LAT LON`` of the catalogue's own city for the /loc hint, so Wolfsburg's sandbox does
    not send people to Hannover."""
    return f"{center[0]:.4f} {center[1]:.4f}" if center else DEFAULT_EXAMPLE_LOCATION


@dataclass(frozen=True)
class Choice:
    """One numbered thing the person can pick: an inline button or a keyboard key."""

    label: str
    message_id: int | None = None
    callback_data: str | None = None
    url: str | None = None
    keyboard_text: str | None = None
    asks_location: bool = False


def language_from_environment(environ: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """The terminal's language ("de_DE.UTF-8" → "de") stands in for the Telegram app's."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        code = value.split(".", 1)[0].split("_", 1)[0].lower()
        if code and code not in ("c", "posix"):
            return code
    return "de"


class SandboxChat:
    """One person talking to the bot through the fake server; prints what the bot does."""

    def __init__(
        self,
        server: FakeBotApi,
        out: TextIO,
        language_code: str,
        location: str = DEFAULT_EXAMPLE_LOCATION,
    ) -> None:
        self._server = server
        self._out = out
        self._language_code = language_code
        self._location = location
        self._choices: list[Choice] = []

    def _print(self, text: str = "") -> None:
        self._out.write(text + "\n")
        self._out.flush()

    async def handle(self, line: str) -> bool:
        """Act on one input line; False when the person wants to leave."""
        line = line.strip()
        if not line:
            return True
        if line in ("/quit", "/exit"):
            return False
        turn = await self._turn_for(line)
        if turn is not None:
            await self._show(turn)
        return True

    async def _turn_for(self, line: str) -> Turn | None:
        user = {"user_id": SANDBOX_USER_ID, "first_name": "Sandbox"}
        if line.isdigit():
            return await self._pick(int(line), user)
        if line.split(maxsplit=1)[0] == "/loc":
            try:
                _, lat, lon = line.replace(",", " ").split()
                latitude, longitude = float(lat), float(lon)
            except ValueError:
                self._print(f"  (usage: /loc LAT LON, for example /loc {self._location})")
                return None
            return await self._server.user_sends_location(
                SANDBOX_USER_ID, latitude, longitude, language_code=self._language_code, **user
            )
        return await self._server.user_sends_text(
            SANDBOX_USER_ID, line, language_code=self._language_code, **user
        )

    async def _pick(self, number: int, user: dict[str, Any]) -> Turn | None:
        if not 1 <= number <= len(self._choices):
            self._print(f"  (no button {number}; pick 1-{len(self._choices)} or type text)")
            return None
        choice = self._choices[number - 1]
        if choice.url is not None:
            self._print(f"  (this button opens {choice.url})")
            return None
        if choice.asks_location:
            self._print(f"  (your phone would now share its location: type /loc {self._location})")
            return None
        if choice.keyboard_text is not None:
            return await self._server.user_sends_text(
                SANDBOX_USER_ID, choice.keyboard_text, language_code=self._language_code, **user
            )
        assert choice.message_id is not None
        return await self._server.user_presses_button(
            SANDBOX_USER_ID,
            choice.message_id,
            choice.callback_data,
            allow_stale=True,
            language_code=self._language_code,
            **user,
        )

    async def _show(self, turn: Turn) -> None:
        marker = self._server.marker()
        try:
            messages = await turn.replies(timeout=ANSWER_TIMEOUT_SECONDS)
        except RepliesTimeout:
            self._print("  (no answer)")
            return
        deleted = sum(
            1
            for action in self._server.actions[marker:]
            if action.kind == "deleted" and action.chat_id == SANDBOX_USER_ID
        )
        if deleted:
            self._print(f"🧹 {deleted} message(s) deleted on both sides")
        choices: list[Choice] = []
        for message in messages:
            self._print_message(message)
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    choices.append(
                        Choice(
                            label=button["text"],
                            message_id=message["message_id"],
                            callback_data=button.get("callback_data"),
                            url=button.get("url"),
                        )
                    )
        for number, choice in enumerate(choices, start=1):
            self._print(f"  [{number}] {choice.label}")
        keyboard = self._keyboard()
        if keyboard:
            first = len(choices) + 1
            keys = "  ".join(f"[{first + i}] {k.label}" for i, k in enumerate(keyboard))
            self._print(f"  ⌨ {keys}")
        self._choices = choices + keyboard
        self._print()

    def _print_message(self, message: dict[str, Any]) -> None:
        prefix = "bot (edited)" if "edit_date" in message else "bot"
        venue = message.get("venue")
        if venue is not None:
            place = venue["location"]
            self._print(
                f"{prefix}: 📍 {venue['title']} — {venue['address']} "
                f"({place['latitude']:.5f}, {place['longitude']:.5f})"
            )
            return
        lines = message.get("text", "").splitlines() or [""]
        self._print(f"{prefix}: {lines[0]}")
        for line in lines[1:]:
            self._print(f"     {line}")

    def _keyboard(self) -> list[Choice]:
        markup = self._server.chat(SANDBOX_USER_ID).reply_keyboard or {}
        return [
            Choice(
                label=key["text"],
                keyboard_text=key["text"],
                asks_location=bool(key.get("request_location")),
            )
            for row in markup.get("keyboard", [])
            for key in row
        ]


def _read_lines(
    stdin: TextIO, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[str | None]
) -> None:
    """Read input on a daemon thread: blocking reads never hold up the event loop or exit."""
    for line in stdin:
        loop.call_soon_threadsafe(queue.put_nowait, line)
    loop.call_soon_threadsafe(queue.put_nowait, None)


async def chat(
    settings: Settings,
    *,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    language_code: str | None = None,
    database_path: Path | None = None,
) -> int:
    """Run one sandbox session until /quit or the end of the input; returns the exit code."""
    directory, translators = load_content(settings)
    with tempfile.TemporaryDirectory(prefix="wegweiser-sandbox-") as folder:
        store = Store.open(database_path or Path(folder) / "sandbox.sqlite3")
        async with FakeBotApi(token=SANDBOX_TOKEN, bot_username="wegweiser_sandbox_bot") as server:
            local = dataclasses.replace(
                settings,
                token=SANDBOX_TOKEN,
                base_url=server.base_url,
                webhook_url=None,
                webhook_secret=None,
                staff_chat_ids=frozenset(),
            )
            application = build_application(
                local, directory=directory, store=store, translators=translators
            )
            async with running(application):
                region = directory.catalogue.region
                location = example_location(region.center)
                conversation = SandboxChat(
                    server, stdout, language_code or language_from_environment(), location
                )
                stdout.write(_intro(region.name, len(directory.catalogue.services), location))
                stdout.flush()
                queue: asyncio.Queue[str | None] = asyncio.Queue()
                loop = asyncio.get_running_loop()
                threading.Thread(
                    target=_read_lines, args=(stdin, loop, queue), daemon=True, name="stdin"
                ).start()
                # A terminal gets a prompt; piped input is echoed, so the output reads as a chat.
                interactive = stdin.isatty() and stdout.isatty()
                while True:
                    if interactive:
                        stdout.write("> ")
                        stdout.flush()
                    line = await queue.get()
                    if line is None:
                        break
                    if not interactive and line.strip():
                        stdout.write(f"you: {line.strip()}\n")
                    if not await conversation.handle(line):
                        break
    return 0


def _intro(city: str, services: int, location: str) -> str:
    return (
        f"Wegweiser sandbox: {city}, {services} services, local fake Telegram (no token needed).\n"
        f"Type like in Telegram. A number presses that button; /loc LAT LON shares a location "
        f"(e.g. /loc {location}); /quit ends. Try /start.\n\n"
    )


def run_sandbox(
    settings: Settings, *, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
) -> int:
    """``python -m bot run`` without a token: the sandbox, with logs only for warnings."""
    configure_logging(max(settings.log_level, 30), None)
    return asyncio.run(chat(settings, stdin=stdin, stdout=stdout))
