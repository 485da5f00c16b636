"""Precision: one everyday word or a place name shared with the catalogue is no answer
(bot.search.precision), on the shipped catalogue and as a stage alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogue.validation import load_catalogue
from bot.search.common import common_words, everyday_words
from bot.search.index import SearchIndex
from bot.search.normalize import tokens
from bot.search.precision import keep_supported, only_places, says_something_unknown, weak_units
from bot.search.query import Unit
from bot.search.reading import Hit
from bot.search.scoring import Entry
from bot.search.unmet import Unmet

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(load_catalogue(ROOT / "services.yaml").catalogue)


def _ids(index: SearchIndex, text: str, language: str = "de") -> list[str]:
    return [m.service.id for m in index.search(text, language=language).results]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("wo gibt es in Linden gute Pizza", "de"),  # a district and a word nobody offers
        ("telefonum kırıldı, tamir edecek bir yer", "tr"),  # "yer" (place) is a keyword
        ("gute pizza am Steintor", "de"),  # a square in a service's address, not a district
    ],
)
def test_one_shared_everyday_word_or_place_is_nothing_fits(
    index: SearchIndex, text: str, language: str
) -> None:
    assert _ids(index, text, language) == []


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("essen in Linden", "de", "lindener-tisch"),  # a need beside the place
        ("schlafen am Bahnhof", "de", "bahnhofsmission-hannover"),  # a need beside a station
        ("kalacak yer", "tr", "notschlafstelle-alter-flughafen"),  # everyday words together
    ],
)
def test_the_same_words_still_answer_when_they_are_the_question(
    index: SearchIndex, text: str, language: str, expected: str
) -> None:
    assert expected in _ids(index, text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Linden", "de"),  # a district alone names no need, even one in a service's name
        ("Steintor", "de"),  # a square of a service's address alone
        ("я сейчас у вокзала", "ru"),  # a station, in any language
        ("Otogar yakınında", "tr"),
        ("قرب المحطة الرئيسية", "ar"),
        ("بليندن", "ar"),  # a district in Arabic letters
        ("wohne in Laatzen, ganz nah am Rathaus", "de"),  # a town and its town hall
        # a place beside everyday words is no second word that says something with them
        ("where can I park near the train station", "en"),
        ("کلاس رقص نزدیک ایستگاه قطار", "fa"),
    ],
)
def test_a_place_alone_is_nothing_fits(index: SearchIndex, text: str, language: str) -> None:
    assert _ids(index, text, language) == []


@pytest.mark.parametrize(
    ("place", "matched", "alone"),
    [
        ([False, True], [{1: 1.0}, {1: 1.0}], False),  # a word beside the place
        ([False, True], [{}, {2: 1.0}], True),  # the place is all that matched
        ([True, True], [{1: 1.0}, {2: 1.0}], True),  # two places
        ([False, False], [{}, {}], False),  # nothing matched at all: not this rule's
    ],
)
def test_only_places_as_a_stage_alone(
    place: list[bool], matched: list[dict[int, float]], alone: bool
) -> None:
    per_unit = [dict.fromkeys(best, _entry()) for best in matched]
    assert only_places(per_unit, place) is alone


def test_short_everyday_words_are_in_the_table_but_not_protected_from_typos() -> None:
    assert {"yer", "el"} <= everyday_words()
    assert "yer" not in common_words()
    assert all(len(w) >= 4 for w in common_words())


def _unit(word: str) -> Unit:
    return Unit(word, [[()]], (word,))


def _entry() -> Entry:
    return Entry(1.0, 1.0, Hit(0, 1.0, "exact", "x", 1.0), 0)


def test_the_stage_alone_keeps_what_a_meaningful_word_two_everyday_words_or_a_need_reached() -> (
    None
):
    units = [_unit("pizza"), _unit("yer"), _unit("linden"), _unit("lindener"), _unit("beratung")]
    weak = weak_units(units, frozenset({"yer", "linden", "lindener"}))
    assert weak == [False, True, True, True, False]
    per_unit: list[dict[int, Entry]] = [
        {},
        {1: _entry()},
        {2: _entry(), 3: _entry()},
        {3: _entry()},
        {4: _entry()},
    ]
    assert says_something_unknown(per_unit, units, {})
    assert not says_something_unknown(per_unit, units, {"meals": frozenset({"pizza"})})
    found = {1: 50.0, 2: 50.0, 3: 50.0, 4: 50.0, 5: 50.0}
    kept = keep_supported(found, per_unit, weak, [{5: 0.85}])
    # 1 and 2: one everyday word each; 3: two together; 4: a meaningful word; 5: a need
    assert sorted(kept) == [3, 4, 5]


def test_an_everyday_word_alone_is_never_read_as_a_typo_of_a_need_word(index: SearchIndex) -> None:
    """ "tell" folds to "tel", one letter from "telc" (the German exam): three letters after
    folding, yet an everyday English word, so it is no German-course need."""
    outcome = index.search("tell me about your weekend", language="en")
    assert outcome.needs == ()
    assert outcome.results == ()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("mein Hund humpelt, welche Tierklinik hat Sonntag offen", "de"),
        ("need a vet for my dog this weekend", "en"),
        ("Rus konsolosluğu nerede, randevu lazım", "tr"),
        ("как продлить загранпаспорт через консульство", "ru"),
        ("прокат авто недорого на вихідні", "uk"),
        ("أين أجد سوبر ماركت عربي مفتوح يوم الأحد", "ar"),
        ("سفارت افغانستان برای پاسپورت وقت میدهد؟", "fa"),
    ],
)
def test_a_need_no_social_service_answers_is_nothing_fits(
    index: SearchIndex, text: str, language: str
) -> None:
    assert _ids(index, text, language) == []


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("kostenlose Tickets fürs Theater", "de", "kulturleben-hannover"),  # a ticket alone
        ("kein Essen und kein Geld für den Supermarkt", "de", "hannoversche-tafel"),  # a need
    ],
)
def test_an_unmet_word_beside_a_need_still_answers(
    index: SearchIndex, text: str, language: str, expected: str
) -> None:
    assert expected in _ids(index, text, language)


def test_a_catalogue_that_names_an_unmet_need_answers_it() -> None:
    words = tokens("Tierarzt am Sonntag")
    assert Unmet([]).words(words) == {"tierarzt"}
    assert Unmet(["tierarzt", "fur", "obdachlose"]).words(words) == frozenset()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Friseur für Frauen in der Südstadt", "de"),  # a trade, not a social service
        ("where can I buy a used car cheaply", "en"),  # buying, not second-hand clothes
        ("ehliyet nasıl alınır, sürücü kursu tavsiyesi", "tr"),  # a driving licence
        ("как перевести деньги домой дешевле", "ru"),  # money sent home, not translation
        ("найсмачніший ресторан у місті", "uk"),  # eating out
        ("وين في مسجد لصلاة الجمعة", "ar"),  # a place of worship
        ("آرایشگاه زنانه خوب سراغ دارید؟", "fa"),  # "for women" beside a trade
    ],
)
def test_everyday_trades_and_purchases_are_nothing_fits(
    index: SearchIndex, text: str, language: str
) -> None:
    """A hairdresser, eating out, buying a car or a flat, a driving licence, sending money
    home, a mosque or a picnic: no social service answers them, whatever side word
    ("Frauen", "деньги", "used") a service shares."""
    assert _ids(index, text, language) == []


def test_an_unmet_phrase_is_offered_only_when_the_names_say_all_of_it() -> None:
    words = tokens("Geld ins Ausland schicken")
    assert Unmet(["geld", "schuldnerberatung"]).words(words) == {"geld", "ins", "ausland"}
    assert Unmet(["geld", "ausland", "service"]).words(words) == frozenset()
