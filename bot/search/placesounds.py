"""The region's place names as people write them in their own letters and with their own
endings: "لانغنهاغن", "شبرينغه", "رونن‌برگ" (Langenhagen, Springe, Ronnenberg), "в Линдене",
"на Кронсберзі", "Lindende" (Turkish "in Linden" without the apostrophe).

The district matcher of :mod:`bot.search.places` reads names in Latin letters with typos; this
reads the rest by sound (:func:`bot.search.transliteration.sound_key`):

- Arabic and Persian letters write no short vowels: the consonants must be the same, a vowel
  must be written, and every vowel written must stand where the German name has one ("ليندن"
  is Linden; "موبيليات", furniture, is not Empelde although its consonants are);
- Cyrillic writes every vowel: the sounds must be the same, or the name plus a case ending
  ("Линдене", "Лінденом"); the locative turns a final г/к/х into з/ц/с ("Кронсберзі");
- Latin letters: the whole name followed by a Turkish case ending ("Lindende", "Seelzede").

Short names (:data:`MIN_CONSONANTS`, :data:`MIN_SOUNDS`) are left to the Latin matcher:
"Lahe", "List" or "Sehnde" would be spelt by everyday words of these languages (Arabic "لها",
Persian "سند"). An everyday word of any language (:func:`bot.search.common.everyday_words`) is never
a place by sound: "синдром" (syndrome) sounds like "Zentrum", "стакан" (a glass) like Stöcken.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance.Levenshtein import normalized_similarity

from bot.search.common import everyday_words
from bot.search.lexicon import WordCache
from bot.search.normalize import Token, term
from bot.search.transliteration import (
    VOWEL,
    cyrillic_to_latin,
    has_arabic,
    has_cyrillic,
    is_latin,
    sound_key,
)

MIN_CONSONANTS = 4
"""A name is read in Arabic letters only from four consonant sounds ("Linden": L N D N)."""

MIN_SOUNDS = 5
"""A name is read in Cyrillic letters only from five sounds, vowels counted ("Seelze": S E L
S E); "Lahe" or "List" would be everyday words."""

MIN_SUFFIXED = 5
"""A Latin name takes a Turkish ending only from five letters: "Mitte" + "l" is no place."""

TURKISH_ENDINGS = frozenset(
    "de da te ta den dan ten tan deki daki teki taki e a ye ya i u yi yu in un nin nun".split()  # noqa: SIM905
)
"""Turkish case endings written onto a place name without the apostrophe (dotless ı is i
after normalisation): locative, ablative, dative, accusative, genitive."""

CYRILLIC_ENDINGS = ("", VOWEL, VOWEL + "M", VOWEL + "G", VOWEL + "F" + VOWEL, VOWEL + "M" + VOWEL)
"""Russian and Ukrainian case endings as sound keys: -е/-і/-у/-а, -ом/-ем, -ах, -ові, -ами."""

CYRILLIC_SPELLING = 0.5
"""The word in Latin letters must also agree with the name in half its letters: "зеелце"
(zeeltse) with Seelze 0.57, "фаренхаиде" with Vahrenheide 0.64 — but "застуда" (a cold,
zastuda) sounds like Südstadt by the classes and agrees in 0.38 only."""

SLAVIC_LOCATIVE = {"G": "S"}
"""Before the locative -і/-е, г/к/х become з/ц/с: "Кронсберг" → "на Кронсберзі"."""

ARABIC_PREFIXES = ("ب", "ل")
"""One-letter words Arabic writes onto the next word: "in", "to" ("بلانغنهاغن"). Not و or ف:
they also write German w, v and f ("وستهاگن", Westhagen; "فارنهايده", Vahrenheide)."""


def _skeleton(key: str) -> tuple[str, frozenset[int]]:
    """A sound key's consonants, and before which of them (by number; their count: at the
    end) a vowel is heard."""
    letters: list[str] = []
    vowel_at: set[int] = set()
    vowel = False
    for sound in key:
        if sound == VOWEL:
            vowel = True
            continue
        if not (letters and letters[-1] == sound):  # "nen" in Ronnenberg: one n heard
            if vowel:
                vowel_at.add(len(letters))
            letters.append(sound)
        vowel = False
    if vowel:
        vowel_at.add(len(letters))
    return "".join(letters), frozenset(vowel_at)


class PlaceSounds:
    """Finds the region's place names written in Arabic or Cyrillic letters, or in Latin ones
    with a Turkish case ending."""

    def __init__(self, names: Sequence[tuple[str, int]]) -> None:
        """``names``: each one-word name (a multi-word name joined) in its normalised surface
        form, with the number of its place."""
        self._latin: dict[str, int] = {}
        self._cyrillic: dict[str, tuple[str, int]] = {}
        self._arabic: dict[str, list[tuple[frozenset[int], int]]] = {}
        self._everyday = everyday_words()
        for name, place in names:
            if term(name) in self._everyday:  # "Zentrum", "City": words, not only places
                continue
            if len(name) >= MIN_SUFFIXED:
                self._latin.setdefault(name, place)
            key = sound_key(name)
            if len(key) >= MIN_SOUNDS:
                for ending in CYRILLIC_ENDINGS:
                    self._cyrillic.setdefault(key + ending, (name, place))
                if key[-1] in SLAVIC_LOCATIVE:
                    locative = key[:-1] + SLAVIC_LOCATIVE[key[-1]] + VOWEL
                    self._cyrillic.setdefault(locative, (name, place))
            letters, vowels = _skeleton(key)
            if len(letters) >= MIN_CONSONANTS:
                self._arabic.setdefault(letters, []).append((vowels, place))
        self._found: WordCache[str, tuple[int | None]] = WordCache()

    def find(self, words: Sequence[Token]) -> tuple[int | None, set[int]]:
        """The first place named in ``words`` this way, and the word's position."""
        for position, token in enumerate(words):
            place = self.place_of(token.surface)
            if place is not None:
                return place, {position}
        return None, set()

    def place_of(self, word: str) -> int | None:
        """The place one written word names, if any; remembered per word."""
        found = self._found.get(word)
        if found is None:
            found = self._found.put(word, (self._read(word),))
        return found[0]

    def _read(self, word: str) -> int | None:
        if is_latin(word):
            for cut in range(MIN_SUFFIXED, len(word)):
                if word[cut:] in TURKISH_ENDINGS and word[:cut] in self._latin:
                    return self._latin[word[:cut]]
            return None
        if term(word) in self._everyday:
            return None
        if has_cyrillic(word):
            named = self._cyrillic.get(sound_key(word))
            if named is None:
                return None
            name, place = named
            spelt = normalized_similarity(cyrillic_to_latin(word), name)
            return place if spelt >= CYRILLIC_SPELLING else None
        if not has_arabic(word):
            return None
        for candidate in (word, *(word[1:] for p in ARABIC_PREFIXES if word.startswith(p))):
            letters, vowels = _skeleton(sound_key(candidate))
            for heard, place in self._arabic.get(letters, ()) if vowels else ():
                if vowels <= heard:
                    return place
        return None
