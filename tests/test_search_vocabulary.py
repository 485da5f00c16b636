"""The vocabulary stage alone, on the shipped catalogue: typo, prefix and compound lookup,
postings and specificity, without running a search."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogue.model import Catalogue
from bot.catalogue.validation import load_catalogue
from bot.search.categories import CategoryMembers
from bot.search.normalize import term, terms
from bot.search.postings import CODE_SHIFT
from bot.search.reading import search_allowance
from bot.search.transliteration import transliteration_key
from bot.search.vocabulary import MIN_SPECIFICITY, Vocabulary

SHIPPED = Path(__file__).resolve().parent.parent / "services.yaml"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(SHIPPED).catalogue


@pytest.fixture(scope="module")
def vocabulary(catalogue: Catalogue) -> Vocabulary:
    filler = frozenset(terms(catalogue.region.name))
    return Vocabulary(catalogue, filler, CategoryMembers.build(catalogue))


def word_id(vocabulary: Vocabulary, written: str) -> int:
    found = vocabulary.lexicon.exact(term(written))
    assert found is not None, written
    return found


def services_of(vocabulary: Vocabulary, term_id: int) -> set[int]:
    codes, _, complete = vocabulary.postings.read(term_id, 1_000_000)
    assert complete
    return {code >> CODE_SHIFT for code in codes}


@pytest.mark.parametrize(
    ("typed", "meant", "edits"),
    [
        ("tafl", "tafel", 1),  # a deletion in a short word
        ("schuldnerberatng", "schuldnerberatung", 1),
        ("schuldnerbertng", "schuldnerberatung", 2),  # two edits only in long words
        ("schuldenrberatung", "schuldnerberatung", 1),  # neighbours swapped
    ],
)
def test_typo_lookup_finds_the_word_with_its_edit_count(
    vocabulary: Vocabulary, typed: str, meant: str, edits: int
) -> None:
    found = vocabulary.lexicon.similar(term(typed), search_allowance)
    assert found[word_id(vocabulary, meant)] == edits


def test_typo_lookup_leaves_the_word_itself_to_exact_lookup(vocabulary: Vocabulary) -> None:
    tafel = word_id(vocabulary, "tafel")
    assert tafel not in vocabulary.lexicon.similar(term("tafel"), search_allowance)


@pytest.mark.parametrize("typed", ["bus", "arz", "tfl"])
def test_typo_lookup_needs_words_of_three_letters_to_be_exact(
    vocabulary: Vocabulary, typed: str
) -> None:
    assert vocabulary.lexicon.similar(typed, search_allowance) == {}


def test_typo_lookup_with_one_edit_skips_the_two_edit_comparison(vocabulary: Vocabulary) -> None:
    found = vocabulary.lexicon.similar(term("schuldnerbertng"), search_allowance, max_edits=1)
    assert word_id(vocabulary, "schuldnerberatung") not in found


def test_prefix_lookup_lists_longer_words_that_start_with_it(vocabulary: Vocabulary) -> None:
    lexicon = vocabulary.lexicon
    found = [lexicon.words[i] for i in lexicon.prefixed(term("lebensm"))]
    assert term("lebensmittel") in found
    assert all(w.startswith(term("lebensm")) and w != term("lebensm") for w in found)
    assert found == sorted(found)


def test_the_parts_of_a_compound_reach_the_compounds_services(vocabulary: Vocabulary) -> None:
    compound = word_id(vocabulary, "lebensmittelausgabe")
    for part in ("lebensmittel", "ausgabe"):
        assert services_of(vocabulary, compound) <= services_of(
            vocabulary, word_id(vocabulary, part)
        )


def test_a_word_every_service_uses_is_less_specific_than_a_rare_one(
    vocabulary: Vocabulary,
) -> None:
    specificity = vocabulary.specificity
    assert specificity[word_id(vocabulary, "schuldnerberatung")] == 1.0
    assert specificity[word_id(vocabulary, "beratung")] < 0.5
    assert min(specificity) >= MIN_SPECIFICITY


def test_postings_stop_at_the_budget(vocabulary: Vocabulary) -> None:
    beratung = word_id(vocabulary, "beratung")
    codes, budget, complete = vocabulary.postings.read(beratung, 5)
    assert (len(codes), budget, complete) == (5, 0, False)
    # The budget reads the strongest occurrences: the probe finds the same for those services.
    services = sorted({code >> CODE_SHIFT for code in codes})
    probed = list(vocabulary.postings.probe(beratung, services))
    assert set(codes) <= set(probed)


def test_latin_letters_have_keys_of_the_cyrillic_words(vocabulary: Vocabulary) -> None:
    key = vocabulary.translit.exact(transliteration_key("pomoshch"))
    assert key is not None
    words = {vocabulary.lexicon.words[i] for i in vocabulary.translit_terms[key]}
    assert term("помощ") in words
