"""Russian and Ukrainian typed in Latin letters are read for needs like Cyrillic
(bot.search.needs.reader: the phrases' transliteration keys, for a reader of ru or uk)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogue.validation import load_catalogue
from bot.search.index import SearchIndex
from bot.search.needs.reader import latin_key
from bot.search.normalize import terms

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(load_catalogue(ROOT / "services.yaml").catalogue)


@pytest.mark.parametrize(
    ("text", "language", "need"),
    [
        ("nema de spaty sogodni, ja na vulyci", "uk", "bed-tonight"),
        ("hospodar khoche nas vyselyty z kvartyry", "uk", "eviction"),
        ("shukaju kursy nimeckoi movy", "uk", "german-course"),
        ("gde uchit nemeckij yazyk", "ru", "german-course"),
        ("babushke nuzhna pomosch s pokupkami, ona zhivet odna", "ru", "seniors-care"),
    ],
)
def test_a_need_typed_in_latin_letters_is_read(
    index: SearchIndex, text: str, language: str, need: str
) -> None:
    assert need in index.search(text, language=language).needs


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [("допомога", "dopomoha"), ("допомога", "dopomoga"), ("їжа", "yizha"), ("щось", "shchos")],
)
def test_a_cyrillic_word_and_its_latin_spellings_share_a_key(cyrillic: str, latin: str) -> None:
    assert latin_key(terms(cyrillic)[0]) == latin_key(terms(latin)[0])


def test_a_common_word_in_latin_letters_is_no_typo_of_a_need_word(index: SearchIndex) -> None:
    """ "robyty" is робити (to do), one letter from роботи (work): as common in Latin
    letters as in Cyrillic, so "shcho robyty" asks for no job."""
    assert "job-search" not in index.search("shcho robyty", language="uk").needs


def test_only_a_reader_of_russian_or_ukrainian_is_read_so(index: SearchIndex) -> None:
    assert "german-course" not in index.search("gde uchit nemeckij yazyk", language="de").needs
