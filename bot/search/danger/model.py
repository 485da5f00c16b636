"""Danger read from the letters of a message: a small linear model learned from example messages.

The detector's rules name what the knowledge foresaw; people in danger often write it in words
no rule foresaw ("die Katze ist bei der Nachbarin, mehr muss ich nicht mehr regeln", "ya bilshe
ne vytyaguyu"). Every widening of the rules brought the rounds it read to 0.99 and the next
blind round only a few points further, so the rules alone cannot reach the issue's bar. This
reader generalises from the reviewed example messages instead: it weighs the letter sequences of
a message (two to five letters inside each word, the features of fastText and of most language
identifiers: they survive inflection, typos, missing umlauts and Latin-letter spellings) with
weights learned by logistic regression (``python -m bot danger-model``, a development step with
scikit-learn; the bot reads only ``model.json`` and needs nothing but the standard library).

Two questions, two weight tables: *is this danger?* (one weight per sequence, asked of every
message the rules find nothing in) and *which kind?* (asked only when the first says yes).
The threshold is chosen at build time on held-back folds so that ordinary and look-alike
messages rarely pass it; see ``training.py`` and ``docs/decisions.md``.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from bot.search.normalize import terms

MODEL_FILE = Path(__file__).resolve().parent / "model.json"

SHORTEST_GRAM = 2
LONGEST_GRAM = 5

FEWEST_WORDS = 4
"""The model reads only messages of at least this many words: a shorter one gives it too few
letter sequences to weigh ("noch eine Frage" scored 0.86), and short cries are the rules'
("sos", "hilfe", "ich will sterben"). On blind round 6 every message the model alone found
had more words; conversation messages ("danke", "wer bist du") raise no alarm."""


def message_features(text: str) -> Counter[str]:
    """How often each feature occurs in the message: each word in its matching form (case,
    umlauts, marks and scripts folded as everywhere in the search), padded with a space on
    both sides so that beginnings and endings count, then every sequence of 2 to 5 letters;
    and the whole words and pairs of neighbouring words (see ``_counts``)."""
    return _counts(terms(text))


WORD_PREFIX = "w:"
PAIR_PREFIX = "p:"
"""Whole words and neighbouring pairs are features beside the letter sequences, marked so that
they never collide with one ("w:" has a colon, which the normaliser never leaves in a word).
Letter sequences carry a word through inflection and typos; a pair keeps what the sequences
lose, which word stood beside which ("bringt mich", "mich um"). Measured on the held-back folds
and blind rounds 6 and 7 at the same alarm budgets: 0.906 / 0.912 with letters alone, 0.921 /
0.926 with words and pairs added, alarms on blind ordinary messages unchanged."""


def _counts(words: list[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for word in words:
        counts.update(_word_grams(word))
    counts.update(WORD_PREFIX + word for word in words)
    counts.update(f"{PAIR_PREFIX}{a}_{b}" for a, b in pairwise(words))
    return counts


@lru_cache(maxsize=100_000)
def _word_grams(word: str) -> tuple[str, ...]:
    """One word's sequences, remembered: words recur, and this is most of the reader's time."""
    padded = f" {word} "
    return tuple(
        padded[i : i + size]
        for size in range(SHORTEST_GRAM, min(LONGEST_GRAM, len(padded)) + 1)
        for i in range(len(padded) - size + 1)
    )


def weighted(counts: Counter[str], rarity: dict[str, float]) -> dict[str, float]:
    """The known sequences weighted as the model learned them: ``(1 + log count) × rarity``
    (tf-idf: a sequence in every message says little), scaled to unit length so that a long
    message is not more dangerous for being long. Sequences the examples never showed twice
    are left out, as in training."""
    values = {
        gram: (1.0 + math.log(count)) * rarity[gram]
        for gram, count in counts.items()
        if gram in rarity
    }
    length = math.sqrt(sum(v * v for v in values.values()))
    return {gram: v / length for gram, v in values.items()} if length else {}


@dataclass(frozen=True, slots=True)
class ModelReading:
    """What the model read: the probability of danger and, above the threshold, the kind."""

    probability: float
    kind: str | None


@dataclass(frozen=True, slots=True)
class DangerModel:
    """The learned weights; read once per process (the file is a few MB), then per message."""

    bias: float
    rarity: dict[str, float]
    """Per known feature (letter sequence, word, pair), its idf: how rare it is among the
    examples."""
    weights: dict[str, float]
    threshold: float
    kinds: tuple[str, ...]
    kind_bias: tuple[float, ...]
    kind_weights: dict[str, tuple[float, ...]]

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> DangerModel | None:
        """The shipped model, or ``None`` when none was built (the rules then work alone)."""
        if not path.exists():
            return None
        return cls.from_data(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> DangerModel:
        """The model from the file's content (``training.build`` writes it)."""
        return cls(
            bias=data["bias"],
            rarity=data["rarity"],
            weights=data["weights"],
            threshold=data["threshold"],
            kinds=tuple(data["kinds"]),
            kind_bias=tuple(data["kind_bias"]),
            kind_weights={g: tuple(w) for g, w in data["kind_weights"].items()},
        )

    def probability(self, grams: dict[str, float]) -> float:
        """The probability that a message with these letter sequences speaks of danger."""
        weights = self.weights
        score = self.bias + sum(v * weights.get(g, 0.0) for g, v in grams.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))

    def kind(self, grams: dict[str, float]) -> str:
        """The most likely kind of danger (asked only once danger is likely)."""
        scores = list(self.kind_bias)
        for gram, value in grams.items():
            row = self.kind_weights.get(gram)
            if row is not None:
                for i, w in enumerate(row):
                    scores[i] += value * w
        return self.kinds[max(range(len(scores)), key=scores.__getitem__)]

    def read(self, text: str) -> ModelReading:
        words = terms(text)
        if len(words) < FEWEST_WORDS:
            return ModelReading(0.0, None)
        grams = weighted(_counts(words), self.rarity)
        if not grams:
            return ModelReading(0.0, None)
        probability = self.probability(grams)
        if probability < self.threshold:
            return ModelReading(probability, None)
        return ModelReading(probability, self.kind(grams))


@cache
def shipped_model() -> DangerModel | None:
    """The model shipped with the product, read once per process."""
    return DangerModel.load()
