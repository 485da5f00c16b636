"""Conversation end to end: greetings and thanks get a welcome with the topics, never "nothing
found"; a message in another language is answered in it, with a one-tap switch."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import FIXED_NOW, Person, button_data, plain

from bot.answers import menus, results, talk
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from bot.search.conversation.reader import Intent
from fakebotapi import FakeBotApi


def nothing_found(directory: Directory, translators: TranslatorRegistry, code: str) -> str:
    outcome = directory.index.search("xqzvw", language=code, limit=results.MAX_RESULTS)
    return plain(results.search_answer(directory, outcome, translators[code], FIXED_NOW)[0].text)


@pytest.mark.parametrize(
    ("text", "phone", "intent"),
    [
        ("hallo", "de", Intent.GREETING),
        ("danke!", "de", Intent.THANKS),
        ("merhaba", "tr", Intent.GREETING),
        ("привет", "ru", Intent.GREETING),
        ("مرحبا", "ar", Intent.GREETING),
        ("wer bist du?", "de", Intent.WHO),
        ("who are you?", "en", Intent.WHO),
        ("ich möchte mit einem Menschen sprechen", "de", Intent.PERSON),
        ("wie funktioniert das?", "de", Intent.HELP),
    ],
)
async def test_conversation_is_answered_as_what_it_is(
    server: FakeBotApi,
    app: object,
    directory: Directory,
    translators: TranslatorRegistry,
    text: str,
    phone: str,
    intent: Intent,
) -> None:
    expected = talk.conversation_answer(intent, directory, translators[phone])
    answers = await Person(server, language_code=phone).says(text, count=len(expected))
    assert [a["text"] for a in answers] == [plain(r.text) for r in expected]
    assert nothing_found(directory, translators, phone) not in [a["text"] for a in answers]
    if intent in (Intent.GREETING, Intent.THANKS, Intent.WHO, Intent.PERSON):
        assert any(d.startswith("c|") for d in button_data(answers[-1]))  # the topics


@pytest.mark.parametrize("intent", list(Intent))
def test_every_answer_is_short_and_in_the_readers_language(
    directory: Directory, translators: TranslatorRegistry, intent: Intent
) -> None:
    english = [r.text for r in talk.conversation_answer(intent, directory, translators["en"])]
    for code, tr in translators.items():
        answers = talk.conversation_answer(intent, directory, tr)
        if intent is not Intent.HELP:  # that one is the /help text itself
            assert all(len(plain(r.text).splitlines()) <= 3 for r in answers)
        if code != "en":
            assert [r.text for r in answers] != english, code
        if intent is not Intent.BYE:
            assert answers[-1].buttons, code  # the topics, the way forward


def test_the_offer_names_each_language_in_itself(translators: TranslatorRegistry) -> None:
    offer = talk.language_offer(translators["uk"], translators["de"])
    (row,) = offer.buttons
    assert [b.label for b in row] == ["🌐 Продовжити українською", "Auf Deutsch weiter"]


async def test_hello_with_a_need_is_a_search(
    person: Person, directory: Directory, translators: TranslatorRegistry
) -> None:
    answers = await person.says("hallo, ich brauche essen")
    welcome = talk.conversation_answer(Intent.GREETING, directory, translators["de"])
    assert answers[0]["text"] != plain(welcome[0].text)
    assert any(d.startswith("s|") for d in button_data(answers[0]))  # service cards


async def test_a_bare_cry_gets_crisis_help_not_the_help_menu(
    person: Person, directory: Directory, translators: TranslatorRegistry
) -> None:
    answers = await person.says("hilfe")
    assert answers[0]["text"] != plain(menus.help_text(translators["de"]).text)
    assert directory.index.search("hilfe", language="de").crisis


async def test_ukrainian_on_a_german_phone_is_answered_in_ukrainian_with_a_switch(
    server: FakeBotApi,
    app: object,
    directory: Directory,
    translators: TranslatorRegistry,
    db_path: Path,
) -> None:
    person = Person(server, language_code="de")
    text = "мені потрібна їжа, де можна поїсти безкоштовно"
    outcome = directory.index.search(text, language="uk", limit=results.MAX_RESULTS)
    expected = results.search_answer(directory, outcome, translators["uk"], FIXED_NOW)
    answers = await person.says(text, count=len(expected) + 1)
    assert answers[0]["text"] == plain(expected[0].text)
    offer = answers[-1]
    assert offer["text"] == plain(talk.language_offer(translators["uk"], translators["de"]).text)
    assert button_data(offer) == ["L|uk", "L|de"]
    await person.presses(offer, data="L|uk", count=2)
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT language FROM users").fetchall() == [("uk",)]
    (help_answer,) = await person.says("/help")
    assert help_answer["text"] == plain(menus.help_text(translators["uk"]).text)


async def test_farsi_in_latin_letters_on_a_german_phone_is_answered_in_farsi(
    server: FakeBotApi, app: object, directory: Directory, translators: TranslatorRegistry
) -> None:
    """Typed in Latin letters for want of a Farsi keyboard: the learned reader names it."""
    text = "salam, man be ghaza niaz daram, koja mitoonam ghaza begiram?"
    outcome = directory.index.search(text, language="fa", limit=results.MAX_RESULTS)
    expected = results.search_answer(directory, outcome, translators["fa"], FIXED_NOW)
    answers = await Person(server, language_code="de").says(text, count=len(expected) + 1)
    assert answers[0]["text"] == plain(expected[0].text)
    offer = answers[-1]
    assert offer["text"] == plain(talk.language_offer(translators["fa"], translators["de"]).text)
    assert button_data(offer) == ["L|fa", "L|de"]


async def test_a_german_office_word_on_an_arabic_phone_does_not_switch(
    server: FakeBotApi, app: object, directory: Directory, translators: TranslatorRegistry
) -> None:
    text = "Jobcenter"
    outcome = directory.index.search(text, language="ar", limit=results.MAX_RESULTS)
    expected = results.search_answer(directory, outcome, translators["ar"], FIXED_NOW)
    answers = await Person(server, language_code="ar").says(text, count=len(expected))
    assert [a["text"] for a in answers] == [plain(r.text) for r in expected]
    assert not any(d.startswith("L|") for a in answers for d in button_data(a))
