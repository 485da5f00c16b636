"""The search engine on small catalogues written to ``tmp_path`` (tests/search_catalogue.py):
one behaviour per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from search_catalogue import DEBT, first, ids, index_of

from bot.search.index import SearchIndex


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    return index_of(tmp_path_factory.mktemp("catalogue"))


# -- words ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("schuldnerberatung", "schuldnerberatung"),
        ("shuldnerberatung", "schuldnerberatung"),  # one typo
        ("schuldnrberatng", "schuldnerberatung"),  # two typos in a long word
        ("shculdnerberatung", "schuldnerberatung"),  # swapped neighbours
        ("inkaso", "schuldnerberatung"),  # one typo in a 6-letter word
        ("krankenversicherug", "praxis"),
        ("jobcentr", "jobcenter"),
    ],
)
def test_typos_are_tolerated(index: SearchIndex, text: str, expected: str) -> None:
    assert first(index, text) == expected


@pytest.mark.parametrize("text", ["arz", "taf", "ink"])
def test_words_of_three_letters_need_to_be_exact(index: SearchIndex, text: str) -> None:
    assert index.search(text).results == ()


def test_two_typos_in_a_short_word_are_too_many(index: SearchIndex) -> None:
    assert index.search("ibkazo").results == ()  # inkasso with two wrong letters
    assert index.search("tfl").results == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("lebensm", "tafel-linden"), ("schuldnerb", "schuldnerberatung"), ("krankenvers", "praxis")],
)
def test_partial_words_match_as_prefixes(index: SearchIndex, text: str, expected: str) -> None:
    assert first(index, text) == expected


def test_word_order_does_not_matter(index: SearchIndex) -> None:
    one = index.search("arzt krankenversicherung")
    other = index.search("krankenversicherung arzt")
    assert [(m.service.id, m.score) for m in one.results] == [
        (m.service.id, m.score) for m in other.results
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Schulden Beratung", "schuldnerberatung"),  # two words, one compound in the catalogue
        ("lebensmittel ausgabe", "tafel-linden"),
        ("ausgabe", "tafel-linden"),  # the head of "Lebensmittelausgabe"
        ("schuldenberatungsstelle", "schuldnerberatung"),  # a compound the catalogue lacks
    ],
)
def test_compounds(index: SearchIndex, text: str, expected: str) -> None:
    assert first(index, text) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [("essen", "de"), ("Food", "en"), ("їжа", "uk"), ("طعام", "ar"), ("yemek", "tr")],
)
def test_a_category_word_finds_the_category(index: SearchIndex, text: str, language: str) -> None:
    outcome = index.search(text, language=language, limit=5)
    assert outcome.categories == ("food",)
    assert {"tafel-linden", "tafel-nordstadt"} <= set(ids(outcome))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pomosh s dolgami", "schuldnerberatung"),  # помощь с долгами
        ("kvartira", "notschlafstelle"),
        ("nochleg", "notschlafstelle"),
        ("produkty", "tafel-linden"),
    ],
)
def test_latin_letters_find_cyrillic_keywords(index: SearchIndex, text: str, expected: str) -> None:
    assert first(index, text) == expected


def test_keywords_match_whatever_the_readers_language(index: SearchIndex) -> None:
    assert first(index, "продукты", language="de") == "tafel-linden"
    assert first(index, "tafel", language="ar") in {"tafel-linden", "tafel-nordstadt"}


def test_a_word_that_is_filler_elsewhere_counts_in_its_own_language(index: SearchIndex) -> None:
    """Turkish "iş" (work) folds to English "is"."""
    assert first(index, "iş", language="tr") == "jobcenter"
    assert first(index, "iş arıyorum", language="de") == "jobcenter"  # Turkish stop word
    assert index.search("is", language="en").results == ()


# -- places --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "district", "expected"),
    [
        ("tafel nordstadt", "Nordstadt", "tafel-nordstadt"),
        ("tafel in linden", "Linden", "tafel-linden"),
        ("tafel linden-nord", "Linden", "tafel-linden"),  # alias
        ("tafel nordstat", "Nordstadt", "tafel-nordstadt"),  # typo in the district
        ("Nordstadt Tafel", "Nordstadt", "tafel-nordstadt"),
    ],
)
def test_a_named_district_prefers_services_there(
    index: SearchIndex, text: str, district: str, expected: str
) -> None:
    outcome = index.search(text)
    assert outcome.district is not None and outcome.district.name == district
    assert ids(outcome)[0] == expected


def test_stop_words_never_name_a_district(index: SearchIndex) -> None:
    """ "finden" is one letter from "Linden", but it is a stop word."""
    assert index.search("tafel finden").district is None


def test_near_prefers_the_closer_of_equal_services(index: SearchIndex) -> None:
    by_linden = index.search("tafel", near=(52.3660, 9.7150))
    by_nordstadt = index.search("tafel", near=(52.3890, 9.7240))
    assert ids(by_linden)[0] == "tafel-linden"
    assert ids(by_nordstadt)[0] == "tafel-nordstadt"


@pytest.mark.parametrize(
    ("near", "expected"), [((52.60, 9.72), "tafel-nordstadt"), ((52.15, 9.70), "tafel-linden")]
)
def test_near_from_outside_the_city_still_prefers_the_closer_service(
    index: SearchIndex, near: tuple[float, float], expected: str
) -> None:
    """About 25 km out of town the grid around the person is empty for twenty rings."""
    assert ids(index.search("tafel", near=near))[0] == expected


def test_near_is_a_gentle_boost_not_an_override(index: SearchIndex) -> None:
    """Standing next to the Tafel, a person asking for debt advice still gets debt advice."""
    outcome = index.search("schuldnerberatung", near=(52.3665, 9.7160))
    assert ids(outcome)[0] == "schuldnerberatung"
    assert "tafel-linden" not in ids(outcome)


# -- crisis --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "ich will nicht mehr leben",
        "ich will nich mehr leben",  # one typo
        "ich will nicht mehr weiter leben",  # one extra word inside the phrase
        "er schlaegt mich",
        "Suizidgedanken",  # the keyword inside a compound
        "I want to kill myslef",
        "i dont want to live anymore",
        "я не хочу жити",
        "أفكر في الانتحار",  # with the article
    ],
)
def test_crisis_words_put_emergency_services_first(index: SearchIndex, text: str) -> None:
    outcome = index.search(text)
    assert outcome.crisis
    assert ids(outcome)[0] == "seelsorge"


def test_crisis_answers_also_keep_the_other_matches(index: SearchIndex) -> None:
    outcome = index.search("nicht mehr leben, kein schlafplatz", limit=3)
    assert ids(outcome)[:2] == ["seelsorge", "notschlafstelle"]


@pytest.mark.parametrize("text", ["schlafplatz", "leben in linden", "mehr essen", "nicht"])
def test_no_false_alarm(index: SearchIndex, text: str) -> None:
    assert not index.search(text).crisis


# -- nothing, and strange input ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["hallo", "wie geht's", "ok danke", "asdfgh", "wetter morgen", "", "   ", "🙂🙂"]
)
def test_small_talk_finds_nothing(index: SearchIndex, text: str) -> None:
    outcome = index.search(text)
    assert outcome.results == () and not outcome.crisis


def test_limit(index: SearchIndex) -> None:
    assert len(index.search("tafel", limit=1).results) == 1
    assert index.search("tafel", limit=0).results == ()
    assert len(index.search("essen", limit=500).results) == 3  # all that match


def test_normalized_is_what_the_log_may_keep(index: SearchIndex) -> None:
    outcome = index.search("  Ich brauche die TAFEL in Linden!! Tel 0176 123456 ")
    assert outcome.normalized == "tafel linden tel"


def test_reasons_explain_field_terms_and_strength(index: SearchIndex) -> None:
    (match, *_) = index.search("shuldnerberatung").results
    need, reason = match.reasons  # the need stage read it too, and says so first
    assert (need.field, need.catalogue_term) == ("need", "debt")
    assert (reason.field, reason.query_term, reason.catalogue_term, reason.kind) == (
        "keyword",
        "shuldnerberatung",
        "schuldnerberatung",
        "fuzzy",
    )
    assert 0 < reason.strength < 1
    assert 0 < match.score <= 100


def test_a_category_without_services_is_fine(tmp_path: Path) -> None:
    index = index_of(tmp_path, [DEBT])  # food, work and health have no services
    assert index.search("essen").results == ()
    assert first(index, "schulden") == "schuldnerberatung"


def test_an_empty_catalogue_answers_nothing(tmp_path: Path) -> None:
    index = index_of(tmp_path, [])
    assert index.search("tafel").results == ()
    assert index.search("ich will nicht mehr leben").crisis
