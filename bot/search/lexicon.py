"""A set of distinct words with exact, prefix and typo-tolerant lookup, none of it scanning
all words — and the bounded per-word cache that every stage reading query words uses.

One lexicon holds the catalogue's vocabulary, one the transliteration keys of its Cyrillic
words, and each phrase matcher (crisis words, district names) has its own.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

PREFIX_SCAN_LIMIT = 200
"""Words read after a prefix at most: a short prefix of a large vocabulary must stay cheap, and
the readers keep only the strongest few anyway."""

WORD_CACHE_SIZE = 4096
"""Query words whose readings an index remembers, least recently used forgotten first. People
reuse words ("essen", "schulden", "arzt"): the evaluation set's 369 queries have about 700
distinct words, so this holds the words of many days; full, the caches of an index hold about
5 MB (measured with tracemalloc). Never whole queries: only what one word means against this
index's vocabulary."""

Allowance = Callable[[int, int], int]
"""Typos tolerated between a query word and a lexicon word, given both lengths."""

_Key = TypeVar("_Key")
_Value = TypeVar("_Value")


class WordCache(Generic[_Key, _Value]):
    """A bounded map from a query word to what it means, forgetting the least recently used.

    Not ``functools.lru_cache`` on a method: that would tie the index into a reference cycle,
    and a replaced index (after a reload) would then wait for a full garbage collection, which
    for a large catalogue pauses the bot, instead of being freed at once.
    """

    def __init__(self, size: int = WORD_CACHE_SIZE) -> None:
        self._size = size
        self._entries: dict[_Key, _Value] = {}

    def get(self, key: _Key) -> _Value | None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._entries[key] = entry  # now the most recently used (dicts keep order)
        return entry

    def put(self, key: _Key, value: _Value) -> _Value:
        if len(self._entries) >= self._size:
            self._entries.pop(next(iter(self._entries)), None)
        self._entries[key] = value
        return value


class Lexicon:
    """Distinct words with exact, prefix and typo-tolerant lookup, none of it scanning all words.

    Typos: every word of at least 4 letters is stored under itself and each one-letter
    deletion (a deletion neighbourhood), so a word within one edit — insertion, deletion,
    substitution or swap of neighbours — is found with len(word) + 1 dictionary lookups.
    Two edits are only allowed for words of 8 letters and more; those are compared with
    rapidfuzz against the long words of nearly the same length, a small slice of the vocabulary.
    A word's id is its position in ``words``.

    ``shortest`` and ``two_edits_from`` are the word lengths from which typos are looked for at
    all and two typos are: the phrase readers allow a typo in a three-letter word of a phrase,
    and two in a word of nine letters, which may be a seven-letter word with two letters more.
    """

    def __init__(
        self,
        words: Sequence[str],
        *,
        two_edits: bool,
        shortest: int = 4,
        two_edits_from: int = 8,
    ) -> None:
        self.shortest = shortest
        self.two_edits_from = two_edits_from
        self.words = list(words)
        self.ids = {w: i for i, w in enumerate(self.words)}
        order = sorted(range(len(self.words)), key=self.words.__getitem__)
        self.sorted_words = [self.words[i] for i in order]
        self.sorted_ids = order
        self.deletions: dict[str, list[int]] = {}
        long_words: dict[int, tuple[list[str], list[int]]] = {}
        for index, word in enumerate(self.words):
            if len(word) < shortest:
                continue
            for key in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
                bucket = self.deletions.get(key)
                if bucket is None:
                    self.deletions[key] = [index]
                else:
                    bucket.append(index)
            if two_edits and len(word) >= two_edits_from:
                texts, ids = long_words.setdefault(len(word), ([], []))
                texts.append(word)
                ids.append(index)
        self.long_words = long_words

    def exact(self, word: str) -> int | None:
        return self.ids.get(word)

    def prefixed(self, prefix: str) -> Iterator[int]:
        """Ids of the words that start with ``prefix`` (not the word itself), in word order."""
        start = bisect_left(self.sorted_words, prefix)
        for position in range(start, min(start + PREFIX_SCAN_LIMIT, len(self.sorted_words))):
            word = self.sorted_words[position]
            if not word.startswith(prefix):
                return
            if word != prefix:
                yield self.sorted_ids[position]

    def similar(self, word: str, allowance: Allowance, *, max_edits: int = 2) -> dict[int, int]:
        """Ids of the words within ``allowance(len(word), len(other))`` edits → edit count.

        Exact matches are left out: they are :meth:`exact`'s business. ``max_edits=1`` skips
        the two-edit comparison with the long words (most of the cost of a long word) for
        callers that would drop those matches anyway.
        """
        found: dict[int, int] = {}
        if len(word) >= self.shortest - 1:
            candidates: set[int] = set()
            for key in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
                candidates.update(self.deletions.get(key, ()))
            # In id order: the set's order follows the (hash-ordered) keys it was filled from,
            # and callers keep the first of equally good words.
            for index in sorted(candidates):
                other = self.words[index]
                limit = min(1, allowance(len(word), len(other)))
                if limit and other != word:
                    distance = OSA.distance(word, other, score_cutoff=limit)
                    if distance <= limit:
                        found[index] = distance
        if (
            max_edits >= 2
            and self.long_words
            and len(word) >= self.two_edits_from
            and allowance(len(word), len(word)) >= 2
        ):
            for length in range(max(self.two_edits_from, len(word) - 2), len(word) + 3):
                texts, ids = self.long_words.get(length, ((), ()))
                if not texts:
                    continue
                for _, distance, position in process.extract(
                    word, texts, scorer=OSA.distance, score_cutoff=2, limit=None
                ):
                    if distance == 2 and allowance(len(word), length) >= 2:
                        found.setdefault(ids[position], 2)
        return found
