"""Strange input never breaks a reply: markup in texts, huge messages, forged buttons, floods."""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from conftest import (
    FIXED_NOW,
    NASTY,
    USER,
    Launcher,
    Person,
    button_data,
    plain,
    write_catalogue,
)

from bot.answers import menus, replies, results, talk
from bot.answers.fitting import MAX_MESSAGE_CHARS
from bot.callbackdata import service_token
from bot.chat.app import BotApplication, forget_idle_users
from bot.chat.context import FLOOD_BURST, Admission, BotContext, FloodGuard
from bot.chat.errors import TokenFilter
from bot.chat.handlers.sending import send_replies
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from fakebotapi import FakeBotApi


@pytest.fixture
def nasty(tmp_path: Path, translators: TranslatorRegistry) -> Directory:
    """A catalogue whose names, summaries, addresses and topic contain HTML and Markdown."""
    path = write_catalogue(tmp_path / "services.yaml", food_services=4, nasty=True)
    return Directory.load(path, ui_languages=tuple(translators))


@pytest.fixture
async def nasty_app(launch: Launcher, nasty: Directory) -> AsyncIterator[BotApplication]:
    async with launch(catalogue=nasty) as application:
        yield application


@pytest.mark.parametrize(
    "text",
    [
        NASTY,
        "<b>x</b> & *y* _z_ [a](b)",
        "Lebensmittel " * 400,  # 5,200 characters
        "🍞🥖🧀 Essen 🙏🏽",
        "أحتاج طعام \u200f (مساعدة) \u202e",
        "\u0000\u200b\ufeff",
        "/",
    ],
    ids=["html", "markdown", "5000-chars", "emoji", "rtl-marks", "invisible", "slash"],
)
async def test_strange_text_gets_a_normal_answer(
    server: FakeBotApi,
    app: object,
    directory: Directory,
    translators: TranslatorRegistry,
    text: str,
) -> None:
    person = Person(server)
    answers = await person.says(text)
    assert answers and all(a["text"].strip() for a in answers)
    if not text.startswith("/"):
        # Written clearly in Arabic, it is answered in Arabic (then the offer to switch).
        speak = talk.written_language(text, translators["de"], translators) or translators["de"]
        outcome = directory.search(
            text, language=speak.code, near=None, limit=results.MAX_RESULTS, now=FIXED_NOW
        )
        expected = results.search_answer(directory, outcome, speak, FIXED_NOW)
        assert [a["text"] for a in answers[: len(expected)]] == [plain(r.text) for r in expected]


async def test_markup_in_catalogue_texts_is_shown_as_written(
    server: FakeBotApi, nasty_app: object, nasty: Directory, translators: TranslatorRegistry
) -> None:
    person = Person(server)
    (cards,) = await person.says("Tafel")
    assert f"1. Tafel 1 {NASTY}" in cards["text"].splitlines()
    _, menu = await person.says("/start", count=2)
    assert menu["reply_markup"]["inline_keyboard"][0][0]["text"] == f"🍞 Essen {NASTY}"
    (page,) = await person.presses(menu, data="c|food|0")
    assert page["text"].splitlines()[0] == f"🍞 Essen {NASTY}"
    (details,) = await person.presses(page, data=button_data(page)[0])
    assert f"Lebensmittel für wenig Geld. {NASTY}" in details["text"]
    (menu2,) = await person.presses(details, text="⚠️ Fehler melden")
    await person.presses(menu2, data="W|tafel-1|other")


async def test_a_reply_longer_than_telegram_allows_is_split_between_lines(
    server: FakeBotApi, app: BotApplication, translators: TranslatorRegistry
) -> None:
    await Person(server).says("/help")
    line = "<b>Zeile</b> &amp; " + "x" * 80
    long = replies.Reply("\n".join([line] * 120), ((replies.Button("OK", "m"),),))
    context = BotContext(app, chat_id=USER, user_id=USER)
    sent = await send_replies(context, USER, [long], translators["de"])
    assert len(sent) == 3
    texts = [m.text or "" for m in sent]
    assert all(len(t) <= MAX_MESSAGE_CHARS for t in texts)
    assert "\n".join(texts) == plain(long.text)
    assert [m.reply_markup is not None for m in sent] == [False, False, True]


@pytest.mark.parametrize(
    "data",
    ["garbage", "c|", "s|" + "x" * 61, "💥", "W|x|y|z|w", "d|extra", "L|", "r|-3", "n|x"],
)
async def test_forged_or_stale_buttons_answer_kindly(
    person: Person, directory: Directory, translators: TranslatorRegistry, data: str
) -> None:
    (menu,) = await person.says("/help")
    answers = await person.presses(menu, data=data, allow_stale=True)
    assert answers, "every tap gets an answer"
    turn = person.last_turn
    assert turn is not None and await turn.callback_answer()
    assert all(a["text"].strip() for a in answers)


