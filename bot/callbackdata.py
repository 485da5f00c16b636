"""Short, stable button codes: Telegram allows at most 64 bytes of ``callback_data``.

A code is ``<action>|<arg>|<arg>``. Service ids are used as they are when short enough, and as a
stable hash otherwise, so a button keeps working after the catalogue is reloaded as long as the
service still exists; a button whose service is gone parses fine and is answered kindly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

S = TypeVar("S")

MAX_BYTES = 64
"""Telegram's limit for callback_data."""

MAX_PLAIN_ID_BYTES = 40
"""Longer ids are hashed: the longest code ("W|<id>|wrong-address") must stay under 64 bytes."""


class Action(StrEnum):
    """What a button does; one letter each to leave room for arguments."""

    CATEGORY = "c"  # c|<category>|<page>
    DETAILS = "s"  # s|<service>
    MORE_RESULTS = "r"  # r|<results>|<page>
    NEARBY = "n"  # n|<category or empty>|<page>
    LANGUAGE = "L"  # L|<code>
    LANGUAGE_MENU = "l"
    EMERGENCY = "e"
    MENU = "m"
    CLEAR = "x"
    REPORT_MENU = "w"  # w|<service>
    REPORT = "W"  # W|<service>|<kind>
    VENUE = "v"  # v|<service>
    DELETE_CONFIRM = "d"
    SAFETY = "a"  # a|<no, unsure or yes>|<kind of danger>: "Are you safe right now?"
    OPEN = "o"  # o|<category or empty>|<page>|<now, today, tonight, d0-d6>: open at that time
    TALK = "k"  # "Write to a person": the intro to the counsellors
    TALK_START = "K"  # start the conversation
    TALK_STOP = "z"  # end the conversation


class CallbackDataError(ValueError):
    """A button code that this version of the bot never made (or one that was tampered with)."""


@dataclass(frozen=True)
class Callback:
    """A parsed button code."""

    action: Action
    args: tuple[str, ...] = ()

    def arg(self, index: int, default: str = "") -> str:
        """One argument, or ``default`` when an older button lacks it."""
        return self.args[index] if index < len(self.args) else default

    def page(self, index: int) -> int:
        """A page number argument; old or odd values fall back to the first page."""
        value = self.arg(index, "0")
        return int(value) if value.isdigit() and int(value) < 1000 else 0


def service_token(service_id: str) -> str:
    """The id itself when short, else ``#`` plus a stable 12-hex-digit hash of it."""
    if len(service_id.encode()) <= MAX_PLAIN_ID_BYTES:
        return service_id
    return "#" + hashlib.blake2b(service_id.encode(), digest_size=6).hexdigest()


def find_service(token: str, services_by_id: Mapping[str, S]) -> S | None:
    """The service a button's token names, or None if it left the catalogue.

    Plain tokens are the id; a hashed one (ids over ``MAX_PLAIN_ID_BYTES``, rare) is found by
    hashing the long ids, which costs microseconds per service and only on such a tap.
    """
    if not token.startswith("#"):
        return services_by_id.get(token)
    return next(
        (
            service
            for service_id, service in services_by_id.items()
            if len(service_id.encode()) > MAX_PLAIN_ID_BYTES and service_token(service_id) == token
        ),
        None,
    )


def results_token(found: Sequence[str]) -> str:
    """8 hex digits naming one list of search results: a "More results" button of an older
    search must not page through the newest one (only the newest is kept in memory)."""
    return hashlib.blake2b("\n".join(found).encode(), digest_size=4).hexdigest()


def encode(action: Action, *args: str | int) -> str:
    """Build a button code; raises ValueError if it would not fit Telegram's limit."""
    data = "|".join([action.value, *(str(a) for a in args)])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data longer than {MAX_BYTES} bytes: {data!r}")
    return data


def parse_callback(data: str | None) -> Callback:
    """The one place that reads button codes."""
    if not data:
        raise CallbackDataError("empty callback data")
    action_code, *args = data.split("|")
    try:
        action = Action(action_code)
    except ValueError:
        raise CallbackDataError(f"unknown button code {data!r}") from None
    return Callback(action, tuple(args))
