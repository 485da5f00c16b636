"""Telegram trouble (429, 502, downtime) delays answers but never loses them."""

from __future__ import annotations

import socket

import pytest
from conftest import USER, Launcher, Person, plain

from bot.answers import menus
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from fakebotapi import FakeBotApi


@pytest.mark.parametrize(
    ("status", "retry_after", "times"), [(429, 1, 1), (502, None, 2), (504, None, 1)]
)
async def test_a_failing_send_is_retried(
    server: FakeBotApi,
    app: object,
    translators: TranslatorRegistry,
    status: int,
    retry_after: int | None,
    times: int,
) -> None:
    server.inject_error("sendMessage", status, retry_after=retry_after, times=times)
    (answer,) = await Person(server).says("/help")
    assert answer["text"] == plain(menus.help_text(translators["de"]).text)
    statuses = [r.status for r in server.requests_for("sendMessage")]
    assert statuses == [status] * times + [200]


@pytest.mark.parametrize(("status", "retry_after"), [(429, 1), (502, None)])
async def test_a_failing_get_updates_is_retried(
    server: FakeBotApi,
    app: object,
    translators: TranslatorRegistry,
    status: int,
    retry_after: int | None,
) -> None:
    person = Person(server)
    server.inject_error("getUpdates", status, retry_after=retry_after)
    await person.says("/help")  # fetched by the long poll already waiting
    (answer,) = await person.says("/privacy")  # the next poll fails once, then succeeds
    assert answer["text"] == plain(menus.privacy(translators["de"]).text)
    assert status in [r.status for r in server.requests_for("getUpdates")]


async def test_a_failing_callback_answer_still_runs_the_button(
    person: Person, server: FakeBotApi, directory: Directory, translators: TranslatorRegistry
) -> None:
    (menu,) = await person.says("/emergency")
    server.inject_error("answerCallbackQuery", 502)
    (topics,) = await person.presses(menu, data="m")
    assert topics["text"] == plain(menus.topics_menu(directory, translators["de"]).text)


async def test_messages_sent_while_the_bot_was_down_are_answered_after_restart(
    server: FakeBotApi, launch: Launcher, translators: TranslatorRegistry
) -> None:
    person = Person(server)
    async with launch():
        await person.says("/help")
    waiting = [
        await server.user_sends_text(USER, text, language_code="de")
        for text in ("/privacy", "/about")
    ]
    assert server.pending_update_count == 2
    async with launch():
        privacy = await waiting[0].replies()
        about = await waiting[1].replies()
    assert privacy[0]["text"] == plain(menus.privacy(translators["de"]).text)
    assert about and server.pending_update_count == 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_mode_with_secret(
    server: FakeBotApi, launch: Launcher, translators: TranslatorRegistry
) -> None:
    port = free_port()
    async with launch(
        webhook_url=f"http://127.0.0.1:{port}/telegram", webhook_secret="s3cret-Token", port=port
    ):
        assert server.webhook_url == f"http://127.0.0.1:{port}/telegram"
        assert server.webhook_secret_token == "s3cret-Token"
        (answer,) = await Person(server).says("/help")
    assert answer["text"] == plain(menus.help_text(translators["de"]).text)
    assert server.requests_for("getUpdates") == []


async def test_a_slow_send_is_waited_for_not_sent_twice(
    server: FakeBotApi, app: object, translators: TranslatorRegistry
) -> None:
    """With PTB's 5 s read timeout, a send Telegram took 6 s to answer was given up and sent
    again (Telegram had sent the first one all the same)."""
    server.inject_delay("sendMessage", 6.0)
    turn = await server.user_sends_text(USER, "/help", language_code="de")
    (answer,) = await turn.replies(1, timeout=15)
    assert answer["text"] == plain(menus.help_text(translators["de"]).text)
    assert [r.status for r in server.requests_for("sendMessage")] == [200]
