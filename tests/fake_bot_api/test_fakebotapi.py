"""The fake Bot API server, tested through the real python-telegram-bot over loopback HTTP.

This module: the HTTP surface and sending (text, HTML, keyboards, places). Editing, deleting
and injected faults are in ``test_fakebotapi_editing.py``; updates, applications, the webhook
and the thread in ``test_fakebotapi_updates.py``.
"""

from __future__ import annotations

import aiohttp
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    MessageEntity,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import (
    BadRequest,
    EndPointNotFound,
)

from fake_bot_api.fakebot_helpers import TOKEN, last_description
from fakebotapi import (
    FakeBotApi,
    parse_telegram_html,
)

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
