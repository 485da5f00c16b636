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
    HousekeepingResult,
    Report,
    ServiceReports,
    UnmetWord,
)
from bot.store.retention import (
    CHAT_MESSAGE_LIFETIME,
    COUNSEL_RETENTION,
    MAX_LOG_RETENTION_DAYS,
    SEARCH_LOG_RETENTION,
    USER_RETENTION,
    Cutoffs,
    RetentionError,
    cutoffs_at,
    search_log_retention,
)
from bot.store.searchlog import SHARED_BY_CHATS
from bot.store.store import Store
from store.storage_helpers import ALICE, BOB, NOW, log, opened, rows, settle

# --- search log -------------------------------------------------------------------------


async def test_log_search_stores_an_anonymous_row(store: Store, db_path: Path) -> None:
    await log(
        store,
        "arzt ohne versicherung",
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
    columns = "language, categories, result_count, top_score, crisis, day"
    assert rows(db_path, f"SELECT {columns} FROM search_log") == [
        ("ar", '["counselling", "health"]', 4, 91.5, 0, "2026-11-21")
    ]
    assert rows(db_path, "SELECT * FROM unmet_words") == []


async def test_log_rows_keep_no_order_that_could_pair_them_with_chats(
    store: Store, db_path: Path
) -> None:
    """/clear's table keeps (chat, message) in writing order; the log must not keep its own,
    or the n-th log row would be the n-th person's search."""
    languages = [f"l{number:02d}" for number in range(20)]
    for number, language in enumerate(languages):
        await store.track_messages(ALICE + number, [1], NOW)
        await log(store, language=language, chat=ALICE + number)
        await store.add_report(f"service-{number:02d}", "closed", NOW)
    await settle(store)
    by_id = [row for (row,) in rows(db_path, "SELECT language FROM search_log ORDER BY id")]
    assert sorted(by_id) == languages
    assert by_id != languages  # 1 in 20! to fail by chance
    reported = [
        service for (service,) in rows(db_path, "SELECT service_id FROM reports ORDER BY id")
    ]
    assert reported != sorted(reported)


async def test_a_message_that_spoke_of_danger_keeps_only_its_kind_and_language(
    store: Store, db_path: Path
) -> None:
    for chat in (ALICE, BOB, BOB + 1, BOB + 2):
        await log(store, "leben maria", chat=chat, language="de", danger="suicide")
    await settle(store)
    assert rows(db_path, "SELECT language, crisis, danger FROM search_log LIMIT 1") == [
        ("de", 1, "suicide")
    ]
    assert rows(db_path, "SELECT * FROM unmet_words") == []


def test_search_log_and_reports_have_no_person_columns(sync_store: Store, db_path: Path) -> None:
    def columns(table: str) -> list[str]:
        return [row[1] for row in rows(db_path, f'PRAGMA table_info("{table}")')]

    assert columns("search_log") == [
        "id",
        "language",
        "categories",
        "result_count",
        "top_score",
        "crisis",
        "day",
        "danger",
    ]
    assert columns("unmet_words") == ["day", "word", "searches"]
    # update_id only while the report's update may be handled again (see bot.store.inbox)
    assert columns("reports") == ["id", "service_id", "kind", "created_at", "update_id"]
    assert columns("chat_messages") == ["chat_id", "message_id", "sent_at"]
    assert columns("users") == ["user_id", "language", "last_seen_day"]


async def test_a_word_reaches_the_disk_only_when_three_chats_typed_it(
    store: Store, db_path: Path
) -> None:
    """k >= 3: "schmidt" typed often in two chats is a person; in three chats, a need."""
    for chat in (ALICE, BOB):
        for _ in range(3):
            await log(store, "maria schmidt", chat=chat)
    await settle(store)
    assert rows(db_path, "SELECT * FROM unmet_words") == []
    stored = db_path.read_bytes() + db_path.with_name(db_path.name + "-wal").read_bytes()
    assert b"schmidt" not in stored

    await log(store, "schmidt", chat=BOB + 1)
    await log(store, "schmidt", chat=BOB + 2)
    await settle(store)
    assert rows(db_path, "SELECT day, word, searches FROM unmet_words") == [
        ("2026-11-21", "schmidt", 8)
    ]


async def test_delete_takes_a_chat_out_of_the_words_still_waiting(store: Store) -> None:
    await log(store, "zahnarzt", chat=ALICE)
    await log(store, "zahnarzt", chat=BOB)
    await store.forget_user(ALICE)
    await log(store, "zahnarzt", chat=BOB + 1)
    assert (await store.usage_report(NOW - timedelta(days=1))).unmet_words == []
    await log(store, "zahnarzt", chat=BOB + 2)
    assert (await store.usage_report(NOW - timedelta(days=1))).unmet_words == [
        UnmetWord("zahnarzt", 3)
    ]


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        ("Ich wohne Limmerstraße 12", "wohne limmerstrasse"),
        ("IBAN DE89 3704 0044 0532 0130 00", "iban"),
        ("anna.mueller@web.de", "anna mueller web"),
        ("ruf mich an 0176 1234567", "ruf"),
        ("Wohnung Schillerweg", "wohnung schillerweg"),
        ("wohnung am lindener marktplatz", "wohnung lindener marktplatz"),
    ],
    ids=["house-number", "iban", "e-mail", "phone", "street", "square"],
)
async def test_no_address_iban_e_mail_or_phone_ever_reaches_the_disk(
    store: Store, db_path: Path, typed: str, query: str
) -> None:
    for chat in range(ALICE, ALICE + 5):
        await log(store, query, typed=typed, chat=chat)
    await settle(store)
    kept = {word for (word,) in rows(db_path, "SELECT word FROM unmet_words")}
    assert not kept & {"limmerstrasse", "iban", "anna", "mueller", "ruf", "schillerweg"}
    assert not kept & {"marktplatz", "wohne"}


