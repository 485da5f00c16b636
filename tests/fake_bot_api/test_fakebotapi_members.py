"""The fake Bot API's chat members and pinned messages, through the real PTB ``Bot``."""

from __future__ import annotations

import pytest
from telegram import Bot, ChatMemberAdministrator, ChatMemberOwner
from telegram.error import BadRequest

from fake_bot_api.fakebot_helpers import last_description
from fakebotapi import FakeBotApi, UserActionError

FORUM = -100_700
OWNER, LEAD, COUNSELLOR = 8_001, 8_002, 8_003


@pytest.fixture
def forum(server: FakeBotApi) -> int:
    server.create_forum_group(FORUM)
    server.add_group_member(FORUM, OWNER, "Chefin", status="creator")
    server.add_group_member(FORUM, LEAD, "Leitung", status="administrator", can_manage_topics=True)
    server.add_group_member(FORUM, COUNSELLOR, "Berater", username="berater_h")
    return FORUM


async def test_get_chat_member_knows_the_bot_and_the_people(
    server: FakeBotApi, bot: Bot, forum: int, chat: int
) -> None:
    me = await bot.get_chat_member(forum, bot.id)
    assert isinstance(me, ChatMemberAdministrator)
    assert (me.can_manage_topics, me.can_pin_messages, me.can_delete_messages) == (True,) * 3
    lead = await bot.get_chat_member(forum, LEAD)
    assert isinstance(lead, ChatMemberAdministrator)
    assert (lead.can_manage_topics, lead.can_pin_messages) == (True, False)
    counsellor = await bot.get_chat_member(forum, COUNSELLOR)
    assert counsellor.status == "member" and counsellor.user.username == "berater_h"
    assert (await bot.get_chat_member(forum, chat)).status == "left"  # known, not in the group
    assert (await bot.get_chat_member(chat, chat)).status == "member"
    with pytest.raises(BadRequest):
        await bot.get_chat_member(forum, 123_456_789)
    assert last_description(server) == "Bad Request: user not found"


async def test_get_chat_administrators_lists_owner_admins_and_the_bot(
    server: FakeBotApi, bot: Bot, forum: int, chat: int
) -> None:
    admins = await bot.get_chat_administrators(forum)
    assert [admin.user.id for admin in admins] == [OWNER, LEAD, bot.id]
    assert isinstance(admins[0], ChatMemberOwner)
    with pytest.raises(BadRequest):
        await bot.get_chat_administrators(chat)
    assert (
        last_description(server) == "Bad Request: there are no administrators in the private chat"
    )


async def test_pinning_in_a_topic_posts_the_note_there(
    server: FakeBotApi, bot: Bot, forum: int
) -> None:
    rules = await bot.send_message(forum, "Regeln: /close beendet, /block 7d sperrt.")
    assert await bot.pin_chat_message(forum, rules.message_id, disable_notification=True)
    assert server.chat(forum).pinned == [rules.message_id]
    note = server.chat_history(forum)[-1]
    assert note["pinned_message"]["text"].startswith("Regeln")
    assert "message_thread_id" not in note  # General topic
    thread = (await bot.create_forum_topic(forum, "K7F2")).message_thread_id
    inside = await bot.send_message(forum, "Zusammenfassung", message_thread_id=thread)
    await bot.pin_chat_message(forum, inside.message_id)
    [pinned_note] = [m for m in server.topic_history(forum, thread) if "pinned_message" in m]
    assert pinned_note["pinned_message"]["message_id"] == inside.message_id
    assert await bot.unpin_chat_message(forum, rules.message_id)
    assert server.chat(forum).pinned == [inside.message_id]
    assert await bot.unpin_chat_message(forum)
    assert server.chat(forum).pinned == []
    await bot.pin_chat_message(forum, rules.message_id)
    await bot.pin_chat_message(forum, inside.message_id)
    assert await bot.unpin_all_chat_messages(forum)
    assert server.chat(forum).pinned == []


async def test_pinning_needs_the_right_and_an_existing_message(
    server: FakeBotApi, bot: Bot, forum: int
) -> None:
    with pytest.raises(BadRequest):
        await bot.pin_chat_message(forum, 999)
    assert last_description(server) == "Bad Request: message to pin not found"
    server.set_bot_rights(forum, can_pin_messages=False)
    rules = await bot.send_message(forum, "Regeln")
    refusal = "Bad Request: not enough rights to manage pinned messages in the chat"
    for call in (
        bot.pin_chat_message(forum, rules.message_id),
        bot.unpin_chat_message(forum),
        bot.unpin_all_chat_messages(forum),
    ):
        with pytest.raises(BadRequest):
            await call
        assert last_description(server) == refusal


async def test_group_setup_refuses_what_telegram_cannot_be(server: FakeBotApi, forum: int) -> None:
    with pytest.raises(UserActionError):
        server.create_forum_group(FORUM)
    with pytest.raises(UserActionError):
        server.create_forum_group(42)
    with pytest.raises(UserActionError):
        server.set_bot_rights(forum, can_fly=True)
    with pytest.raises(UserActionError):
        server.add_group_member(forum, -5, "Niemand")
    with pytest.raises(UserActionError, match="may not create topics"):
        await server.member_creates_topic(forum, COUNSELLOR, "Eigenes Thema")
