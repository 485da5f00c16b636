"""The store's anonymous tables on real SQLite files: the search log and what it may keep,
wrong-information reports, message ids for /clear, retention, and the staff statistics."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.answers.menus import privacy
from bot.i18n.translators import TranslatorRegistry
from bot.store.queries import (
    MAX_LOGGED_QUERY_CHARS,
    HousekeepingResult,
    Report,
    ServiceReports,
    UnmetQuery,
)
from bot.store.retention import (
    CHAT_MESSAGE_LIFETIME,
    MAX_LOG_RETENTION_DAYS,
    SEARCH_LOG_RETENTION,
    USER_RETENTION,
    Cutoffs,
    RetentionError,
    cutoffs_at,
    search_log_retention,
)
from bot.store.store import Store
from store.storage_helpers import ALICE, BOB, NOW, log, opened, rows, settle

# --- search log -------------------------------------------------------------------------


async def test_log_search_stores_an_anonymous_row(store: Store, db_path: Path) -> None:
    await log(
        store,
        "  arzt   ohne  versicherung ",
        language="ar",
        categories=("health", "health", "counselling"),
        result_count=4,
        top_score=91.5,
        danger=None,
        when=datetime(2026, 11, 21, 15, 59, 59, tzinfo=ZoneInfo("Europe/Berlin")),
    )
    await settle(store)

    ((row_id,),) = rows(db_path, "SELECT id FROM search_log")
    assert 0 < row_id < 2**63
    columns = "query, language, categories, result_count, top_score, crisis, hour"
    assert rows(db_path, f"SELECT {columns} FROM search_log") == [
        (
            "arzt ohne versicherung",
            "ar",
            '["counselling", "health"]',
            4,
            91.5,
            0,
            "2026-11-21T14:00:00+00:00",
        )
    ]


async def test_log_rows_keep_no_order_that_could_pair_them_with_chats(
    store: Store, db_path: Path
) -> None:
    """/clear's table keeps (chat, message) in writing order; the log must not keep its own,
    or the n-th log row would be the n-th person's search."""
    queries = [f"frage {number:02d}" for number in range(20)]
    for number, query in enumerate(queries):
        await store.track_messages(ALICE + number, [1], NOW)
        await log(store, query)
        await store.add_report(f"service-{number:02d}", "closed", NOW)
    await settle(store)
    by_id = [query for (query,) in rows(db_path, "SELECT query FROM search_log ORDER BY id")]
    assert sorted(by_id) == queries
    assert by_id != queries  # 1 in 20! to fail by chance
    reported = [
        service for (service,) in rows(db_path, "SELECT service_id FROM reports ORDER BY id")
    ]
    assert reported != sorted(reported)


async def test_a_message_that_spoke_of_danger_keeps_only_its_kind_and_language(
    store: Store, db_path: Path
) -> None:
    await log(store, "ich will nicht mehr leben maria", language="de", danger="suicide")
    await settle(store)
    assert rows(db_path, "SELECT query, language, crisis, danger FROM search_log") == [
        (None, "de", 1, "suicide")
    ]


def test_search_log_and_reports_have_no_person_columns(sync_store: Store, db_path: Path) -> None:
    def columns(table: str) -> list[str]:
        return [row[1] for row in rows(db_path, f'PRAGMA table_info("{table}")')]

    assert columns("search_log") == [
        "id",
        "query",
        "language",
        "categories",
        "result_count",
        "top_score",
        "crisis",
        "hour",
        "danger",
    ]
    # update_id only while the report's update may be handled again (see bot.store.inbox)
    assert columns("reports") == ["id", "service_id", "kind", "created_at", "update_id"]
    assert columns("chat_messages") == ["chat_id", "message_id", "sent_at"]
    assert columns("users") == ["user_id", "language", "last_seen_day"]


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        ("x" * MAX_LOGGED_QUERY_CHARS, "x" * MAX_LOGGED_QUERY_CHARS),
        ("x" * (MAX_LOGGED_QUERY_CHARS + 1), None),
        ("ich heiße anna müller und wohne in der bahnhofstraße 12, ich brauche hilfe", None),
        ("   ", None),
    ],
    ids=["at-limit", "over-limit", "story", "blank"],
)
async def test_long_queries_are_logged_without_text(
    store: Store, db_path: Path, query: str, stored: str | None
) -> None:
    await log(store, query)
    await settle(store)

    assert rows(db_path, "SELECT query, language FROM search_log") == [(stored, "de")]


