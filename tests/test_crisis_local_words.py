"""A catalogue's crisis words are local words: validate names the generic ones and why."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.catalogue.validation import load_catalogue
from bot.cli import EXIT_OK, main
from bot.search.danger.local_words import Verdict, generic_crisis_words

ROOT = Path(__file__).resolve().parent.parent
CRISIS_WORDS = ROOT / "tests" / "catalogues" / "crisis-words.yaml"
SHIPPED_CATALOGUES = [
    ROOT / "services.yaml",
    ROOT / "catalogues" / "wolfsburg.yaml",
    ROOT / "catalogues" / "neunkirchen.yaml",
]


def crisis_words() -> dict[str, list[str]]:
    return yaml.safe_load(CRISIS_WORDS.read_text(encoding="utf-8"))["crisis"]["keywords"]


def test_a_word_the_product_reads_is_named_with_its_kind() -> None:
    (found,) = generic_crisis_words({"de": ["will sterben"]})
    assert (found.verdict, found.kind) == (Verdict.READ, "suicide")
    assert "already reads it as danger (suicide)" in found.explain()


def test_a_word_the_product_reads_only_in_combination_is_named() -> None:
    """ "Gewalt" alone is advice about violence as often as danger; "تهديد" a landlord's letter."""
    found = generic_crisis_words({"de": ["gewalt"], "ar": ["تهديد"], "tr": ["tehdit"]})
    assert [(f.language, f.verdict) for f in found] == [
        ("de", Verdict.ONLY_IN_COMBINATION),
        ("ar", Verdict.ONLY_IN_COMBINATION),
        ("tr", Verdict.ONLY_IN_COMBINATION),
    ]
    assert "only together with the words that make it one" in found[0].explain()


def test_local_names_are_not_named_even_with_a_danger_word_in_them() -> None:
    local = {
        "de": ["Krisendienst Mitte", "Lindener Brücke", "Frauennotruf Musterstadt"],
        "ar": ["مركز الأزمات في لندن"],
        "no": ["selvmord"],
    }
    assert generic_crisis_words(local) == []


def test_almost_every_generic_word_the_cities_once_listed_is_named() -> None:
    words = crisis_words()
    found = generic_crisis_words(words)
    assert len(found) >= 0.9 * sum(len(texts) for texts in words.values())
    assert {f.language for f in found} == set(words)
    for f in found:
        assert words[f.language][f.index] == f.text


@pytest.mark.parametrize("path", SHIPPED_CATALOGUES, ids=lambda p: p.stem)
def test_the_shipped_catalogues_list_no_generic_crisis_word(path: Path) -> None:
    catalogue = load_catalogue(path).catalogue
    assert generic_crisis_words(catalogue.crisis.keywords) == []


def test_validate_warns_once_and_lists_each_word_when_verbose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (ROOT / "services.yaml").read_text(encoding="utf-8")
    listed = CRISIS_WORDS.read_text(encoding="utf-8").split("crisis:\n", 1)[1]
    path = tmp_path / "services.yaml"
    path.write_text(text.replace("crisis:\n", "crisis:\n" + listed + "  _old:\n", 1), "utf-8")
    path.write_text(
        "\n".join(
            line for line in path.read_text("utf-8").splitlines() if "_old:" not in line
        ).replace("  keywords: {}\n", "", 1),
        "utf-8",
    )
    expected = len(generic_crisis_words(crisis_words()))

    assert main(["validate", str(path)]) == EXIT_OK
    out = capsys.readouterr().out
    crisis_lines = [line for line in out.splitlines() if "crisis.keywords" in line]
    assert len(crisis_lines) == 1
    assert (
        f"warning: field `crisis.keywords`: {expected} crisis word(s) are not local"
        in (crisis_lines[0])
    )

    assert main(["validate", "--verbose", str(path)]) == EXIT_OK
    out = capsys.readouterr().out
    assert sum("crisis.keywords" in line for line in out.splitlines()) == expected + 1
    assert "crisis word `gewalt` (de) is a common word" in out