async def test_a_flood_gets_one_notice_and_no_crash(
    server: FakeBotApi, app: object, translators: TranslatorRegistry
) -> None:
    marker = server.marker()
    for _ in range(FLOOD_BURST + 5):
        await server.user_sends_text(USER, "/help", language_code="de")
    answers = await server.wait_for_bot_messages(USER, FLOOD_BURST + 1, since=marker, settle=0.3)
    notice = plain(replies.slow_down(translators["de"]).text)
    texts = [a["text"] for a in answers]
    assert texts.count(notice) == 1
    assert len(texts) == FLOOD_BURST + 1
    other = Person(server, chat_id=USER + 1)
    assert len(await other.says("/help")) == 1  # others are not slowed down


async def test_clear_right_after_a_flood_removes_every_message(
    server: FakeBotApi, app: object, translators: TranslatorRegistry
) -> None:
    """Someone in a panic types fast, then taps quick exit: nothing may stay on the phone,
    neither the messages the flood gate left unanswered nor the quick exit itself."""
    person = Person(server, chat_id=USER, language_code="de")
    marker = server.marker()
    for number in range(FLOOD_BURST + 5):
        await server.user_sends_text(USER, f"hilfe {number}", language_code="de")
    await server.wait_for_bot_messages(USER, FLOOD_BURST + 1, since=marker, settle=0.3)
    (done,) = await person.says("/clear")
    assert done["text"] == plain(menus.cleared(translators["de"]).text)
    assert [m["message_id"] for m in person.history()] == [done["message_id"]]


async def test_an_answer_telegram_refuses_gets_an_apology_instead_of_silence(
    person: Person, server: FakeBotApi, translators: TranslatorRegistry
) -> None:
    server.inject_error("sendMessage", 400, "Bad Request: something unexpected")
    (answer,) = await person.says("/help")
    assert answer["text"] == plain(replies.error_apology(translators["de"]).text)


def test_the_token_never_reaches_the_log() -> None:
    token = "123456789:AAH-secret-part-of-the-token-xyz"
    url = f"https://api.telegram.org/bot{token}/getUpdates"
    try:
        raise RuntimeError(f"could not reach {url}")
    except RuntimeError:
        record = logging.LogRecord("httpx", logging.ERROR, __file__, 1, "POST %s", (url,), None)
        record.exc_info = sys.exc_info()
    TokenFilter(token).filter(record)
    formatted = logging.Formatter().format(record)
    assert token not in formatted
    assert "https://api.telegram.org/bot<TOKEN>/getUpdates" in formatted


async def test_one_persons_messages_are_answered_in_order(
    server: FakeBotApi, app: object, directory: Directory, translators: TranslatorRegistry
) -> None:
    marker = server.marker()
    for text in ("/start", "Lebensmittel", "/help"):
        await server.user_sends_text(USER, text, language_code="de")
    answers = await server.wait_for_bot_messages(USER, 4, since=marker)
    tr = translators["de"]
    welcome = menus.welcome(directory, tr)
    assert [a["text"] for a in answers[:2]] == [plain(r.text) for r in welcome]
    assert answers[-1]["text"] == plain(menus.help_text(tr).text)


async def test_after_a_catalogue_reload_old_buttons_answer_kindly(
    server: FakeBotApi,
    app: BotApplication,
    directory: Directory,
    nasty: Directory,
    translators: TranslatorRegistry,
) -> None:
    person = Person(server)
    service = directory.catalogue.services[0]
    _, details = await person.says(f"/start s-{service.id}", count=2)
    app.bot_data.holder.replace(nasty)  # what a live reload does
    (answer,) = await person.presses(details, data=f"w|{service_token(service.id)}")
    assert answer["text"] == plain(menus.expired_button(nasty, translators["de"]).text)
    (about,) = await person.says("/about")
    assert about["text"] == plain(menus.about(nasty, translators["de"]).text)


async def test_flood_memory_is_bounded() -> None:
    guard = FloodGuard(burst=2, period=60, max_users=3)
    for user in range(10):
        assert await guard.admit(user) is Admission.ALLOWED
    assert len(guard) == 3
    assert [await guard.admit(9) for _ in range(3)] == [
        Admission.ALLOWED,
        Admission.WARN,
        Admission.SILENT,
    ]


async def test_idle_peoples_memory_is_dropped(person: Person, app: BotApplication) -> None:
    await person.says("/help")
    assert USER in app.user_data
    app.user_data[USER].last_seen -= 4 * 3600
    assert forget_idle_users(app) == 1
    assert USER not in app.user_data
