"""The fake Bot API server, tested through the real python-telegram-bot over loopback HTTP."""

from __future__ import annotations

import asyncio
import json
import socket
import time
import urllib.request
from collections.abc import AsyncIterator

import aiohttp
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    MessageEntity,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
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

from fakebotapi import (
    FakeBotApi,
    FakeBotApiThread,
    RepliesTimeout,
    UpdateDropped,
    UserActionError,
    parse_telegram_html,
)

TOKEN = "123456:TEST-TOKEN"
CHAT = 4711
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


@pytest.fixture
async def server() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(token=TOKEN, bot_username="wegweiser_test_bot") as fake:
        yield fake


@pytest.fixture
async def bot(server: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=server.base_url, base_file_url=server.base_file_url) as client:
        yield client


@pytest.fixture
async def chat(server: FakeBotApi) -> int:
    """A private chat the bot may write to: Telegram only knows chats that wrote first."""
    await server.user_sends_text(CHAT, "hello")
    return CHAT


def last_description(server: FakeBotApi) -> str | None:
    """Telegram's exact wording: PTB lower-cases it in the exception message."""
    return server.requests_log[-1].description


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


# --------------------------------------------------------------------------- HTTP surface


async def test_get_me_returns_the_bot_identity(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.first_name, me.username) == (
        123456,
        True,
        "Wegweiser Test",
        "wegweiser_test_bot",
    )


async def test_wrong_token_is_401_and_unknown_method_is_404(server: FakeBotApi) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{server.base_url}999:WRONG/getMe") as response:
            assert response.status == 401
            assert await response.json() == {
                "ok": False,
                "error_code": 401,
                "description": "Unauthorized",
            }
        async with session.post(f"{server.base_url}{TOKEN}/sendTelepathy") as response:
            assert response.status == 404
            assert (await response.json())["description"] == "Not Found"


