"""The fake Bot API's files: people sending photos and letters, the bot copying and resending.

Driven through the real python-telegram-bot ``Bot``; limits and texts are Telegram's.
"""

from __future__ import annotations

import pytest
from telegram import Bot, MessageEntity
from telegram.error import BadRequest

from fake_bot_api.fakebot_helpers import last_description
from fakebotapi import FakeBotApi, UserActionError

FORUM = -100_600
PDF = b"%PDF-1.4 Jobcenter Bescheid"


async def test_a_person_sends_a_photo_in_two_sizes_with_a_caption(
    server: FakeBotApi, bot: Bot, chat: int
) -> None:
    turn = await server.user_sends_photo(chat, caption="  Brief vom Amt  ", content=b"JPEG")
    await bot.get_updates(timeout=0)  # the hello of the chat fixture
    [update] = await bot.get_updates(offset=turn.update_id, timeout=0)
    message = update.message
    assert message is not None and message.caption == "Brief vom Amt"
    small, large = message.photo
    assert (small.width, small.height, large.width, large.height) == (90, 67, 1280, 960)
    assert small.file_unique_id != large.file_unique_id
    assert large.file_size == 4
    file = await large.get_file()
    assert bytes(await file.download_as_bytearray()) == b"JPEG"


async def test_a_person_sends_a_pdf_document(server: FakeBotApi, bot: Bot, chat: int) -> None:
    turn = await server.user_sends_document(chat, caption="Was heißt das?", content=PDF)
    document = (turn.message or {})["document"]
    assert document["file_name"] == "Bescheid.pdf"
    assert document["mime_type"] == "application/pdf"
    assert document["file_size"] == len(PDF)
    file = await bot.get_file(document["file_id"])
    assert file.file_path is not None and file.file_path.endswith(".pdf")
    assert bytes(await file.download_as_bytearray()) == PDF


async def test_people_cannot_send_long_captions_or_empty_files(
    server: FakeBotApi, chat: int
) -> None:
    await server.user_sends_photo(chat, caption="x" * 1024)
    with pytest.raises(UserActionError, match="1024"):
        await server.user_sends_photo(chat, caption="x" * 1025)
    with pytest.raises(UserActionError, match="empty"):
        await server.user_sends_document(chat, content=b"")


async def test_get_file_refuses_files_over_20_mb(server: FakeBotApi, bot: Bot, chat: int) -> None:
    turn = await server.user_sends_document(chat, content=b"%" * (20 * 1024 * 1024 + 1))
    with pytest.raises(BadRequest):
        await bot.get_file((turn.message or {})["document"]["file_id"])
    assert last_description(server) == "Bad Request: file is too big"
    with pytest.raises(BadRequest):
        await bot.get_file("NO-SUCH-FILE")
    assert last_description(server) == "Bad Request: invalid file_id"


async def test_copy_message_sends_the_content_again_without_its_origin(
    server: FakeBotApi, bot: Bot, chat: int
) -> None:
    server.create_forum_group(FORUM)
    thread = (await bot.create_forum_topic(FORUM, "K7F2 · Deutsch")).message_thread_id
    turn = await server.user_sends_document(chat, caption="Was heißt das?", content=PDF)
    assert turn.message_id is not None
    copied = await bot.copy_message(FORUM, chat, turn.message_id, message_thread_id=thread)
    [post] = server.topic_history(FORUM, thread, include_service=False)
    assert post["message_id"] == copied.message_id
    assert post["document"] == (turn.message or {})["document"]
    assert post["caption"] == "Was heißt das?"
    assert post["from"]["id"] == bot.id and "forward_origin" not in post
    assert post["reply_to_message"]["forum_topic_created"]["name"] == "K7F2 · Deutsch"


async def test_copy_message_replaces_or_removes_the_caption(
    server: FakeBotApi, bot: Bot, chat: int
) -> None:
    turn = await server.user_sends_photo(chat, caption="privat")
    assert turn.message_id is not None
    replaced = await bot.copy_message(
        chat, chat, turn.message_id, caption="<b>Brief</b>", parse_mode="HTML"
    )
    message = server.message(chat, replaced.message_id).message
    assert message["caption"] == "Brief"
    assert message["caption_entities"] == [{"type": "bold", "offset": 0, "length": 5}]
    removed = await bot.copy_message(chat, chat, turn.message_id, caption="")
    assert "caption" not in server.message(chat, removed.message_id).message
    text = await server.user_sends_text(chat, "nur Text")
    assert text.message_id is not None
    kept = await bot.copy_message(chat, chat, text.message_id, caption="ignoriert")
    assert server.message(chat, kept.message_id).message["text"] == "nur Text"


