"""A person in danger, end to end in German, Ukrainian, Arabic and Farsi: the first help for the
kind of danger comes first, violence brings "Are you safe right now?", and "nothing found" always
carries 112 and the emergency button."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import FIXED_NOW, Person, button_data, plain

from bot.answers import crisis, results
from bot.directory import Directory
from bot.i18n.translators import TranslatorRegistry
from fakebotapi import FakeBotApi

MESSAGES = {
    # (language, kind): a message as people write it
    ("de", "suicide"): "ich will nicht mehr leben",
    ("de", "poisoning"): "mein sohn hat putzmittel getrunken",
    ("uk", "violence"): "чоловік мене б'є",
    ("uk", "suicide"): "я хочу вмерти",
    ("ar", "violence"): "زوجي يضربني",
    ("ar", "medical"): "أبي لا يتنفس",
    ("fa", "suicide"): "می‌خواهم خودکشی کنم",
    ("fa", "violence"): "شوهرم مرا کتک می‌زند",
}


LEARNED = {
    # (language, kind): wordings no rule of the knowledge names, read by the learned model
    ("de", "suicide"): "Die Katze ist bei der Nachbarin, der Schlüssel liegt unter der Matte. "
    "Wartet nicht auf mich.",
    ("uk", "suicide"): "Кіт у сусідки, ключі в поштовій скриньці. Мене там більше не чекайте.",
    ("ar", "violence"): "جوزي لما يرجع سكران بيكسر كل شي والولاد بيتخبوا تحت التخت",
    ("fa", "stalking"): "از وقتی جدا شدیم هر شب جلوی خونه‌م وایمیسه و پیام میده",
}
MESSAGES |= LEARNED


@pytest.mark.parametrize(("language", "kind"), sorted(LEARNED))
def test_wordings_no_rule_names_are_read_by_the_learned_model(
    directory: Directory, language: str, kind: str
) -> None:
    """The end-to-end test above runs these too; here, that they came from the model."""
    danger = directory.index.search(LEARNED[language, kind], language=language).danger
    assert danger.kinds == (kind,)
    assert danger.evidence[0].startswith(f"model:{kind}:")


@pytest.mark.parametrize(("language", "kind"), sorted(MESSAGES))
async def test_the_first_help_for_the_kind_comes_first(
    server: FakeBotApi,
    app: object,
    directory: Directory,
    translators: TranslatorRegistry,
    language: str,
    kind: str,
) -> None:
    text = MESSAGES[language, kind]
    outcome = directory.search(
        text, language=language, near=None, limit=results.MAX_RESULTS, now=FIXED_NOW
    )
    assert outcome.danger.kind == kind
    answers = await Person(server, language_code=language).says(text)
    first = crisis.first_help(directory, outcome.danger, translators[language], FIXED_NOW)
    assert answers[0]["text"] == plain(first.text)
    assert len(answers[0]["text"].splitlines()) <= 16
    assert "x" in button_data(answers[0])  # the quick exit, on every crisis answer
    safety = [d for d in button_data(answers[0]) if d.startswith("a|")]
    assert bool(safety) == (kind in crisis.SAFETY_KINDS)


def test_each_kind_leads_with_its_own_help(directory: Directory) -> None:
    def first_ids(text: str, language: str) -> list[str]:
        danger = directory.index.search(text, language=language).danger
        return [s.id for s in crisis.first_help_services(directory, danger)]

    assert "telefonseelsorge" in first_ids("ich will nicht mehr leben", "de")
    assert "giftnotruf-giz-nord" in first_ids("mein sohn hat putzmittel getrunken", "de")
    violence = first_ids("mein mann schlägt mich", "de")
    assert "polizei-notruf-110" in violence
    assert "hilfetelefon-gewalt-gegen-frauen" in violence
    assert "hilfetelefon-schwangere-in-not" not in violence


@pytest.mark.parametrize("language", ["de", "uk", "ar", "fa"])
async def test_are_you_safe_no_gives_the_police_and_the_quiet_ways(
    server: FakeBotApi, app: object, translators: TranslatorRegistry, language: str
) -> None:
    person = Person(server, language_code=language)
    text = {"de": "er schlägt mich", "uk": "чоловік мене б'є", "ar": "زوجي يضربني",
            "fa": "شوهرم مرا کتک می‌زند"}[language]  # fmt: skip
    first, *_ = await person.says(text, count=1)
    (answer,) = await person.presses(first, data="a|no|violence")
    tr = translators[language]
    assert plain(tr.gettext("Call the police now: 110.")) in answer["text"]
    assert "x" in button_data(answer)


@pytest.mark.parametrize("language", ["de", "uk", "ar", "fa"])
async def test_nothing_found_always_carries_112_and_the_emergency_button(
    server: FakeBotApi, app: object, translators: TranslatorRegistry, language: str
) -> None:
    (answer,) = await Person(server, language_code=language).says("qwrtzp xkcdvbn")
    tr = translators[language]
    assert tr.gettext("Sorry, I did not find anything for that.") in answer["text"]
    assert "112" in answer["text"] and "110" in answer["text"]
    assert "e" in button_data(answer)  # 🆘 Emergency


@pytest.mark.parametrize(
    "text",
    [
        "Notfall",
        "SOS",
        "hilfe",
        "help",
        "помогите",
        "imdat",
        "کمک کنید",
        "النجدة",
        "🆘🆘🆘",
        "🆘 😭🙏",
    ],
)
async def test_the_words_for_help_do_what_they_say(
    server: FakeBotApi, app: object, text: str
) -> None:
    (answer, *_) = await Person(server, language_code="de").says(text, count=1)
    assert answer["text"].startswith("🆘")
    assert "112" in answer["text"]


async def test_the_search_log_keeps_only_the_kind_and_language_of_a_crisis(
    server: FakeBotApi, app: object, db_path: Path
) -> None:
    await Person(server, language_code="de").says("ich will nicht mehr leben, maria", count=1)
    await app.bot_data.store.recent_reports(1)  # a read writes what is waiting first
    with sqlite3.connect(db_path) as db:
        rows = db.execute("SELECT language, danger FROM search_log").fetchall()
        words = db.execute("SELECT word FROM unmet_words").fetchall()
    assert rows == [("de", "suicide")]
    assert words == []
