"""The fake Bot API's forum supergroups: topics, threads and people writing in them.

Driven through the real python-telegram-bot ``Bot``; the rules and texts are Telegram's
(Bot API docs, TDLib's ForumTopicManager).
"""

from __future__ import annotations

import pytest
from telegram import Bot, ForumTopic, ReplyParameters
from telegram.error import BadRequest, RetryAfter

from fake_bot_api.fakebot_helpers import last_description
from fakebotapi import FakeBotApi, UserActionError

FORUM = -100_500
COUNSELLOR = 7_001
LEAD = 7_002


@pytest.fixture
def forum(server: FakeBotApi) -> int:
    """A forum where the bot manages topics, with a counsellor and a lead (an admin)."""
    server.create_forum_group(FORUM, title="Beratung Hannover")
    server.add_group_member(FORUM, COUNSELLOR, "Berater")
    server.add_group_member(FORUM, LEAD, "Leitung", status="administrator", can_manage_topics=True)
    return FORUM


async def topic(bot: Bot, name: str = "K7F2 · العربية") -> ForumTopic:
    return await bot.create_forum_topic(FORUM, name)


async def test_create_forum_topic_returns_the_topic_and_posts_its_service_message(
    server: FakeBotApi, bot: Bot, forum: int
) -> None:
    created = await bot.create_forum_topic(forum, "K7F2 · العربية", icon_color=9367192)
    assert (created.name, created.icon_color) == ("K7F2 · العربية", 9367192)
    [root] = server.topic_history(forum, created.message_thread_id)
    assert root["message_id"] == created.message_thread_id
    assert root["forum_topic_created"] == {"name": "K7F2 · العربية", "icon_color": 9367192}
    assert root["is_topic_message"] is True
    assert root["from"]["id"] == bot.id
    second = await bot.create_forum_topic(forum, "B2C4 · Deutsch")
    assert second.message_thread_id > created.message_thread_id
    assert second.icon_color == 7322096  # a fixed choice where Telegram picks one
    chat = await bot.get_chat(forum)
    assert chat.is_forum is True


async def test_topic_names_are_cleaned_like_tdlib_and_colours_are_telegrams_six(
    server: FakeBotApi, bot: Bot, forum: int
) -> None:
    long = await bot.create_forum_topic(forum, "  " + "x" * 130 + "  ")
    assert long.name == "x" * 128
    lines = await bot.create_forum_topic(forum, "K7F2\n·  Deutsch")
    assert lines.name == "K7F2 ·  Deutsch"
    for name in ("", "   "):
        with pytest.raises(BadRequest):
            await bot.create_forum_topic(forum, name)
        assert last_description(server) == "Bad Request: title must be non-empty"
    with pytest.raises(BadRequest):
        await bot.create_forum_topic(forum, "Farbe", icon_color=0x123456)
    assert last_description(server) == "Bad Request: invalid icon color specified"


async def test_topics_need_a_forum_and_the_right_to_manage_topics(
    server: FakeBotApi, bot: Bot
) -> None:
    server.create_forum_group(-1, is_forum=False)
    with pytest.raises(BadRequest):
        await bot.create_forum_topic(-1, "Thema")
    assert last_description(server) == "Bad Request: the chat is not a forum"
    server.create_forum_group(-2, can_manage_topics=False)
    with pytest.raises(BadRequest):
        await bot.create_forum_topic(-2, "Thema")
    assert last_description(server) == "Bad Request: not enough rights to create a topic"
    with pytest.raises(BadRequest):
        await bot.create_forum_topic(-3, "Thema")
    assert last_description(server) == "Bad Request: chat not found"


async def test_messages_in_a_topic_carry_the_thread_and_reply_to_its_root(
    server: FakeBotApi, bot: Bot, forum: int
) -> None:
    created = await topic(bot)
    thread = created.message_thread_id
    sent = await bot.send_message(forum, "Neue Nachricht", message_thread_id=thread)
    assert sent.message_thread_id == thread
    assert sent.is_topic_message is True
    assert sent.reply_to_message is not None
    assert sent.reply_to_message.forum_topic_created is not None
    general = await bot.send_message(forum, "Für alle")
    assert general.message_thread_id is None and not general.is_topic_message
    texts = [m.get("text") for m in server.topic_history(forum, thread, include_service=False)]
    assert texts == ["Neue Nachricht"]


async def test_a_reply_lands_in_the_topic_of_the_message_it_answers(
    server: FakeBotApi, bot: Bot, forum: int
) -> None:
    first, other = await topic(bot, "A"), await topic(bot, "B")
    asked = await bot.send_message(forum, "Frage", message_thread_id=first.message_thread_id)
    answer = await bot.send_message(
        forum, "Antwort", reply_parameters=ReplyParameters(asked.message_id)
    )
    assert answer.message_thread_id == first.message_thread_id
    assert answer.reply_to_message is not None
    assert answer.reply_to_message.message_id == asked.message_id
    with pytest.raises(BadRequest):
        await bot.send_message(
            forum,
            "quer",
            message_thread_id=other.message_thread_id,
            reply_parameters=ReplyParameters(asked.message_id),
        )
    assert last_description(server) == "Bad Request: message to be replied not found"


