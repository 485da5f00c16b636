"""The reload decisions without Telegram: new or not, swap or refuse, what staff read."""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import itertools
import os
import subprocess
import sys
import time
import weakref
from datetime import UTC, datetime
from pathlib import Path

import pytest
from catalogue_edits import BAD_PHONE, line_of, save, until, with_bad_phone, with_new_service
from conftest import PROJECT_ROOT, write_catalogue

from bot.answers.fitting import MAX_MESSAGE_CHARS
from bot.answers.texts import esc
from bot.catalogue.validation import Finding
from bot.chat.context import DirectoryHolder
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from bot.reloader import (
    CatalogueReloader,
    Refused,
    Reloaded,
    ReloadOutcome,
    Unchanged,
    watch,
)
from bot.staff.reload_messages import refused_message, staff_message
from fakebotapi import parse_telegram_html


@pytest.fixture
def holder(start: Directory) -> DirectoryHolder:
    return DirectoryHolder(start)


@pytest.fixture
def reloader(holder: DirectoryHolder, translators: TranslatorRegistry) -> CatalogueReloader:
    return CatalogueReloader(holder, ui_languages=tuple(translators))


async def test_the_file_loaded_at_start_is_not_loaded_again(
    reloader: CatalogueReloader, holder: DirectoryHolder, start: Directory
) -> None:
    assert await reloader.check() is None
    asked = await reloader.check(force=True)
    assert asked == Unchanged(start) and not asked.announce
    assert holder.current is start
    assert staff_message(asked) == (
        f"<b>services.yaml</b> is unchanged: 5 services, 6 warnings, active since "
        f"{start.loaded_at.astimezone(start.catalogue.region.tz):%Y-%m-%d %H:%M}."
    )


async def test_a_valid_change_is_swapped_in_with_its_search_index(
    reloader: CatalogueReloader, holder: DirectoryHolder, start: Directory, path: Path
) -> None:
    assert not start.index.search("Wärmestube", language="de", limit=3).results
    save(path, with_new_service(path.read_text(encoding="utf-8")))
    outcome = await reloader.check()
    assert isinstance(outcome, Reloaded) and outcome.announce
    assert outcome.previous is start and holder.current is outcome.directory
    found = holder.current.index.search("Wärmestube", language="de", limit=3).results
    assert [match.service.id for match in found][:1] == ["waermestube"]
    assert staff_message(outcome) == (
        "✅ <b>services.yaml reloaded</b>: 6 services (1 new, 0 removed), 6 warnings "
        "(<code>python -m bot validate</code> lists them)."
    )
    assert await reloader.check() is None


async def test_a_replaced_catalogue_is_freed_and_the_new_one_frozen(
    translators: TranslatorRegistry, tmp_path: Path
) -> None:
    """bot.heap after a reload: the new directory is out of the collector's way, and the old
    one goes once the last reference to it does, cycles and all, by the next reload."""
    path = write_catalogue(tmp_path / "services.yaml")
    first = Directory.load(path, ui_languages=tuple(translators))
    slot = DirectoryHolder(first)
    reloader = CatalogueReloader(slot, ui_languages=tuple(translators))
    watch_first = weakref.ref(first)
    del first
    try:
        edits = (with_new_service, lambda text: text.replace("Tafel 1", "Tafel Eins"))
        for edit in edits:
            save(path, edit(path.read_text(encoding="utf-8")))
            outcome = await reloader.check(force=True)
            assert isinstance(outcome, Reloaded)
            del outcome
        current = slot.current
        assert not any(obj is current for gen in range(3) for obj in gc.get_objects(gen))
        assert watch_first() is None
    finally:
        gc.unfreeze()


