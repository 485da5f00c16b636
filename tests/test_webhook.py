"""The webhook checks the secret before it reads a body, caps bodies, and stores before 200."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import aiohttp
import pytest
from conftest import Launcher, Person, plain

from bot.answers import menus
from bot.chat.webhook import MAX_BODY_BYTES, SECRET_HEADER
from bot.i18n.translators import TranslatorRegistry
from fakebotapi import FakeBotApi

SECRET = "s3cret-Token"
HUGE = 95 * 1024 * 1024


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_bytes() -> int:
    """This process's resident memory (the bot runs in it), from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/self/status")


async def refused_before_the_body(
    port: int, headers: dict[str, str], body_bytes: int
) -> tuple[int, int]:
    """Send only the head of a POST announcing ``body_bytes``: the server must answer without
    waiting for the body. Then try to send the body anyway (as a client that does not wait
    would), 1 MiB at a time; returns the status and how many body bytes the socket took."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = ["POST /telegram HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {body_bytes}"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
    status_line = await asyncio.wait_for(reader.readline(), timeout=10)
    chunk = b"[" * (1024 * 1024)
    written = 0
    try:
        while written < body_bytes:
            part = chunk[: body_bytes - written]
            writer.write(part)
            await asyncio.wait_for(writer.drain(), timeout=2)
            written += len(part)
    except (ConnectionError, TimeoutError):
        pass  # the server hung up: what a refused body should cause
    writer.close()
    return int(status_line.split()[1]), written


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def hook(launch: Launcher, port: int) -> Launcher:
    def start() -> object:
        return launch(
            webhook_url=f"http://127.0.0.1:{port}/telegram", webhook_secret=SECRET, port=port
        )

    return start  # type: ignore[return-value]


async def test_a_huge_body_without_the_secret_is_refused_unread(
    server: FakeBotApi, hook: Launcher, port: int
) -> None:
    async with hook():
        before = rss_bytes()
        for _ in range(2):
            status, written = await refused_before_the_body(port, {}, HUGE)
            assert status == 403
            assert written < HUGE  # the server hung up instead of reading on
        wrong, _ = await refused_before_the_body(port, {SECRET_HEADER: "wrong"}, HUGE)
        grown = rss_bytes() - before
    assert wrong == 403
    assert grown < 20 * 1024 * 1024, f"RSS grew by {grown / 2**20:.0f} MB"


async def test_a_body_over_the_cap_with_the_secret_gets_413(hook: Launcher, port: int) -> None:
    async with hook():
        status, _ = await refused_before_the_body(port, {SECRET_HEADER: SECRET}, MAX_BODY_BYTES + 1)
    assert status == 413


@pytest.mark.parametrize(
    "body", [b"{not json", b"[1, 2]", b'{"message": {}}', b'{"update_id": "7"}', b"\xff\xfe"]
)
async def test_what_is_not_an_update_gets_400(
    server: FakeBotApi, hook: Launcher, port: int, translators: TranslatorRegistry, body: bytes
) -> None:
    async with hook(), aiohttp.ClientSession() as client:
        async with client.post(
            f"http://127.0.0.1:{port}/telegram", data=body, headers={SECRET_HEADER: SECRET}
        ) as response:
            assert response.status == 400
        # and the bot goes on answering
        (answer,) = await Person(server).says("/help")
    assert answer["text"] == plain(menus.help_text(translators["de"]).text)


async def test_the_webhook_asks_only_for_the_handled_update_types(
    server: FakeBotApi, hook: Launcher
) -> None:
    async with hook():
        (call,) = server.requests_for("setWebhook")
    assert call.params["allowed_updates"] == [
        "message",
        "edited_message",
        "callback_query",
        "my_chat_member",
    ]
