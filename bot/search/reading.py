"""Reading one query word: the vocabulary words it may stand for, and how sure we are.

A word is read exactly, as a prefix, with typos, as an inflection (a case ending, a shared
stem), as the known head of a longer word, and spelt in Latin letters for a Cyrillic word. Each
reading has a strength 0-1; the strongest :data:`MAX_TERMS_PER_WORD` readings are kept. The
readings of a word depend only on the vocabulary, so they are remembered per word.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from bot.search.common import common_words
from bot.search.lexicon import WordCache
from bot.search.normalize import Token, is_modifier, typo_allowance
from bot.search.transliteration import is_latin, transliteration_key
from bot.search.vocabulary import Vocabulary

EXACT = 1.0
"""The strength of the word itself."""
TRANSLITERATED = 0.9
"""A Latin-letter word that spells a Cyrillic catalogue word ("pomosh" → помощь)."""
FUZZY_SCALE, FUZZY_EXPONENT = 0.95, 1.5
"""Strength 0.95 × (1 - typos/length)^1.5: one typo in "tafel" gives 0.68, in
"schuldnerberatung" 0.86 — long words survive a slip, in short ones a typo often makes another
real word ("rest"/"test"), so the match must be confirmed by other words of the query."""
PREFIX_BASE, PREFIX_SPAN = 0.55, 0.4
"""A prefix ("lebensm" of "lebensmittel") scores 0.55 plus 0.4 times the share it covers."""
HEAD_BASE, HEAD_SPAN = 0.45, 0.4
"""A known word at the start of a longer query word ("Kinderarzt" → "kinder")."""
INFLECTED = 0.9
"""Prefix or head matches that differ only by an ending of up to 3 letters are inflections
("долг"/"долгами", "hilfe"/"hilfen", "kind"/"kinder"): almost as good as exact."""
INFLECTION_CHARS = 3
"""The longest ending that makes an inflection (see :data:`INFLECTED`)."""
ENDING_CHARS = 2
"""A typo confined to the last two letters of words that agree before is a case ending
("куртку"/"куртка", "зимнюю"/"зимняя"): an inflection, not a doubtful typo."""
EXACT_SHADOW = 0.8
"""Head and stem readings of a query word that the catalogue also has as such count 0.8:
"rente" is the German word, not English "rent" plus an ending."""
STEM_BASE, MIN_STEM, STEM_SHARE = 0.85, 6, 0.7
"""Two words that share their first 6 letters and 70 % of the query word are one word in
another form; strength 0.85 × shared share ("vergewaltigt"/"vergewaltigung": 0.67)."""
MODIFIER_FACTOR = 0.3
"""Weight of a modifier word (free, without, help: normalize.MODIFIERS) against a need word;
at 1.0 "нужен бесплатный адвокат" puts the free lunch before the lawyer and
"Wohnungslosenberatung" loses its right answer ("beratung" outweighing "wohnungslos")."""

MIN_PREFIX = 4
"""Shorter prefixes match too much ("ber" starts 40 words of the shipped vocabulary)."""
MIN_HEAD = 4
"""The shortest known word taken as the head of a longer query word (as :data:`MIN_PREFIX`)."""
MAX_TERMS_PER_WORD = 12
"""A query word expands to at most this many vocabulary words (the strongest): enough for all
inflections of a prefix, bounded so that "bera" cannot fan out over a large vocabulary."""


@dataclass(frozen=True, slots=True)
class Hit:
    """A vocabulary word a query word stands for, and how sure we are.

    Hits are remembered per query word and shared between queries, hence frozen."""

    term_id: int
    strength: float
    kind: str
    """exact, prefix, fuzzy, ending, head, stem, compound, joined, translit."""
    query_word: str
    value: float = 0.0
    """strength × the query word's specificity × modifier factor: what the hit is worth."""


def search_allowance(query_length: int, word_length: int) -> int:
    """Typos tolerated between a query word and a catalogue word: by the shorter of the two."""
    return typo_allowance(min(query_length, word_length))


def _translit_allowance(query_length: int, word_length: int) -> int:
    """Transliteration keys already absorb spelling schemes; a typo on top is only believable
    in longer words."""
    return 1 if min(query_length, word_length) >= 6 else 0


