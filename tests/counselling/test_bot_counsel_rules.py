"""Talking to a person when it is hard: danger inside a conversation, a blocked person, a
restart in the middle, a flood of messages, and the rules' small parts on their own."""

from __future__ import annotations

import io
import json
import logging
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FIXED_NOW, TOKEN, Person, plain
from counsel_helpers import TEAM, Clock, CounselLauncher, start_talking, team
from forum_helpers import ForumGroup

from bot.answers import counsel as texts
from bot.answers import crisis, replies
from bot.callbackdata import Action
from bot.chat.app import BotApplication
from bot.chat.errors import configure_logging
from bot.counsel import notes
from bot.counsel.codes import ALPHABET, new_code
from bot.counsel.rules import (
    BlockDurationError,
    RelayLimit,
    block_duration,
    topic_name,
    waited_long,
)
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from bot.store.inbox import Inbox, Pending
from fakebotapi import FakeBotApi

PERSON = 5_550_777


@pytest.mark.parametrize(
    ("language", "words"),
    [("de", "ich will nicht mehr leben"), ("uk", "я хочу вмерти"), ("ar", "أريد أن أموت")],
)
async def test_danger_in_a_conversation_gets_first_help_and_marks_the_topic(
    server: FakeBotApi,
    bot: BotApplication,
    group: ForumGroup,
    directory: Directory,
    translators: TranslatorRegistry,
    language: str,
    words: str,
) -> None:
    person = Person(server, chat_id=PERSON, language_code=language)
    _, thread = await start_talking(person, group)
    mark = group.marker()
    [first_help] = await person.says(words)
    danger = directory.index.danger(words)
    assert danger.found
    expected = crisis.first_help(directory, danger, translators[language], FIXED_NOW)
    assert first_help["text"] == plain(expected.text)
    relayed, note = await group.wait_for_posts(thread, count=2, since=mark)
    assert relayed["text"] == words  # the team reads it too
    assert note["text"] == plain(notes.DANGER)
    assert group.topic(thread).name.startswith("🆘 ")
    # A second message of danger: first help again, the topic is not renamed twice.
    await person.says(words)
    assert group.topic(thread).name.count("🆘") == 1


async def test_a_blocked_person_cannot_start_again_until_the_block_ends(
    server: FakeBotApi,
    bot: BotApplication,
    group: ForumGroup,
    clock: Clock,
    directory: Directory,
    translators: TranslatorRegistry,
) -> None:
    tr = translators["de"]
    person = Person(server, chat_id=PERSON)
    counsellor = group.counsellor()
    _, thread = await start_talking(person, group)

    [told] = await counsellor.writes_to(person, thread, "/block 7d")
    until = FIXED_NOW + timedelta(days=7)
    assert told["text"] == plain(texts.blocked(tr, until).text)
    assert group.topic(thread).closed
    [intro] = await person.says("/talk")
    [refused] = await person.presses(intro, data=Action.TALK_START.value)
    assert refused["text"] == told["text"]
    assert len(group.topics()) == 1

    clock.advance(days=7, minutes=1)
    [intro] = await person.says("/talk")
    [started] = await person.presses(intro, data=Action.TALK_START.value)
    assert started["text"] == plain(texts.started(team(), directory, tr, clock.now).text)
    assert len(group.topics()) == 2


async def test_block_needs_a_duration(
    server: FakeBotApi, bot: BotApplication, group: ForumGroup
) -> None:
    person = Person(server, chat_id=PERSON)
    counsellor = group.counsellor()
    _, thread = await start_talking(person, group)
    mark = group.marker()
    assert await counsellor.writes_to(person, thread, "/block forever", count=0) == []
    [usage] = await group.wait_for_posts(thread, since=mark)
    assert usage["text"] == notes.BLOCK_USAGE
    assert bot.bot_data.store.conversations.is_open(PERSON)


async def test_a_restart_in_the_middle_loses_nothing_in_either_direction(
    server: FakeBotApi, start_bot: CounselLauncher, group: ForumGroup, db_path: Path
) -> None:
    person = Person(server, chat_id=PERSON, language_code="ar")
    counsellor = group.counsellor()
    async with start_bot():
        _, thread = await start_talking(person, group)
    before = len(person.received())
    # The bot is down: both sides write on.
    mark = group.marker()
    from_person = await server.user_sends_text(PERSON, "هل وصلت رسالتي؟", language_code="ar")
    from_team = await counsellor.writes(thread, "Ja, wir sind da.")
    # The team's message was fetched and stored just before a crash: only the inbox has it.
    inbox = Inbox.open(db_path)
    await inbox.add([Pending(from_team.update_id, json.dumps(from_team.update))])
    await inbox.close()
    server.updates.pending.remove(from_team.update_id)
    async with start_bot():
        [relayed] = await group.wait_for_posts(thread, since=mark)
        assert relayed["text"] == "هل وصلت رسالتي؟"
        [answer] = await server.wait_for_bot_messages(PERSON, since=mark)
        assert answer["text"] == f"💬 {TEAM}\nJa, wir sind da."
        assert len(person.received()) == before + 1  # relayed, not searched or answered
    assert from_person.message_id is not None


