"""Multi-word phrases found in a query in order, with typos: the districts' names and aliases.

A short list (hundreds of phrases) read for every message, so each word of a query is
looked up once in the phrases' own small lexicon, and phrases are then extended word by word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.search.lexicon import Allowance, Lexicon, WordCache
from bot.search.normalize import Token


@dataclass(frozen=True, slots=True)
class PhraseHit:
    """Phrase ``phrase`` found in the query words ``start:stop`` with ``typos`` typos in all."""

    phrase: int
    start: int
    stop: int
    typos: int


class PhraseMatcher:
    """Finds multi-word phrases (district names) in a query, in order, with typos.

    A query word matches a phrase word when their matching forms *or* their surface forms are
    within the allowed typos: the matching form's rules (doubled letters count once, "ue" is
    "u") can turn one slip into two edits ("Lindenn" → "linden" vs "lindn"), the surface form
    cannot. The words of a phrase stand next to each other.
    """

    def __init__(
        self,
        phrases: Sequence[tuple[Token, ...]],
        *,
        allowance: Allowance,
    ) -> None:
        self.phrases = [tuple(t.term for t in p) for p in phrases]
        self.terms = Lexicon(sorted({w for p in self.phrases for w in p}), two_edits=False)
        surfaces: dict[str, set[int]] = {}
        for phrase in phrases:
            for token in phrase:
                surfaces.setdefault(token.surface, set()).add(self.terms.ids[token.term])
        self.surfaces = Lexicon(list(surfaces), two_edits=False)
        self.surface_terms = [sorted(ids) for ids in surfaces.values()]
        self.allowance = allowance
        self.starting: dict[int, list[int]] = {}
        for index, phrase_terms in enumerate(self.phrases):
            self.starting.setdefault(self.terms.ids[phrase_terms[0]], []).append(index)
        self._matches: WordCache[Token, dict[int, int]] = WordCache()

    def _word_matches(self, token: Token) -> dict[int, int]:
        """Phrase-word ids this query word stands for → typos; remembered per word (every
        query is read for district names, mostly with the same words).
        The answer is shared: callers must not change it."""
        matches = self._matches.get(token)
        if matches is None:
            matches = self._matches.put(token, self._read_word(token))
        return matches

    def _read_word(self, token: Token) -> dict[int, int]:
        matches = dict(self.terms.similar(token.term, self.allowance))
        for surface_id, typos in self.surfaces.similar(token.surface, self.allowance).items():
            for word_id in self.surface_terms[surface_id]:
                matches[word_id] = min(typos, matches.get(word_id, typos))
        exact = self.terms.exact(token.term)
        if exact is not None:
            matches[exact] = 0
        return matches

    def find(
        self, words: Sequence[Token], exact_only: Callable[[str], bool] | None = None
    ) -> list[PhraseHit]:
        """Every occurrence of every phrase; ``exact_only`` marks words that may not be typos."""
        per_position: list[dict[int, int]] = []
        for token in words:
            if exact_only is not None and exact_only(token.term):
                exact = self.terms.exact(token.term)
                matches = {} if exact is None else {exact: 0}
            else:
                matches = self._word_matches(token)
            per_position.append(matches)
        hits: list[PhraseHit] = []
        for start, matches in enumerate(per_position):
            for word_id, typos in matches.items():
                for phrase_index in self.starting.get(word_id, ()):
                    hit = self._extend(phrase_index, start, typos, per_position)
                    if hit is not None:
                        hits.append(hit)
        return hits

    def _extend(
        self, phrase_index: int, start: int, typos: int, per_position: list[dict[int, int]]
    ) -> PhraseHit | None:
        position = start
        for word in self.phrases[phrase_index][1:]:
            word_id = self.terms.ids[word]
            nxt = position + 1
            if nxt >= len(per_position) or word_id not in per_position[nxt]:
                return None
            typos += per_position[nxt][word_id]
            position = nxt
        return PhraseHit(phrase_index, start, position + 1, typos)