class WordReader:
    """What each query word may stand for in one vocabulary, remembered per word."""

    def __init__(self, vocabulary: Vocabulary, common: frozenset[str] | None = None) -> None:
        """``common``: the words read only as themselves (default: the shipped table)."""
        self._vocabulary = vocabulary
        self._common = common if common is not None else common_words()
        self._readings: WordCache[Token, tuple[Hit, ...]] = WordCache()

    def hits(self, token: Token) -> tuple[Hit, ...]:
        """All vocabulary words one query word may stand for, strongest first, bounded.

        Remembered per word (:data:`~bot.search.lexicon.WORD_CACHE_SIZE`): the typo search
        against the vocabulary is most of a query's cost, and people use the same words again
        and again. The hits are shared between queries and never changed after they are made.
        """
        hits = self._readings.get(token)
        if hits is None:
            hits = self._readings.put(token, self._read(token))
        return hits

    def _read(self, token: Token) -> tuple[Hit, ...]:
        word, shown = token.term, token.surface
        vocabulary = self._vocabulary
        lexicon = vocabulary.lexicon
        # The strongest reading per word so far, as (strength, kind): hits are made once at
        # the end, not for every weaker reading that is later replaced.
        hits: dict[int, tuple[float, str]] = {}

        def offer(term_id: int, strength: float, kind: str) -> None:
            old = hits.get(term_id)
            if old is None or strength > old[0]:
                hits[term_id] = (strength, kind)

        exact = lexicon.exact(word)
        if exact is not None:
            offer(exact, EXACT, "exact")
        # A common word of some language is that word: its inflections, never a typo of
        # another word ("kaufen" is not "saufen") nor the start of a longer one ("über" is not
        # "Überfall").
        common = word in self._common
        if len(word) >= MIN_PREFIX:
            for term_id in lexicon.prefixed(word):
                length = len(lexicon.words[term_id])
                if not common or length - len(word) <= INFLECTION_CHARS:
                    offer(term_id, _prefix_strength(len(word), length), "prefix")
        for term_id, distance in lexicon.similar(word, search_allowance).items():
            if _same_stem(token.surface, vocabulary.surfaces[term_id]):
                offer(term_id, INFLECTED, "ending")  # куртку/куртка, зимнюю/зимняя
            elif not common:
                offer(term_id, fuzzy_strength(word, lexicon.words[term_id], distance), "fuzzy")
        # A query word that is itself a catalogue word is less likely another word's form.
        shadow = EXACT_SHADOW if exact is not None else 1.0
        # Heads are found on the written form: in matching forms "super" starts with "supe"
        # (Suppe with its double letter counted once), in writing it does not.
        for term_id, cut in _heads(token.surface, vocabulary.written_ids.get):
            offer(term_id, shadow * _head_strength(cut, len(token.surface)), "head")
        self._stem_hits(word, shadow, offer)
        if is_latin(token.surface) and len(token.surface) >= 3:
            self._transliterated_hits(token.surface, offer)
        # The query word's own specificity caps its readings': an exact "geld" in many
        # services must not be outranked by a rare word that merely starts with it.
        specificity = vocabulary.specificity
        cap = specificity[exact] if exact is not None else 1.0
        modifier = MODIFIER_FACTOR if is_modifier(word) else 1.0
        ranked = sorted(
            (
                Hit(
                    term_id,
                    strength,
                    kind,
                    shown,
                    strength * min(cap, specificity[term_id]) * modifier,
                )
                for term_id, (strength, kind) in hits.items()
            ),
            key=lambda h: -h.value,
        )
        return tuple(ranked[:MAX_TERMS_PER_WORD])

    def _stem_hits(
        self, word: str, shadow: float, offer: Callable[[int, float, str], None]
    ) -> None:
        """Words sharing a long beginning with the query word: "vergewaltigt" and
        "vergewaltigung", "versichert" and "versicherung" — inflections that neither prefix
        nor typo rules reach."""
        lexicon = self._vocabulary.lexicon
        shortest = max(MIN_STEM, math.ceil(STEM_SHARE * len(word)))
        for cut in range(len(word) - 1, shortest - 1, -1):
            found = list(islice(lexicon.prefixed(word[:cut]), MAX_TERMS_PER_WORD))
            for term_id in found:
                other = lexicon.words[term_id]
                offer(term_id, shadow * STEM_BASE * cut / max(len(word), len(other)), "stem")
            if found:
                return

    def _transliterated_hits(self, latin: str, offer: Callable[[int, float, str], None]) -> None:
        """Cyrillic catalogue words that a Latin-letter query word spells ("kvartira")."""
        key = transliteration_key(latin)
        keys = self._vocabulary.translit
        found: dict[int, float] = {}
        exact = keys.exact(key)
        if exact is not None:
            found[exact] = 1.0
        for key_id, distance in keys.similar(key, _translit_allowance).items():
            found.setdefault(key_id, fuzzy_strength(key, keys.words[key_id], distance))
        if len(key) >= MIN_PREFIX:
            for key_id in keys.prefixed(key):
                found.setdefault(key_id, _prefix_strength(len(key), len(keys.words[key_id])))
        if exact is None:
            for key_id, cut in _heads(key, keys.ids.get):
                found.setdefault(key_id, _head_strength(cut, len(key)))
        translit_terms = self._vocabulary.translit_terms
        for key_id, similarity in found.items():
            for term_id in translit_terms[key_id]:
                offer(term_id, TRANSLITERATED * similarity, "translit")


def fuzzy_strength(a: str, b: str, distance: int) -> float:
    """The strength of a typo reading: see :data:`FUZZY_SCALE`."""
    return FUZZY_SCALE * (1 - distance / max(len(a), len(b))) ** FUZZY_EXPONENT


def _same_stem(one: str, other: str) -> bool:
    """Whether two written words differ only in their last two letters (a case ending):
    "куртку"/"куртка" yes, "super"/"suppe" no (they part after three of five letters)."""
    shared = 0
    for a, b in zip(one, other, strict=False):
        if a != b:
            break
        shared += 1
    return shared >= max(MIN_HEAD, max(len(one), len(other)) - ENDING_CHARS)


def _prefix_strength(query_length: int, word_length: int) -> float:
    """The strength of a prefix reading: an inflection, or by the share of the word typed."""
    if word_length - query_length <= INFLECTION_CHARS:
        return INFLECTED
    return PREFIX_BASE + PREFIX_SPAN * query_length / word_length


def _head_strength(head_length: int, query_length: int) -> float:
    if query_length - head_length <= INFLECTION_CHARS:
        return INFLECTED
    return HEAD_BASE + HEAD_SPAN * head_length / query_length


def _heads(word: str, lookup: Callable[[str], int | None]) -> list[tuple[int, int]]:
    """Known words (of at least :data:`MIN_HEAD` letters) that start ``word``, with their
    length: the longest, and every one that leaves only an ending ("borcum" → "borcu" of
    "kira borcu" and "borc", debt)."""
    found: list[tuple[int, int]] = []
    for cut in range(len(word) - 1, MIN_HEAD - 1, -1):
        known = lookup(word[:cut])
        if known is not None and (not found or len(word) - cut <= INFLECTION_CHARS):
            found.append((known, cut))
    return found