async def test_unknown_method_raises_endpoint_not_found_in_ptb(bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy")


async def test_json_multipart_and_get_requests_are_accepted(server: FakeBotApi, chat: int) -> None:
    async with aiohttp.ClientSession() as session:
        form = aiohttp.FormData({"chat_id": str(chat), "text": "multipart"})
        form.add_field("document", b"%PDF", filename="a.pdf")
        async with session.post(f"{server.base_url}{TOKEN}/sendMessage", data=form) as response:
            assert (await response.json())["result"]["text"] == "multipart"
        assert server.requests_log[-1].files == {"document": b"%PDF"}
        body = {"chat_id": chat, "text": "json", "reply_markup": {"remove_keyboard": True}}
        async with session.post(f"{server.base_url}{TOKEN}/sendMessage", json=body) as response:
            assert response.status == 200
            assert (await response.json())["result"]["text"] == "json"
        async with session.get(f"{server.base_url}{TOKEN}/getMe") as response:
            assert (await response.json())["result"]["username"] == "wegweiser_test_bot"


# --------------------------------------------------------------------------- sending


async def test_send_message_returns_a_full_message(server: FakeBotApi, bot: Bot, chat: int) -> None:
    message = await bot.send_message(chat, "Hallo")
    assert message.text == "Hallo"
    assert message.message_id == 2  # the user's "hello" was 1
    assert message.chat.id == chat
    assert message.chat.type == "private"
    assert message.from_user is not None
    assert message.from_user.username == "wegweiser_test_bot"
    assert [m.get("text") for m in server.chat_history(chat)] == ["hello", "Hallo"]


async def test_unknown_chat_is_not_found(server: FakeBotApi, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(999, "Hallo")
    assert last_description(server) == "Bad Request: chat not found"


@pytest.mark.parametrize(
    ("length", "accepted"),
    [(4096, True), (4097, False)],
)
async def test_text_length_limit_is_4096(
    server: FakeBotApi, bot: Bot, chat: int, length: int, accepted: bool
) -> None:
    if accepted:
        message = await bot.send_message(chat, "a" * length)
        assert message.text is not None
        assert len(message.text) == length
    else:
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(chat, "a" * length)
        assert last_description(server) == "Bad Request: message is too long"


@pytest.mark.parametrize(
    ("html", "accepted"),
    [
        ("&amp;" * 4096, True),
        ("&amp;" * 4097, False),
        ("<b>" + "x" * 4096 + "</b>", True),
        ("\n\n" + "x" * 4096 + "  ", True),  # Telegram trims surrounding whitespace first
    ],
)
async def test_length_counts_the_visible_text(
    bot: Bot, chat: int, html: str, accepted: bool
) -> None:
    if accepted:
        await bot.send_message(chat, html, parse_mode="HTML")
    else:
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(chat, html, parse_mode="HTML")


@pytest.mark.parametrize("text", ["", "   ", "<b></b>"])
async def test_empty_text_is_refused(server: FakeBotApi, bot: Bot, chat: int, text: str) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(chat, text, parse_mode="HTML")
    assert last_description(server) == "Bad Request: message text is empty"


@pytest.mark.parametrize(
    ("html", "description"),
    [
        ("<b>fett", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("zwei <br/> Zeilen", 'Unsupported start tag "br/" at byte offset 5'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("x <b", "Unclosed start tag at byte offset 2"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        (
            "Essen & Trinken",
            'Character "&" at byte offset 6 must be escaped as "&amp;"'
            " (Telegram would keep it; this fake server is strict)",
        ),
        (
            "&nbsp;",
            'Character "&" at byte offset 0 must be escaped as "&amp;"'
            " (Telegram would keep it; this fake server is strict)",
        ),
    ],
)
async def test_html_errors_use_telegrams_wording(
    server: FakeBotApi, bot: Bot, chat: int, html: str, description: str
) -> None:
    with pytest.raises(BadRequest, match=r"^Can't parse entities"):
        await bot.send_message(chat, html, parse_mode="HTML")
    assert last_description(server) == "Bad Request: can't parse entities: " + description


async def test_valid_html_becomes_entities_in_utf16_units(bot: Bot, chat: int) -> None:
    html = (
        "😀 <b>fett <i>kursiv</i></b> &lt;3 &#228;&#xFC; "
        '<a href="https://example.org/?a=1&amp;b=2">Link</a> '
        '<pre><code class="language-python">x = 1</code></pre>'
        '<tg-spoiler>s</tg-spoiler> <span class="tg-spoiler">t</span> '
        "<blockquote expandable>zitat</blockquote><u>u</u><s>s</s><code>c</code>"
    )
    message = await bot.send_message(chat, html, parse_mode="HTML")
    assert message.text == "😀 fett kursiv <3 äü Link x = 1s t zitatusc"
    found = [(e.type, e.offset, e.length, e.url, e.language) for e in message.entities]
    assert found == [
        (MessageEntity.BOLD, 3, 11, None, None),
        (MessageEntity.ITALIC, 8, 6, None, None),
        (MessageEntity.TEXT_LINK, 21, 4, "https://example.org/?a=1&b=2", None),
        (MessageEntity.PRE, 26, 5, None, "python"),
        (MessageEntity.SPOILER, 31, 1, None, None),
        (MessageEntity.SPOILER, 33, 1, None, None),
        (MessageEntity.EXPANDABLE_BLOCKQUOTE, 35, 5, None, None),
        (MessageEntity.UNDERLINE, 40, 1, None, None),
        (MessageEntity.STRIKETHROUGH, 41, 1, None, None),
        (MessageEntity.CODE, 42, 1, None, None),
    ]
    assert message.parse_entity(message.entities[1]) == "kursiv"


@pytest.mark.parametrize(
    ("html", "text", "entities"),
    [
        ("Tom & Jerry &nbsp;", "Tom & Jerry &nbsp;", []),
        ("&lt &amp", "< &", []),
        ("<B>x</>", "x", [{"type": "bold", "offset": 0, "length": 1}]),
        ('<a href="javascript:alert(1)">x</a>', "x", []),
        (
            "<a>example.org</a>",
            "example.org",
            [{"type": "text_link", "offset": 0, "length": 11, "url": "http://example.org"}],
        ),
    ],
)
def test_lenient_html_keeps_what_tdlib_keeps(
    html: str, text: str, entities: list[dict[str, object]]
) -> None:
    assert parse_telegram_html(html, strict=False) == (text, entities)


def test_html_surrogate_references_are_refused() -> None:
    with pytest.raises(ValueError, match="unmatched surrogate code units"):
        parse_telegram_html("&#xD83D;&#xDE00;")


@pytest.mark.parametrize(
    ("data", "accepted"),
    [
        ("ä" * 32, True),  # 64 bytes in UTF-8
        ("ä" * 32 + "a", False),  # 33 characters, 65 bytes
        ("x" * 65, False),
        ("", False),
    ],
)
async def test_callback_data_is_limited_to_64_bytes(
    server: FakeBotApi, bot: Bot, chat: int, data: str, accepted: bool
) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Knopf", callback_data=data)]])
    if accepted:
        message = await bot.send_message(chat, "Wahl", reply_markup=markup)
        assert message.reply_markup == markup
    else:
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(chat, "Wahl", reply_markup=markup)
        assert last_description(server) == "Bad Request: BUTTON_DATA_INVALID"


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("https://www.wolfsburg.de/tafel", True),
        ("tg://resolve?domain=wegweiser", True),
        ("javascript:alert(1)", False),
        ("www.example.org", False),
        ("http://localhost/x", False),
        ("https://exa mple.org", False),
        ("https://", False),
    ],
)
async def test_button_urls_must_be_valid(
    server: FakeBotApi, bot: Bot, chat: int, url: str, accepted: bool
) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Website", url=url)]])
    if accepted:
        await bot.send_message(chat, "Link", reply_markup=markup)
    else:
        with pytest.raises(BadRequest):
            await bot.send_message(chat, "Link", reply_markup=markup)
        assert last_description(server) == "Bad Request: BUTTON_URL_INVALID"


async def test_inline_buttons_need_an_action(server: FakeBotApi, bot: Bot, chat: int) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("nur Text")]])
    with pytest.raises(BadRequest):
        await bot.send_message(chat, "x", reply_markup=markup)
    assert last_description(server) == (
        "Bad Request: can't parse inline keyboard button: "
        "Text buttons are unallowed in the inline keyboard"
    )


