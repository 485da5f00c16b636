"""Tests for bot.staff.report: the unmet-needs report on a real SQLite store and real catalogues."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from large_catalogue import large, large_catalogue

from bot.answers.fitting import MAX_MESSAGE_CHARS
from bot.catalogue.model import Catalogue
from bot.catalogue.validation import load_catalogue
from bot.staff.report import (
    apply_retention,
    build_report,
    collect_report,
    retention_from,
    weekly_report,
)
from bot.staff.report_formats import (
    TELEGRAM_TOP,
    render_csv,
    render_json,
    render_stats_html,
    render_table,
    report_as_json,
)
from bot.store.retention import SEARCH_LOG_RETENTION, RetentionError
from bot.store.store import Store
from fakebotapi import parse_telegram_html

ROOT = Path(__file__).resolve().parent.parent
VALID = ROOT / "tests" / "catalogues" / "valid.yaml"
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)
"""A Saturday afternoon; the catalogue's entries were checked on 2026-10-01."""


@dataclass(frozen=True)
class Search:
    query: str
    hours_ago: float
    language: str = "de"
    categories: tuple[str, ...] = ()
    result_count: int = 0
    top_score: float | None = None
    danger: str | None = None
    chat: int = 1


def fill(store: Store, searches: list[Search], reports: list[tuple[str, str]] = ()) -> None:
    """Write rows through the store's own API, as the bot does."""

    async def write() -> None:
        # Oldest first, as time runs; days are the city's, as the bot passes them.
        for search in sorted(searches, key=lambda s: -s.hours_ago):
            await store.log_search(
                search.chat,
                typed=search.query,
                query=search.query,
                language=search.language,
                categories=search.categories,
                result_count=search.result_count,
                top_score=search.top_score,
                danger=search.danger,
                day=(NOW - timedelta(hours=search.hours_ago)).astimezone(BERLIN).date(),
            )
        for service_id, kind in reports:
            await store.add_report(service_id, kind, NOW - timedelta(hours=1))

    asyncio.run(write())


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "bot.sqlite3") as opened:
        yield opened


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(VALID).catalogue


@pytest.fixture(scope="module")
def stale_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    """valid.yaml plus one entry checked long ago and one never checked."""
    text = VALID.read_text(encoding="utf-8") + (
        "  - id: beratung-alt\n"
        "    name: Alte Beratung\n"
        "    categories: [food]\n"
        "    summary: Beratung.\n"
        '    phone: "0511 654321"\n'
        "    last_verified: 2024-05-02\n"
        "  - id: nie-geprueft\n"
        "    name: Nie geprüft\n"
        "    categories: [food]\n"
        "    summary: Beratung.\n"
        "    website: https://example.org/nie\n"
    )
    path = tmp_path_factory.mktemp("stale") / "services.yaml"
    path.write_text(text, encoding="utf-8")
    return load_catalogue(path).catalogue


SCENARIO = [
    *(
        Search("schuldnerberatung", hours, chat=chat)
        for chat, hours in enumerate((1, 26, 50, 74, 98))
    ),
    *(
        Search("шелтер", hours, language="uk", top_score=41.0, result_count=2, chat=hours)
        for hours in (3, 4)
    ),
    Search("шелтер", 5, language="ru", top_score=55.0, result_count=1, chat=5),
    *(
        Search("tafel", hours, language="uk", categories=("food",), result_count=3, top_score=95)
        for hours in (2, 30, 31)
    ),
    *(Search("ganz allein", hours, danger="suicide", chat=hours) for hours in (6, 7)),
]
"""Five unmet German searches in five chats, three weak ones in two languages and three chats,
three good ones, and two crisis searches whose words are never kept."""


def test_collect_report_joins_counts_with_the_catalogue(
    store: Store, stale_catalogue: Catalogue
) -> None:
    fill(store, SCENARIO, [("tafel-linden", "wrong-hours"), ("tafel-linden", "closed")])
    report = collect_report(store, stale_catalogue, days=7, now=NOW)
    assert [(w.word, w.count) for w in report.unmet_words] == [
        ("schuldnerberatung", 5),
        ("шелтер", 3),
    ]
    assert [(d.id, d.name, d.searches) for d in report.demand_by_category] == [("food", "Essen", 3)]
    assert [(d.id, d.name, d.searches) for d in report.demand_by_language] == [
        ("de", "German", 7),
        ("uk", "Ukrainian", 5),
        ("ru", "Russian", 1),
    ]
    assert report.total_searches == 13
    assert report.crisis_searches == 2
    assert [(r.service_id, r.name, r.total, dict(r.by_kind)) for r in report.reports] == [
        ("tafel-linden", "Tafel Linden", 2, {"closed": 1, "wrong-hours": 1})
    ]
    assert [(e.service_id, e.last_verified) for e in report.stale_entries] == [
        ("nie-geprueft", None),
        ("beratung-alt", date(2024, 5, 2)),
    ]
    assert report.searches_per_day == [
        (date(2026, 11, 14), 0),
        (date(2026, 11, 15), 0),
        (date(2026, 11, 16), 0),
        (date(2026, 11, 17), 1),
        (date(2026, 11, 18), 1),
        (date(2026, 11, 19), 1),
        (date(2026, 11, 20), 3),
        (date(2026, 11, 21), 7),
    ]
    assert report.deleted_log_rows == 0


