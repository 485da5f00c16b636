"""The crisis stage's learned reader: its letter sequences, its build, and how the detector asks it.

What the model recognises is measured on blind held-out rounds by ``make eval`` (the ratchet is
in ``tests/test_scoreboard.py``); these tests pin the mechanics and that the shipped file is the
one its examples give.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pytest

from bot.search.danger.detector import DangerDetector
from bot.search.danger.knowledge import KINDS, load, shipped
from bot.search.danger.model import (
    MODEL_FILE,
    SENTENCE_THRESHOLD,
    DangerModel,
    sentences,
    shipped_model,
)
from bot.search.danger.training import (
    BLIND_CRISIS_ROUNDS,
    BLIND_SEARCH_SETS,
    Example,
    build,
    digest,
    read_rounds,
    shipped_examples,
)
from bot.search.features import message_features, weighted
from bot.search.scoreboard import CITIES, CRISIS_ROUNDS, crisis_sets, ordinary_by_set

LANGUAGES = {"ar", "de", "en", "fa", "ru", "tr", "uk"}


def test_letter_sequences_fold_as_the_search_does() -> None:
    assert (
        message_features("Schlägt") == message_features("SCHLAEGT") == message_features("schlagt")
    )
    grams = message_features("er")
    assert grams == Counter({" e": 1, "er": 1, "r ": 1, " er": 1, "er ": 1, " er ": 1, "w:er": 1})
    assert message_features("…!!") == Counter()


def test_words_and_neighbouring_pairs_are_features_beside_the_letters() -> None:
    features = message_features("Er bringt mich um, er")
    assert features["w:er"] == 2
    assert [f for f in features if f.startswith("p:")] == [
        "p:er_bringt",
        "p:bringt_mich",
        "p:mich_um",
        "p:um_er",
    ]


def test_weights_have_unit_length_and_skip_unknown_sequences() -> None:
    rarity = {" e": 1.0, "er": 2.0, "r ": 1.5}
    values = weighted(message_features("er er xyz"), rarity)
    assert set(values) == set(rarity)
    assert math.isclose(sum(v * v for v in values.values()), 1.0)
    assert values["er"] > values[" e"]  # the rarer sequence weighs more
    assert weighted(message_features("xyz"), rarity) == {}


@pytest.fixture(scope="module")
def small_build() -> tuple[list[Example], dict, list[float]]:
    examples = [e for i, e in enumerate(shipped_examples()) if i % 3 == 0]
    model, _, probabilities = build(examples)
    return examples, model, probabilities


def test_the_bot_reads_the_file_as_scikit_learn_learned_it(small_build: tuple) -> None:
    examples, model, probabilities = small_build
    loaded = DangerModel.from_data(model)
    for example, learned in zip(examples, probabilities, strict=True):
        ours = loaded.probability(weighted(message_features(example.text), loaded.rarity))
        assert abs(ours - learned) < 0.02, example.text
    assert set(model["kinds"]) == set(KINDS)
    assert 0.5 <= model["threshold"] < 1.0


def test_the_shipped_model_was_learned_from_the_current_examples_and_read_rounds() -> None:
    """A changed example file or a newly read round needs ``python -m bot danger-model``."""
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert data["examples"] == digest(shipped_examples() + read_rounds())


def test_the_blind_rounds_never_teach() -> None:
    """The newest crisis round and the newest search sets measure the model; what it learns
    from the held-out files is exactly the other rounds and sets (independent writers do write
    the same "Hilfe bitte schnell" twice, so texts alone cannot tell)."""
    assert max(CRISIS_ROUNDS, key=lambda name: int(name.split()[-1])) in BLIND_CRISIS_ROUNDS
    known_sets = {(city.name, name) for city in CITIES for name, _ in city.sets}
    assert known_sets >= BLIND_SEARCH_SETS
    read = [
        m["text"]
        for name, paths in CRISIS_ROUNDS.items()
        if name not in BLIND_CRISIS_ROUNDS
        for part in crisis_sets(paths)
        for m in part
    ]
    ordinary = ordinary_by_set(CITIES)
    read += [t for key, texts in ordinary.items() if key not in BLIND_SEARCH_SETS for t in texts]
    assert Counter(e.text for e in read_rounds()) == Counter(read)


def test_the_example_files_cover_every_language_and_kind() -> None:
    examples = shipped_examples()
    texts = [e.text for e in examples]
    assert len(texts) == len(set(texts))
    assert {e.kind for e in examples} == set(KINDS) | {"none"}
    kinds_by_language: dict[str, set[str]] = {}
    for path in sorted(Path(MODEL_FILE.parent, "examples").glob("*.yaml")):
        for item in __import__("yaml").safe_load(path.read_text(encoding="utf-8"))["examples"]:
            kinds_by_language.setdefault(item["lang"], set()).add(item["kind"])
    assert set(kinds_by_language) == LANGUAGES
    for language, kinds in kinds_by_language.items():
        assert kinds == set(KINDS) | {"none"}, language


TINY_KNOWLEDGE = """
language: de
words:
  die-direct: [selbstmord*]