async def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        await log(store, when=NOW.replace(tzinfo=None))


async def test_housekeeping_purges_the_search_log_by_the_hour(store: Store, db_path: Path) -> None:
    for hours_ago in (3, 2, 1, 0):
        await log(store, f"q{hours_ago}", when=NOW - timedelta(hours=hours_ago))

    # The row for 13:00 also holds searches after 13:37, so it stays.
    result = await store.housekeeping(NOW, search_log_retention=timedelta(hours=1))
    assert result.search_log == 2
    assert rows(db_path, "SELECT query FROM search_log ORDER BY hour") == [("q1",), ("q0",)]


# --- reports ----------------------------------------------------------------------------


async def test_reports_newest_first(store: Store) -> None:
    await store.add_report("tafel-mitte", "wrong-hours", NOW - timedelta(days=2))
    await store.add_report("kleiderkammer", "closed", NOW)
    await store.add_report("schuldnerberatung", "wrong-phone", NOW - timedelta(hours=5))

    assert await store.recent_reports(2) == [
        Report("kleiderkammer", "closed", datetime(2026, 11, 21, 14, tzinfo=UTC)),
        Report("schuldnerberatung", "wrong-phone", datetime(2026, 11, 21, 9, tzinfo=UTC)),
    ]


async def test_unknown_report_kind_is_refused(store: Store) -> None:
    with pytest.raises(
        ValueError,
        match="unknown report kind 'rude'; expected one of closed, other, wrong-address, ",
    ):
        await store.add_report("tafel-mitte", "rude", NOW)


# --- chat messages for /clear -----------------------------------------------------------


async def test_messages_to_clear_only_younger_than_48_hours(store: Store) -> None:
    await store.track_messages(ALICE, [1, 2], NOW - CHAT_MESSAGE_LIFETIME)
    await store.track_messages(ALICE, [3], NOW - CHAT_MESSAGE_LIFETIME + timedelta(seconds=1))
    await store.track_messages(ALICE, [5, 4, 4], NOW)
    await store.track_messages(BOB, [6], NOW)

    assert await store.messages_to_clear(ALICE, NOW) == [3, 4, 5]
    assert await store.messages_to_clear(BOB, NOW) == [6]


async def test_forget_messages(store: Store) -> None:
    await store.track_messages(ALICE, [1, 2, 3], NOW)
    await store.track_messages(BOB, [2], NOW)

    assert await store.forget_messages(ALICE, [2, 3, 99]) == 2
    assert await store.messages_to_clear(ALICE, NOW) == [1]
    assert await store.messages_to_clear(BOB, NOW) == [2]


async def test_housekeeping_forgets_messages_too_old_to_delete(store: Store, db_path: Path) -> None:
    await store.track_messages(ALICE, [1], NOW - CHAT_MESSAGE_LIFETIME)
    await store.track_messages(ALICE, [2], NOW - timedelta(hours=47))

    assert (await store.housekeeping(NOW)).chat_messages == 1
    assert rows(db_path, "SELECT message_id FROM chat_messages") == [(2,)]


@pytest.mark.parametrize("chat_id", [-1001234567890, 0])
async def test_only_private_chats_are_tracked(store: Store, chat_id: int) -> None:
    with pytest.raises(ValueError, match=f"only private chats are tracked, got chat id {chat_id}"):
        await store.track_messages(chat_id, [1], NOW)


