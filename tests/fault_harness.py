"""SIGKILL the real bot process at random moments and count what Telegram's side saw.

Each scenario runs ``python -m bot run`` (the production path) against a fake Bot API server,
kills it with SIGKILL, starts it again, and at the end lets it finish. Then it counts, per
update the people sent (one update per person, so a chat's answers belong to one update):

- **lost**: Telegram considers the update delivered (its offset was confirmed) but the bot
  never answered it, not even after the restarts;
- **answered twice**: the chat received more answers than the update gets without a kill.

Used by ``tests/test_faults.py`` (``make test`` runs a short version, ``make faults`` the
long one) and, pointed at an older checkout with ``root=``, for before/after figures.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from conftest import PROJECT_ROOT, TOKEN, write_catalogue

from fakebotapi import FakeBotApi

BACKLOG = 200
"""Updates waiting when the bot starts (the issue's measurement); each round tops up to it."""
TAPS_PER_ROUND = 15
STEADY_RATE = 12.0
"""/start updates per second while the bot runs: 24 answers a second, near the 30 messages a
second that Telegram (and the bot's rate limiter) allow, so the bot keeps up between kills."""
SLOW_RATE = 5.0
"""With each send taking ``SLOW_SEND_SECONDS``, 32 updates in parallel answer about 8 a
second; 5 keep the queue short."""
SLOW_SEND_SECONDS = 2.0
"""How long each sendMessage takes in the slow-Telegram scenario."""
START_ANSWERS = 2
"""/start: the greeting and the topics menu."""
TAPS = {"L|en": 2, "d": 1, "W|{service}|closed": 1}
"""Each tap's callback data and its answers: a language choice is confirmed and the topics
are redrawn; /delete confirmed and a report are thanked in one message."""
SETTLE_TIMEOUT = 300.0
"""Only a cap: settling ends when the bot has been quiet for a while."""


@dataclass
class Tally:
    """What one or more scenarios did and what Telegram's side saw."""

    kills: int = 0
    updates: int = 0
    confirmed: int = 0
    lost: int = 0
    answered_twice: int = 0
    extra_answers: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("kills", "updates", "confirmed", "lost", "answered_twice", "extra_answers"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.notes.extend(other.notes)


class BotProcess:
    """``python -m bot run`` against ``server``, on one database, started and killed at will."""

    def __init__(self, server: FakeBotApi, tmp: Path, *, root: Path = PROJECT_ROOT) -> None:
        self.server = server
        self.root = root
        self.database = tmp / "bot.sqlite3"
        self.log = tmp / "bot.log"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM", "WEBHOOK"))},
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": server.base_url,
            "SERVICES_FILE": str(write_catalogue(tmp / "services.yaml")),
            "DATABASE_PATH": str(self.database),
            "STAFF_CHAT_IDS": "",
            "LOG_LEVEL": os.environ.get("FAULTS_LOG_LEVEL", "WARNING"),
        }
        self._process: asyncio.subprocess.Process | None = None

    async def start(self, *, timeout: float = 60.0) -> None:
        """Start the process and return once it asked Telegram for updates."""
        polls = len(self.server.requests_for("getUpdates"))
        with self.log.open("ab") as log:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", cwd=self.root, env=self.env, stderr=log
            )
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.server.requests_for("getUpdates")) == polls:
            if self._process.returncode is not None or asyncio.get_running_loop().time() > deadline:
                raise RuntimeError(f"the bot did not start; see {self.log}")
            await asyncio.sleep(0.01)

    async def kill(self) -> None:
        assert self._process is not None
        self._process.send_signal(signal.SIGKILL)
        await self._process.wait()

    async def stop(self) -> None:
        assert self._process is not None
        self._process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(self._process.wait(), timeout=60)


