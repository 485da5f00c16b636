"""Talking to a person, end to end: the person's chat, the counsellors' forum topic, and back.

The real bot against the fake Bot API's forum supergroup, a real SQLite file, the real .po
files. What the group may ever show of the person is checked over everything in it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import FIXED_NOW, Person, plain
from counsel_helpers import (
    TEAM,
    Clock,
    CounselLauncher,
    start_talking,
    team,
)
from forum_helpers import ForumGroup

from bot.answers import counsel as texts
from bot.answers import menus
from bot.callbackdata import Action
from bot.chat.app import BotApplication
from bot.counsel import notes
from bot.counsel.codes import ALPHABET
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from fakebotapi import FakeBotApi

PERSON = 5_550_123
NAME = "Amina Qasemi"
USERNAME = "amina_q_1990"

CODE = re.compile(f"^[{ALPHABET}]{{4}}$")


def person_in(server: FakeBotApi, language: str) -> Person:
    return Person(server, chat_id=PERSON, language_code=language, first_name=NAME)


def rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def assert_group_shows_nobody(server: FakeBotApi, group: ForumGroup) -> None:
    """Every message in the group (service messages and topic names included) and every
    topic name: no name, username or id of the person."""
    shown = json.dumps(
        [server.chat_history(group.chat_id), [t.name for t in group.topics()]],
        ensure_ascii=False,
    )
    for secret in (NAME, NAME.split()[0], NAME.split()[1], USERNAME, str(PERSON)):
        assert secret not in shown
    assert "forward_origin" not in shown and "forward_from" not in shown
    readable = "\n".join(group.shown_to_counsellors())  # also names before each rename
    assert not [s for s in (NAME, USERNAME, str(PERSON)) if s in readable]


@pytest.mark.parametrize(
    ("language", "native", "question"),
    [
        ("ar", "العربية", "عندي رسالة من مكتب العمل ولا أفهمها"),
        ("de", "Deutsch", "Ich verstehe den Brief vom Jobcenter nicht"),
        ("uk", "Українська", "Я не розумію лист від Jobcenter"),
    ],
)
async def test_a_person_talks_with_the_team_through_a_topic(
    server: FakeBotApi,
    bot: BotApplication,
    group: ForumGroup,
    directory: Directory,
    translators: TranslatorRegistry,
    language: str,
    native: str,
    question: str,
) -> None:
    tr = translators[language]
    person = person_in(server, language)
    counsellor = group.counsellor()

    [intro] = await person.says("/talk")
    assert intro["text"] == plain(texts.intro(team(), directory, tr, FIXED_NOW).text)
    assert TEAM in intro["text"] and "112" in intro["text"] and "110" in intro["text"]
    assert group.topics() == []  # nothing reaches the team before the tap

    started, thread = await start_talking(person, group)
    assert started["text"] == plain(texts.started(team(), directory, tr, FIXED_NOW).text)
    code, shown_language = group.topic(thread).name.split(" · ")
    assert CODE.match(code) and shown_language == native

    mark = group.marker()
    assert await person.says(question, count=0) == []
    [relayed] = await group.wait_for_posts(thread, since=mark)
    assert relayed["text"] == question

    mark = group.marker()
    assert await person.sends_photo(caption="Seite 1", count=0) == []
    [photo] = await group.wait_for_posts(thread, since=mark)
    assert photo["photo"] and photo["caption"] == "Seite 1"

    [reply] = await counsellor.writes_to(person, thread, "Guten Tag, wir lesen den Brief.")
    assert reply["text"] == f"💬 {TEAM}\nGuten Tag, wir lesen den Brief."
    assert_group_shows_nobody(server, group)


async def test_a_pdf_goes_to_the_team_and_the_username_never_does(
    server: FakeBotApi, bot: BotApplication, group: ForumGroup
) -> None:
    person = person_in(server, "de")
    _, thread = await start_talking(person, group)
    mark = group.marker()
    turn = await server.user_sends_text(
        PERSON, "Hier ist der Bescheid", first_name=NAME, username=USERNAME, language_code="de"
    )
    assert await turn.replies(0) == []
    await person.sends_document(count=0)
    relayed = await group.wait_for_posts(thread, count=2, since=mark)
    assert relayed[0]["text"] == "Hier ist der Bescheid"
    assert relayed[1]["document"]["file_name"] == "Bescheid.pdf"
    assert_group_shows_nobody(server, group)


async def test_close_tells_the_person_and_their_words_are_searched_again(
    server: FakeBotApi,
    bot: BotApplication,
    group: ForumGroup,
    translators: TranslatorRegistry,
) -> None:
    person = person_in(server, "uk")
    counsellor = group.counsellor()
    _, thread = await start_talking(person, group)

    [closed] = await counsellor.writes_to(person, thread, "/close")
    assert closed["text"] == plain(texts.closed_by_team(team(), translators["uk"]).text)
    assert [
        b["callback_data"] for row in closed["reply_markup"]["inline_keyboard"] for b in row
    ] == [Action.TALK.value]
    assert group.topic(thread).closed
    mark = group.marker()
    answers = await person.says("їжа")  # a search again, not a message to the team
    assert answers and await group.wait_for_posts(thread, count=0, since=mark) == []


async def test_the_person_ends_the_conversation(
    server: FakeBotApi, bot: BotApplication, group: ForumGroup, translators: TranslatorRegistry
) -> None:
    person = person_in(server, "de")
    started, thread = await start_talking(person, group)
    mark = group.marker()
    [stopped] = await person.presses(started, data=Action.TALK_STOP.value)
    assert stopped["text"] == plain(texts.stopped(translators["de"]).text)
    [note] = await group.wait_for_posts(thread, since=mark)
    assert note["text"] == notes.ENDED_BY_PERSON
    assert group.topic(thread).closed


async def test_delete_ends_the_conversation_and_forgets_the_link_at_once(
    server: FakeBotApi, bot: BotApplication, group: ForumGroup, db_path: Path
) -> None:
    person = person_in(server, "ar")
    _, thread = await start_talking(person, group)
    assert rows(db_path, "SELECT count(*) FROM conversations WHERE chat_id = 5550123") == [(1,)]
    [confirm] = await person.says("/delete")
    mark = group.marker()
    await person.presses(confirm, data=Action.DELETE_CONFIRM.value)
    [note] = await group.wait_for_posts(thread, since=mark)
    assert note["text"] == plain(notes.DELETED_BY_PERSON)
    assert group.topic(thread).closed
    assert rows(db_path, "SELECT count(*) FROM conversations") == [(0,)]
    assert not bot.bot_data.store.conversations.is_open(PERSON)


async def test_outside_the_hours_the_message_arrives_and_the_person_hears_when(
    server: FakeBotApi,
    start_bot: CounselLauncher,
    group: ForumGroup,
    directory: Directory,
    translators: TranslatorRegistry,
) -> None:
    tr = translators["de"]
    person = person_in(server, "de")
    async with start_bot(hours="Sa,Su 10:00-14:00"):
        [intro] = await person.says("/talk")
        assert "Samstag" in intro["text"]  # when the team is there next
        _, thread = await start_talking(person, group)
        mark = group.marker()
        [told] = await person.says("Hallo, ist jemand da?")
        closed_team = texts.outside_hours(team("Sa,Su 10:00-14:00"), directory, tr, FIXED_NOW).text
        assert told["text"] == plain(closed_team)
        assert "112" in told["text"]
        assert await person.says("Noch eine Frage", count=0) == []  # told once per wait
        relayed = await group.wait_for_posts(thread, count=2, since=mark)
        assert [m["text"] for m in relayed] == ["Hallo, ist jemand da?", "Noch eine Frage"]


async def test_the_first_answer_after_a_long_wait_says_sorry(
    server: FakeBotApi,
    bot: BotApplication,
    group: ForumGroup,
    clock: Clock,
    translators: TranslatorRegistry,
) -> None:
    person = person_in(server, "de")
    counsellor = group.counsellor()
    _, thread = await start_talking(person, group)
    await person.says("Ich brauche Hilfe mit einem Formular", count=0)
    clock.advance(hours=3)
    [late] = await counsellor.writes_to(person, thread, "Entschuldigung, jetzt bin ich da.")
    header = plain(texts.team_header(team(), translators["de"], waited=True))
    assert late["text"] == header + "\nEntschuldigung, jetzt bin ich da."
    [next_one] = await counsellor.writes_to(person, thread, "Welches Formular?")
    assert next_one["text"] == f"💬 {TEAM}\nWelches Formular?"


async def test_stats_count_open_and_waiting_conversations(
    server: FakeBotApi, bot: BotApplication, group: ForumGroup, clock: Clock
) -> None:
    person = person_in(server, "de")
    counsellor = group.counsellor()
    await start_talking(person, group)
    await person.says("Hallo", count=0)
    clock.advance(minutes=90)
    turn = await server.member_sends_text(group.chat_id, counsellor.user_id, "/stats")
    [stats] = await turn.replies(1, chat_id=group.chat_id)
    assert "Open: 1 · waiting for an answer: 1 · longest wait: 1 h 30 min" in stats["text"]


async def test_setup_pins_the_rules(
    server: FakeBotApi, bot: BotApplication, group: ForumGroup
) -> None:
    counsellor = group.counsellor()
    turn = await server.member_sends_text(group.chat_id, counsellor.user_id, "/setup")
    await turn.replies(2, chat_id=group.chat_id)
    [pinned] = group.pinned()
    assert pinned["text"] == plain(notes.rules(30, 14))


async def test_without_a_counsellors_group_talk_is_not_offered(
    server: FakeBotApi, app: BotApplication, translators: TranslatorRegistry
) -> None:
    person = Person(server)
    [help_text] = await person.says("/talk")  # an unknown command: the help
    assert help_text["text"] == plain(menus.help_text(translators["de"]).text)
    assert "/talk" not in help_text["text"]
    commands = server.commands[(json.dumps({"type": "default"}, sort_keys=True), "de")]
    assert all(c["command"] != "talk" for c in commands)


async def test_talk_is_offered_in_help_menu_privacy_and_when_nothing_fits(
    server: FakeBotApi,
    bot: BotApplication,
    directory: Directory,
    translators: TranslatorRegistry,
) -> None:
    tr = translators["de"]
    person = person_in(server, "de")
    [help_text] = await person.says("/help")
    assert help_text["text"] == plain(menus.help_text(tr, talk=True).text)
    assert "/talk" in help_text["text"]
    _, topics = await person.says("/start", count=2)
    assert Action.TALK.value in [
        b["callback_data"] for row in topics["reply_markup"]["inline_keyboard"] for b in row
    ]
    [privacy] = await person.says("/privacy")
    assert privacy["text"] == plain(menus.privacy(tr, talk_days=30).text)
    [intro] = await person.says("ich möchte mit einem Menschen sprechen")
    assert intro["text"] == plain(texts.intro(team(), directory, tr, FIXED_NOW).text)
    answers = await person.says("qwzrtx blorpf")
    assert answers[-1]["text"] == plain(texts.nothing_fits(team(), tr).text)
    commands = server.commands[(json.dumps({"type": "default"}, sort_keys=True), "de")]
    assert "talk" in [c["command"] for c in commands]


async def test_a_counsellors_photo_reaches_the_person_under_the_team_name(
    server: FakeBotApi, bot: BotApplication, group: ForumGroup
) -> None:
    person = person_in(server, "ar")
    counsellor = group.counsellor(918_273_645, "Frau Berger", username="berger_beratung")
    _, thread = await start_talking(person, group)
    photo = {"photo": server.register_photo(b"\xff\xd8\xff form"), "caption": "Seite 2 ausfüllen"}
    turn = await server.member_sends(
        group.chat_id, counsellor.user_id, photo, message_thread_id=thread
    )
    [copied] = await turn.replies(1, chat_id=PERSON)
    assert copied["photo"] and copied["caption"] == f"💬 {TEAM}\nSeite 2 ausfüllen"
    shown = json.dumps(person.received(), ensure_ascii=False)
    assert "Berger" not in shown and "berger_beratung" not in shown
    assert str(counsellor.user_id) not in shown
