"""What a message asks of a service beyond the need, answered by the structured fields."""

from __future__ import annotations

from pathlib import Path

import pytest
from search_catalogue import TESTDORF

from bot.catalogue.validation import load_catalogue
from bot.search.attributes.preference import AttributePreference
from bot.search.attributes.reader import Attribute, read_attributes
from bot.search.index import SearchIndex

ROOT = Path(__file__).resolve().parent.parent

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
    assert read_attributes(text) == asked


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


@pytest.fixture(scope="module")
def hannover() -> SearchIndex:
    return SearchIndex.build(load_catalogue(ROOT / "services.yaml").catalogue)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("kostenloser Deutschkurs", "de"),
        ("free german course", "en"),
        ("ücretsiz almanca kursu", "tr"),
        ("бесплатные курсы немецкого", "ru"),
        ("безкоштовні курси німецької", "uk"),
        ("كورس الماني مجاني", "ar"),
        ("کلاس آلمانی رایگان", "fa"),
        ("kors almani majjani", "ar"),
        ("kelas almani rayegan", "fa"),
    ],
)
def test_an_attribute_does_not_lift_a_side_topic_over_the_needs_own_places(
    hannover: SearchIndex, text: str, language: str
) -> None:
    """A German course is first education, a migration service may help too (``also:``):
    "free" must not put the free migration counselling before the language schools, whose
    entries do not say what they cost."""
    first = [m.service.id for m in hannover.search(text, language=language).results][:3]
    assert "vhs-hannover" in first
    assert "migrationsberatung-mbe-region-hannover" not in first


def test_a_side_topic_gains_nothing_from_an_attribute(tmp_path: Path) -> None:
    free = Attribute("cost", "free")
    path = tmp_path / "services.yaml"
    path.write_text(CATALOGUE, encoding="utf-8")
    preference = AttributePreference(load_catalogue(path).catalogue.services)
    having = sorted(preference.having(free))
    assert having == [1]
    found = {0: 80.0, 1: 75.0}
    lifted = preference.prefer(found, (free,), 40.0)
    assert lifted[1] > lifted[0]  # free, and nearly as close to the need
    kept = preference.prefer(found, (free,), 40.0, side=frozenset({1}))
    assert kept[1] < kept[0]  # free, but the need reaches it only as a side topic