async def test_only_searches_that_found_nothing_good_offer_words(
    store: Store, db_path: Path
) -> None:
    for chat in (ALICE, BOB, BOB + 1):
        await log(store, "tafel", chat=chat, result_count=3, top_score=60.0)
        await log(store, "zahnarzt", chat=chat, result_count=2, top_score=59.9)
    await settle(store)
    assert rows(db_path, "SELECT word FROM unmet_words") == [("zahnarzt",)]


async def test_a_restart_keeps_the_released_words(db_path: Path) -> None:
    async with opened(db_path) as store:
        for chat in (ALICE, BOB, BOB + 1):
            await log(store, "zahnarzt", chat=chat)
    async with opened(db_path) as store:
        await log(store, "zahnarzt", chat=ALICE, when=NOW + timedelta(days=1))
    assert rows(db_path, "SELECT day, searches FROM unmet_words ORDER BY day") == [
        ("2026-11-21", 3),
        ("2026-11-22", 1),
    ]


async def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        await store.add_report("tafel", "closed", NOW.replace(tzinfo=None))


async def test_housekeeping_purges_the_search_log_by_the_day(store: Store, db_path: Path) -> None:
    for days_ago in (3, 2, 1, 0):
        for chat in (ALICE, BOB, BOB + 1):
            word = f"wort{'abcd'[days_ago]}"
            await log(store, word, chat=chat, when=NOW - timedelta(days=days_ago))

    # The rows of yesterday also hold searches after yesterday's 14:37, so they stay.
    result = await store.housekeeping(NOW, search_log_retention=timedelta(days=1))
    assert result.search_log == 6
    assert rows(db_path, "SELECT DISTINCT day FROM search_log ORDER BY day") == [
        ("2026-11-20",),
        ("2026-11-21",),
    ]
    assert rows(db_path, "SELECT word FROM unmet_words ORDER BY day") == [("wortb",), ("worta",)]


# --- reports ----------------------------------------------------------------------------


async def test_reports_newest_first(store: Store) -> None:
    await store.add_report("tafel-mitte", "wrong-hours", NOW - timedelta(days=2))
    await store.add_report("kleiderkammer", "closed", NOW)
    await store.add_report("schuldnerberatung", "wrong-phone", NOW - timedelta(hours=5))

    assert await store.recent_reports(2) == [
        Report("kleiderkammer", "closed", datetime(2026, 11, 21, tzinfo=UTC)),
        Report("schuldnerberatung", "wrong-phone", datetime(2026, 11, 21, tzinfo=UTC)),
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
    await store.track_messages(ALICE, [2], NOW)
    await store.track_messages(ALICE, [1], NOW - CHAT_MESSAGE_LIFETIME - timedelta(minutes=1))
    await log(store, language="ru", when=NOW - SEARCH_LOG_RETENTION - timedelta(days=1))
    await log(store, language="uk", when=NOW - SEARCH_LOG_RETENTION + timedelta(days=1))
    await store.touch(ALICE, (NOW - USER_RETENTION).date() - timedelta(days=1))
    await store.touch(BOB, (NOW - USER_RETENTION).date())
    await store.set_language(12345, "en")  # never touched: kept, there is no day to judge

    assert await store.housekeeping(NOW) == HousekeepingResult(
        chat_messages=1, search_log=1, users=1
    )
    assert rows(db_path, "SELECT message_id FROM chat_messages") == [(2,)]
    assert rows(db_path, "SELECT language FROM search_log") == [("uk",)]
    assert rows(db_path, "SELECT user_id FROM users ORDER BY user_id") == [(12345,), (BOB,)]


async def test_tracking_a_message_forgets_the_expired_ones_at_once(
    store: Store, db_path: Path
) -> None:
    """The second a message was sent is kept only while /clear can still delete it."""
    await store.track_messages(BOB, [7], NOW - CHAT_MESSAGE_LIFETIME)
    await store.track_messages(ALICE, [1], NOW)
    await settle(store)
    assert rows(db_path, "SELECT chat_id, message_id FROM chat_messages") == [(ALICE, 1)]


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
        conversations=NOW - COUNSEL_RETENTION,
        now=NOW,
    )


