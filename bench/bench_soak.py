"""Memory over time: the real bot process at Telegram's rate limit for ten minutes.

``python -m bot run`` (the production path, with its durable inbox) polls the project's fake
Bot API server, and people write to it at ``RATE`` updates per second, Telegram's limit for
one bot's answers: searches in the shipped languages, from a pool
of ``PEOPLE`` chats so that the per-person memory (language, last search) fills up the way a
busy day does. Every ``--every`` seconds one row: time, updates sent and answered, the
updates still waiting in the inbox, and the bot process's resident memory (VmRSS). A leak
shows as a column that keeps climbing after the first minutes.

    python bench/bench_soak.py [--minutes 10] [--every 30] [--services FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import signal
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fakebotapi import FakeBotApi  # noqa: E402

TOKEN = "123456:SOAK-TOKEN-for-the-fake-server"
RATE = 30.0
"""Updates per second: Telegram lets a bot send about 30 messages a second in all."""
PEOPLE = 5_000
"""Distinct chats the updates come from: a large city's busy week."""
TEXTS = (
    ("de", "Lebensmittel"),
    ("de", "ich habe Schulden"),
    ("de", "wo kann ich heute schlafen"),
    ("en", "food bank"),
    ("uk", "лікар без страховки"),
    ("ar", "طعام"),
    ("tr", "doktor"),
    ("fa", "کمک غذایی"),
)
"""Searches that are answered with one message each, so RATE updates make RATE messages."""


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def inbox_waiting(database: Path) -> int:
    with sqlite3.connect(database, timeout=5) as db:
        return int(db.execute("SELECT count(*) FROM inbox").fetchone()[0])


async def soak(minutes: float, every: float, services: Path) -> None:
    rng = random.Random(7)
    async with FakeBotApi(token=TOKEN) as server:
        with tempfile.TemporaryDirectory(prefix="wegweiser-soak-") as folder:
            database = Path(folder) / "bot.sqlite3"
            env = {
                **os.environ,
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_BASE_URL": server.base_url,
                "SERVICES_FILE": str(services),
                "DATABASE_PATH": str(database),
                "LOG_LEVEL": "WARNING",
            }
            bot = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", cwd=ROOT, env=env
            )
            while not server.requests_for("getUpdates"):
                await asyncio.sleep(0.05)
            print(f"{'minute':>6} {'sent':>7} {'answers':>8} {'in inbox':>8} {'RSS MB':>7}")
            started = time.monotonic()
            sent = 0
            people = itertools.cycle(range(3_000_000, 3_000_000 + PEOPLE))
            next_row = started
            while (now := time.monotonic()) - started < minutes * 60:
                if now >= next_row:
                    answers = sum(1 for a in server.actions if a.kind in ("sent", "edited"))
                    print(
                        f"{(now - started) / 60:6.1f} {sent:7d} {answers:8d} "
                        f"{inbox_waiting(database):8d} {rss_mb(bot.pid):7.1f}",
                        flush=True,
                    )
                    next_row += every
                language, text = rng.choice(TEXTS)
                await server.user_sends_text(next(people), text, language_code=language)
                sent += 1
                # Keep the fake server's own logs small: this measures the bot, not them.
                server.activity.requests.clear()
                await asyncio.sleep(max(0.0, started + sent / RATE - time.monotonic()))
            bot.send_signal(signal.SIGTERM)
            await bot.wait()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long (default 10)")
    parser.add_argument("--every", type=float, default=30.0, help="seconds between rows")
    parser.add_argument("--services", type=Path, default=ROOT / "services.yaml")
    args = parser.parse_args(argv)
    asyncio.run(soak(args.minutes, args.every, args.services))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
