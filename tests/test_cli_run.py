"""``python -m bot run``: configuration errors, and the sandbox chat with piped input."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, SERVICES_FILE, USER, write_catalogue

from bot.cli import EXIT_USAGE, build_parser, main
from bot.config import Settings
from bot.sandbox import chat, language_from_environment
from fakebotapi import FakeBotApi

VALID_TOKEN = "123456789:AAH-valid-looking-token-abcdefghij"
CONFIG_VARIABLES = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_BASE_URL",
    "SERVICES_FILE",
    "DATABASE_PATH",
    "STAFF_CHAT_IDS",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "PORT",
    "WEBHOOK_LISTEN",
    "LOG_LEVEL",
)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No configuration from the developer's shell; a small catalogue in tmp_path."""
    for name in CONFIG_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SERVICES_FILE", str(write_catalogue(tmp_path / "services.yaml")))
    return monkeypatch


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"TELEGRAM_BOT_TOKEN": "not a token"}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BASE_URL": "ftp://x"}, "TELEGRAM_BASE_URL"),
        ({"STAFF_CHAT_IDS": "12,abc"}, "STAFF_CHAT_IDS"),
        ({"WEBHOOK_URL": "https://bot.example.org/hook"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_URL": "http://bot.example.org/hook"}, "WEBHOOK_URL"),
        ({"PORT": "eighty"}, "PORT"),
        ({"WEBHOOK_LISTEN": "everywhere"}, "WEBHOOK_LISTEN"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"SERVICES_FILE": "/nonexistent/services.yaml"}, "SERVICES_FILE"),
        (
            {"TELEGRAM_BOT_TOKEN": VALID_TOKEN, "DATABASE_PATH": "/dev/null/db.sqlite3"},
            "DATABASE_PATH",
        ),
    ],
)
def test_bad_configuration_is_one_line_naming_the_variable_and_exit_2(
    clean_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    variables: dict[str, str],
    named: str,
) -> None:
    for name, value in variables.items():
        clean_env.setenv(name, value)
    assert main(["run"]) == EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and named in lines[0], lines
    assert VALID_TOKEN not in captured.err


def test_run_is_documented() -> None:
    assert "run" in build_parser().format_help()


@pytest.mark.parametrize(
    ("environ", "code"),
    [
        ({"LANG": "uk_UA.UTF-8"}, "uk"),
        ({"LC_ALL": "ar_SY"}, "ar"),
        ({"LANG": "C.UTF-8"}, "de"),
        ({}, "de"),
    ],
)
def test_the_sandbox_speaks_the_terminals_language(environ: dict[str, str], code: str) -> None:
    assert language_from_environment(environ) == code


async def test_sandbox_numbers_buttons_and_shares_locations(tmp_path: Path) -> None:
    settings = Settings(services_file=write_catalogue(tmp_path / "services.yaml", food_services=2))
    out = io.StringIO()
    typed = "/start\n1\n1\n/loc 52.364 9.717\n/loc nowhere\n99\n/quit\nnot read\n"
    assert await chat(settings, stdin=io.StringIO(typed), stdout=out, language_code="de") == 0
    text = out.getvalue()
    assert "bot: Hallo!" in text
    assert "  [1] 🍞 Essen" in text  # the topic menu, numbered
    assert "bot: 🍞 Essen" in text  # 1 pressed the topic
    assert "bot: Tafel " in text  # 1 pressed the first details button
    assert "(usage: /loc LAT LON" in text
    assert "(no button 99" in text
    assert "not read" not in text


def test_make_run_without_token_is_the_sandbox_and_ends_with_the_input(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    env.update({"SERVICES_FILE": str(SERVICES_FILE), "LANG": "de_DE.UTF-8"})
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        input="/start\nLebensmittel\n",
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answers = [line for line in result.stdout.splitlines() if line.startswith("bot: ")]
    assert len(answers) >= 3  # greeting, topics, search answer
    assert "Hannover" in answers[0]
    assert not (tmp_path / "db").exists()


async def test_run_with_a_token_polls_telegram_base_url_and_stops_on_sigint(tmp_path: Path) -> None:
    """The production path (run_polling) against the fake server, the token kept out of logs."""
    async with FakeBotApi(token=VALID_TOKEN) as server:
        env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
        env.update(
            {
                "TELEGRAM_BOT_TOKEN": VALID_TOKEN,
                "TELEGRAM_BASE_URL": server.base_url,
                "SERVICES_FILE": str(write_catalogue(tmp_path / "services.yaml")),
                "DATABASE_PATH": str(tmp_path / "db" / "bot.sqlite3"),
                "LOG_LEVEL": "DEBUG",
            }
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=PROJECT_ROOT,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            turn = await server.user_sends_text(USER, "/start", language_code="de")
            greeting, _ = await turn.replies(2, timeout=30)
        finally:
            process.send_signal(signal.SIGINT)
            _, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert greeting["text"].startswith("Hallo!")
    assert process.returncode == 0, err.decode()
    log = err.decode()
    assert "Application started" in log
    assert VALID_TOKEN not in log and VALID_TOKEN.split(":")[1] not in log
    assert (tmp_path / "db" / "bot.sqlite3").exists()


async def test_the_sandbox_hints_a_location_in_its_own_city(tmp_path: Path) -> None:
    wolfsburg = Path(__file__).resolve().parent.parent / "catalogues" / "wolfsburg.yaml"
    out = io.StringIO()
    typed = "/loc\n/quit\n"
    settings = Settings(services_file=wolfsburg)
    assert await chat(settings, stdin=io.StringIO(typed), stdout=out, language_code="de") == 0
    assert "(usage: /loc LAT LON, for example /loc 52.4227 10.7865)" in out.getvalue()
