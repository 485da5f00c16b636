"""Settings from the environment: every mistake is one line naming the variable."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings

TOKEN = "123456789:AAE-abcdefghijklmnopqrstuvwxyz0123"


def test_defaults_without_anything() -> None:
    settings = Settings.from_env({})
    assert settings == Settings()
    assert (settings.services_file, settings.database_path) == (
        Path("services.yaml"),
        Path("db/bot.sqlite3"),
    )
    assert settings.webhook_listen == "0.0.0.0"
    assert (settings.port, settings.log_level, settings.log_retention) == (
        8080,
        logging.INFO,
        timedelta(days=180),
    )


def test_everything_set() -> None:
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot",
            "SERVICES_FILE": "/srv/services.yaml",
            "DATABASE_PATH": "/srv/db.sqlite3",
            "STAFF_CHAT_IDS": "-100123, 42",
            "WEBHOOK_URL": "https://bot.example.org/telegram",
            "WEBHOOK_SECRET": "s3cret_-",
            "PORT": "8443",
            "WEBHOOK_LISTEN": "127.0.0.1",
            "LOG_LEVEL": "debug",
            "LOG_RETENTION_DAYS": "30",
        }
    )
    assert settings.token == TOKEN
    assert settings.staff_chat_ids == frozenset({-100123, 42})
    assert (settings.port, settings.log_level) == (8443, logging.DEBUG)
    assert settings.webhook_listen == "127.0.0.1"
    assert settings.log_retention == timedelta(days=30)
    assert TOKEN not in repr(settings) and "s3cret" not in repr(settings)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"TELEGRAM_BOT_TOKEN": "'123:abc'"}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BASE_URL": "127.0.0.1:8081"}, "TELEGRAM_BASE_URL"),
        ({"STAFF_CHAT_IDS": "42, staff"}, "STAFF_CHAT_IDS"),
        ({"WEBHOOK_URL": "http://bot.example.org", "WEBHOOK_SECRET": "x"}, "WEBHOOK_URL"),
        ({"WEBHOOK_URL": "https://bot.example.org"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_SECRET": "with space"}, "WEBHOOK_SECRET"),
        ({"PORT": "80a"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL"),
        ({"LOG_RETENTION_DAYS": "-5"}, "LOG_RETENTION_DAYS"),
        ({"LOG_RETENTION_DAYS": "²"}, "LOG_RETENTION_DAYS"),
        ({"LOG_RETENTION_DAYS": "99999999"}, "LOG_RETENTION_DAYS"),
        ({"PORT": "²"}, "PORT"),
        ({"WEBHOOK_LISTEN": "localhost:80"}, "WEBHOOK_LISTEN"),
    ],
)
def test_a_bad_value_names_its_variable(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(env)
    message = str(caught.value)
    assert message.startswith(named) and "\n" not in message


def test_token_required_only_when_asked() -> None:
    with pytest.raises(ConfigError, match=r"^TELEGRAM_BOT_TOKEN is not set"):
        Settings.from_env({}, need_token=True)


def test_a_malformed_token_is_never_echoed() -> None:
    secret = "123456:this-is-not-a-valid token"
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"TELEGRAM_BOT_TOKEN": secret})
    assert secret not in str(caught.value)


COUNSEL = {
    "COUNSEL_CHAT_ID": "-1001234567890",
    "COUNSEL_NAME": "Beratungsteam Hannover",
    "COUNSEL_HOURS": "Mo-Fr 09:00-17:00",
    "COUNSEL_LANGUAGES": "de, ar,uk,de",
}


def test_the_counsellors_are_off_without_a_group() -> None:
    assert Settings.from_env({"COUNSEL_NAME": "Team"}).counsel is None


def test_the_counsellors_settings() -> None:
    changed = {**COUNSEL, "COUNSEL_RETENTION_DAYS": "14", "COUNSEL_IDLE_DAYS": "7"}
    counsel = Settings.from_env(changed).counsel
    assert counsel is not None
    assert counsel.chat_id == -1001234567890 and counsel.name == "Beratungsteam Hannover"
    assert counsel.languages == ("de", "ar", "uk")
    assert counsel.retention.days == 14 and counsel.idle.days == 7
    default = Settings.from_env(COUNSEL).counsel
    assert default is not None and default.retention.days == 30 and default.idle.days == 14


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"COUNSEL_CHAT_ID": "12345"}, "COUNSEL_CHAT_ID"),
        ({"COUNSEL_NAME": ""}, "COUNSEL_NAME"),
        ({"COUNSEL_HOURS": ""}, "COUNSEL_HOURS"),
        ({"COUNSEL_HOURS": "Mo-Fx 09:00-17:00"}, "COUNSEL_HOURS is not valid opening_hours"),
        ({"COUNSEL_LANGUAGES": ""}, "COUNSEL_LANGUAGES"),
        ({"COUNSEL_LANGUAGES": "Deutsch"}, "COUNSEL_LANGUAGES"),
        ({"COUNSEL_RETENTION_DAYS": "0"}, "COUNSEL_RETENTION_DAYS"),
        ({"COUNSEL_RETENTION_DAYS": "a month"}, "COUNSEL_RETENTION_DAYS"),
        ({"COUNSEL_IDLE_DAYS": "0"}, "COUNSEL_IDLE_DAYS"),
        ({"COUNSEL_IDLE_DAYS": "366"}, "COUNSEL_IDLE_DAYS"),
        ({"COUNSEL_IDLE_DAYS": "2w"}, "COUNSEL_IDLE_DAYS"),
    ],
)
def test_a_bad_counsellors_setting_names_its_variable(change: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=f"^{named}"):
        Settings.from_env({**COUNSEL, **change})
