"""Settings from the environment (12-factor), checked once at start, one clear line per mistake."""

from __future__ import annotations

import ipaddress
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

from bot.counsel.settings import CounselConfigError, CounselSettings, counsel_from_env
from bot.store.retention import MAX_LOG_RETENTION_DAYS, SEARCH_LOG_RETENTION

DEFAULT_SERVICES_FILE = Path("services.yaml")
DEFAULT_DATABASE_PATH = Path("db/bot.sqlite3")
DEFAULT_PORT = 8080
DEFAULT_WEBHOOK_LISTEN = "0.0.0.0"
"""Every interface, as a platform that routes its public port to the process needs; behind a
reverse proxy on the same machine set WEBHOOK_LISTEN=127.0.0.1 so only the proxy reaches it."""
RELOAD_INTERVAL_SECONDS = 3.0
"""How often the running bot looks at SERVICES_FILE: one stat call, so it costs nothing, and
staff see a saved change live while they still look at the chat."""
TOKEN_PATTERN = re.compile(r"^\d{3,15}:[A-Za-z0-9_-]{20,}$")
"""Telegram tokens are "<bot id>:<secret>"; checking the shape catches pasted quotes and blanks."""


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable and the fix."""


def whole_number(text: str, low: int, high: int) -> int | None:
    """``text`` as a whole number within ``low``..``high``, or None (also for "²" or "1e3")."""
    try:
        number = int(text)
    except ValueError:
        return None
    return number if low <= number <= high and text.strip().isdecimal() else None


def log_retention_from_env(env: Mapping[str, str] | None = None) -> timedelta:
    """LOG_RETENTION_DAYS: how long anonymous search-log rows are kept; the default and the
    range are the store's (:mod:`bot.store.retention`), which is handed the result."""
    env = os.environ if env is None else env
    text = env.get("LOG_RETENTION_DAYS", "").strip()
    if not text:
        return SEARCH_LOG_RETENTION
    days = whole_number(text, 1, MAX_LOG_RETENTION_DAYS)
    if days is None:
        raise ConfigError(
            f"LOG_RETENTION_DAYS must be a whole number of days (1 to {MAX_LOG_RETENTION_DAYS}), "
            f"not {text!r}"
        )
    return timedelta(days=days)


def services_file_from_env(env: Mapping[str, str] | None = None) -> Path:
    """SERVICES_FILE, read on its own: staff tools need it even when other settings are bad."""
    env = os.environ if env is None else env
    return Path(env.get("SERVICES_FILE", "").strip() or DEFAULT_SERVICES_FILE)


def database_path_from_env(env: Mapping[str, str] | None = None) -> Path:
    """DATABASE_PATH, read on its own, like :func:`services_file_from_env`."""
    env = os.environ if env is None else env
    return Path(env.get("DATABASE_PATH", "").strip() or DEFAULT_DATABASE_PATH)


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment."""

    token: str | None = field(default=None, repr=False)
    base_url: str | None = None
    services_file: Path = DEFAULT_SERVICES_FILE
    database_path: Path = DEFAULT_DATABASE_PATH
    staff_chat_ids: frozenset[int] = frozenset()
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    port: int = DEFAULT_PORT
    webhook_listen: str = DEFAULT_WEBHOOK_LISTEN
    log_level: int = logging.INFO
    log_retention: timedelta = SEARCH_LOG_RETENTION
    counsel: CounselSettings | None = None
    """The counsellors' group and team (COUNSEL_*); None: /talk is not offered."""
    reload_interval: float = RELOAD_INTERVAL_SECONDS
    """Seconds between looks at the catalogue file; 0 turns the watcher off (/reload still
    works). Not an environment variable: only the tests need another value."""

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, need_token: bool = False
    ) -> Settings:
        """Read and check the variables; raises ConfigError on the first bad one."""
        env = os.environ if env is None else env

        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        token = get("TELEGRAM_BOT_TOKEN")
        if token is None and need_token:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and export it "
                "(or run `make run` without it for the local sandbox chat)"
            )
        if token is not None and not TOKEN_PATTERN.match(token):
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then the "
                "secret); copy it again from @BotFather without quotes or spaces"
            )
        base_url = get("TELEGRAM_BASE_URL")
        if base_url is not None and urlparse(base_url).scheme not in ("http", "https"):
            raise ConfigError(
                "TELEGRAM_BASE_URL must be an http(s) URL such as http://127.0.0.1:8081/bot"
            )
        staff: set[int] = set()
        for part in (get("STAFF_CHAT_IDS") or "").split(","):
            if part.strip():
                try:
                    staff.add(int(part))
                except ValueError:
                    raise ConfigError(
                        f"STAFF_CHAT_IDS must be chat ids separated by commas; {part.strip()!r} "
                        "is not a number"
                    ) from None
        webhook_url = get("WEBHOOK_URL")
        webhook_secret = get("WEBHOOK_SECRET")
        if webhook_url is not None:
            if urlparse(webhook_url).scheme != "https":
                raise ConfigError("WEBHOOK_URL must start with https:// (Telegram requires it)")
            if webhook_secret is None:
                raise ConfigError(
                    "WEBHOOK_SECRET is required with WEBHOOK_URL: set 1-256 characters of "
                    "A-Z, a-z, 0-9, _ and -"
                )
        if webhook_secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", webhook_secret):
            raise ConfigError("WEBHOOK_SECRET may only use A-Z, a-z, 0-9, _ and - (1-256 chars)")
        port_text = get("PORT") or str(DEFAULT_PORT)
        port = whole_number(port_text, 1, 65535)
        if port is None:
            raise ConfigError(f"PORT must be a port number (1-65535), not {port_text!r}")
        listen = get("WEBHOOK_LISTEN") or DEFAULT_WEBHOOK_LISTEN
        try:
            ipaddress.ip_address(listen)
        except ValueError:
            raise ConfigError(
                f"WEBHOOK_LISTEN must be an IP address such as 127.0.0.1 or ::1, not {listen!r}"
            ) from None
        level_name = (get("LOG_LEVEL") or "INFO").upper()
        level = logging.getLevelNamesMapping().get(level_name)
        if level is None:
            raise ConfigError(
                f"LOG_LEVEL {level_name!r} is unknown; use DEBUG, INFO, WARNING or ERROR"
            )
        try:
            counsel = counsel_from_env(env)
        except CounselConfigError as error:
            raise ConfigError(str(error)) from None
        return cls(
            token=token,
            base_url=base_url,
            services_file=services_file_from_env(env),
            database_path=database_path_from_env(env),
            staff_chat_ids=frozenset(staff),
            webhook_url=webhook_url,
            webhook_secret=webhook_secret,
            port=port,
            webhook_listen=listen,
            log_level=level,
            log_retention=log_retention_from_env(env),
            counsel=counsel,
        )
