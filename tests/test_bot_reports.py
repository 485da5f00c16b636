"""Wrong-information reports: a few per person an hour, and staff told in one summary instead
of one notice per report. The real Application against the fake Bot API."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import STAFF_GROUP, USER, Person, plain
from test_bot_details import open_details, placed_service

from bot.answers import reports
from bot.callbackdata import service_token
from bot.chat.app import BotApplication
from bot.chat.report_notices import REPORTS_PER_HOUR, ReportLimit, ReportNotices
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from fakebotapi import FakeBotApi

KINDS = ["wrong-hours", "wrong-phone", "wrong-address", "closed"]
"""One more report than a person may file in an hour."""


async def report_all(person: Person, details: dict, token: str) -> list[dict]:
    """Open the report menu and tap one kind, for every kind in turn; the last answers."""
    answers = []
    for kind in KINDS:
        (menu,) = await person.presses(details, data=f"w|{token}")
        answers += await person.presses(menu, data=f"W|{token}|{kind}")
    return answers


async def test_reports_are_limited_per_person_and_staff_get_one_summary(
    server: FakeBotApi,
    app: BotApplication,
    directory: Directory,
    translators: TranslatorRegistry,
    db_path: Path,
) -> None:
    await server.bot_added_to_group(STAFF_GROUP, title="Wegweiser-Team")
    await server.wait_for_bot_messages(STAFF_GROUP)
    marker = server.marker()
    service = placed_service(directory)
    token = service_token(service.id)
    people = [Person(server, chat_id=USER + n) for n in range(3)]
    for person in people:
        answers = await report_all(person, await open_details(person, service), token)
        thanks = plain(reports.report_thanks(translators["de"]).text)
        assert [a["text"] for a in answers[:REPORTS_PER_HOUR]] == [thanks] * REPORTS_PER_HOUR
        assert answers[-1]["text"] == plain(reports.report_limit_reached(translators["de"]).text)

    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM reports").fetchone() == (3 * REPORTS_PER_HOUR,)
    # The first report was told at once; the rest wait for the minute to end, or, as here,
    # for the bot to stop.
    (first,) = await server.wait_for_bot_messages(STAFF_GROUP, since=marker)
    await app.bot_data.report_notices.close()
    first, summary = await server.wait_for_bot_messages(STAFF_GROUP, 2, since=marker)
    assert first["text"].startswith("⚠️ Report: ")
    assert summary["text"].startswith(f"⚠️ {3 * REPORTS_PER_HOUR - 1} reports:")
    assert summary["text"].count("\n• ") == 3 * REPORTS_PER_HOUR - 1


async def test_reports_after_the_first_wait_and_go_out_together() -> None:
    notices = ReportNotices(gather_seconds=0.2)
    sent: list[list[str]] = []

    async def send(lines: Sequence[str]) -> None:
        sent.append(list(lines))

    await notices.add("a", send)
    assert sent == [["a"]]  # the first of a quiet spell at once
    for line in "bcd":
        await notices.add(line, send)
    assert sent == [["a"]]
    await asyncio.sleep(0.5)
    assert sent == [["a"], ["b", "c", "d"]]
    await asyncio.sleep(0.3)  # a quiet spell again: the next one goes out at once
    await notices.add("e", send)
    assert sent == [["a"], ["b", "c", "d"], ["e"]]
    await notices.close()


def test_a_person_may_report_again_an_hour_later() -> None:
    limit = ReportLimit(per_hour=2)
    start = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
    assert [limit.allow(1, start + timedelta(minutes=m)) for m in (0, 1, 2)] == [True, True, False]
    assert limit.allow(2, start)  # another person
    assert limit.allow(1, start + timedelta(minutes=60))
