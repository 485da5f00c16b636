"""A common word of some language is read as itself, never as a typo of another word."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogue.validation import load_catalogue
from bot.search.categories import CategoryMembers
from bot.search.common import common_words
from bot.search.normalize import tokens
from bot.search.reading import WordReader
from bot.search.vocabulary import Vocabulary

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    catalogue = load_catalogue(ROOT / "services.yaml").catalogue
    return Vocabulary(catalogue, frozenset(), CategoryMembers.build(catalogue))


def _read(reader: WordReader, word: str) -> dict[str, str]:
    (token,) = tokens(word)
    return {reader._vocabulary.lexicon.words[h.term_id]: h.kind for h in reader.hits(token)}


def test_the_table_holds_everyday_words_not_the_office_words_people_misspell() -> None:
    common = common_words()
    assert {tokens(w)[0].term for w in ("kaufen", "gehalt", "laden", "über")} <= common
    assert tokens("schuldnerberatung")[0].term not in common
    assert len(common) > 20_000


def test_a_common_word_is_not_a_typo_nor_the_start_of_a_longer_word(
    vocabulary: Vocabulary,
) -> None:
    guarded = WordReader(vocabulary)
    open_ = WordReader(vocabulary, common=frozenset())
    # "kaufen" is one letter from "saufen" (the addiction line's keyword)
    assert "saufen" not in _read(guarded, "kaufen")
    assert _read(open_, "kaufen").get("saufen") == "fuzzy"
    # a rare misspelling is still forgiven
    assert "schuldnerberatung" in _read(guarded, "schuldnerberatnug")


def test_a_common_word_keeps_its_inflections(vocabulary: Vocabulary) -> None:
    reader = WordReader(vocabulary)
    assert tokens("kinder")[0].term in _read(reader, "kind")