def test_words_of_one_chat_or_of_danger_never_show(store: Store, catalogue: Catalogue) -> None:
    fill(store, SCENARIO)
    report = collect_report(store, catalogue, days=7, now=NOW)
    everything = render_table(report) + render_csv(report) + render_json(report)
    for words in ("ganz", "allein"):
        assert words not in everything + render_stats_html(report)


def test_reports_about_removed_services_keep_their_id(store: Store, catalogue: Catalogue) -> None:
    fill(store, [], [("gibt-es-nicht-mehr", "closed")])
    report = collect_report(store, catalogue, days=7, now=NOW)
    assert [(r.service_id, r.name) for r in report.reports] == [("gibt-es-nicht-mehr", None)]
    assert "  1  gibt-es-nicht-mehr  (not in the catalogue)  closed 1\n" in render_table(report)


def test_days_limits_the_period(store: Store, catalogue: Catalogue) -> None:
    fill(store, SCENARIO)
    report = collect_report(store, catalogue, days=1, now=NOW)
    # Since the start of yesterday (the log keeps days): 7 today, 3 yesterday.
    assert report.total_searches == 10
    assert [day for day, _ in report.searches_per_day] == [date(2026, 11, 20), date(2026, 11, 21)]


def test_render_table(store: Store, stale_catalogue: Catalogue) -> None:
    fill(store, SCENARIO, [("tafel-linden", "wrong-hours"), ("tafel-linden", "closed")])
    report = collect_report(store, stale_catalogue, days=3, now=NOW)
    assert render_table(report) == (
        "Wegweiser Hannover: unmet-needs report, last 3 day(s) (2026-11-18 – 2026-11-21)\n"
        "Searches: 12. Crisis help shown: 2.\n"
        "Search log kept for 180 days; 0 older row(s) deleted now.\n"
        "\n"
        "Words of searches with no or weak results (each typed in 3 or more chats)\n"
        "  searches  word\n"
        "  --------  -----------------\n"
        "         5  schuldnerberatung\n"
        "         3  шелтер\n"
        "\n"
        "Searches per category\n"
        "  searches  category  name\n"
        "  --------  --------  -----\n"
        "         3  food      Essen\n"
        "\n"
        "Searches per language\n"
        "  searches  language  name\n"
        "  --------  --------  ---------\n"
        "         6  de        German\n"
        "         5  uk        Ukrainian\n"
        "         1  ru        Russian\n"
        "\n"
        "Wrong-information reports per service\n"
        "  reports  service       name          kinds\n"
        "  -------  ------------  ------------  -----------------------\n"
        "        2  tafel-linden  Tafel Linden  closed 1, wrong-hours 1\n"
        "\n"
        "Entries not checked for 12 months (or never): call them and update last_verified\n"
        "  last_verified  service       name\n"
        "  -------------  ------------  -------------\n"
        "  never          nie-geprueft  Nie geprüft\n"
        "  2024-05-02     beratung-alt  Alte Beratung\n"
        "\n"
        "Searches per day\n"
        "  2026-11-18 Wed  1  ████\n"
        "  2026-11-19 Thu  1  ████\n"
        "  2026-11-20 Fri  3  █████████████\n"
        "  2026-11-21 Sat  7  ██████████████████████████████\n"
    )


def test_render_table_of_an_empty_log(store: Store, catalogue: Catalogue) -> None:
    report = collect_report(store, catalogue, days=1, now=NOW)
    text = render_table(report)
    assert "  (none: every search found something, or no word was typed in 3 different chats)" in (
        text
    )
    assert "  (no reports)" in text
    assert "  (none: every entry was checked within 12 months)" in text
    assert text.endswith("Searches per day\n  2026-11-20 Fri  0\n  2026-11-21 Sat  0\n")


