"""The shipped needs: the taxonomy that catalogues link to, and its documentation."""

from __future__ import annotations

from pathlib import Path

from bot.catalogue.needs import needs_of_category, shipped_needs
from bot.catalogue.validation import load_catalogue

ROOT = Path(__file__).resolve().parent.parent


def test_every_need_says_what_it_covers_and_where_it_belongs() -> None:
    needs = shipped_needs()
    assert len(needs) >= 30
    for need in needs.values():
        assert need.about and need.open_eligibility, need.id


def test_the_staff_guide_lists_every_need() -> None:
    guide = (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8")
    missing = [n for n in shipped_needs() if f"| `{n}` |" not in guide]
    assert not missing, "add them to the Needs table of docs/catalogue.md"


def test_a_standard_category_carries_its_needs_unless_it_names_its_own() -> None:
    assert set(needs_of_category("food", ())) == {"meals", "groceries"}
    assert needs_of_category("food", ("meals",)) == ("meals",)
    assert needs_of_category("my-own-topic", ()) == ()


def test_every_category_of_the_shipped_catalogues_stands_for_some_need() -> None:
    for path in [ROOT / "services.yaml", *sorted((ROOT / "catalogues").glob("*.yaml"))]:
        catalogue = load_catalogue(path).catalogue
        for category in catalogue.categories:
            assert needs_of_category(category.id, category.needs), (path.name, category.id)
