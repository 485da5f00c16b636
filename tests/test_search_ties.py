"""Among services that fit a message about equally well, the one whose own topic and words fit
it best comes first (bot.search.ranking, bot.search.index._best_of), with the shipped needs."""

from __future__ import annotations

import pytest
from search_catalogue import TESTDORF

from bot.catalogue.validation import load_catalogue
from bot.search.index import SearchIndex

CATALOGUE = (
    TESTDORF
    + """
categories:
  - id: migration
    name: {de: Migration}
  - id: education
    name: {de: Bildung}
  - id: shelter
    name: {de: Schlafen}
  - id: food
    name: {de: Essen}
services:
  - id: jugendmigrationsdienst
    name: {de: Jugendmigrationsdienst}
    categories: [migration, education]
    summary: {de: "Beratung für junge Zugewanderte."}
  - id: volkshochschule
    name: {de: Volkshochschule}
    categories: [education, migration]
    summary: {de: "Kurse für Erwachsene."}
  - id: kaeltebus
    name: {de: Kältebus}
    categories: [food, shelter]
    summary: {de: "Tee und Suppe im Winter."}
    keywords: {en: [food]}
  - id: tafel
    name: {de: Ausgabestelle}
    categories: [food]
    summary: {de: "Lebensmittel jeden Dienstag."}
    keywords: {en: [food, bank]}
"""
)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    path = tmp_path_factory.mktemp("ties") / "services.yaml"
    path.write_text(CATALOGUE, encoding="utf-8")
    return SearchIndex.build(load_catalogue(path).catalogue)


def _ids(index: SearchIndex, text: str) -> list[str]:
    return [m.service.id for m in index.search(text).results]


def test_of_two_named_topics_the_first_named_leads_a_tie(index: SearchIndex) -> None:
    """A German course is first an education need: the centre whose main topic is education
    comes before the one whose main topic is migration, though the file lists it second."""
    found = index.search("deutschkurs")
    assert [m.service.id for m in found.results][:2] == [
        "volkshochschule",
        "jugendmigrationsdienst",
    ]
    assert found.results[0].score == found.results[1].score


def test_own_words_decide_above_a_full_score(index: SearchIndex) -> None:
    """Both reach 100 through the need; the Tafel's keywords say both words, the cold bus's
    one: the Tafel first, and no score shown above 100."""
    found = index.search("food bank")
    assert _ids(index, "food bank")[0] == "tafel"
    assert all(m.score <= 100 for m in found.results)