def test_render_csv_has_one_block_per_table(store: Store, stale_catalogue: Catalogue) -> None:
    fill(store, SCENARIO, [("tafel-linden", "closed")])
    report = collect_report(store, stale_catalogue, days=3, now=NOW)
    blocks = render_csv(report).rstrip("\n").split("\n\n")
    tables = {}
    for block in blocks:
        rows = list(csv.reader(io.StringIO(block)))
        tables[rows[0][0]] = rows[1:]
    assert list(tables) == [
        "summary",
        "unmet_searches",
        "demand_by_category",
        "demand_by_language",
        "wrong_information_reports",
        "stale_entries",
        "searches_per_day",
    ]
    assert tables["summary"] == [
        ["since", "until", "days", "searches", "crisis_searches", "deleted_log_rows"],
        ["2026-11-18T14:00:00+00:00", "2026-11-21T14:00:00+00:00", "3", "12", "2", "0"],
    ]
    assert tables["unmet_searches"] == [
        ["searches", "word"],
        ["5", "schuldnerberatung"],
        ["3", "шелтер"],
    ]
    assert tables["stale_entries"] == [
        ["last_verified", "service", "name"],
        ["never", "nie-geprueft", "Nie geprüft"],
        ["2024-05-02", "beratung-alt", "Alte Beratung"],
    ]
    assert tables["searches_per_day"][-1] == ["2026-11-21", "7"]


def test_render_json_is_one_object(store: Store, catalogue: Catalogue) -> None:
    fill(store, SCENARIO, [("tafel-linden", "closed")])
    report = collect_report(store, catalogue, days=3, now=NOW)
    data = json.loads(render_json(report))
    assert data == report_as_json(report)
    assert data["searches"] == 12
    assert data["unmet_searches"][0] == {"word": "schuldnerberatung", "searches": 5}
    assert data["wrong_information_reports"] == [
        {"service": "tafel-linden", "name": "Tafel Linden", "reports": 1, "kinds": {"closed": 1}}
    ]
    assert data["demand_by_category"] == [{"category": "food", "name": "Essen", "searches": 3}]
    assert data["stale_entries"] == []
    assert data["searches_per_day"][-1] == {"date": "2026-11-21", "searches": 7}


def test_render_stats_html(store: Store, stale_catalogue: Catalogue) -> None:
    fill(store, SCENARIO, [("tafel-linden", "wrong-hours")])
    report = collect_report(store, stale_catalogue, days=7, now=NOW)
    html = render_stats_html(report)
    assert html == (
        "<b>Hannover: last 7 days</b> (2026-11-14 – 2026-11-21)\n"
        "Searches: 13 · crisis help shown: 2\n"
        "\n"
        "<b>Not found (3 or more searches each)</b>\n"
        "• schuldnerberatung: 5\n"
        "• шелтер: 3\n"
        "\n"
        "<b>Most asked</b>\n"
        "• Essen: 3\n"
        "\n"
        "<b>Languages</b>\n"
        "de 7 · uk 5 · ru 1\n"
        "\n"
        "<b>Wrong information reported</b>\n"
        "• Tafel Linden: 1 (wrong-hours 1)\n"
        "\n"
        "<b>Not checked for 12 months: 2</b>\n"
        "• Nie geprüft (never)\n"
        "• Alte Beratung (2024-05-02)\n"
        "\n"
        "<i>Full report: python -m bot stats</i>"
    )
    parse_telegram_html(html)  # the fake Bot API accepts it as Telegram would


def test_render_stats_html_stays_within_telegram_limit(
    store: Store, tmp_path: Path, catalogue: Catalogue
) -> None:
    """Many long words and reports about services with long names still fit one message."""
    long_words = [f"{'sehrlangeswort' * 2}{chr(97 + n // 26)}{chr(97 + n % 26)}" for n in range(40)]
    fill(
        store,
        [Search(word, hours, chat=hours) for word in long_words for hours in (1, 2, 3)],
        [(f"{'<x&' * 20}-{n}", "other") for n in range(40)],
    )
    report = collect_report(store, catalogue, days=7, now=NOW)
    html = render_stats_html(report)
    assert len(html) <= MAX_MESSAGE_CHARS
    assert html.count("• sehrlangeswort") == TELEGRAM_TOP
    assert f"… and {40 - TELEGRAM_TOP} more" in html
    assert "<x&" not in html  # escaped, never raw markup
    text, _ = parse_telegram_html(html)
    assert "<x&" in text


async def test_weekly_report_for_the_stats_command(store: Store, catalogue: Catalogue) -> None:
    for days_ago in (8, 1):
        await store.log_search(
            1,
            typed="Tafel",
            query="tafel",
            language="de",
            categories=["food"],
            result_count=1,
            top_score=90.0,
            danger=None,
            day=(NOW - timedelta(days=days_ago)).date(),
        )
    report = await weekly_report(store, catalogue, now=NOW)
    assert (report.days, report.total_searches, report.deleted_log_rows) == (7, 1, None)
    assert "<b>Hannover: last 7 days</b>" in render_stats_html(report)