def test_the_privacy_text_tells_the_periods_the_store_keeps(
    translators: TranslatorRegistry,
) -> None:
    """The promise is a translated sentence with the numbers in it: it must match the store."""
    text = privacy(translators["en"]).text
    assert f"After {USER_RETENTION.days} days without use" in text
    assert f"for {CHAT_MESSAGE_LIFETIME // timedelta(hours=1)} hours" in text
    assert f"at least {SHARED_BY_CHATS} different people" in text


# --- staff statistics -------------------------------------------------------------------


async def unmet(store: Store, since: datetime, **thresholds: Any) -> list[UnmetWord]:
    """The unmet words, read the way /stats and ``python -m bot stats`` read them."""
    return (await store.usage_report(since, **thresholds)).unmet_words


async def test_unmet_words_need_three_searches(store: Store) -> None:
    for chat, language in zip((ALICE, BOB, BOB + 1), ("ar", "de", "ar"), strict=True):
        await log(store, "deutschkurs kostenlos", chat=chat, language=language)
    for score in (30.0, 59.9, 10.0):
        await log(store, "zahnarzt", chat=int(score), language="uk", top_score=score)
    await log(store, "zahnarzt", chat=ALICE, when=NOW + timedelta(days=1))

    assert await unmet(store, NOW - timedelta(days=1)) == [
        UnmetWord("zahnarzt", 4),
        UnmetWord("deutschkurs", 3),
        UnmetWord("kostenlos", 3),
    ]
    assert await unmet(store, NOW - timedelta(days=1), min_count=4) == [UnmetWord("zahnarzt", 4)]
    assert await unmet(store, NOW + timedelta(days=1)) == []


async def test_unmet_queries_cannot_expose_single_searches(store: Store) -> None:
    with pytest.raises(ValueError, match="min_count must be at least 3"):
        await store.usage_report(NOW, min_count=1)


async def test_demand_statistics(store: Store) -> None:
    since = NOW - timedelta(days=7)
    await log(store, "essen", language="uk", categories=("food",))
    await log(store, "essen und bett", language="ar", categories=("food", "shelter"))
    await log(store, "hilfe", language="ar", categories=(), danger="suicide")
    await log(store, "bett", language="ar", categories=("shelter",), danger="suicide")
    await log(store, "alt", language="ru", categories=("food",), when=since - timedelta(days=1))

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


async def test_searches_per_day_are_the_days_the_bot_passes(store: Store) -> None:
    await log(store, when=datetime(2026, 11, 20, 22, 30, tzinfo=UTC))
    await log(store, when=datetime(2026, 11, 21, 0, 30, tzinfo=UTC))
    await log(store, when=NOW)

    # From 23:30 UTC on 20 Nov, which is already 21 Nov in Berlin.
    since = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
    assert (await store.usage_report(since)).searches_per_day == {
        date(2026, 11, 20): 1,
        date(2026, 11, 21): 2,
    }
    in_berlin = await store.usage_report(since, tz=ZoneInfo("Europe/Berlin"))
    assert in_berlin.searches_per_day == {date(2026, 11, 21): 2}


async def test_usage_report_with_and_without_an_event_loop_agree(db_path: Path) -> None:
    async with opened(db_path) as store:
        for chat in (ALICE, BOB, BOB + 1):
            await log(store, "wohnung", chat=chat)
            await log(store, "wohnung", chat=chat, danger="violence")  # its words never kept
        await store.add_report("tafel-mitte", "closed", NOW)
        report = await store.usage_report(NOW - timedelta(days=1))

    assert report.unmet_words == [UnmetWord("wohnung", 3)]
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