async def settle(server: FakeBotApi, quiet: float = 1.5, timeout: float = SETTLE_TIMEOUT) -> None:
    """Wait until nothing is pending and the bot did nothing visible for ``quiet`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    seen, since = len(server.actions), loop.time()
    while loop.time() < deadline:
        await asyncio.sleep(0.1)
        if len(server.actions) != seen or server.pending_update_count:
            seen, since = len(server.actions), loop.time()
        elif loop.time() - since >= quiet:
            return


Sent = dict[int, tuple[int, int]]
"""Update id → (chat id, how many answers the update gets when nothing goes wrong)."""


def answer_counts(server: FakeBotApi, marker: int = 0) -> Counter[int | None]:
    """Messages sent or edited per chat after ``marker``."""
    return Counter(a.chat_id for a in server.actions[marker:] if a.kind in ("sent", "edited"))


def count(server: FakeBotApi, sent: Sent, marker: int, note: str) -> Tally:
    """Lost and duplicated among ``sent``, counting the answers after ``marker``."""
    answers = answer_counts(server, marker)
    tally = Tally(updates=len(sent))
    for update_id, (chat_id, expected) in sent.items():
        confirmed = update_id in server.updates.confirmed
        tally.confirmed += confirmed
        got = answers[chat_id]
        if confirmed and got == 0:
            tally.lost += 1
        if got > expected:
            tally.answered_twice += 1
            tally.extra_answers += got - expected
    tally.notes.append(
        f"{note}: {tally.lost} of {tally.confirmed} confirmed lost, "
        f"{tally.answered_twice} answered twice"
    )
    return tally


class Scenarios:
    """The four situations of the issue, each on its own server and database."""

    def __init__(self, tmp: Path, rng: random.Random, *, root: Path = PROJECT_ROOT) -> None:
        self.tmp, self.rng, self.root = tmp, rng, root
        self._users = iter(range(500_000, 10_000_000))

    async def _with_bot(
        self, name: str, body: Callable[[FakeBotApi, BotProcess], Awaitable[Tally]]
    ) -> Tally:
        folder = self.tmp / name
        folder.mkdir()
        async with FakeBotApi(token=TOKEN) as server:
            return await body(server, BotProcess(server, folder, root=self.root))

    async def _send_start(self, server: FakeBotApi, sent: Sent) -> None:
        user = next(self._users)
        turn = await server.user_sends_text(user, "/start", language_code="de")
        sent[turn.update_id] = (user, START_ANSWERS)

    async def backlog(self, kills: int) -> Tally:
        """``BACKLOG`` updates wait; the bot starts and is killed 0.1-1 s later."""

        async def body(server: FakeBotApi, bot: BotProcess) -> Tally:
            sent: Sent = {}
            for _ in range(kills):
                answers = answer_counts(server)
                waiting = sum(1 for chat, _ in sent.values() if not answers[chat])
                for _ in range(BACKLOG - waiting):
                    await self._send_start(server, sent)
                await bot.start()
                await asyncio.sleep(self.rng.uniform(0.1, 1.0))
                await bot.kill()
            await bot.start()
            await settle(server)
            await bot.stop()
            tally = count(server, sent, 0, f"backlog ({kills} kills)")
            tally.kills = kills
            return tally

        return await self._with_bot("backlog", body)

    async def steady(self, kills: int, *, slow: bool = False) -> Tally:
        """People write at ``STEADY_RATE`` (``SLOW_RATE`` when Telegram is slow) while the bot
        runs; it is killed after 0.3-2 s (0.5-4 s) and started again at once."""

        async def body(server: FakeBotApi, bot: BotProcess) -> Tally:
            sent: Sent = {}
            if slow:
                server.inject_delay("sendMessage", SLOW_SEND_SECONDS, times=10**9)
            rate = SLOW_RATE if slow else STEADY_RATE

            async def people(seconds: float) -> None:
                end = asyncio.get_running_loop().time() + seconds
                while asyncio.get_running_loop().time() < end:
                    await self._send_start(server, sent)
                    await asyncio.sleep(1 / rate)

            for _ in range(kills):
                await bot.start()
                await people(self.rng.uniform(0.5, 4.0) if slow else self.rng.uniform(0.3, 2.0))
                await bot.kill()
            server.faults.clear()
            await bot.start()
            await settle(server)
            await bot.stop()
            name = "slow Telegram" if slow else "steady traffic"
            tally = count(server, sent, 0, f"{name} ({kills} kills)")
            tally.kills = kills
            return tally

        return await self._with_bot("slow" if slow else "steady", body)

    async def taps(self, kills: int, service_token: str) -> Tally:
        """``TAPS_PER_ROUND`` taps (language, /delete, report in turn), a kill 0-30 ms later."""

        async def body(server: FakeBotApi, bot: BotProcess) -> Tally:
            people = [next(self._users) for _ in range(kills * TAPS_PER_ROUND)]
            await bot.start()
            for user in people:  # each has a conversation (and a message to tap on)
                await server.user_sends_text(user, "/start", language_code="de")
            await settle(server, quiet=0.5)
            marker = server.marker()
            kinds = [(data.format(service=service_token), n) for data, n in TAPS.items()]
            sent: Sent = {}
            reports = 0
            for round_number in range(kills):
                round_people = people[round_number * TAPS_PER_ROUND :][:TAPS_PER_ROUND]
                for index, user in enumerate(round_people):
                    data, answers = kinds[index % len(kinds)]
                    reports += data.startswith("W|")
                    last = max(server.chat(user).messages)
                    turn = await server.user_presses_button(
                        user, last, data, allow_stale=True, language_code="de"
                    )
                    sent[turn.update_id] = (user, answers)
                await asyncio.sleep(self.rng.uniform(0, 0.03))
                await bot.kill()
                await bot.start()
            await settle(server)
            await bot.stop()
            tally = count(server, sent, marker, f"button taps ({kills} kills)")
            tally.kills = kills
            with sqlite3.connect(bot.database) as db:
                stored = db.execute("SELECT count(*) FROM reports").fetchone()[0]
            if stored != reports:
                tally.notes.append(f"reports: {reports} tapped, {stored} stored")
            return tally

        return await self._with_bot("taps", body)