async def test_a_flood_reaches_the_team_only_up_to_the_limit(
    server: FakeBotApi,
    bot: BotApplication,
    group: ForumGroup,
    translators: TranslatorRegistry,
) -> None:
    bot.bot_data.relay_limit = RelayLimit(burst=2)
    person = Person(server, chat_id=PERSON)
    _, thread = await start_talking(person, group)
    mark = group.marker()
    await person.says("eins", count=0)
    await person.says("zwei", count=0)
    [slow] = await person.says("drei")
    assert slow["text"] == plain(texts.rate_limited(translators["de"]).text)
    relayed = await group.wait_for_posts(thread, count=2, since=mark)
    assert [m["text"] for m in relayed] == ["eins", "zwei"]


async def test_keyboard_labels_and_stickers_are_not_relayed(
    server: FakeBotApi, bot: BotApplication, group: ForumGroup, translators: TranslatorRegistry
) -> None:
    person = Person(server, chat_id=PERSON)
    _, thread = await start_talking(person, group)
    mark = group.marker()
    emergency = replies.main_keyboard_labels(translators["de"]).emergency
    assert await person.says(emergency)  # the emergency numbers, as always
    turn = await server.user_sends(
        PERSON,
        {
            "sticker": {
                "file_id": "s1",
                "file_unique_id": "u1",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            }
        },
        language_code="de",
    )
    [hint] = await turn.replies(1)
    assert hint["text"] == plain(texts.not_relayed(translators["de"]).text)
    assert await group.wait_for_posts(thread, count=0, since=mark) == []


# --- the rules' parts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"), [("7d", 7), ("12h", 0.5), ("2w", 14), ("365d", 365), (" 1D ", 1)]
)
def test_block_durations(text: str, days: float) -> None:
    assert block_duration(text) == timedelta(days=days)


@pytest.mark.parametrize("text", ["", "7", "forever", "0d", "366d", "-1d", "1y", "1000d"])
def test_block_durations_refused(text: str) -> None:
    with pytest.raises(BlockDurationError):
        block_duration(text)


def test_codes_avoid_look_alikes_and_open_codes() -> None:
    assert not set("0O1IL2Z5S8B") & set(ALPHABET)
    draws = iter("AAAA" + "K7F2")
    assert new_code(lambda code: code == "AAAA", lambda _: next(draws)) == "K7F2"
    with pytest.raises(RuntimeError):
        new_code(lambda code: True)


def test_topic_names_carry_code_language_and_the_mark() -> None:
    assert topic_name("K7F2", "العربية") == "K7F2 · العربية"
    assert topic_name("K7F2", "Deutsch", danger=True) == "🆘 K7F2 · Deutsch"


def test_a_long_wait_starts_after_half_an_hour() -> None:
    assert not waited_long(None, FIXED_NOW)
    assert not waited_long(FIXED_NOW - timedelta(minutes=29), FIXED_NOW)
    assert waited_long(FIXED_NOW - timedelta(minutes=30), FIXED_NOW)


async def test_a_conversation_leaves_no_text_or_name_in_the_log(
    server: FakeBotApi, bot: BotApplication, group: ForumGroup
) -> None:
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = configure_logging(logging.DEBUG, TOKEN, stream)
    try:
        person = Person(server, chat_id=PERSON, first_name="Oksana")
        counsellor = group.counsellor(first_name="Frau Berger")
        _, thread = await start_talking(person, group)
        await person.says("Mein Vermieter Kowalczyk droht mir", count=0)
        await counsellor.writes_to(person, thread, "Schicken Sie uns den Mietvertrag")
        await counsellor.writes_to(person, thread, "/block 2w")
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    log = stream.getvalue()
    assert "Calling Bot API endpoint `<withheld>`" in log  # DEBUG was on
    for secret in ("Oksana", "Berger", "Kowalczyk", "Mietvertrag", str(PERSON), TOKEN):
        assert secret not in log, secret