async def test_a_broken_file_is_refused_and_reported_once(
    reloader: CatalogueReloader, holder: DirectoryHolder, start: Directory, path: Path
) -> None:
    broken = with_bad_phone(path.read_text(encoding="utf-8"))
    save(path, broken)
    outcome = await reloader.check()
    assert isinstance(outcome, Refused) and outcome.announce and outcome.active is start
    assert holder.current is start
    assert [f.format() for f in outcome.findings if f.level == "error"] == [
        f'{path}:{line_of(broken, BAD_PHONE)}: error: `tafel-2`, field `phone`: "call us" is '
        "not a valid phone number in DE. Write it as printed, with the area code, for example "
        '"0511 123456" or "+49 511 123456"'
    ]
    assert await reloader.check() is None
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**10))  # saved again, unchanged
    assert await reloader.check() is None
    again = await reloader.check(force=True)
    assert isinstance(again, Refused) and again.repeated and not again.announce
    assert holder.current is start


async def test_putting_the_active_version_back_after_a_refusal_is_news(
    reloader: CatalogueReloader, holder: DirectoryHolder, start: Directory, path: Path
) -> None:
    assert await reloader.check() is None  # the watcher's first look, right after the start
    good = path.read_text(encoding="utf-8")
    save(path, with_bad_phone(good))
    assert isinstance(await reloader.check(), Refused)
    save(path, good)
    outcome = await reloader.check()
    assert outcome == Unchanged(start, restored=True) and outcome.announce
    assert staff_message(outcome) == (
        "↩️ <b>services.yaml</b> is back to the active version (5 services); "
        "the refused changes are gone."
    )
    assert await reloader.check() is None
    assert holder.current is start


async def test_a_broken_file_reported_before_a_good_one_is_news_again(
    reloader: CatalogueReloader, path: Path
) -> None:
    good = path.read_text(encoding="utf-8")
    save(path, with_bad_phone(good))
    assert isinstance(await reloader.check(), Refused)
    save(path, with_new_service(good))
    assert isinstance(await reloader.check(), Reloaded)
    save(path, with_bad_phone(good))
    outcome = await reloader.check()
    assert isinstance(outcome, Refused) and outcome.announce


async def test_a_deleted_file_is_refused_with_a_clear_error(
    reloader: CatalogueReloader, holder: DirectoryHolder, start: Directory, path: Path
) -> None:
    assert await reloader.check() is None
    good = path.read_text(encoding="utf-8")
    path.unlink()
    outcome = await reloader.check()
    assert isinstance(outcome, Refused) and outcome.announce
    assert [f.format() for f in outcome.findings] == [
        f"{path}:1: error: cannot read the file: No such file or directory"
    ]
    assert await reloader.check() is None
    save(path, good)
    assert await reloader.check() == Unchanged(start, restored=True)


async def test_a_file_saved_between_loading_and_the_first_look_is_loaded(
    reloader: CatalogueReloader, holder: DirectoryHolder, path: Path
) -> None:
    save(path, with_new_service(path.read_text(encoding="utf-8")))
    outcome = await reloader.check()
    assert isinstance(outcome, Reloaded)
    assert "waermestube" in holder.current.catalogue.services_by_id