async def test_copy_message_refusals(server: FakeBotApi, bot: Bot, chat: int) -> None:
    with pytest.raises(BadRequest):
        await bot.copy_message(chat, chat, 999)
    assert last_description(server) == "Bad Request: message to copy not found"
    await server.bot_added_to_group(-300)
    with pytest.raises(BadRequest):
        await bot.copy_message(chat, -300, 1)  # the "bot joined" service message
    assert last_description(server) == "Bad Request: message can't be copied"
    turn = await server.user_sends_photo(chat)
    assert turn.message_id is not None
    with pytest.raises(BadRequest):
        await bot.copy_message(chat, chat, turn.message_id, caption="x" * 1025)
    assert last_description(server) == "Bad Request: message caption is too long"


async def test_send_photo_and_document_by_file_id(server: FakeBotApi, bot: Bot, chat: int) -> None:
    photo_turn = await server.user_sends_photo(chat, content=b"JPEG")
    doc_turn = await server.user_sends_document(chat, content=PDF)
    sizes = (photo_turn.message or {})["photo"]
    document = (doc_turn.message or {})["document"]
    sent = await bot.send_photo(chat, sizes[-1]["file_id"], caption="Foto")
    assert [size.file_unique_id for size in sent.photo] == [s["file_unique_id"] for s in sizes]
    assert sent.caption == "Foto"
    resent = await bot.send_document(
        chat,
        document["file_id"],
        caption="Brief",
        caption_entities=[MessageEntity("italic", 0, 5)],
    )
    assert resent.document is not None and resent.document.file_name == "Bescheid.pdf"
    assert resent.caption_entities[0].type == "italic"


async def test_files_by_wrong_id_or_type_are_refused(
    server: FakeBotApi, bot: Bot, chat: int
) -> None:
    photo_turn = await server.user_sends_photo(chat)
    photo_id = (photo_turn.message or {})["photo"][-1]["file_id"]
    with pytest.raises(BadRequest):
        await bot.send_document(chat, photo_id)
    assert last_description(server) == "Bad Request: type of file mismatch"
    with pytest.raises(BadRequest):
        await bot.send_photo(chat, "NO-SUCH-FILE")
    assert last_description(server) == "Bad Request: wrong file identifier/HTTP URL specified"
    with pytest.raises(BadRequest):
        await bot.send_photo(chat, photo_id, caption="x" * 1025)
    assert last_description(server) == "Bad Request: message caption is too long"


async def test_uploaded_files_are_stored_and_can_be_resent(
    server: FakeBotApi, bot: Bot, chat: int
) -> None:
    sent = await bot.send_photo(chat, b"\xff\xd8\xff uploaded")
    again = await bot.send_photo(chat, sent.photo[-1].file_id)
    assert again.photo[-1].file_unique_id == sent.photo[-1].file_unique_id
    document = await bot.send_document(chat, PDF, filename="Antwort.pdf")
    assert document.document is not None
    file = await bot.get_file(document.document.file_id)
    assert bytes(await file.download_as_bytearray()) == PDF


async def test_media_and_chat_actions_go_into_topics(
    server: FakeBotApi, bot: Bot, chat: int
) -> None:
    server.create_forum_group(FORUM)
    thread = (await bot.create_forum_topic(FORUM, "Fotos")).message_thread_id
    photo_turn = await server.user_sends_photo(chat)
    photo_id = (photo_turn.message or {})["photo"][-1]["file_id"]
    sent = await bot.send_photo(FORUM, photo_id, message_thread_id=thread)
    assert (sent.message_thread_id, sent.is_topic_message) == (thread, True)
    assert await bot.send_chat_action(FORUM, "upload_document", message_thread_id=thread)
    with pytest.raises(BadRequest):
        await bot.send_chat_action(FORUM, "typing", message_thread_id=thread + 100)
    assert last_description(server) == "Bad Request: message thread not found"