# --- retention ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "env", "expected"),
    [
        (None, {}, SEARCH_LOG_RETENTION),
        (None, {"LOG_RETENTION_DAYS": " "}, SEARCH_LOG_RETENTION),
        (None, {"LOG_RETENTION_DAYS": "90"}, timedelta(days=90)),
        (30, {"LOG_RETENTION_DAYS": "90"}, timedelta(days=30)),
        (180, {}, timedelta(days=180)),
    ],
)
def test_retention_from(flag: int | None, env: dict[str, str], expected: timedelta) -> None:
    assert retention_from(flag, env) == expected


@pytest.mark.parametrize(
    ("flag", "env", "message"),
    [
        (
            None,
            {"LOG_RETENTION_DAYS": "half a year"},
            "LOG_RETENTION_DAYS must be a whole number of days (1 to 36500), not 'half a year'",
        ),
        (
            None,
            {"LOG_RETENTION_DAYS": "0"},
            "LOG_RETENTION_DAYS must be a whole number of days (1 to 36500), not '0'",
        ),
        (0, {}, "--retention-days must be 1 or more (got 0)"),
    ],
)
def test_retention_from_refuses(flag: int | None, env: dict[str, str], message: str) -> None:
    with pytest.raises(RetentionError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        retention_from(flag, env)


def log_days(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [day for (day,) in connection.execute("SELECT day FROM search_log ORDER BY day")]
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("retention_days", "kept"),
    [
        (180, ["2026-06-04", "2026-11-20"]),
        (30, ["2026-11-20"]),
    ],
)
def test_apply_retention_deletes_old_rows_first(
    store: Store, tmp_path: Path, retention_days: int, kept: list[str]
) -> None:
    fill(store, [Search("a", 24 * days) for days in (1, 170, 200)])
    deleted = apply_retention(store, NOW, timedelta(days=retention_days))
    assert deleted == 3 - len(kept)
    assert log_days(tmp_path / "bot.sqlite3") == kept


def test_collect_report_runs_housekeeping(store: Store, catalogue: Catalogue) -> None:
    fill(store, [Search("tafel", 24 * days) for days in (1, 50, 200)])
    report = collect_report(store, catalogue, days=365, now=NOW, retention=timedelta(days=40))
    assert (report.deleted_log_rows, report.total_searches, report.retention_days) == (2, 1, 40)
    assert "Search log kept for 40 days; 2 older row(s) deleted now." in render_table(report)


# --- the generated 10,000-service catalogue -------------------------------------------


@large
def test_report_on_a_large_catalogue(store: Store) -> None:
    catalogue = large_catalogue()
    services = catalogue.services
    fill(
        store,
        [
            Search(
                f"gesucht{chr(97 + n % 50 // 26)}{chr(97 + n % 50 % 26)}",
                n % 150,
                categories=services[n].categories,
                chat=n,
            )
            for n in range(600)
        ],
        [(services[n * 37].id, "wrong-phone") for n in range(200)],
    )
    report = collect_report(store, catalogue, days=7, now=NOW)
    assert report.total_searches == 600
    assert len(report.unmet_words) == 50
    assert len(report.reports) == 200
    assert all(r.name is not None for r in report.reports)
    assert len(render_stats_html(report)) <= MAX_MESSAGE_CHARS
    assert render_table(report).count(" wrong-phone 1\n") == 200
    assert json.loads(render_json(report))["searches"] == 600


def test_build_report_is_pure(catalogue: Catalogue, store: Store) -> None:
    """The same counts and clock give the same report, whatever the real time is."""
    usage = store.run_sync(store.usage_report, NOW - timedelta(days=2), tz=catalogue.region.tz)
    first = build_report(usage, catalogue, now=NOW, days=2)
    second = build_report(usage, catalogue, now=NOW, days=2)
    assert first == second
    assert first.deleted_log_rows is None


@pytest.mark.parametrize(
    "module",
    [
        "bot.staff.report",
        "bot.staff.report_formats",
        "bot.staff.reload_messages",
        "bot.staff.hsds",
        "bot.staff.weekly_openings",
        "bot.staff.printable",
        "bot.catalogue.schema",
    ],
)
def test_staff_tools_leave_telegram_out(module: str) -> None:
    """The staff tools are pure core: importing them must not pull in python-telegram-bot."""
    code = f"import sys, {module}; sys.exit('telegram' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode == 0


def test_a_longer_retention_keeps_older_rows(store: Store, catalogue: Catalogue) -> None:
    fill(store, [Search("alt", hours_ago=24 * 200)])
    kept = collect_report(store, catalogue, days=365, now=NOW, retention=timedelta(days=365))
    assert (kept.total_searches, kept.deleted_log_rows) == (1, 0)
    default = collect_report(store, catalogue, days=365, now=NOW)
    assert (default.total_searches, default.deleted_log_rows) == (0, 1)