async def test_reply_keyboard_is_kept_per_chat_until_removed(
    server: FakeBotApi, bot: Bot, chat: int
) -> None:
    keyboard = ReplyKeyboardMarkup([[KeyboardButton("Standort senden", request_location=True)]])
    message = await bot.send_message(chat, "Wo bist du?", reply_markup=keyboard)
    assert message.reply_markup is None  # Telegram returns only inline keyboards
    assert server.chat(chat).reply_keyboard == {
        "keyboard": [[{"text": "Standort senden", "request_location": True}]]
    }
    await bot.send_message(chat, "Danke", reply_markup=ReplyKeyboardRemove())
    assert server.chat(chat).reply_keyboard is None


async def test_venue_and_location(server: FakeBotApi, bot: Bot, chat: int) -> None:
    venue = await bot.send_venue(chat, 52.42, 10.78, "Tafel", "Hauptstraße 1")
    assert venue.venue is not None
    assert (venue.venue.title, venue.venue.location.latitude) == ("Tafel", 52.42)
    location = await bot.send_location(chat, 52.42, 10.78)
    assert location.location is not None
    async with aiohttp.ClientSession() as session:
        form = {"chat_id": str(chat), "latitude": "1", "longitude": "2", "address": "x"}
        async with session.post(f"{server.base_url}{TOKEN}/sendVenue", data=form) as response:
            assert response.status == 400
            assert (await response.json())["description"] == "Bad Request: venue title is empty"


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