# --- housekeeping -----------------------------------------------------------------------


async def test_housekeeping(store: Store, db_path: Path) -> None:
    await store.track_messages(ALICE, [1], NOW - CHAT_MESSAGE_LIFETIME - timedelta(minutes=1))
    await store.track_messages(ALICE, [2], NOW)
    await log(store, "old", when=NOW - SEARCH_LOG_RETENTION - timedelta(hours=1))
    await log(store, "new", when=NOW - SEARCH_LOG_RETENTION + timedelta(hours=1))
    await store.touch(ALICE, (NOW - USER_RETENTION).date() - timedelta(days=1))
    await store.touch(BOB, (NOW - USER_RETENTION).date())
    await store.set_language(12345, "en")  # never touched: kept, there is no day to judge

    assert await store.housekeeping(NOW) == HousekeepingResult(
        chat_messages=1, search_log=1, users=1
    )
    assert rows(db_path, "SELECT message_id FROM chat_messages") == [(2,)]
    assert rows(db_path, "SELECT query FROM search_log") == [("new",)]
    assert rows(db_path, "SELECT user_id FROM users ORDER BY user_id") == [(12345,), (BOB,)]


def test_housekeeping_without_an_event_loop(sync_store: Store) -> None:
    assert sync_store.run_sync(sync_store.housekeeping, NOW) == HousekeepingResult(0, 0, 0)


@pytest.mark.parametrize(
    ("days", "message"),
    [(0, r"must be 1 or more \(got 0\)"), (MAX_LOG_RETENTION_DAYS + 1, "must be at most 36500")],
)
def test_the_search_log_period_is_checked_in_one_place(days: int, message: str) -> None:
    with pytest.raises(RetentionError, match=message):
        search_log_retention(days)
    assert search_log_retention(30) == timedelta(days=30)


def test_cutoffs_follow_the_periods() -> None:
    assert cutoffs_at(NOW, timedelta(days=7)) == Cutoffs(
        chat_messages=NOW - CHAT_MESSAGE_LIFETIME,
        search_log=NOW - timedelta(days=7),
        users_day=(NOW - USER_RETENTION).date(),
    )


def test_the_privacy_text_tells_the_periods_the_store_keeps(
    translators: TranslatorRegistry,
) -> None:
    """The promise is a translated sentence with the numbers in it: it must match the store."""
    text = privacy(translators["en"]).text
    assert f"After {USER_RETENTION.days} days without use" in text
    assert f"for {CHAT_MESSAGE_LIFETIME // timedelta(hours=1)} hours" in text


# --- staff statistics -------------------------------------------------------------------


async def unmet(store: Store, since: datetime, **thresholds: Any) -> list[UnmetQuery]:
    """The unmet searches, read the way /stats and ``python -m bot stats`` read them."""
    return (await store.usage_report(since, **thresholds)).unmet_queries


async def test_unmet_queries_need_three_searches(store: Store) -> None:
    for language in ("ar", "de", "ar"):
        await log(store, "deutschkurs kostenlos", language=language)
    for _ in range(2):
        await log(store, "anna müller", language="de")  # two people: never shown
    for score in (30.0, 59.9, 10.0):
        await log(store, "zahnarzt", language="uk", result_count=2, top_score=score)
    for _ in range(5):
        await log(store, "tafel", result_count=3, top_score=60.0)  # good enough: met

    assert await unmet(store, NOW - timedelta(days=1)) == [
        UnmetQuery("deutschkurs kostenlos", 3, ("ar", "de")),
        UnmetQuery("zahnarzt", 3, ("uk",)),
    ]
    assert await unmet(store, NOW - timedelta(days=1), min_count=4) == []
    assert await unmet(store, NOW - timedelta(days=1), weak_score=61.0) == [
        UnmetQuery("tafel", 5, ("de",)),
        UnmetQuery("deutschkurs kostenlos", 3, ("ar", "de")),
        UnmetQuery("zahnarzt", 3, ("uk",)),
    ]
    assert await unmet(store, NOW + timedelta(hours=1)) == []


