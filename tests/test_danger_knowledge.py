"""The shipped crisis knowledge: every language file loads, and its own examples come out right.

The examples are the writers' development set, written with the files; the honest measure is
the held-out crisis sets in ``make eval`` (``tests/heldout/crisis-*.yaml``), which nobody tunes on.
"""

from __future__ import annotations

import pytest

from bot.search.danger.detector import DangerDetector
from bot.search.danger.knowledge import KINDS, language_files, read_language, shipped

LANGUAGES = ("ar", "de", "en", "fa", "ru", "tr", "uk")


@pytest.fixture(scope="module")
def detector() -> DangerDetector:
    return DangerDetector(shipped())


def test_every_shipped_language_has_a_file_with_every_kind() -> None:
    files = {path.stem: path for path in language_files()}
    assert sorted(files) == sorted(LANGUAGES)
    for language, path in files.items():
        _, rules, examples = read_language(path)
        assert {r.kind for r in rules} == set(KINDS), language
        assert len(examples.get("none", [])) >= 25, language


def _examples() -> list[tuple[str, str, str]]:
    found = []
    for path in language_files():
        _, _, examples = read_language(path)
        for kind, texts in examples.items():
            found.extend((path.stem, kind, text) for text in texts)
    return found


EXAMPLES = _examples()


@pytest.mark.parametrize(
    ("language", "kind", "text"),
    [e for e in EXAMPLES if e[1] != "none"],
    ids=lambda v: v if len(v) < 30 else v[:30],
)
def test_each_example_of_danger_is_seen(
    detector: DangerDetector, language: str, kind: str, text: str
) -> None:
    danger = detector.read(text)
    assert danger.found, f"[{language}/{kind}] {text!r}"


def test_the_examples_mostly_get_their_own_kind(detector: DangerDetector) -> None:
    positives = [e for e in EXAMPLES if e[1] != "none"]
    right = sum(kind in detector.read(text).kinds for _, kind, text in positives)
    assert right / len(positives) >= 0.9


def test_harmless_examples_raise_few_alarms(detector: DangerDetector) -> None:
    negatives = [e for e in EXAMPLES if e[1] == "none"]
    alarms = [(language, text) for language, _, text in negatives if detector.read(text).found]
    assert len(alarms) / len(negatives) <= 0.05, alarms
