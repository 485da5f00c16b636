"""The counselling test helpers (``forum_helpers``, ``conftest.Person``) against a tiny relay.

The relay is a real PTB Application, written here and nowhere else: a person's private
message opens a topic in the forum and is copied into it; a counsellor's message in the
topic goes back to the person; "/close" closes the topic. It shows the helpers deliver group
updates through getUpdates and the webhook like any other, and read what the bot posted
where.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from conftest import Person
from forum_helpers import COUNSEL_GROUP, ForumGroup
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from fake_bot_api.fakebot_helpers import TOKEN, free_port
from fakebotapi import FakeBotApi

PERSON = 4_242


async def from_person(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Open a topic for the person on first contact, then copy each message into it."""
    message = update.effective_message
    assert message is not None
    topics: dict[int, int] = context.bot_data.setdefault("topics", {})
    people: dict[int, int] = context.bot_data.setdefault("people", {})
    if message.chat_id not in topics:
        topic = await context.bot.create_forum_topic(COUNSEL_GROUP, "K7F2 · Deutsch")
        topics[message.chat_id] = topic.message_thread_id
        people[topic.message_thread_id] = message.chat_id
    await message.copy(COUNSEL_GROUP, message_thread_id=topics[message.chat_id])


async def from_counsellor(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send what a counsellor wrote in a topic to its person, labelled with the team."""
    message = update.effective_message
    assert message is not None and message.is_topic_message and message.text
    person = context.bot_data.get("people", {}).get(message.message_thread_id)
    if person is not None:
        await context.bot.send_message(person, f"Team: {message.text}")


async def close(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.message_thread_id is not None
    person = context.bot_data["people"][message.message_thread_id]
    await context.bot.close_forum_topic(COUNSEL_GROUP, message.message_thread_id)
    await context.bot.send_message(person, "Das Gespräch ist beendet.")


@pytest.fixture(params=["polling", "webhook"])
async def relay(server: FakeBotApi, request: pytest.FixtureRequest) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """The relay, fetching updates by long polling or receiving them on a webhook."""
    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(server.base_url)
        .base_file_url(server.base_file_url)
        .build()
    )
    in_group = filters.Chat(COUNSEL_GROUP)
    application.add_handler(CommandHandler("close", close, filters=in_group))
    application.add_handler(MessageHandler(filters.ChatType.PRIVATE, from_person))
    application.add_handler(MessageHandler(in_group & filters.TEXT, from_counsellor))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    if request.param == "polling":
        await application.updater.start_polling(poll_interval=0, timeout=1)
    else:
        port = free_port()
        await application.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            webhook_url=f"http://127.0.0.1:{port}/hook",
        )
    yield application
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


@pytest.fixture
def group(server: FakeBotApi) -> ForumGroup:
    return ForumGroup.create(server)


async def test_a_conversation_through_a_topic_and_back(
    server: FakeBotApi,
    relay: Application,
    group: ForumGroup,  # type: ignore[type-arg]
) -> None:
    person = Person(server, chat_id=PERSON, language_code="ar")
    counsellor = group.counsellor()
    mark = group.marker()
    assert await person.says("مرحبا", count=0) == []
    [relayed] = await group.wait_for_posts(since=mark)
    thread = relayed["message_thread_id"]
    assert relayed["text"] == "مرحبا" and "forward_origin" not in relayed
    assert [topic.name for topic in group.topics()] == ["K7F2 · Deutsch"]
    assert [post["text"] for post in group.bot_posts(thread)] == ["مرحبا"]

    [answer] = await counsellor.writes_to(person, thread, "Wie kann ich helfen?")
    assert answer["text"] == "Team: Wie kann ich helfen?"
    assert person.received()[-1]["text"] == "Team: Wie kann ich helfen?"
    texts = [post["text"] for post in group.posts(thread)]
    assert texts == ["مرحبا", "Wie kann ich helfen?"]

    [goodbye] = await counsellor.writes_to(person, thread, "/close")
    assert goodbye["text"] == "Das Gespräch ist beendet."
    assert group.topic(thread).closed
    mark = group.marker()
    closing = await group.wait_for_posts(thread, since=0, include_service=True)
    assert "forum_topic_closed" in closing[-1]
    assert await group.wait_for_posts(thread, count=0, since=mark) == []


async def test_a_counsellor_sends_files_and_replies_in_a_topic(
    server: FakeBotApi,
    relay: Application,
    group: ForumGroup,  # type: ignore[type-arg]
) -> None:
    person = Person(server, chat_id=PERSON)
    counsellor = group.counsellor()
    mark = group.marker()
    await person.sends_document(caption="Was heißt das?", count=0)
    [letter] = await group.wait_for_posts(since=mark)
    assert letter["document"]["file_name"] == "Bescheid.pdf"
    assert letter["caption"] == "Was heißt das?"
    thread = letter["message_thread_id"]
    mark = group.marker()
    await person.sends_photo(caption="Seite 2", count=0)
    [photo] = await group.wait_for_posts(thread, since=mark)
    assert len(photo["photo"]) == 2 and photo["caption"] == "Seite 2"
    reply = await counsellor.writes(thread, "Das ist ein Bescheid.", reply_to=letter["message_id"])
    assert (reply.message or {})["reply_to_message"]["message_id"] == letter["message_id"]
    assert (await reply.replies(chat_id=person.chat_id))[0]["text"].startswith("Team:")
    form = await counsellor.sends_document(thread, caption="Bitte ausfüllen")
    assert (form.message or {})["document"]["file_name"] == "Antrag.pdf"
    shot = await counsellor.sends_photo(thread)
    assert (shot.message or {})["message_thread_id"] == thread
    assert [m.get("caption") for m in group.posts(thread)][-2:] == ["Bitte ausfüllen", None]
    shown = group.shown_to_counsellors()
    assert {"K7F2 · Deutsch", "Was heißt das?", "Bescheid.pdf", "Antrag.pdf"} <= set(shown)
    assert not any(person.first_name in text or str(PERSON) in text for text in shown)


async def test_wait_for_posts_says_what_it_got_instead(group: ForumGroup) -> None:
    from fakebotapi import RepliesTimeout

    with pytest.raises(RepliesTimeout, match="expected 1 bot post"):
        await group.wait_for_posts(since=group.marker(), timeout=0.2)