kinds:
  suicide:
    - [die-direct]
"""


@pytest.fixture(scope="module")
def tiny_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("knowledge")
    (folder / "de.yaml").write_text(TINY_KNOWLEDGE, encoding="utf-8")
    return folder


def test_the_model_speaks_only_where_no_rule_does(tiny_rules: Path) -> None:
    model = shipped_model()
    assert model is not None
    alone = DangerDetector(load(tiny_rules))
    both = DangerDetector(load(tiny_rules), model)
    ruled = both.read("ich denke an selbstmord")
    assert ruled.kinds == ("suicide",)
    assert ruled.evidence == ("de:suicide:die-direct",)
    farewell = (
        "Die Katze ist bei der Nachbarin, der Schlüssel liegt unter der Matte. "
        "Wartet nicht auf mich."
    )
    assert not alone.read(farewell).found
    learned = both.read(farewell)
    assert learned.kinds == ("suicide",)
    assert learned.evidence[0].startswith("model:suicide:")
    assert not learned.words  # the search still reads every word of the message
    short = ("hallo", "danke schön", "noch eine Frage", "wo gibt es Möbel", "wer bist du")
    for ordinary in (*short, "ich suche eine Tafel in Linden"):
        assert not both.read(ordinary).found, ordinary


def test_the_rules_work_alone_when_no_model_was_built(tmp_path: Path) -> None:
    assert DangerModel.load(tmp_path / "model.json") is None
    detector = DangerDetector(shipped(), None)
    assert detector.read("ich will nicht mehr leben").found


def test_a_message_is_split_into_the_sentences_a_person_marks() -> None:
    assert sentences("Hallo. Ich brauche Hilfe!  Wo?\nja؟ شو… ok") == [
        "Hallo.",
        "Ich brauche Hilfe!",
        "Wo?",
        "ja؟",
        "شو…",
        "ok",
    ]
    assert sentences("3.50 Euro...oder 2.50?") == ["3.50 Euro...oder 2.50?"]  # no space: one


def test_danger_in_one_sentence_among_paperwork_is_read() -> None:
    """Read as a whole, the bridge drowns among Wohngeld and heating costs; alone it does not."""
    model = shipped_model()
    assert model is not None
    text = (
        "Hello, I need the forms for Wohngeld and I don't understand the letter from the "
        "Jobcenter about my rent and the heating costs. Last night I stood on the bridge for an "
        "hour and looked down at the water. Who can help me fill in the forms?"
    )
    whole = model.probability(weighted(message_features(text), model.rarity))
    assert whole < model.threshold
    reading = model.read(text)
    assert reading.kind == "suicide"
    assert reading.probability >= SENTENCE_THRESHOLD > model.threshold
