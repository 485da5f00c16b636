"""Edits that staff make to a running bot's catalogue, shared by the reload tests.

The texts start from ``conftest.write_catalogue``: a valid catalogue with ``tafel-1`` …
``tafel-N``, ``frauenhaus`` and ``hilfetelefon``.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from pathlib import Path

NEW_SERVICE = """
  - id: waermestube
    name: {de: Wärmestube Nordstadt}
    categories: [food]
    summary: {de: "Warm sitzen, Kaffee und Suppe."}
    keywords: {de: [wärmestube, kaffee, suppe]}
    cost: free
    appointment: none
    location: {address: "Engelbosteler Damm 1, 30167 Hannover", district: Linden}
    opening_hours: "Mo-Fr 09:00-17:00"
    last_verified: 2026-10-01
"""
"""A service that the small test catalogue does not have, found by searching "Wärmestube"."""

BAD_PHONE = 'phone: "call us"'
"""Words where a phone number belongs: an error with a line, a service, a field and a fix."""


def with_new_service(text: str) -> str:
    return text + NEW_SERVICE.lstrip("\n")


def with_bad_phone(text: str) -> str:
    """Staff typed words where tafel-2's phone number belongs."""
    return text.replace('phone: "0511 123452"', BAD_PHONE)


def line_of(text: str, fragment: str) -> int:
    """The 1-based line of ``text`` that contains ``fragment``."""
    return next(n for n, line in enumerate(text.splitlines(), start=1) if fragment in line)


def save(path: Path, text: str) -> None:
    """Save as most editors do: write a new file, then rename it over the old one."""
    draft = path.with_suffix(".tmp")
    draft.write_text(text, encoding="utf-8")
    os.replace(draft, path)


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait for ``condition`` without blocking the bot that runs in the same event loop."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never came true"
        await asyncio.sleep(0.01)