@pytest.mark.parametrize(("seconds_later", "noticed"), [(0.5, True), (60.0, False)])
async def test_a_save_inside_the_same_clock_tick_is_noticed_while_the_file_is_fresh(
    holder: DirectoryHolder,
    translators: TranslatorRegistry,
    path: Path,
    seconds_later: float,
    noticed: bool,
) -> None:
    """Same size and mtime, other bytes: only hashing sees it, and only a fresh file is hashed
    on every look; an old file's unchanged stat is trusted (that is what keeps it cheap)."""
    stat = path.stat()
    reloader = CatalogueReloader(
        holder,
        ui_languages=tuple(translators),
        clock=lambda: stat.st_mtime + seconds_later,
    )
    assert await reloader.check() is None
    path.write_text(path.read_text().replace("0511 123451", "0511 123459"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    outcome = await reloader.check()
    assert isinstance(outcome, Reloaded) if noticed else outcome is None


async def test_loading_runs_off_the_event_loop(
    tmp_path: Path, translators: TranslatorRegistry
) -> None:
    """Other tasks (people's searches) keep running while a big file loads: the longest pause
    of a ticking task stays far below the time the load takes."""
    path = write_catalogue(tmp_path / "services.yaml", food_services=2)
    reloader = CatalogueReloader(
        DirectoryHolder(Directory.load(path, ui_languages=tuple(translators))),
        ui_languages=tuple(translators),
    )
    write_catalogue(path, food_services=600)
    began = time.perf_counter()
    Directory.load(path, ui_languages=tuple(translators))
    load_seconds = time.perf_counter() - began
    ticks: list[float] = []
    done = False

    async def tick() -> None:
        while not done:
            ticks.append(time.perf_counter())
            await asyncio.sleep(0.001)

    # A full collection of what earlier tests left (a 10,000-service catalogue) would pause
    # the loop for reasons that have nothing to do with where the load runs.
    gc.collect()
    gc.disable()
    try:
        ticker = asyncio.create_task(tick())
        outcome = await reloader.check()
        done = True
        await ticker
    finally:
        gc.enable()
    assert isinstance(outcome, Reloaded)
    longest_pause = max(b - a for a, b in itertools.pairwise(ticks))
    assert longest_pause < load_seconds / 2, (longest_pause, load_seconds)


async def test_the_watcher_reports_news_and_survives_a_failing_report(
    reloader: CatalogueReloader, path: Path
) -> None:
    good = path.read_text(encoding="utf-8")
    told: list[ReloadOutcome] = []

    async def report(outcome: ReloadOutcome) -> None:
        told.append(outcome)
        if len(told) == 1:
            raise RuntimeError("the staff chat is unreachable")

    watcher = asyncio.create_task(watch(reloader, 0.01, report))
    try:
        save(path, with_bad_phone(good))
        await until(lambda: len(told) == 1)
        save(path, with_new_service(good))
        await until(lambda: len(told) == 2)
        await asyncio.sleep(0.1)  # ten more looks: nothing new to tell
    finally:
        watcher.cancel()
    assert [type(outcome) for outcome in told] == [Refused, Reloaded]


def finding(number: int) -> Finding:
    return Finding(
        "error", "services.yaml", number, f"problem <{number}> & more", f"svc-{number}", "phone"
    )


def test_a_refusal_reads_as_errors_with_line_service_and_fix(start: Directory) -> None:
    active = dataclasses.replace(start, loaded_at=datetime(2026, 11, 18, 9, 30, tzinfo=UTC))
    warning = Finding("warning", "services.yaml", 3, "is old", "svc-3", "last_verified")
    text = refused_message(Path("/srv/services.yaml"), [finding(7), warning, finding(9)], active)
    assert text == (
        "❌ <b>services.yaml refused</b>: 2 errors. The bot keeps answering from the last good "
        "version (5 services, loaded 2026-11-18 10:30).\n"
        "\n"
        "• services.yaml:7: error: `svc-7`, field `phone`: problem &lt;7&gt; &amp; more\n"
        "• services.yaml:9: error: `svc-9`, field `phone`: problem &lt;9&gt; &amp; more\n"
        "\n"
        "Fix the file and save it again; the bot tries it within seconds (or send /reload)."
    )


@pytest.mark.parametrize("errors", [10, 60, 300])
def test_many_errors_fit_one_message_with_the_rest_counted(start: Directory, errors: int) -> None:
    text = refused_message(Path("services.yaml"), [finding(n) for n in range(errors)], start)
    assert len(text) <= MAX_MESSAGE_CHARS
    parse_telegram_html(text)  # Telegram would take it: no tag or entity cut in half
    lines = text.splitlines()
    listed = [line for line in lines if line.startswith("• ")]
    assert listed == [f"• {esc(finding(n).format())}" for n in range(len(listed))]
    more = [line for line in lines if line.startswith("… and ")]
    assert more == ([f"… and {errors - len(listed)} more"] if len(listed) < errors else [])


def test_one_huge_error_is_cut(start: Directory) -> None:
    huge = Finding("error", "services.yaml", 1, "x" * 10_000, "svc", "name")
    text = refused_message(Path("services.yaml"), [huge], start)
    assert len(text) <= MAX_MESSAGE_CHARS and "x…" in text


def test_importing_the_reloader_leaves_telegram_out() -> None:
    """The reload decisions are core: no python-telegram-bot import."""
    code = "import sys, bot.reloader; sys.exit('telegram' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=False)
    assert result.returncode == 0
