"""What a message asks of a service beyond the need, answered by the structured fields."""

from __future__ import annotations

from pathlib import Path

import pytest
from search_catalogue import TESTDORF

from bot.catalogue.validation import load_catalogue
from bot.search.attributes.reader import Attribute, read_attributes
from bot.search.index import SearchIndex

CATALOGUE = (
    TESTDORF
    + """
categories:
  - id: legal
    name: {de: Recht}
services:
  - id: beratung-a
    name: {de: Rechtsberatung Nord}
    categories: [legal]
    summary: {de: "Rechtsberatung."}
  - id: beratung-b
    name: {de: Rechtsberatung Süd}
    categories: [legal]
    summary: {de: "Rechtsberatung."}
    languages: [ru]
    cost: free
"""
)


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("rechtsberatung auf russisch", (Attribute("languages", "ru"),)),
        ("бесплатный юрист", (Attribute("cost", "free"),)),
        ("مشاوره رایگان به فارسی", (Attribute("cost", "free"), Attribute("languages", "fa"))),
        ("beratung ohne termin", (Attribute("appointment", "none"),)),
        ("deutsch lernen", ()),  # a language to learn is not a language to be served in
        ("wo kann ich essen", ()),
    ],
)
def test_attributes_are_read_in_every_language(text: str, asked: tuple[Attribute, ...]) -> None:
    assert read_attributes(text).attributes == asked


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    path = tmp_path / "services.yaml"
    path.write_text(CATALOGUE, encoding="utf-8")
    return SearchIndex.build(load_catalogue(path).catalogue)


def test_a_service_with_the_attribute_asked_for_comes_first(index: SearchIndex) -> None:
    assert index.search("rechtsberatung").results[0].service.id == "beratung-a"  # file order
    assert index.search("rechtsberatung auf russisch").results[0].service.id == "beratung-b"
    assert index.search("kostenlose rechtsberatung").results[0].service.id == "beratung-b"


def test_an_attribute_alone_finds_nothing(index: SearchIndex) -> None:
    assert index.search("kostenlos").results == ()
