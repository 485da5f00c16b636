"""Talking to a person when something goes wrong on the way: an update handed twice after a
crash, a topic the team deleted, a person who blocked the bot, a group that is not a forum;
and a conversation that nobody ends, which the bot closes after its idle time."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FIXED_NOW, Person, plain
from counsel_helpers import (
    TEAM,
    Clock,
    CounselLauncher,
    counsel_application,
    handled_then_crashed,
    start_talking,
    team,
)
from forum_helpers import COUNSEL_GROUP, ForumGroup

from bot.answers import counsel as texts
from bot.answers import crisis
from bot.callbackdata import Action
from bot.chat.app import BotApplication
from bot.chat.context import BotContext
from bot.chat.handlers import counsel_team
from bot.counsel import notes
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from fakebotapi import FakeBotApi

PERSON = 5_550_901


async def test_an_update_handed_twice_is_relayed_once_in_each_direction(
    server: FakeBotApi,
    start_bot: CounselLauncher,
    group: ForumGroup,
    directory: Directory,
    translators: TranslatorRegistry,
    db_path: Path,
    clock: Clock,
) -> None:
    """A crash after the copy but before the update counts as handled: the next run is handed
    the same update again, and the other side must not get the message twice."""
    person = Person(server, chat_id=PERSON)
    counsellor = group.counsellor()
    async with start_bot():
        _, thread = await start_talking(person, group)
    from_person = await server.user_sends_text(PERSON, "Sind Sie da?", language_code="de")
    from_team = await counsellor.writes(thread, "Ja, ich bin da.")
    crashed = counsel_application(server, directory, translators, db_path, clock)
    await handled_then_crashed(crashed, [from_person.update, from_team.update])
    received = len(person.received())
    async with start_bot():
        mark = group.marker()
        await person.says("Und jetzt?", count=0)
        await group.wait_for_posts(thread, since=mark)
    texts_in_topic = [m.get("text") for m in group.posts(thread)]
    assert texts_in_topic.count("Sind Sie da?") == 1
    assert texts_in_topic.count("Und jetzt?") == 1
    answers = [m["text"] for m in person.received()]
    assert answers.count(f"💬 {TEAM}\nJa, ich bin da.") == 1
    assert len(person.received()) == received


async def test_a_relay_key_lasts_only_until_the_update_is_handled(
    server: FakeBotApi, bot: BotApplication, group: ForumGroup, db_path: Path
) -> None:
    import sqlite3

    person = Person(server, chat_id=PERSON)
    _, thread = await start_talking(person, group)
    mark = group.marker()
    await person.says("Hallo", count=0)
    await group.wait_for_posts(thread, since=mark)
    for _ in range(50):  # the inbox marks it handled right after the handler
        conn = sqlite3.connect(db_path)
        try:
            left = conn.execute("SELECT count(*) FROM relayed").fetchone()[0]
        finally:
            conn.close()
        if not left:
            break
        await asyncio.sleep(0.02)
    assert left == 0


@pytest.mark.parametrize("language", ["ar"])
async def test_a_deleted_topic_is_opened_again_and_the_message_arrives(
    server: FakeBotApi, bot: BotApplication, group: ForumGroup, language: str
) -> None:
    person = Person(server, chat_id=PERSON, language_code=language)
    counsellor = group.counsellor()
    _, thread = await start_talking(person, group)
    old_name = group.topic(thread).name
    await bot.bot.delete_forum_topic(COUNSEL_GROUP, thread)  # as the team does in the app
    mark = group.marker()
    assert await person.says("Noch eine Frage", count=0) == []
    [new] = [t for t in group.topics() if t.message_thread_id != thread]
    assert new.name == old_name
    note, relayed = await group.wait_for_posts(new.message_thread_id, count=2, since=mark)
    assert note["text"].startswith("Conversation " + old_name.split(" · ")[0])
    assert relayed["text"] == "Noch eine Frage"
    [reply] = await counsellor.writes_to(person, new.message_thread_id, "Hier sind wir.")
    assert reply["text"] == f"💬 {TEAM}\nHier sind wir."
    assert not [text for text in group.shown_to_counsellors() if str(PERSON) in text]


async def test_a_deleted_topic_that_spoke_of_danger_comes_back_marked(
    server: FakeBotApi, bot: BotApplication, group: ForumGroup
) -> None:
    person = Person(server, chat_id=PERSON)
    _, thread = await start_talking(person, group)
    await person.says("ich will nicht mehr leben")  # first help; the topic is marked
    await bot.bot.delete_forum_topic(COUNSEL_GROUP, thread)
    await person.says("Hallo?", count=0)
    [new] = [t for t in group.topics() if t.message_thread_id != thread]
    assert new.name.startswith("🆘 ")


async def test_without_the_right_to_manage_topics_the_person_is_told(
    server: FakeBotApi, bot: BotApplication, group: ForumGroup, translators: TranslatorRegistry
) -> None:
    server.set_bot_rights(COUNSEL_GROUP, can_manage_topics=False)  # an owner took it away
    person = Person(server, chat_id=PERSON)
    [intro] = await person.says("/talk")
    [refused] = await person.presses(intro, data=Action.TALK_START.value)
    assert refused["text"] == plain(texts.unreachable(translators["de"]).text)
    assert group.topics() == [] and not bot.bot_data.store.conversations.is_open(PERSON)


async def test_a_person_who_blocked_the_bot_is_not_reached_and_the_team_hears_it(
    server: FakeBotApi, bot: BotApplication, group: ForumGroup
) -> None:
    person = Person(server, chat_id=PERSON)
    counsellor = group.counsellor()
    _, thread = await start_talking(person, group)
    await server.user_blocks_bot(PERSON)
    mark = group.marker()
    await counsellor.writes(thread, "Sind Sie noch da?")
    [note] = await group.wait_for_posts(thread, since=mark)
    assert note["text"] == notes.NOT_DELIVERED


async def test_an_answer_too_long_with_the_team_line_is_not_lost_silently(
    server: FakeBotApi, bot: BotApplication, group: ForumGroup
) -> None:
    """4,096 characters fit in the topic, but not under the team's name in the person's chat."""
    person = Person(server, chat_id=PERSON)
    counsellor = group.counsellor()
    _, thread = await start_talking(person, group)
    mark = group.marker()
    assert await counsellor.writes_to(person, thread, "x" * 4096, count=0) == []
    [note] = await group.wait_for_posts(thread, since=mark)
    assert note["text"].startswith("Not delivered: Telegram refused it (")
    assert "shorter message" in note["text"]


async def test_a_group_that_is_not_a_forum_refuses_and_the_person_is_told(
    server: FakeBotApi, start_bot: CounselLauncher, translators: TranslatorRegistry
) -> None:
    ForumGroup.create(server, is_forum=False)
    person = Person(server, chat_id=PERSON)
    async with start_bot():
        [intro] = await person.says("/talk")
        [refused] = await person.presses(intro, data=Action.TALK_START.value)
    assert refused["text"] == plain(texts.unreachable(translators["de"]).text)


def _rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("language", ["de", "ar", "uk"])
async def test_a_conversation_nobody_ends_is_closed_and_then_forgotten(
    server: FakeBotApi,
    bot: BotApplication,
    group: ForumGroup,
    clock: Clock,
    db_path: Path,
    translators: TranslatorRegistry,
    language: str,
) -> None:
    quiet = Person(server, chat_id=PERSON, language_code=language)
    lively = Person(server, chat_id=PERSON + 1, language_code=language)
    _, quiet_thread = await start_talking(quiet, group)
    _, lively_thread = await start_talking(lively, group)
    await quiet.says("Hallo?", count=0)
    clock.advance(days=13)
    await lively.says("Noch da?", count=0)  # this one was written to a day ago, at the check
    clock.advance(days=1)
    mark = group.marker()
    assert await counsel_team.close_idle(BotContext(bot)) == 1

    [told] = await server.wait_for_bot_messages(PERSON, since=mark)
    assert told["text"] == plain(texts.closed_idle(team(), translators[language]).text)
    assert "14" in told["text"]
    buttons = [b["callback_data"] for row in told["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == [Action.TALK.value]  # a way to start again
    [note] = await group.wait_for_posts(quiet_thread, since=mark)
    assert note["text"] == notes.closed_idle(14)
    assert group.topic(quiet_thread).closed and not group.topic(lively_thread).closed
    conversations = bot.bot_data.store.conversations
    assert not conversations.is_open(PERSON) and conversations.is_open(PERSON + 1)

    # Retention runs from the end: after it nothing links the quiet chat to its topic.
    await bot.bot_data.store.housekeeping(clock.now + timedelta(days=29))
    assert _rows(db_path, f"SELECT count(*) FROM conversations WHERE chat_id = {PERSON}") == [(1,)]
    await bot.bot_data.store.housekeeping(clock.now + timedelta(days=30))
    assert _rows(db_path, f"SELECT count(*) FROM conversations WHERE chat_id = {PERSON}") == [(0,)]
    assert _rows(db_path, "SELECT count(*) FROM conversations") == [(1,)]
    shown = group.shown_to_counsellors()
    assert not [text for text in shown if str(PERSON) in text or "Test" in text]


@pytest.mark.parametrize("language", ["ar"])
async def test_an_edited_message_is_not_lost_silently_on_either_side(
    server: FakeBotApi,
    bot: BotApplication,
    group: ForumGroup,
    translators: TranslatorRegistry,
    language: str,
) -> None:
    person = Person(server, chat_id=PERSON, language_code=language)
    counsellor = group.counsellor()
    _, thread = await start_talking(person, group)
    sent = await server.user_sends_text(PERSON, "Termin am Montag", language_code=language)
    assert await sent.replies(0) == []
    edit = await server.user_edits_text(PERSON, sent.message_id, "Termin am Dienstag")
    [told] = await edit.replies(1)
    assert told["text"] == plain(texts.edit_not_relayed(translators[language]).text)

    answer = await counsellor.writes(thread, "Bis Montag")
    await answer.replies(1, chat_id=PERSON)
    mark = group.marker()
    await server.user_edits_text(group.chat_id, answer.message_id, "Bis Dienstag")
    [note] = await group.wait_for_posts(thread, since=mark)
    assert note["text"] == notes.EDIT_NOT_DELIVERED
    assert "Bis Dienstag" not in [m.get("text", "").split("\n")[-1] for m in person.received()]


async def test_added_to_the_counsellors_group_the_bot_says_what_it_needs(
    server: FakeBotApi, start_bot: CounselLauncher
) -> None:
    async with start_bot():
        added = await server.bot_added_to_group(
            COUNSEL_GROUP, title="Beratung", chat_type="supergroup"
        )
        [needs] = await added.replies(1, chat_id=COUNSEL_GROUP)
    assert needs["text"] == notes.NEEDS_RIGHTS  # not "I only talk in private chats"


async def test_an_edit_that_speaks_of_danger_gets_first_help(
    server: FakeBotApi,
    bot: BotApplication,
    group: ForumGroup,
    directory: Directory,
    translators: TranslatorRegistry,
) -> None:
    person = Person(server, chat_id=PERSON, language_code="uk")
    await start_talking(person, group)
    sent = await server.user_sends_text(PERSON, "все добре", language_code="uk")
    assert await sent.replies(0) == []
    edit = await server.user_edits_text(PERSON, sent.message_id, "я хочу вмерти")
    first_help, told = await edit.replies(2)
    danger = directory.index.danger("я хочу вмерти")
    expected = crisis.first_help(directory, danger, translators["uk"], FIXED_NOW)
    assert first_help["text"] == plain(expected.text)
    assert told["text"] == plain(texts.edit_not_relayed(translators["uk"]).text)