async def test_unmet_queries_cannot_expose_single_searches(store: Store) -> None:
    with pytest.raises(ValueError, match="min_count must be at least 3"):
        await store.usage_report(NOW, min_count=1)


async def test_demand_statistics(store: Store) -> None:
    since = NOW - timedelta(days=7)
    await log(store, "essen", language="uk", categories=("food",))
    await log(store, "essen und bett", language="ar", categories=("food", "shelter"))
    await log(store, "hilfe", language="ar", categories=(), danger="suicide")
    await log(store, "bett", language="ar", categories=("shelter",), danger="suicide")
    await log(store, "alt", language="ru", categories=("food",), when=since - timedelta(hours=1))

    report = await store.usage_report(since)
    assert report.demand_by_category == {"food": 2, "shelter": 2}
    assert list(report.demand_by_language) == ["ar", "uk"]
    assert report.demand_by_language == {"ar": 3, "uk": 1}
    assert report.crisis_count == 2


async def test_reports_per_service(store: Store) -> None:
    for kind in ("wrong-hours", "wrong-hours", "closed"):
        await store.add_report("tafel-mitte", kind, NOW)
    await store.add_report("kleiderkammer", "wrong-phone", NOW)
    await store.add_report("alt", "other", NOW - timedelta(days=40))

    assert (await store.usage_report(NOW - timedelta(days=30))).reports_per_service == [
        ServiceReports("tafel-mitte", 3, {"closed": 1, "wrong-hours": 2}),
        ServiceReports("kleiderkammer", 1, {"wrong-phone": 1}),
    ]


async def test_searches_per_day_in_the_city_zone(store: Store) -> None:
    # 23:30 UTC on 20 Nov is 00:30 on 21 Nov in Berlin.
    await log(store, when=datetime(2026, 11, 20, 22, 30, tzinfo=UTC))
    await log(store, when=datetime(2026, 11, 20, 23, 30, tzinfo=UTC))
    await log(store, when=NOW)
    since = NOW - timedelta(days=7)

    in_utc = await store.usage_report(since)
    assert in_utc.searches_per_day == {date(2026, 11, 20): 2, date(2026, 11, 21): 1}
    in_berlin = await store.usage_report(since, tz=ZoneInfo("Europe/Berlin"))
    assert in_berlin.searches_per_day == {
        date(2026, 11, 20): 1,
        date(2026, 11, 21): 2,
    }


async def test_usage_report_with_and_without_an_event_loop_agree(db_path: Path) -> None:
    async with opened(db_path) as store:
        for _ in range(3):
            await log(store, "wohnung")
            await log(store, "wohnung", danger="violence")  # counted, its words never kept
        await store.add_report("tafel-mitte", "closed", NOW)
        report = await store.usage_report(NOW - timedelta(days=1))

    assert report.unmet_queries == [UnmetQuery("wohnung", 3, ("de",))]
    assert report.demand_by_category == {"food": 6}
    assert report.demand_by_language == {"de": 6}
    assert report.crisis_count == 3
    assert report.reports_per_service == [ServiceReports("tafel-mitte", 1, {"closed": 1})]
    assert report.searches_per_day == {date(2026, 11, 21): 6}

    def read_in_a_cli() -> Any:
        with Store.open(db_path) as store:
            return store.run_sync(store.usage_report, NOW - timedelta(days=1))

    assert await asyncio.to_thread(read_in_a_cli) == report


async def test_run_sync_refuses_to_block_the_event_loop(store: Store) -> None:
    with pytest.raises(RuntimeError, match=r"run_sync\(usage_report\) would block the event loop"):
        store.run_sync(store.usage_report, NOW)
