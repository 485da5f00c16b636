"""The fake Bot API server: editing and deleting messages, and faults injected by tests."""

from __future__ import annotations

import asyncio

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
)

from fake_bot_api.fakebot_helpers import NOT_MODIFIED, last_description
from fakebotapi import (
    FakeBotApi,
    UserActionError,
)

# --------------------------------------------------------------------------- editing and deleting


async def test_edit_that_changes_nothing_is_refused(
    server: FakeBotApi, bot: Bot, chat: int
) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    message = await bot.send_message(chat, "<b>Eins</b>", parse_mode="HTML", reply_markup=markup)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "<b>Eins</b>", chat, message.message_id, parse_mode="HTML", reply_markup=markup
        )
    assert last_description(server) == NOT_MODIFIED
    edited = await bot.edit_message_text("<b>Eins</b>", chat, message.message_id)
    assert isinstance(edited, type(message))
    assert (edited.text, edited.entities, edited.reply_markup) == ("<b>Eins</b>", (), None)
    assert edited.edit_date is not None
    assert server.message(chat, message.message_id).edited
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(chat, message.message_id)


async def test_editing_or_deleting_unknown_messages(
    server: FakeBotApi, bot: Bot, chat: int
) -> None:
    with pytest.raises(BadRequest):
        await bot.edit_message_text("neu", chat, 99)
    assert last_description(server) == "Bad Request: message to edit not found"
    with pytest.raises(BadRequest):
        await bot.delete_message(chat, 99)
    assert last_description(server) == "Bad Request: message to delete not found"


async def test_delete_own_and_users_messages_within_48_hours(
    server: FakeBotApi, bot: Bot, chat: int
) -> None:
    own = await bot.send_message(chat, "weg damit")
    assert await bot.delete_message(chat, own.message_id)
    assert await bot.delete_message(chat, 1)  # the user's "hello" in a private chat
    assert server.chat_history(chat) == []
    assert len(server.chat_history(chat, include_deleted=True)) == 2
    with pytest.raises(BadRequest):
        await bot.delete_message(chat, own.message_id)
    assert last_description(server) == "Bad Request: message to delete not found"

    old = await server.user_sends_text(chat, "alt")
    server.advance_clock(48 * 3600 + 1)
    with pytest.raises(BadRequest):
        await bot.delete_message(chat, old.message_id or 0)
    assert last_description(server) == "Bad Request: message can't be deleted for everyone"


async def test_in_groups_only_an_admin_bot_deletes_users_messages(
    server: FakeBotApi, bot: Bot
) -> None:
    await server.bot_added_to_group(-100)
    turn = await server.user_sends_text(-100, "hallo", chat_type="group")
    with pytest.raises(BadRequest):
        await bot.delete_message(-100, turn.message_id or 0)
    assert last_description(server) == "Bad Request: message can't be deleted"


# --------------------------------------------------------------------------- faults


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_429_surfaces_as_retry_after_once(server: FakeBotApi, bot: Bot, chat: int) -> None:
    server.inject_error("sendMessage", 429, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(chat, "x")
    assert str(caught.value) == "Flood control exceeded. Retry in 3 seconds"
    assert server.requests_log[-1].status == 429
    assert (await bot.send_message(chat, "x")).text == "x"


async def test_bot_initiated_messages_are_seen_after_a_marker(
    server: FakeBotApi, bot: Bot, chat: int
) -> None:
    await bot.send_message(chat, "vorher")
    mark = server.marker()
    await bot.send_message(chat, "Erinnerung")
    messages = await server.wait_for_bot_messages(chat, since=mark)
    assert [m["text"] for m in messages] == ["Erinnerung"]


async def test_502_and_delays_surface_as_network_errors(
    server: FakeBotApi, bot: Bot, chat: int
) -> None:
    server.inject_error("sendMessage", 502)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(chat, "x")
    server.inject_delay("sendMessage", 2.0)
    with pytest.raises(TimedOut):
        await bot.send_message(chat, "langsam", read_timeout=0.2)
    await asyncio.sleep(0.05)
    assert [m.get("text") for m in server.chat_history(chat)] == ["hello"]


async def test_blocked_user_is_forbidden(server: FakeBotApi, bot: Bot, chat: int) -> None:
    await server.user_blocks_bot(chat)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(chat, "x")
    with pytest.raises(UserActionError):
        await server.user_sends_text(chat, "hallo?")
    await server.user_unblocks_bot(chat)
    assert (await bot.send_message(chat, "wieder da")).text == "wieder da"


async def test_only_private_chats_block_or_unblock(server: FakeBotApi) -> None:
    await server.bot_added_to_group(-300, title="Nachbarschaft")
    for action in (server.user_blocks_bot, server.user_unblocks_bot):
        with pytest.raises(UserActionError, match="only private chats"):
            await action(-300)
