"""The fake Bot API server: updates (polling, users, groups), PTB applications, webhook, thread."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from collections.abc import AsyncIterator

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from fake_bot_api.fakebot_helpers import CHAT, NOT_MODIFIED, TOKEN, free_port
from fakebotapi import (
    FakeBotApi,
    FakeBotApiThread,
    RepliesTimeout,
    UpdateDropped,
    UserActionError,
)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echo the text back, so a test can see the round trip."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(f"echo: {update.effective_message.text}")


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet with one inline button."""
    assert update.effective_message is not None
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Essen", callback_data="cat:food")]])
    await update.effective_message.reply_text("Willkommen", reply_markup=keyboard)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the button and replace the message text."""
    query = update.callback_query
    assert query is not None
    await query.answer("OK")
    await query.edit_message_text(f"chosen {query.data}")


@pytest.fixture
async def app(server: FakeBotApi) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(server.base_url)
        .base_file_url(server.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(pressed))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    yield application
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


# --------------------------------------------------------------------------- updates


async def test_get_updates_confirms_with_offset_and_keeps_unfetched_updates(
    server: FakeBotApi, bot: Bot
) -> None:
    await server.user_sends_text(1, "eins")
    await server.user_sends_text(2, "zwei")
    first = await bot.get_updates()
    again = await bot.get_updates()  # nothing confirmed yet: the same updates
    assert [u.message.text for u in first if u.message] == ["eins", "zwei"]
    assert [u.update_id for u in again] == [u.update_id for u in first]
    confirmed = await bot.get_updates(offset=first[-1].update_id + 1)
    assert confirmed == ()
    await server.user_sends_text(1, "drei")
    later = await bot.get_updates(offset=first[-1].update_id + 1, limit=5)
    assert [u.message.text for u in later if u.message] == ["drei"]
    assert server.pending_update_count == 1


async def test_long_poll_returns_as_soon_as_an_update_arrives(server: FakeBotApi, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    started = time.perf_counter()
    await server.user_sends_text(1, "jetzt")
    updates = await poll
    assert time.perf_counter() - started < 1
    assert [u.message.text for u in updates if u.message] == ["jetzt"]


async def test_a_second_bot_instance_polling_terminates_the_first(
    server: FakeBotApi, bot: Bot
) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    async with Bot(TOKEN, base_url=server.base_url) as second_instance:
        assert await second_instance.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await first


async def test_allowed_updates_filters_and_turn_reports_the_drop(
    server: FakeBotApi, bot: Bot
) -> None:
    turn = await server.user_sends_text(1, "text")
    assert await bot.get_updates(allowed_updates=["callback_query"]) == ()
    with pytest.raises(UpdateDropped):
        await turn.replies(timeout=1)


async def test_user_media_updates_parse_and_files_download(server: FakeBotApi, bot: Bot) -> None:
    await server.user_sends_voice(1, content=b"OggS voice")
    await server.user_sends_sticker(1)
    await server.user_sends_photo(1, caption="Foto")
    await server.user_sends_location(1, 52.42, 10.78)
    updates = await bot.get_updates()
    voice, sticker, photo, location = (u.message for u in updates)
    assert voice is not None and voice.voice is not None
    assert sticker is not None and sticker.sticker is not None
    assert photo is not None and photo.caption == "Foto" and len(photo.photo) == 2
    assert location is not None and location.location is not None
    file = await bot.get_file(voice.voice.file_id)
    assert await file.download_as_bytearray() == bytearray(b"OggS voice")


async def test_bot_added_to_group_sends_my_chat_member(server: FakeBotApi, bot: Bot) -> None:
    await server.bot_added_to_group(-200, title="Nachbarschaft", as_admin=True)
    member, service = await bot.get_updates()
    assert member.my_chat_member is not None
    assert member.my_chat_member.new_chat_member.status == "administrator"
    assert service.message is not None
    assert [u.username for u in service.message.new_chat_members] == ["wegweiser_test_bot"]
    assert (await bot.get_chat(-200)).title == "Nachbarschaft"


# --------------------------------------------------------------------------- with an Application


async def test_echo_application_round_trip(
    server: FakeBotApi,
    app: Application,  # type: ignore[type-arg]
) -> None:
    turn = await server.user_sends_text(CHAT, "Wo gibt es Essen?", language_code="de")
    replies = await turn.replies()
    assert [r["text"] for r in replies] == ["echo: Wo gibt es Essen?"]
    assert await server.wait_for_bot_messages(CHAT) == replies


async def test_command_and_button_round_trip(
    server: FakeBotApi,
    app: Application,  # type: ignore[type-arg]
) -> None:
    greeting = (await (await server.user_sends_text(CHAT, "/start")).replies())[0]
    assert greeting["text"] == "Willkommen"
    press = await server.user_presses_button(CHAT, greeting["message_id"], "cat:food")
    assert (await press.callback_answer())["text"] == "OK"
    edited = await press.replies()
    assert [(m["message_id"], m["text"]) for m in edited] == [
        (greeting["message_id"], "chosen cat:food")
    ]
    assert "reply_markup" not in edited[0]
    with pytest.raises(UserActionError, match="no such button"):
        await server.user_presses_button(CHAT, greeting["message_id"], "cat:food")
    stale = await server.user_presses_button(
        CHAT, greeting["message_id"], "cat:food", allow_stale=True
    )
    assert (await stale.callback_answer())["text"] == "OK"
    assert await stale.replies(0) == []  # the same edit again: Telegram refuses it
    assert server.requests_for("editMessageText")[-1].description == NOT_MODIFIED


async def test_replies_timeout_explains_what_happened(
    server: FakeBotApi,
    app: Application,  # type: ignore[type-arg]
) -> None:
    turn = await server.user_sends_text(CHAT, "/unknown")
    assert await turn.replies(0) == []
    with pytest.raises(RepliesTimeout, match="expected at least 1 bot message"):
        await turn.replies(timeout=0.3)


async def test_updates_sent_before_polling_starts_are_delivered(
    server: FakeBotApi,
) -> None:
    turn = await server.user_sends_text(CHAT, "früh")
    application = ApplicationBuilder().token(TOKEN).base_url(server.base_url).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        assert [r["text"] for r in await turn.replies()] == ["echo: früh"]
        await application.updater.stop()
        await application.stop()
    assert server.pending_update_count == 0


async def test_set_my_commands_is_recorded_per_language(server: FakeBotApi, bot: Bot) -> None:
    for language, description in (("de", "Hilfe"), ("ar", "مساعدة")):
        await bot.set_my_commands(
            [BotCommand("help", description)],
            scope=BotCommandScopeAllPrivateChats(),
            language_code=language,
        )
    calls = server.requests_for("setMyCommands")
    assert [(c.params["language_code"], c.params["commands"]) for c in calls] == [
        ("de", [{"command": "help", "description": "Hilfe"}]),
        ("ar", [{"command": "help", "description": "مساعدة"}]),
    ]
    stored = await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats(), language_code="ar")
    assert stored == (BotCommand("help", "مساعدة"),)
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest):
        await bot.set_my_commands([BotCommand("Hilfe!", "x")])


async def test_answer_callback_query_text_is_limited(server: FakeBotApi, bot: Bot) -> None:
    await server.user_sends_text(CHAT, "/start")
    await bot.send_message(
        CHAT,
        "x",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]]),
    )
    turn = await server.user_presses_button(CHAT, 2, "a")
    query_id = (turn.callback_query or {})["id"]
    with pytest.raises(BadRequest):
        await bot.answer_callback_query(query_id, "x" * 201)
    assert await bot.answer_callback_query(query_id, "x" * 200)
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query_id)


# --------------------------------------------------------------------------- webhook and thread


async def test_webhook_delivery_to_a_ptb_webhook_server(server: FakeBotApi) -> None:
    port = free_port()
    application = ApplicationBuilder().token(TOKEN).base_url(server.base_url).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            webhook_url=f"http://127.0.0.1:{port}/hook",
            secret_token="geheim",
        )
        turn = await server.user_sends_text(CHAT, "per Webhook")
        assert [r["text"] for r in await turn.replies()] == ["echo: per Webhook"]
        with pytest.raises(Conflict):
            await application.bot.get_updates()
        await application.updater.stop()
        await application.stop()


def test_background_thread_serves_synchronous_callers() -> None:
    with FakeBotApiThread(FakeBotApi(token=TOKEN)) as runner:
        turn = runner.call(runner.server.user_sends_text(CHAT, "hallo"))
        request = urllib.request.Request(f"{runner.server.base_url}{TOKEN}/getUpdates")
        with urllib.request.urlopen(request, timeout=5) as response:
            updates = json.load(response)["result"]
        assert [u["update_id"] for u in updates] == [turn.update_id]


async def test_a_user_edits_their_text_and_the_bot_gets_the_edited_message(
    server: FakeBotApi, bot: Bot
) -> None:
    sent = await server.user_sends_text(1, "Montag")
    edit = await server.user_edits_text(1, sent.message_id, "/help Dienstag")
    first, second = await bot.get_updates()
    assert first.message is not None and first.message.text == "Montag"
    edited = second.edited_message
    assert edited is not None and edited.message_id == sent.message_id
    assert edited.text == "/help Dienstag" and edited.edit_date is not None
    assert edited.entities[0].type == "bot_command"
    assert edit.update_id == second.update_id
    answer = await bot.send_message(1, "Antwort")
    with pytest.raises(UserActionError):  # nobody edits the bot's messages
        await server.user_edits_text(1, answer.message_id, "anders")