async def test_unknown_and_deleted_threads_are_not_found(
    server: FakeBotApi, bot: Bot, forum: int, chat: int
) -> None:
    for where, thread in ((forum, 999), (chat, 1)):
        with pytest.raises(BadRequest):
            await bot.send_message(where, "hallo", message_thread_id=thread)
        assert last_description(server) == "Bad Request: message thread not found"
    created = await topic(bot)
    await bot.send_message(forum, "weg damit", message_thread_id=created.message_thread_id)
    assert await bot.delete_forum_topic(forum, created.message_thread_id)
    assert server.topic_history(forum, created.message_thread_id) == []
    assert len(server.topic_history(forum, created.message_thread_id, include_deleted=True)) == 2
    with pytest.raises(BadRequest):
        await bot.send_message(forum, "hallo", message_thread_id=created.message_thread_id)
    assert last_description(server) == "Bad Request: message thread not found"
    with pytest.raises(BadRequest):
        await bot.close_forum_topic(forum, created.message_thread_id)
    assert last_description(server) == "Bad Request: TOPIC_ID_INVALID"


async def test_edit_close_and_reopen_post_service_messages_and_refuse_no_change(
    server: FakeBotApi, bot: Bot, forum: int
) -> None:
    thread = (await topic(bot, "K7F2 · Deutsch")).message_thread_id
    assert await bot.edit_forum_topic(forum, thread, name="🆘 K7F2 · Deutsch")
    assert server.forum_topic(forum, thread).name == "🆘 K7F2 · Deutsch"
    with pytest.raises(BadRequest):
        await bot.edit_forum_topic(forum, thread, name="🆘 K7F2 · Deutsch")
    assert last_description(server) == "Bad Request: TOPIC_NOT_MODIFIED"
    assert await bot.close_forum_topic(forum, thread)
    with pytest.raises(BadRequest):
        await bot.close_forum_topic(forum, thread)
    assert last_description(server) == "Bad Request: TOPIC_NOT_MODIFIED"
    assert await bot.reopen_forum_topic(forum, thread)
    notes = [
        next(key for key in message if key.startswith("forum_topic_"))
        for message in server.topic_history(forum, thread)
    ]
    assert notes == [
        "forum_topic_created",
        "forum_topic_edited",
        "forum_topic_closed",
        "forum_topic_reopened",
    ]
    edited = server.topic_history(forum, thread)[1]["forum_topic_edited"]
    assert edited == {"name": "🆘 K7F2 · Deutsch"}
    assert await bot.edit_forum_topic(forum, thread, icon_custom_emoji_id="5312536423851630001")
    assert server.forum_topic(forum, thread).icon_custom_emoji_id == "5312536423851630001"
    assert await bot.edit_forum_topic(forum, thread, icon_custom_emoji_id="")  # no icon
    assert server.forum_topic(forum, thread).icon_custom_emoji_id is None
    assert server.topic_history(forum, thread)[-1]["forum_topic_edited"] == {
        "icon_custom_emoji_id": ""
    }
    assert await bot.edit_forum_topic(forum, thread)  # nothing asked, nothing done


async def test_a_closed_topic_takes_messages_only_from_topic_managers(
    server: FakeBotApi, bot: Bot, forum: int
) -> None:
    thread = (await topic(bot)).message_thread_id
    await bot.close_forum_topic(forum, thread)
    # The bot manages topics, so it may still write (to say goodbye, say).
    await bot.send_message(forum, "Geschlossen.", message_thread_id=thread)
    with pytest.raises(UserActionError, match="TOPIC_CLOSED"):
        await server.member_sends_text(forum, COUNSELLOR, "noch was", message_thread_id=thread)
    await server.member_sends_text(forum, LEAD, "Notiz", message_thread_id=thread)
    server.set_bot_rights(forum, can_manage_topics=False)
    with pytest.raises(BadRequest):
        await bot.send_message(forum, "zu", message_thread_id=thread)
    assert last_description(server) == "Bad Request: TOPIC_CLOSED"
    assert await bot.reopen_forum_topic(forum, thread)  # its own topic: no right needed


async def test_managing_someone_elses_topic_needs_the_right(
    server: FakeBotApi, bot: Bot, forum: int
) -> None:
    turn = await server.member_creates_topic(forum, LEAD, "Team")
    thread = turn.message_id
    assert thread is not None
    [update] = await bot.get_updates(timeout=0)
    assert update.message is not None and update.message.forum_topic_created is not None
    assert update.message.message_thread_id == thread
    server.set_bot_rights(forum, can_manage_topics=False, can_delete_messages=False)
    for call, text in (
        (bot.edit_forum_topic(forum, thread, name="neu"), "not enough rights to edit the topic"),
        (bot.close_forum_topic(forum, thread), "not enough rights to close or open the topic"),
        (bot.delete_forum_topic(forum, thread), "not enough rights to delete the topic"),
    ):
        with pytest.raises(BadRequest):
            await call
        assert last_description(server) == f"Bad Request: {text}"


