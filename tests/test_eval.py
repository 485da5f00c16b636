"""Search quality on the shipped catalogue: the evaluation set's floors, and crisis words.

The thresholds are floors, not targets: the report (``make eval``) shows the real numbers.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.catalogue.model import Catalogue, Crisis
from bot.catalogue.validation import load_catalogue
from bot.cli import main
from bot.search.danger.knowledge import shipped
from bot.search.evaluation import (
    DEFAULT_QUERIES,
    EvalQuery,
    QueryResult,
    Summary,
    format_report,
    load_queries,
    run,
)
from bot.search.index import SearchIndex
from bot.search.normalize import term, words

SHIPPED = Path(__file__).resolve().parent.parent / "services.yaml"
LANGUAGES = {"de", "en", "uk", "ru", "ar", "tr", "fa"}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(SHIPPED).catalogue


@pytest.fixture(scope="module")
def index(catalogue: Catalogue) -> SearchIndex:
    return SearchIndex.build(catalogue)


@pytest.fixture(scope="module")
def queries() -> list[EvalQuery]:
    return load_queries(DEFAULT_QUERIES)


@pytest.fixture(scope="module")
def results(index: SearchIndex, queries: list[EvalQuery]) -> list[QueryResult]:
    return run(index, queries)


def test_the_set_is_large_and_covers_every_language_and_kind(queries: list[EvalQuery]) -> None:
    assert len(queries) >= 230
    assert sum(not q.answerable for q in queries) >= 25
    assert {q.lang for q in queries} == LANGUAGES
    kinds = {q.kind for q in queries}
    assert {"keyword", "colloquial", "typo", "compound", "translit", "district"} <= kinds
    assert {"crisis", "category", "none"} <= kinds
    assert all(q.text.strip() for q in queries)
    assert all((q.kind == "none") == (not q.answerable) for q in queries)


def test_every_expected_service_exists(queries: list[EvalQuery], catalogue: Catalogue) -> None:
    unknown = {i for q in queries for i in q.expect} - set(catalogue.services_by_id)
    assert not unknown


def test_ranks_do_not_depend_on_calibration(
    index: SearchIndex, queries: list[EvalQuery], results: list[QueryResult]
) -> None:
    """The scoreboard skips the calibration search; what it counts must come out the same."""
    quick = run(index, queries[:60], calibrate=False)
    assert [(r.found, r.rank, r.crisis) for r in quick] == [
        (r.found, r.rank, r.crisis) for r in results[:60]
    ]
    assert Summary.of(quick) == Summary.of(results[:60])
    assert any(r.raw_best > 0 for r in results[:60])


def test_top3_and_top1_accuracy(results: list[QueryResult]) -> None:
    summary = Summary.of(results)
    assert summary.top3_rate >= 0.90, format_report(results)
    assert summary.top1_rate >= 0.75, format_report(results)


def test_small_talk_finds_nothing(results: list[QueryResult]) -> None:
    assert Summary.of(results).nothing_rate >= 0.90, format_report(results)


def test_crisis_queries_are_seen_and_others_raise_no_alarm(
    results: list[QueryResult], catalogue: Catalogue
) -> None:
    assert [r.query.text for r in results if r.query.kind == "crisis" and not r.crisis] == []
    # Asking for a crisis service by name ("frauenhaus", "giftnotruf") may bring its first help
    # first: that is the answer sought, not an alarm.
    first_help = {s.id for s in catalogue.services if s.emergency or s.danger}
    alarms = [
        r.query.text
        for r in results
        if r.query.kind != "crisis" and r.crisis and not set(r.query.expect) & first_help
    ]
    assert alarms == []


SENTENCES = {
    "de": "hallo, {} - was soll ich tun",
    "en": "please help {} right now",
    "uk": "допоможіть {} будь ласка",
    "ru": "помогите {} пожалуйста",
    "ar": "ساعدوني {} من فضلك",
    "tr": "lütfen yardım {} şimdi",
    "fa": "کمک کنید {} لطفا",
}
"""A crisis word is rarely alone: each is tested inside a sentence of its language."""

_SUBSTITUTES = {"CYRILLIC": "фщжю", "ARABIC": "ثظضغ"}


def _substitute(word: str, position: int) -> str:
    """Replace one letter by another of the same script that does not repeat a neighbour."""
    script = unicodedata.name(word[position], "").split(" ")[0]
    for letter in _SUBSTITUTES.get(script, "xqzj"):
        if letter not in (word[position], word[position - 1 : position], word[position + 1 :][:1]):
            return word[:position] + letter + word[position + 1 :]
    raise AssertionError(word)


def one_typo_variants(phrase: str) -> Iterator[tuple[str, str]]:
    """Each deletion, substitution and swap of neighbours inside each word of 5+ letters."""
    words = phrase.split(" ")
    for index, word in enumerate(words):
        if len(word) < 5:
            continue
        for position in range(1, len(word) - 1):
            for kind, typo in (
                ("deletion", word[:position] + word[position + 1 :]),
                ("substitution", _substitute(word, position)),
                (
                    "swap",
                    word[:position] + word[position + 1] + word[position] + word[position + 2 :],
                ),
            ):
                yield kind, " ".join([*words[:index], typo, *words[index + 1 :]])


CRISIS_WORDS = Path(__file__).resolve().parent / "catalogues" / "crisis-words.yaml"
"""Crisis words as the cities' catalogues once listed them, in seven languages."""


@pytest.fixture(scope="module")
def with_crisis_words(catalogue: Catalogue) -> Catalogue:
    """The shipped catalogue with those words as its local crisis words."""
    keywords = yaml.safe_load(CRISIS_WORDS.read_text(encoding="utf-8"))["crisis"]["keywords"]
    crisis = Crisis(keywords={lang: tuple(texts) for lang, texts in keywords.items()})
    return catalogue.model_copy(update={"crisis": crisis})


def crisis_cases(catalogue: Catalogue) -> Iterator[tuple[str, str, str]]:
    for language, phrases in catalogue.crisis.keywords.items():
        for phrase in phrases:
            yield language, "as written", phrase
            for kind, variant in one_typo_variants(phrase):
                yield language, kind, variant


def test_every_crisis_word_is_seen_even_with_one_typo(with_crisis_words: Catalogue) -> None:
    """Every one-letter slip of every local crisis word is still seen, unless the slip makes a
    common word of some language ("خونت", your blood, from "خشونت", violence): the guard that
    keeps "gehalt" from being read as "gewalt" must win there."""
    protected = shipped().protected
    index = SearchIndex.build(with_crisis_words)
    missed = []
    count = 0
    for language, kind, phrase in crisis_cases(with_crisis_words):
        count += 1
        text = SENTENCES.get(language, "{}").format(phrase)
        if any(term(w) in protected for w in words(phrase)):
            continue
        if not index.search(text, language=language).crisis:
            missed.append((language, kind, text))
    assert count > 1000
    assert missed == [], len(missed)


def test_the_report_command_prints_the_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--queries", str(DEFAULT_QUERIES)]) == 0
    out = capsys.readouterr().out
    for heading in ("top-1 accuracy", "top-3 accuracy", "nothing-rate", "| language |", "| kind |"):
        assert heading in out
