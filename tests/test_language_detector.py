"""The language of a message alone: the script and telling letters and words decide, and
anything short, mixed or typed in another script's language stays undecided."""

from __future__ import annotations

import pytest

from bot.search.language.detector import LanguageDetector, language_of, script_of
from bot.search.language.folding import fold


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("мені потрібна їжа", "uk"),
        ("привіт", "uk"),
        ("мне нужна еда", "ru"),
        ("где найти врача", "ru"),
        ("أحتاج طعام", "ar"),
        ("مرحبا", "ar"),
        ("من به غذا نیاز دارم", "fa"),
        ("غذا ميخوام", "fa"),  # Farsi typed on an Arabic keyboard
        ("ich brauche essen", "de"),
        ("wo ist die Tafel", "de"),
        ("i need food", "en"),
        ("need help with the jobcenter letter", "en"),
        ("yemek lazım", "tr"),
        ("yemek lazim nerede", "tr"),
    ],
)
def test_a_clear_message_is_read_in_its_language(text: str, language: str) -> None:
    assert language_of(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "ok",
        "Jobcenter",
        "Wohngeld Antrag",
        "Tafel",
        "hallo",
        "хочу",  # Russian and Ukrainian alike
        "сбербанк джобцентр",
        "سلام",  # Arabic and Farsi alike
        "salam",
        "privet",
        "merhaba",
        "dobryi den",
        "<b>x</b> & *y* _z_ [a](b) `c`",
        "12345 !!!",
        "🍞",
        "",
    ],
)
def test_short_mixed_or_latin_letter_messages_do_not_switch(text: str) -> None:
    assert language_of(text) is None


def test_a_reader_of_the_sister_language_needs_more_than_one_word() -> None:
    assert language_of("مرحبا") == "ar"
    assert language_of("مرحبا", setting="fa") is None
    assert language_of("أحتاج طعام", setting="fa") == "ar"
    assert language_of("привет", setting="uk") is None
    assert language_of("привіт", setting="ru") == "uk"  # і tells


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("komak baraye ghaza", "fa"),
        ("salam man komak mikham", "fa"),
        ("mne nuzhna pomosh", "ru"),
        ("ana bidi akl ma3a awlade", "ar"),  # Arabizi: digits for letters
        ("ya habibi wen el akl", "ar"),
    ],
)
def test_a_language_typed_in_latin_letters_is_read_by_the_learned_reader(
    text: str, language: str
) -> None:
    assert language_of(text) == language


def test_without_the_learned_reader_latin_letters_say_nothing() -> None:
    from bot.search.language.detector import load

    rules_alone = load()
    for text in ("komak baraye ghaza", "mne nuzhna pomosh", "ana bidi akl ma3a awlade"):
        assert rules_alone.guess(text).language is None


def test_cyrillic_and_arabic_script_stay_with_the_rules() -> None:
    """The learned reader is never asked there: "хочу" is Russian and Ukrainian alike."""
    assert language_of("хочу", setting="uk") is None
    assert language_of("хочу хліба") == "uk"


def test_a_german_word_in_an_arabic_message_is_left_out() -> None:
    assert language_of("أحتاج موعد في Jobcenter") == "ar"


def test_a_word_common_in_two_languages_says_nothing() -> None:
    detector = LanguageDetector(
        {"de": {"da": 6.4, "essen": 5.3}, "en": {"da": 4.5}, "tr": {"da": 6.8}}
    )
    assert detector.guess("da da").scores == {"de": 0.0, "en": 0.0, "tr": 0.0}
    assert detector.guess("essen essen").scores["de"] == 2.0


def test_folding_finds_a_word_typed_without_its_accents() -> None:
    assert fold("Lazım") == fold("lazim") == "lazim"
    assert fold("ميخوام") == fold("میخوام")
    assert fold("їжа") == "їжа" and fold("й") == "й"
    assert [script_of(w) for w in ("essen", "їжа", "غذا", "日本")] == [
        "latin",
        "cyrillic",
        "arabic",
        None,
    ]
