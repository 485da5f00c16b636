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
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.search.features import term_features, weighted
from bot.search.normalize import terms

MODEL_FILE = Path(__file__).resolve().parent / "model.json"

FEWEST_WORDS = 4
"""The model reads only messages of at least this many words: a shorter one gives it too few
letter sequences to weigh ("noch eine Frage" scored 0.86), and short cries are the rules'
("sos", "hilfe", "ich will sterben"). On blind round 6 every message the model alone found
had more words; conversation messages ("danke", "wer bist du") raise no alarm."""


SENTENCE_THRESHOLD = 0.92
"""A long message is also read sentence by sentence, and one sentence alone speaks of danger
above this probability. People hide the danger in one sentence among paperwork ("… die
Tabletten hab ich schon abgezählt. Wo bekomme ich einen Zuschuss für Schuhe?"); read as a
whole, its letter sequences drown among the Jobcenter's. Higher than the model's threshold
(0.85), as a sentence gives fewer sequences to weigh: measured on the read crisis rounds 6-9
and on every ordinary search message (7 December 2026), sentences at 0.85 found 0.956 / 0.967
of rounds 8 / 9 (0.934 / 0.949 without) but alarmed on 7 more ordinary messages; at 0.92
0.947 / 0.963 with 2 more (0.88 and 0.90 between)."""

_SENTENCE_END = re.compile(r"(?<=[.!?\u061f\u2026])\s+|\n+")
"""Where one sentence ends and the next begins: after . ! ? ؟ … and a space, or a new line."""


def sentences(text: str) -> list[str]:
    """The sentences of a message, as a person would mark them."""
    return [part for part in _SENTENCE_END.split(text) if part.strip()]


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
        """The whole message, then (when it is not danger as a whole) each of its sentences."""
        whole = self._read_words(terms(text), self.threshold)
        if whole.kind is not None:
            return whole
        parts = sentences(text)
        if len(parts) < 2:
            return whole
        readings = [self._read_words(terms(part), SENTENCE_THRESHOLD) for part in parts]
        found = [r for r in readings if r.kind is not None]
        return max(found, key=lambda r: r.probability) if found else whole

    def _read_words(self, words: list[str], threshold: float) -> ModelReading:
        if len(words) < FEWEST_WORDS:
            return ModelReading(0.0, None)
        grams = weighted(term_features(words), self.rarity)
        if not grams:
            return ModelReading(0.0, None)
        probability = self.probability(grams)
        if probability < threshold:
            return ModelReading(probability, None)
        return ModelReading(probability, self.kind(grams))


@cache
def shipped_model() -> DangerModel | None:
    """The model shipped with the product, read once per process."""
    return DangerModel.load()
