"""Updates per second through the fake Bot API server: Wegweiser next to an echo bot.

Both bots run on the same stack in the same run: python-telegram-bot's Application with the
same update processor (different chats in parallel, one chat in order) and the same
AIORateLimiter, polling the project's fake Bot API server over loopback HTTP. The echo bot
answers every message with its text and nothing else, so its rate is the ceiling of the
stack; the target is Wegweiser at >= 50 % of it.

Every update comes from a new person, the expensive case: each one costs Wegweiser a
language lookup, a last-seen write, the search, the rendering, the answer, the message-id
tracking for /clear and the anonymous search-log row.

The rate limiter is configured without the overall 30 messages/s and per-group limits:
those model Telegram's servers, not ours, and would cap both bots at the same 30/s.

The fake server runs in its own process, as Telegram does: in one process its HTML parser
and bookkeeping for Wegweiser's longer messages (about 1 ms each, see --profile) would be
billed to the bot. On Linux the bot and the server are pinned to one core each. The CPU
column is the bot process alone (its event loop and its database thread).

    python bench/bench_bot.py [--updates N] [--rounds N] [--services FILE] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import multiprocessing
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from telegram import Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, MessageHandler, filters

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import heap  # noqa: E402
from bot.chat.app import (  # noqa: E402
    CONNECTION_POOL_SIZE,
    MAX_CONCURRENT_UPDATES,
    POOL_TIMEOUT_SECONDS,
    RATE_LIMIT_RETRIES,
    BotApplication,
    PerChatUpdateProcessor,
    build_application,
)
from bot.chat.polling import ALLOWED_UPDATES, POLL_TIMEOUT_SECONDS  # noqa: E402
from bot.chat.serve import running  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.directory import Directory  # noqa: E402
from bot.i18n.translators import load_translators  # noqa: E402
from bot.store.store import Store  # noqa: E402
from fakebotapi import FakeBotApi  # noqa: E402

TOKEN = "123456:BENCH-TOKEN-for-the-fake-server"
FIRST_USER = 2_000_000

QUERIES: tuple[tuple[str, str], ...] = (
    ("de", "Lebensmittel"),
    ("de", "ich habe Schulden"),
    ("de", "Arzt ohne Versicherung"),
    ("de", "wo kann ich heute schlafen"),
    ("de", "Deutschkurs kostenlos"),
    ("de", "Kleiderkammer Linden"),
    ("en", "food bank"),
    ("en", "debt advice"),
    ("uk", "їжа"),
    ("uk", "лікар без страховки"),
    ("ru", "юрист бесплатно"),
    ("ar", "طعام"),
    ("ar", "مساعدة في الديون"),
    ("tr", "doktor"),
    ("fa", "کمک غذایی"),
    ("de", "er schlägt mich"),
)
"""What people type, in the shipped languages; the last one is a crisis message."""


@dataclass(frozen=True)
class Result:
    name: str
    updates: int
    seconds: float
    cpu_seconds: float
    """CPU time of the bot's process (event loop and database thread) during the run."""

    @property
    def rate(self) -> float:
        return self.updates / self.seconds

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu_seconds / self.updates


