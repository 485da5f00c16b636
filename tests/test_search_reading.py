"""Reading query words alone, on the shipped catalogue: what one word may stand for, the
query's units, and the crisis phrases — without scoring or ranking."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogue.model import Catalogue
from bot.catalogue.validation import load_catalogue
from bot.search.categories import CategoryMembers
from bot.search.danger.detector import NO_DANGER
from bot.search.index import SearchIndex
from bot.search.normalize import term, terms, token, tokens
from bot.search.query import QueryReader
from bot.search.reading import MAX_TERMS_PER_WORD, WordReader
from bot.search.vocabulary import Vocabulary

SHIPPED = Path(__file__).resolve().parent.parent / "services.yaml"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(SHIPPED).catalogue


@pytest.fixture(scope="module")
def vocabulary(catalogue: Catalogue) -> Vocabulary:
    filler = frozenset(terms(catalogue.region.name))
    return Vocabulary(catalogue, filler, CategoryMembers.build(catalogue))


@pytest.fixture(scope="module")
def query(catalogue: Catalogue, vocabulary: Vocabulary) -> QueryReader:
    filler = frozenset(terms(catalogue.region.name))
    categories = CategoryMembers.build(catalogue)
    return QueryReader(vocabulary, categories, WordReader(vocabulary), filler)


def readings(query: QueryReader, vocabulary: Vocabulary, typed: str) -> dict[str, str]:
    """The vocabulary words one typed word stands for → the kind of reading."""
    return {vocabulary.lexicon.words[h.term_id]: h.kind for h in query.words.hits(token(typed))}


@pytest.mark.parametrize(
    ("typed", "meant", "kind"),
    [
        ("tafel", "tafel", "exact"),
        ("tafl", "tafel", "fuzzy"),
        ("lebensm", "lebensmittel", "prefix"),
        ("vergewaltigt", "vergewaltigung", "stem"),
        ("pomosh", "помощ", "translit"),
    ],
)
def test_a_word_is_read_as_the_vocabulary_word_it_means(
    query: QueryReader, vocabulary: Vocabulary, typed: str, meant: str, kind: str
) -> None:
    assert readings(query, vocabulary, typed)[term(meant)] == kind


def test_readings_are_strongest_first_bounded_and_remembered(query: QueryReader) -> None:
    hits = query.words.hits(token("bera"))
    assert 0 < len(hits) <= MAX_TERMS_PER_WORD
    assert [h.value for h in hits] == sorted((h.value for h in hits), reverse=True)
    assert query.words.hits(token("bera")) is hits


def test_two_words_the_catalogue_writes_as_one_are_one_unit(query: QueryReader) -> None:
    units = query.units(tokens("schuldner beratung"))
    assert [u.terms for u in units] == [(term("schuldner"), term("beratung"))]


def test_an_unknown_compound_is_also_read_as_its_known_parts(
    query: QueryReader, vocabulary: Vocabulary
) -> None:
    (unit,) = query.units(tokens("schuldenberatungsstelle"))
    parts = unit.alternatives[-1]
    words = [vocabulary.lexicon.words[part[0].term_id] for part in parts]
    assert words == [term("schulden"), term("beratungsstelle")]
    assert all(part[0].kind == "compound" for part in parts)


def test_filler_is_not_content_unless_it_is_a_keyword_of_the_writers_language(
    query: QueryReader,
) -> None:
    assert [t.term for t in query.content(tokens("ich suche essen"), "de", set())] == ["esen"]
    turkish = query.content(tokens("iş arıyorum"), "de", set())
    assert [t.surface for t in turkish] == ["is"]


def test_a_category_word_names_its_category(query: QueryReader) -> None:
    assert "food" in query.named_categories(query.units(tokens("lebensmittel")))


@pytest.mark.parametrize(
    "text",
    [
        "ich will nicht mehr weiter leben",  # one extra word inside the phrase
        "ich habe suizidgedanken",  # a long crisis word at the start of a compound
        "er schlägt mich",
        "I don't want to live",
    ],
)
def test_crisis_phrases_are_found(catalogue: Catalogue, text: str) -> None:
    danger = SearchIndex.build(catalogue).search(text).danger
    assert danger.kinds
    assert danger.words


@pytest.mark.parametrize("text", ["hunger", "lebensmittel", "wo ist die tafel"])
def test_ordinary_words_are_no_crisis(catalogue: Catalogue, text: str) -> None:
    assert SearchIndex.build(catalogue).search(text).danger == NO_DANGER
