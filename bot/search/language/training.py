"""Learn the language reader (``learned.py``) from the example messages (a development step).

``python -m bot language-model`` reads every example message of the crisis stage
(``bot/search/danger/examples/*.yaml``: each names its language; danger and everyday messages
alike, standard, colloquial, with typos and in Latin letters), learns a multinomial logistic
regression over their features with scikit-learn, chooses the threshold on held-back folds and
writes ``model.json``. No held-out set teaches it: the search and conversation sets measure it
(``make eval``, "search messages written in").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.catalogue.yamlsource import read_yaml
from bot.search.danger.training import EXAMPLES
from bot.search.features import Vectorised
from bot.search.language.learned import MODEL_FILE

MAX_WRONG = 0.0005
"""The share of held-back examples the model may name wrongly above its threshold: a wrong
switch answers someone in a language they did not choose."""
FOLDS = 5
REGULARISATION = 4.0
"""scikit-learn's ``C``, as for the danger reader."""
SHORT_WORDS = 3
"""The threshold is chosen on held-back examples as written and cut to their first this many
words: search messages are mostly short, and a short piece is where a language reader errs
("golf 8 leasing angebot" read as English at 0.68 when only whole examples set it)."""
MIN_EXAMPLES_PER_FEATURE = 2
SMALLEST_WEIGHT = 0.05
"""Features whose weights are all below this are left out of the file: they change no
decision (a test compares the bot's reading with scikit-learn's own answers) and shrink it
several times."""


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    language: str


def examples(folder: Path = EXAMPLES) -> list[Example]:
    """Every example message with its language, in file order, from the files that teach
    languages: a file may say ``teaches: [danger]`` when it was written for the danger reader's
    classes alone (the classes8 files: with them, the threshold chosen on held-back folds rose
    from 0.73 to 0.75 and the held-out search messages read in their language fell from 924 to
    918 of 1,043, 7 December 2026)."""
    found = []
    for path in sorted(folder.glob("*.yaml")):
        data = read_yaml(path).data
        if "language" in data.get("teaches", ("danger", "language")):
            found += [Example(item["text"], item["lang"]) for item in data["examples"]]
    return found


def digest(found: Sequence[Example]) -> str:
    """A fingerprint of what the model learned from (a test compares it with the files)."""
    joined = "\n".join(f"{e.language}\t{e.text}" for e in found)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def _first_words(text: str) -> str:
    return " ".join(text.split()[:SHORT_WORDS])


def _threshold(probabilities: Sequence[Sequence[float]], right: Sequence[bool]) -> float:
    """The lowest threshold at which at most ``MAX_WRONG`` of the held-back examples are
    named wrongly."""
    for step in range(50, 100):
        threshold = step / 100
        wrong = sum(
            max(p) >= threshold and not ok for p, ok in zip(probabilities, right, strict=True)
        )
        if wrong <= MAX_WRONG * len(right):
            return threshold
    return 0.99


def build(
    found: Sequence[Example],
) -> tuple[dict[str, object], list[str], list[list[float]]]:
    """The model file's content, a short report, and scikit-learn's own probabilities for each
    example (a test checks that the bot's reading of the file decides the same)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    vectorised = Vectorised([e.text for e in found], MIN_EXAMPLES_PER_FEATURE)
    names, matrix = vectorised.names, vectorised.matrix
    labels = np.array([e.language for e in found])
    # Held back in folds: each example as written, and its first few words, which is what a
    # search message looks like ("tilifon doveria", "best burger in furpach").
    pieces = vectorised.transform([_first_words(e.text) for e in found])
    model = LogisticRegression(C=REGULARISATION, max_iter=5000)
    held_back = np.zeros((len(found), len(set(labels))))
    held_back_pieces = np.zeros_like(held_back)
    for learn, check in StratifiedKFold(FOLDS, shuffle=True, random_state=7).split(matrix, labels):
        model.fit(matrix[learn], labels[learn])
        held_back[check] = model.predict_proba(matrix[check])
        held_back_pieces[check] = model.predict_proba(pieces[check])
    classes = list(model.classes_)

    def named_right(probabilities: np.ndarray) -> list[bool]:
        return [
            classes[int(row.argmax())] == label
            for row, label in zip(probabilities, labels, strict=True)
        ]

    right, right_pieces = named_right(held_back), named_right(held_back_pieces)
    threshold = max(
        _threshold(held_back.tolist(), right), _threshold(held_back_pieces.tolist(), right_pieces)
    )
    model.fit(matrix, labels)
    weights = {
        str(name): [round(float(w), 3) for w in column]
        for name, column in zip(names, model.coef_.T, strict=True)
        if np.abs(column).max() >= SMALLEST_WEIGHT
    }
    rarity = {n: round(r, 4) for n, r in zip(names, vectorised.rarity, strict=True) if n in weights}
    content = {
        "about": "python -m bot language-model; see bot/search/language/training.py",
        "examples": digest(found),
        "languages": [str(c) for c in model.classes_],
        "bias": [round(float(b), 3) for b in model.intercept_],
        "rarity": rarity,
        "weights": weights,
        "threshold": threshold,
    }
    report = [f"threshold {threshold:.2f} (held-back folds)"]
    for name, probabilities, correct in (
        ("examples", held_back, right),
        (f"their first {SHORT_WORDS} words", held_back_pieces, right_pieces),
    ):
        above = [max(p) >= threshold for p in probabilities.tolist()]
        wrong = sum(a and not ok for a, ok in zip(above, correct, strict=True))
        report.append(
            f"{name}: named {sum(above) / len(found):.3f} of {len(found)}, "
            f"wrongly {wrong / len(found):.4f}"
        )
    return content, report, model.predict_proba(matrix).tolist()


def write(path: Path = MODEL_FILE) -> list[str]:
    """Learn from every example, write the model, return the report."""
    found = examples()
    content, report, _ = build(found)
    path.write_text(
        json.dumps(content, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n",
        encoding="utf-8",
    )
    size = path.stat().st_size / 1_000_000
    weights = len(content["weights"])  # type: ignore[arg-type]
    return [f"{len(found)} examples, {weights} features, {size:.1f} MB", *report]
