"""``python -m bot stats`` on the shipped catalogue and a real SQLite file."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.cli import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, main
from bot.store.store import Store

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "services.yaml"
BROKEN = ROOT / "tests" / "catalogues" / "broken" / "bad-id.yaml"


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A bot database with searches of the last days, an old one and a report.

    Times are relative to the real clock, because the command reports up to now.
    """
    path = tmp_path / "bot.sqlite3"
    now = datetime.now(UTC)
    today = now.astimezone(ZoneInfo("Europe/Berlin")).date()  # the bot logs the city's days

    async def write() -> None:
        store = Store.open(path)
        # Oldest first, one chat each: the words reach the disk with the third chat within
        # a week (days 5, 2 and 1), the first two chats' searches having expired unshared.
        for days_ago in (200, 40, 5, 2, 1, 0):
            await store.log_search(
                days_ago,
                typed="Wohnungsnot Hilfe",
                query="wohnungsnot hilfe",
                language="de",
                categories=["housing"],
                result_count=0,
                top_score=None,
                danger=None,
                day=today - timedelta(days=days_ago),
            )
        await store.log_search(
            7,
            typed="суицид",
            query="суицид",
            language="ru",
            categories=["crisis"],
            result_count=4,
            top_score=99.0,
            danger="suicide",
            day=today,
        )
        await store.add_report("tafel-hannover", "wrong-hours", now - timedelta(hours=1))
        await store.close()

    asyncio.run(write())
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["stats", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def log_rows(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT count(*) FROM search_log").fetchone()[0]
    finally:
        connection.close()


def test_table(capsys: pytest.CaptureFixture[str], database: Path) -> None:
    code, out, err = run(capsys, "--database", str(database), "--services", str(SHIPPED))
    assert (code, err) == (EXIT_OK, "")
    lines = out.splitlines()
    assert lines[0].startswith("Wegweiser Hannover: unmet-needs report, last 30 day(s) (")
    assert lines[1] == "Searches: 5. Crisis help shown: 1."
    assert lines[2] == "Search log kept for 180 days; 1 older row(s) deleted now."
    assert "         4  wohnungsnot" in lines
    assert "         4  hilfe" in lines
    assert "Entries not checked for 12 months (or never): call them and update last_verified" in (
        lines
    )


def test_housekeeping_runs_before_the_report(
    capsys: pytest.CaptureFixture[str], database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOG_RETENTION_DAYS", "30")
    code, out, _ = run(capsys, "--database", str(database), "--services", str(SHIPPED))
    assert code == EXIT_OK
    assert "Search log kept for 30 days; 2 older row(s) deleted now." in out
    assert log_rows(database) == 5
    code, out, _ = run(
        capsys, "--database", str(database), "--services", str(SHIPPED), "--retention-days", "3"
    )
    assert "Search log kept for 3 days; 1 older row(s) deleted now." in out
    assert log_rows(database) == 4


def test_days(capsys: pytest.CaptureFixture[str], database: Path) -> None:
    code, out, _ = run(
        capsys, "--database", str(database), "--services", str(SHIPPED), "--days", "1"
    )
    assert code == EXIT_OK
    assert ", last 1 day(s) (" in out
    assert "Searches: 3. Crisis help shown: 1." in out  # since the start of yesterday
    assert "суицид" not in out  # the words of a message that spoke of danger are never kept


def test_csv(capsys: pytest.CaptureFixture[str], database: Path) -> None:
    code, out, _ = run(
        capsys, "--database", str(database), "--services", str(SHIPPED), "--format", "csv"
    )
    assert code == EXIT_OK
    sections = {}
    for block in out.rstrip("\n").split("\n\n"):
        rows = list(csv.reader(io.StringIO(block)))
        sections[rows[0][0]] = rows[1:]
    assert sections["unmet_searches"] == [
        ["searches", "word"],
        ["4", "hilfe"],
        ["4", "wohnungsnot"],
    ]
    assert sections["demand_by_language"][1:] == [["4", "de", "German"], ["1", "ru", "Russian"]]
    assert len(sections["searches_per_day"]) >= 31  # header and one row per day


def test_json(capsys: pytest.CaptureFixture[str], database: Path) -> None:
    code, out, _ = run(
        capsys, "--database", str(database), "--services", str(SHIPPED), "--format", "json"
    )
    assert code == EXIT_OK
    data = json.loads(out)
    assert (data["region"], data["days"], data["searches"], data["crisis_searches"]) == (
        "Hannover",
        30,
        5,
        1,
    )
    assert data["unmet_searches"] == [
        {"word": "hilfe", "searches": 4},
        {"word": "wohnungsnot", "searches": 4},
    ]
    reported = data["wrong_information_reports"]
    assert [(r["service"], r["kinds"]) for r in reported] == [
        ("tafel-hannover", {"wrong-hours": 1})
    ]
    names = {category["category"]: category["name"] for category in data["demand_by_category"]}
    assert set(names) == {"housing", "crisis"}


def test_a_missing_database_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "nothing.sqlite3"
    code, out, err = run(capsys, "--database", str(missing), "--services", str(SHIPPED))
    assert (code, out) == (EXIT_USAGE, "")
    assert err == (
        f"usage error: there is no database at {missing}; the bot creates it when it first "
        "runs. Point --database or DATABASE_PATH at the bot's file\n"
    )
    assert not missing.exists()


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (
            [],
            "forever",
            "usage error: LOG_RETENTION_DAYS must be a whole number of days (1 to 36500), "
            "not 'forever'",
        ),
    ],
)
def test_bad_retention_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
    database: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    env: str | None,
    message: str,
) -> None:
    if env is not None:
        monkeypatch.setenv("LOG_RETENTION_DAYS", env)
    code, _, err = run(capsys, "--database", str(database), "--services", str(SHIPPED), *argv)
    assert code == EXIT_USAGE
    assert err.startswith(message)
    assert log_rows(database) == 7  # nothing was deleted


@pytest.mark.parametrize("days", ["0", "-3", "week", "²", "3000000"])
def test_days_must_be_positive(capsys: pytest.CaptureFixture[str], days: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["stats", "--days", days])
    assert exit_info.value.code == EXIT_USAGE
    assert "expected a whole number from 1 to 36500" in capsys.readouterr().err


def test_a_refused_catalogue(capsys: pytest.CaptureFixture[str], database: Path) -> None:
    code, out, err = run(capsys, "--database", str(database), "--services", str(BROKEN))
    assert (code, out) == (EXIT_REFUSED, "")
    assert f"{BROKEN}: refused with 1 error(s); fix them first" in err
    assert log_rows(database) == 7