def rate_limiter() -> AIORateLimiter:
    """Same for both bots: Telegram's own limits switched off, 429 retries kept."""
    return AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=RATE_LIMIT_RETRIES)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The ceiling: read the text, send it back."""
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


@asynccontextmanager
async def echo_running(base_url: str) -> AsyncIterator[None]:
    """The echo bot, polling through PTB's Updater as Wegweiser did before its inbox (which
    stores every update before confirming it: part of what the comparison shows)."""
    application = echo_application(base_url)
    assert application.updater is not None
    await application.initialize()
    await application.updater.start_polling(
        poll_interval=0.0, timeout=POLL_TIMEOUT_SECONDS, allowed_updates=list(ALLOWED_UPDATES)
    )
    await application.start()
    try:
        yield
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


def echo_application(base_url: str) -> BotApplication:
    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(base_url)
        .rate_limiter(rate_limiter())
        .concurrent_updates(PerChatUpdateProcessor(MAX_CONCURRENT_UPDATES))
        .connection_pool_size(CONNECTION_POOL_SIZE)
        .pool_timeout(POOL_TIMEOUT_SECONDS)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    return application  # type: ignore[return-value]


async def drive(server: FakeBotApi, first_user: int, updates: int) -> float:
    """In the server process: queue ``updates`` messages from new people, then time until
    each got an answer."""
    marker = server.marker()
    users = range(first_user, first_user + updates)
    started = time.perf_counter()
    for number, user in enumerate(users):
        language, text = QUERIES[number % len(QUERIES)]
        await server.user_sends_text(user, text, user_id=user, language_code=language)
    waiting = set(users)
    seen = marker
    while waiting:
        await asyncio.sleep(0.002)
        actions = server.actions
        for action in actions[seen:]:
            if action.kind == "sent":
                waiting.discard(action.chat_id)  # type: ignore[arg-type]
        seen = len(actions)
    return time.perf_counter() - started


async def serve(connection: Connection) -> None:
    """The server process: start the fake Bot API, then run each requested measurement."""
    async with FakeBotApi(token=TOKEN) as server:
        connection.send(server.base_url)
        loop = asyncio.get_running_loop()
        while (request := await loop.run_in_executor(None, connection.recv)) is not None:
            first_user, updates = request
            connection.send(await drive(server, first_user, updates))


def server_process(connection: Connection, cpu: int | None) -> None:
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})
    asyncio.run(serve(connection))


def one_core_each() -> tuple[int, int] | None:
    """A core for the bot and another for the fake server, where Linux lets us choose.

    Left to the scheduler, the two processes (and the machine's other guests) trade cores
    and the same run varies by ±10 %; pinned, as a bot and Telegram's far-away servers
    would be, the ratio of the two bots is steadier.
    """
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpus = sorted(os.sched_getaffinity(0))
    return (cpus[0], cpus[1]) if len(cpus) >= 2 else None


async def measure(
    connection: Connection,
    name: str,
    app_context: AbstractAsyncContextManager[object],
    updates: int,
    first_user: int,
) -> Result:
    """Ask the server process for a run while this process's bot answers it."""
    loop = asyncio.get_running_loop()
    async with app_context:
        cpu_started = time.process_time()
        connection.send((first_user, updates))
        elapsed = await loop.run_in_executor(None, connection.recv)
        cpu = time.process_time() - cpu_started
    return Result(name, updates, elapsed, cpu)


def wegweiser(
    base_url: str, directory: Directory, database: Path
) -> Callable[[], AbstractAsyncContextManager[BotApplication]]:
    translators = load_translators()
    settings = Settings(token=TOKEN, base_url=base_url, database_path=database)

    def start() -> AbstractAsyncContextManager[BotApplication]:
        application = build_application(
            settings,
            directory=directory,
            store=Store.open(database),
            translators=translators,
            rate_limiter=rate_limiter(),
        )
        return running(application, listen="127.0.0.1")

    return start


async def bench(
    connection: Connection, base_url: str, services: Path, updates: int, rounds: int, profile: bool
) -> list[Result]:
    translators = load_translators()
    directory = Directory.load(services, ui_languages=tuple(translators))
    heap.settle()  # as bot.chat.app.run does once the catalogue is loaded
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="wegweiser-bench-") as folder:
        start_wegweiser = wegweiser(base_url, directory, Path(folder) / "bench.sqlite3")
        user = FIRST_USER
        # Warm-up: imports, caches, connection pools; not counted.
        await measure(connection, "warm-up", echo_running(base_url), 50, user)
        user += 50
        await measure(connection, "warm-up", start_wegweiser(), 50, user)
        user += 50
        if profile:  # an extra run: cProfile slows it down too much to count
            profiler = cProfile.Profile()
            profiler.enable()
            await measure(connection, "profiled", start_wegweiser(), updates, user)
            profiler.disable()
            print_profile(profiler)
            user += updates
        for _ in range(rounds):  # interleaved, so both see the same machine state
            for name, start in (
                ("echo bot", lambda: echo_running(base_url)),
                ("Wegweiser", start_wegweiser),
            ):
                results.append(await measure(connection, name, start(), updates, user))
                user += updates
    return results


def print_profile(profiler: cProfile.Profile) -> None:
    """The functions that took the most time themselves (the event loop thread only)."""
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("tottime")
    stats.print_stats(30)
    print(out.getvalue(), file=sys.stderr)


def paired_ratios(results: Sequence[Result]) -> list[float]:
    """Wegweiser's rate over the echo bot's, per round: each pair ran back to back, so a
    busy moment of the (shared, virtual) machine hits both sides of one ratio alike."""
    echo = [r.rate for r in results if r.name == "echo bot"]
    ours = [r.rate for r in results if r.name == "Wegweiser"]
    return [mine / ceiling for ceiling, mine in zip(echo, ours, strict=True)]


def table(results: Sequence[Result]) -> str:
    """The best of the runs per bot, as a markdown table."""
    best: dict[str, Result] = {}
    for result in results:
        if result.name not in best or result.rate > best[result.name].rate:
            best[result.name] = result
    ceiling = best["echo bot"].rate
    lines = [
        "| bot | updates | seconds | updates/s | % of echo | CPU ms/update |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in best.values():
        lines.append(
            f"| {result.name} | {result.updates} | {result.seconds:.2f} | {result.rate:.0f} "
            f"| {100 * result.rate / ceiling:.0f} % | {result.cpu_ms:.2f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=1000, help="messages per run (default 1000)")
    parser.add_argument("--services", type=Path, default=ROOT / "services.yaml")
    parser.add_argument("--rounds", type=int, default=5, help="echo/Wegweiser pairs (default 5)")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="cProfile an extra Wegweiser run first (to stderr); the table leaves it out",
    )
    args = parser.parse_args(argv)
    cores = one_core_each()
    connection, server_end = multiprocessing.Pipe()
    server = multiprocessing.get_context("spawn").Process(
        target=server_process, args=(server_end, cores and cores[1]), daemon=True
    )
    server.start()
    if cores:
        os.sched_setaffinity(0, {cores[0]})
    try:
        base_url = connection.recv()
        results = asyncio.run(
            bench(connection, base_url, args.services, args.updates, args.rounds, args.profile)
        )
    finally:
        connection.send(None)
        server.join(timeout=10)
    print(
        f"Bot throughput through the fake Bot API server, {args.updates} updates per run, each "
        f"from a new user, best of {args.rounds} interleaved runs; {MAX_CONCURRENT_UPDATES} "
        f"concurrent updates, AIORateLimiter without Telegram's 30/s; "
        f"{'bot and server on one core each' if cores else 'cores shared'}; "
        f"Python {sys.version.split()[0]}.\n"
    )
    print(table(results))
    ratios = paired_ratios(results)
    print(
        "\nWegweiser / echo bot per round: "
        + ", ".join(f"{100 * ratio:.0f} %" for ratio in ratios)
        + f" (median {100 * statistics.median(ratios):.0f} %)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
