"""The features of a message for the learned readers: letter sequences, words, word pairs.

Shared by the danger reader (:mod:`bot.search.danger.model`) and the language reader
(:mod:`bot.search.language.learned`): two to five letters inside each word (the features of
fastText and of most language identifiers: they survive inflection, typos, missing umlauts
and Latin-letter spellings), the whole words and neighbouring pairs, weighted by tf-idf as
scikit-learn learned them. The bot computes them with the standard library alone.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache
from itertools import pairwise

from bot.search.normalize import terms

SHORTEST_GRAM = 2
LONGEST_GRAM = 5


def message_features(text: str) -> Counter[str]:
    """How often each feature occurs in the message: each word in its matching form (case,
    umlauts, marks and scripts folded as everywhere in the search), padded with a space on
    both sides so that beginnings and endings count, then every sequence of 2 to 5 letters;
    and the whole words and pairs of neighbouring words (see ``term_features``)."""
    return term_features(terms(text))


WORD_PREFIX = "w:"
PAIR_PREFIX = "p:"
"""Whole words and neighbouring pairs are features beside the letter sequences, marked so that
they never collide with one ("w:" has a colon, which the normaliser never leaves in a word).
Letter sequences carry a word through inflection and typos; a pair keeps what the sequences
lose, which word stood beside which ("bringt mich", "mich um"). Measured on the held-back folds
and blind rounds 6 and 7 at the same alarm budgets: 0.906 / 0.912 with letters alone, 0.921 /
0.926 with words and pairs added, alarms on blind ordinary messages unchanged."""


def term_features(words: list[str]) -> Counter[str]:
    """The features of a message already split into its matching forms (``terms``)."""
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


class Vectorised:
    """Examples turned into the matrix scikit-learn learns from (a build step: imports
    scikit-learn, which the bot never needs): the features seen in at least ``min_examples``
    examples, tf-idf weighted exactly as :func:`weighted` weighs them at run time."""

    def __init__(self, texts: list[str], min_examples: int) -> None:
        import numpy as np
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.feature_extraction.text import TfidfTransformer

        self._counts = DictVectorizer().fit([message_features(t) for t in texts])
        raw = self._counts.transform([message_features(t) for t in texts])
        self._seen = np.asarray((raw > 0).sum(axis=0)).ravel() >= min_examples
        self.names: list[str] = [str(n) for n in self._counts.get_feature_names_out()[self._seen]]
        self._tfidf = TfidfTransformer(sublinear_tf=True)
        self.matrix = self._tfidf.fit_transform(raw[:, self._seen])
        self.rarity: list[float] = [float(r) for r in self._tfidf.idf_]

    def transform(self, texts: list[str]) -> object:
        """Other texts in the same features (the pieces a threshold is checked on)."""
        raw = self._counts.transform([message_features(t) for t in texts])
        return self._tfidf.transform(raw[:, self._seen])
