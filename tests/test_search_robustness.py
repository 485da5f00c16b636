"""The search engine under stress: any text, hostile text, answers that never depend on what
was asked before or on the process, and a core that never imports ``telegram``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from search_catalogue import EVERYONE, ids, index_of, write

from bot.catalogue.validation import load_catalogue
from bot.search.evaluation import load_queries
from bot.search.index import SearchIndex
from bot.search.normalize import MAX_INPUT_CHARS, MAX_LOG_FORM_CHARS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    return index_of(tmp_path_factory.mktemp("catalogue"))


ASKED_AGAIN = [
    "tafel",
    "schuldnerberatung in linden",
    "shulden beratung",
    "arzt ohne versicherung",
    "ich will nicht mehr leben",
    "pomosh s dolgami",
    "lebensmittelausgabe",
]


def test_an_answer_does_not_depend_on_what_was_asked_before(tmp_path: Path) -> None:
    """The index remembers what each word means (``WORD_CACHE_SIZE``): asked again, or after
    other questions, a text gets the very answer a new index gives it the first time."""
    path = write(tmp_path / "services.yaml", EVERYONE)

    def answer(index: SearchIndex, text: str) -> tuple[object, ...]:
        outcome = index.search(text, near=(52.3745, 9.7386), limit=5)
        found = [(m.service.id, m.score, m.reasons) for m in outcome.results]
        return (found, outcome.categories, outcome.district, outcome.crisis, outcome.normalized)

    first_time = {
        t: answer(SearchIndex.build(load_catalogue(path).catalogue), t) for t in ASKED_AGAIN
    }
    index = SearchIndex.build(load_catalogue(path).catalogue)
    for text in [*ASKED_AGAIN, *reversed(ASKED_AGAIN), *ASKED_AGAIN]:
        assert answer(index, text) == first_time[text], text


@pytest.mark.parametrize("near", [(91.0, 9.7), (52.3, 181.0), (float("nan"), 9.7)])
def test_a_place_that_is_not_on_earth_is_a_programming_error(
    index: SearchIndex, near: tuple[float, float]
) -> None:
    with pytest.raises(ValueError, match="near must be"):
        index.search("tafel", near=near)


def test_input_longer_than_telegram_allows_is_cut(index: SearchIndex) -> None:
    text = "tafel " + "x" * MAX_INPUT_CHARS + " schuldnerberatung"
    outcome = index.search(text)
    assert outcome.query == text
    found = ids(outcome)
    assert found[:2] == ["tafel-linden", "tafel-nordstadt"]
    assert not any("schuldner" in service for service in found)  # the end was cut off
    assert len(outcome.normalized) <= MAX_LOG_FORM_CHARS


def check_any_text(index: SearchIndex, text: str) -> None:
    outcome = index.search(text, language="ar", near=(52.37, 9.73), limit=5)
    assert len(outcome.results) <= 5
    assert all(0 <= m.score <= 100 for m in outcome.results)
    assert len(outcome.normalized) <= MAX_LOG_FORM_CHARS


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=200))
def test_any_text_is_answered_without_error(index: SearchIndex, text: str) -> None:
    check_any_text(index, text)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(min_size=1, max_size=40).map(lambda t: t * (MAX_INPUT_CHARS // len(t) + 2)))
def test_any_long_text_is_answered_without_error(index: SearchIndex, text: str) -> None:
    check_any_text(index, text)


@pytest.mark.parametrize(
    "text",
    [
        "\u202eلافات\u202c طعام",  # right-to-left override
        "t\u0000a\u0001f\u0002e\u0003l",
        "\ud800 tafel",  # a lone surrogate
        "ـــــ" * 100,
        "é" * 5000,
        "👨‍👩‍👧‍👦 " * 500,
    ],
)
def test_hostile_text(index: SearchIndex, text: str) -> None:
    index.search(text)


ANSWER_THE_EVALUATION_SET = """
import json, sys
from pathlib import Path
from bot.search.evaluation import load_queries
from bot.search.index import SearchIndex
from bot.catalogue.validation import load_catalogue

index = SearchIndex.build(load_catalogue(Path(sys.argv[1])).catalogue)
for near in (None, (52.3745, 9.7386)):
    for query in load_queries():
        outcome = index.search(query.text, language=query.lang, near=near, limit=12)
        found = [(m.service.id, m.score, [repr(r) for r in m.reasons]) for m in outcome.results]
        district = outcome.district.name if outcome.district else None
        answer = [query.text, found, outcome.categories, district, outcome.crisis]
        print(json.dumps(answer, ensure_ascii=False))
"""
"""Every evaluation query, with and without a place, as one JSON line each: the ranked services
with scores and reasons, the named categories, the district and the crisis flag."""


def test_an_answer_does_not_depend_on_the_process(tmp_path: Path) -> None:
    """Each Python process orders sets and dicts of strings differently (PYTHONHASHSEED): if
    that order decided between equally good matches, the same question would get another answer
    after every restart. A generated catalogue of 300 services has many such ties."""
    generator = ROOT / "bench" / "generate.py"
    path = tmp_path / "services.yaml"
    command = [sys.executable, str(generator), "300", "--seed", "3", "-o", str(path)]
    subprocess.run(command, check=True, cwd=ROOT)
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", ANSWER_THE_EVALUATION_SET, str(path)],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        for seed in ("0", "1")
    ]
    first, second = (run.communicate(timeout=120)[0].splitlines() for run in runs)
    assert [run.returncode for run in runs] == [0, 0]
    assert len(first) == 2 * len(load_queries())
    assert first == second


READ_EVERY_CRISIS_MESSAGE = """
import sys, yaml
from pathlib import Path
from bot.search.danger.detector import DangerDetector
from bot.search.danger.knowledge import shipped
detector = DangerDetector(shipped())
for path in sorted(Path("tests/heldout").glob("crisis-*.yaml")):
    if "round2" in path.name:
        continue
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in [*data["crisis"], *data["lookalikes"]]:
        danger = detector.read(item["text"])
        print(danger.kinds, sorted(danger.words), danger.evidence)
print(sorted(detector.read("ребёнок наглотался таблеток").words))
"""
"""Every held-out crisis message: the kinds, the words that spoke of danger and the rules."""


def test_the_words_of_danger_do_not_depend_on_the_process() -> None:
    """The words that spoke of danger are left out of the search for other services; when two
    rules of one kind fire, which one counts first must not follow the process's hash seed
    ("ребёнок наглотался таблеток" used to keep "таблеток" in some processes, not others)."""
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", READ_EVERY_CRISIS_MESSAGE],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        for seed in ("0", "1", "2", "3")
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0, 0]
    assert len(outputs[0].splitlines()) > 500
    assert outputs[1:] == [outputs[0]] * 3


def test_the_core_does_not_import_telegram() -> None:
    code = (
        "import sys, bot.search.normalize, bot.search.index, bot.search.evaluation; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'telegram']"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