async def test_a_counsellor_writes_in_a_topic_and_the_bot_gets_the_update(
    server: FakeBotApi, bot: Bot, forum: int
) -> None:
    thread = (await topic(bot)).message_thread_id
    await server.member_sends_text(forum, COUNSELLOR, "/close", message_thread_id=thread)
    await server.member_sends_text(forum, COUNSELLOR, "Guten Tag!", message_thread_id=thread)
    updates = await bot.get_updates(timeout=0)
    first, second = (update.message for update in updates)
    assert first is not None and second is not None
    assert first.text == "/close" and first.entities[0].type == "bot_command"
    assert (second.message_thread_id, second.is_topic_message) == (thread, True)
    assert second.chat.is_forum is True and second.chat.type == "supergroup"
    assert second.from_user is not None and second.from_user.id == COUNSELLOR
    assert second.reply_to_message is not None
    assert second.reply_to_message.forum_topic_created is not None


async def test_only_registered_members_write_and_only_in_live_topics(
    server: FakeBotApi, bot: Bot, forum: int
) -> None:
    with pytest.raises(UserActionError, match="not a member"):
        await server.member_sends_text(forum, 9_999, "hallo")
    with pytest.raises(UserActionError, match="not a member"):
        await server.user_sends_text(forum, "hallo", user_id=9_999, chat_type="supergroup")
    with pytest.raises(UserActionError, match="message thread not found"):
        await server.member_sends_text(forum, COUNSELLOR, "hallo", message_thread_id=42)


async def test_bot_membership_shows_its_forum_rights(server: FakeBotApi, bot: Bot) -> None:
    server.create_forum_group(-9, can_pin_messages=False)
    member = await bot.get_chat_member(-9, bot.id)
    assert member.status == "administrator"
    assert member.can_manage_topics is True  # type: ignore[attr-defined]
    assert member.can_pin_messages is False  # type: ignore[attr-defined]


async def test_a_lead_closes_and_reopens_a_topic_in_the_app(
    server: FakeBotApi, bot: Bot, forum: int
) -> None:
    thread = (await topic(bot)).message_thread_id
    await server.member_closes_topic(forum, LEAD, thread)
    assert server.forum_topic(forum, thread).closed
    await server.member_closes_topic(forum, LEAD, thread, closed=False)
    closed, reopened = (u.message for u in await bot.get_updates(timeout=0))
    assert closed is not None and closed.forum_topic_closed is not None
    assert closed.message_thread_id == thread and closed.from_user is not None
    assert closed.from_user.id == LEAD
    assert reopened is not None and reopened.forum_topic_reopened is not None
    with pytest.raises(UserActionError, match="may not close"):
        await server.member_closes_topic(forum, COUNSELLOR, thread)
    with pytest.raises(UserActionError, match="already"):
        await server.member_closes_topic(forum, LEAD, thread, closed=False)


async def test_deleting_a_counsellors_message_needs_can_delete_messages(
    server: FakeBotApi, bot: Bot, forum: int
) -> None:
    thread = (await topic(bot)).message_thread_id
    first = await server.member_sends_text(forum, COUNSELLOR, "eins", message_thread_id=thread)
    second = await server.member_sends_text(forum, COUNSELLOR, "zwei", message_thread_id=thread)
    assert await bot.delete_message(forum, first.message_id or 0)
    server.set_bot_rights(forum, can_delete_messages=False)
    with pytest.raises(BadRequest):
        await bot.delete_message(forum, second.message_id or 0)
    assert last_description(server) == "Bad Request: message can't be deleted"


async def test_a_group_takes_20_bot_messages_a_minute(
    server: FakeBotApi, bot: Bot, forum: int, chat: int
) -> None:
    thread = (await topic(bot)).message_thread_id  # the topic's service message counts
    for number in range(19):
        await bot.send_message(forum, f"Nachricht {number}", message_thread_id=thread)
    with pytest.raises(RetryAfter) as refused:
        await bot.send_message(forum, "eine zu viel", message_thread_id=thread)
    wait = refused.value.retry_after  # seconds (int) in PTB 22
    assert 0 < int(wait) <= 60  # type: ignore[arg-type]
    assert last_description(server) == f"Too Many Requests: retry after {wait}"
    with pytest.raises(RetryAfter):
        await bot.close_forum_topic(forum, thread)
    assert not server.forum_topic(forum, thread).closed  # a refused call changes nothing
    for number in range(25):  # private chats are not counted
        await bot.send_message(chat, f"privat {number}")
    server.advance_clock(60)
    assert await bot.close_forum_topic(forum, thread)
