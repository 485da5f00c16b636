"""Which shipped language a message is written in, learned from example messages: the second
reader where the common-word rules of :mod:`.detector` stay silent.

The rules decide by script, telling letters and common words, and say nothing about Arabic,
Farsi, Russian or Ukrainian typed in Latin letters ("mne nuzhna pomoshch", "man komak
mikham", "ana b7aje la akl"), which no word list of the languages holds, nor about a short
Latin message with one telling word. The example messages of the crisis stage
(``bot/search/danger/examples/``, thousands in seven languages, a third of Arabic, Farsi,
Russian and Ukrainian in Latin letters) say which language each is in; a multinomial logistic
regression over the message's letter sequences, words and pairs (:mod:`bot.search.features`)
learns from them (``python -m bot language-model``, scikit-learn at build time; the bot reads
``model.json`` with the standard library).

It speaks only above a threshold chosen on held-back folds so that a wrong language is rare
there: a wrong switch answers someone in a language they did not choose, silence leaves them
in their setting.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.search.features import term_features, weighted
from bot.search.normalize import terms

MODEL_FILE = Path(__file__).resolve().parent / "model.json"

FEWEST_WORDS = 2
"""One word says too little of a language: "salam" is Arabic, Farsi and Turkish alike, "privet"
a greeting Ukrainians type too. Two words ("komak lazem") already tell."""


@dataclass(frozen=True, slots=True)
class LanguageReading:
    """The most likely language and its probability; ``language`` is None below the
    threshold."""

    language: str | None
    probability: float


@dataclass(frozen=True, slots=True)
class LanguageModel:
    """The learned weights: per feature one weight per language."""

    languages: tuple[str, ...]
    bias: tuple[float, ...]
    rarity: dict[str, float]
    weights: dict[str, tuple[float, ...]]
    threshold: float

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> LanguageModel | None:
        """The shipped model, or None when none was built (the rules then work alone)."""
        if not path.exists():
            return None
        return cls.from_data(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> LanguageModel:
        """The model from the file's content (``training.build`` writes it)."""
        return cls(
            languages=tuple(data["languages"]),
            bias=tuple(data["bias"]),
            rarity=data["rarity"],
            weights={f: tuple(w) for f, w in data["weights"].items()},
            threshold=data["threshold"],
        )

    def probabilities(self, text: str) -> dict[str, float]:
        """Each language's probability for ``text`` (softmax of the linear scores)."""
        features = weighted(term_features(terms(text)), self.rarity)
        if not features:
            return {}
        scores = list(self.bias)
        for feature, value in features.items():
            row = self.weights.get(feature)
            if row is not None:
                for i, w in enumerate(row):
                    scores[i] += value * w
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {lang: e / total for lang, e in zip(self.languages, exps, strict=True)}

    def read(self, text: str) -> LanguageReading:
        """The language of ``text`` when the model is sure enough, else None."""
        if len(terms(text)) < FEWEST_WORDS:
            return LanguageReading(None, 0.0)
        probabilities = self.probabilities(text)
        if not probabilities:
            return LanguageReading(None, 0.0)
        language, probability = max(probabilities.items(), key=lambda item: item[1])
        if probability < self.threshold:
            return LanguageReading(None, probability)
        return LanguageReading(language, probability)


@cache
def shipped_model() -> LanguageModel | None:
    """The model shipped with the product, read once per process."""
    return LanguageModel.load()
