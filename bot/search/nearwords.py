"""Near spellings for the phrase readers: which words of a list a typed word may be.

Two kinds, both looked up in a deletion neighbourhood (:class:`bot.search.lexicon.Lexicon`)
rather than by scanning every word: a typo of a word (one edit, two in long words), and a
Russian or Ukrainian word typed in Latin letters, read through the spelling-scheme-free key of
:func:`bot.search.transliteration.transliteration_key` ("dochka", "donka", "zahubylas" for
дочка, донька, загубилася). The lexicons are shared between readers of the same words: every
search index builds its own danger reader from the shipped knowledge and its catalogue's few
local words, and a neighbourhood of twenty thousand words takes a second to build.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache

from bot.search.common import everyday_words
from bot.search.lexicon import Lexicon
from bot.search.transliteration import (
    cyrillic_to_latin,
    has_cyrillic,
    is_latin,
    transliteration_key,
)

MAX_NEAR_WORDS = 12
"""Near spellings kept per typed word: "raed" is one edit from "read", "rage", "rad" and
"raped"; keeping only the first few would drop the one that matters."""
SPELLING_TYPO_MIN_CHARS = 5
"""A Latin-letter spelling of a Cyrillic word may differ from the phrase's word by an ending
("zagubylas" for загубилася) from this many letters of its key on, as a typo may."""
SHARED_LEXICONS = 4
"""Word lists whose lexicons a process keeps: the same lists (a reload, the next index of the
same catalogue, catalogues with the same local words) share one."""


@lru_cache(maxsize=SHARED_LEXICONS)
def shared_lexicon(words: tuple[str, ...], shortest: int, two_edits_from: int | None) -> Lexicon:
    """A lexicon of ``words`` (sorted: ids in alphabetical order), built once per process;
    ``two_edits_from``: the length from which two typos are looked for (None: never)."""
    if two_edits_from is None:
        return Lexicon(words, two_edits=False, shortest=shortest)
    return Lexicon(words, two_edits=True, shortest=shortest, two_edits_from=two_edits_from)


def near(lexicon: Lexicon, typed: str, allowed: int) -> list[str]:
    """The words of ``lexicon`` within ``allowed`` edits of ``typed`` (itself included): the
    nearest first, then in the lexicon's alphabetical order, at most ``MAX_NEAR_WORDS`` — what
    rapidfuzz's ``process.extract`` over the whole list gave, from a deletion neighbourhood
    instead of a scan (the scan was most of the danger stage's time)."""
    found = lexicon.similar(typed, lambda _typed, _other: allowed, max_edits=allowed)
    exact = lexicon.exact(typed)
    if exact is not None:
        found[exact] = 0
    nearest = sorted(found.items(), key=lambda item: (item[1], item[0]))[:MAX_NEAR_WORDS]
    return [lexicon.words[index] for index, _ in nearest]


@dataclass(frozen=True, slots=True)
class CyrillicSpellings:
    """The transliteration keys of some Cyrillic words, and per key the words it spells."""

    keys: Lexicon
    words: tuple[frozenset[str], ...]

    def spelled_by(self, latin: str, *, slips: bool) -> frozenset[str]:
        """The Cyrillic words that a Latin-letter word spells; with ``slips``, also one letter
        off their key from ``SPELLING_TYPO_MIN_CHARS`` on, unless the word spells an everyday
        Russian or Ukrainian word ("kupit", купить, to buy, is not лупит, thrashes)."""
        if not self.words or not is_latin(latin):
            return frozenset()
        key = transliteration_key(latin)
        found = [self.keys.exact(key)]
        if slips and len(key) >= SPELLING_TYPO_MIN_CHARS and key not in _everyday_cyrillic_keys():
            found += self.keys.similar(key, lambda _typed, _other: 1, max_edits=1)
        return frozenset().union(*(self.words[i] for i in found if i is not None))


@lru_cache(maxsize=SHARED_LEXICONS)
def cyrillic_spellings(cyrillic: tuple[str, ...]) -> CyrillicSpellings:
    """The spellings of ``cyrillic`` (sorted matching forms), built once per process."""
    spelled: dict[str, set[str]] = defaultdict(set)
    for word in cyrillic:
        latin = cyrillic_to_latin(word)
        if is_latin(latin):
            spelled[transliteration_key(latin)].add(word)
    keys = Lexicon(sorted(spelled), two_edits=False)
    return CyrillicSpellings(keys, tuple(frozenset(spelled[key]) for key in keys.words))


@cache
def _everyday_cyrillic_keys() -> frozenset[str]:
    """The transliteration keys of the everyday Russian and Ukrainian words."""
    keys = set()
    for word in everyday_words():
        latin = cyrillic_to_latin(word) if has_cyrillic(word) else ""
        if is_latin(latin):
            keys.add(transliteration_key(latin))
    return frozenset(keys)
