"""Finding known phrases in a message: the word-level reading shared by the danger and needs stages.

A phrase is one or more words of a language, in their base forms; the last may be a stem
(``vergewaltig*``). A typed word matches a phrase's word exactly, as an inflection the forms
table knows, or with a small typo — but a common word of some language is never "corrected"
into another word ("gehalt" is salary, not "gewalt"; الانتظار is waiting, not الانتحار). Inside a
phrase the other words vouch for a misspelt one, and a few words may stand in between.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from bot.search.common import everyday_words
from bot.search.lexicon import WordCache
from bot.search.nearwords import cyrillic_spellings, near, shared_lexicon
from bot.search.normalize import is_filler, term, words
from bot.search.transliteration import has_cyrillic

MAX_PHRASE_GAP = 2
"""Words that may stand inside a phrase: "will nicht mehr leben" ~ "will echt nicht mehr leben"."""

TYPO_MIN_CHARS = 4
"""Shorter words are not corrected: one edit turns "tot" into "rot" or "Ort" (counted after
doubled letters fold: "suiid" is "suid"). An edit is a
letter added, dropped or changed, or two neighbours swapped (OSA distance: "siuzid")."""
TWO_TYPOS_MIN_CHARS = 9
"""Long words may carry two typos ("vergewaltigt" as "vergewaltikt")."""
PHRASE_TYPO_MIN_CHARS = 3
"""Inside a phrase the other words vouch for a word, so a short word may carry a typo ("will
nich mehr leben", "уить себя"): alone, such a word would be read as nothing."""

_TAG = "|"
"""Separates a language from a base form in a reading; never part of a word."""


@dataclass(frozen=True, slots=True)
class Word:
    """What one typed word may be: exactly (itself and its base forms), alone (also near
    spellings of the phrases' words, unless it is a common word) and inside a phrase."""

    exact_term: str
    """The word as the search normalises it."""
    exact: frozenset[str]
    alone: frozenset[str]
    in_phrase: frozenset[str]
    common: bool
    """A common word of some language (a stop word, or a word the typo tolerance protects)."""


@dataclass(frozen=True, slots=True)
class PhraseHit:
    """A phrase of ``group`` (in ``language``) found at words ``start`` to ``end``."""

    language: str
    group: str
    start: int
    end: int
    skipped: tuple[int, ...] = field(default=(), compare=False)
    """The words between ``start`` and ``end`` that the phrase stood apart over ("muss ich die
    miete bezahlen" holds "muss ich … bezahlen"): not part of it. Left out of comparisons, so
    that hits stay equal as before."""


@dataclass(frozen=True, slots=True)
class Phrase:
    """One word or phrase of a group, as terms; ``stem`` marks a trailing ``*``. A ``strict``
    phrase stands in a row and forgives one slip in all, not one in every word: no table of
    common words guards it (a catalogue's own words)."""

    language: str
    group: str
    words: tuple[str, ...]
    stem: bool = False
    strict: bool = False


@dataclass(frozen=True, slots=True)
class Reading:
    """A message as the matcher read it: its terms and every phrase found in it."""

    terms: list[str]
    hits: list[PhraseHit]


class PhraseMatcher:
    """The phrases of one knowledge, compiled: built once, then read by every message."""

    def __init__(
        self,
        phrases: Iterable[Phrase],
        forms: Mapping[str, Mapping[str, str]],
        protected: frozenset[str],
        protected_alone: frozenset[str] | None = None,
        *,
        common_stays_common: bool = False,
        latin_spellings: bool = False,
        latin_slips: bool = False,
    ) -> None:
        """``forms``: per language, inflected term → base term; ``protected``: common words
        never read as a typo of a phrase's word; ``protected_alone`` (default: the same): words
        never read alone as a typo of a phrase's word ("tell" folds to "tel", one letter from
        "telc"), though inside a phrase the other words may vouch for them.
        ``common_stays_common``: inside a phrase of two words, a protected word is never read
        as another protected word ("کلاس زبان", a language class, is not "کلاس زنان", a women's
        class); in a longer phrase the other words vouch ("از خونه فرار" for "از خانه فرار").
        The needs stage sets it; the danger stage keeps every slip ("nich mehr leben").
        ``latin_spellings``: a word typed in Latin letters is also read as the Cyrillic words of
        the phrases that it spells in any common scheme ("dochka zagubylas" is донька
        загубилася; see :func:`bot.search.transliteration.transliteration_key`), so every
        Russian and Ukrainian phrase is known in Latin letters without listing them twice.
        Alone, an everyday word of a Latin-letter language is never read so ("bitti", Turkish
        for "it ended", spells бити, to beat); inside a phrase the other words vouch for it.
        ``latin_slips``: a spelling may also be one letter off the Cyrillic word's (an ending:
        "zahubylas" for загубилася). The danger stage allows it; the needs stage, whose one-word
        phrases stand alone, does not: Arabic "flous" (money) is one letter from флюс (gumboil)."""
        phrases = list(phrases)
        self._phrases = phrases
        # Per phrase (by number), the words after the first that a message must hold somewhere
        # (as itself or its tagged base form; a trailing stem aside): most phrases that start
        # at a word ("ich …") are ruled out by one set lookup before reading positions.
        self._later_words = [_later_words(p) for p in phrases]
        self._by_first: dict[str, list[int]] = defaultdict(list)
        self._stems: dict[str, list[int]] = defaultdict(list)
        for number, phrase in enumerate(phrases):
            first = phrase.words[0]
            if phrase.stem and len(phrase.words) == 1:
                self._stems[first[:4]].append(number)
            else:
                self._by_first[first].append(number)
        self._cache: WordCache[tuple[str, str], Word] = WordCache()
        cyrillic: set[str] = set()
        if latin_spellings:
            for phrase in phrases:
                for number, word in enumerate(phrase.words):
                    if phrase.stem and number == len(phrase.words) - 1:
                        continue  # a stem's key would end mid-letter ("самогуб" → "samoHub")
                    if has_cyrillic(word):
                        cyrillic.add(word)
        self._spellings = cyrillic_spellings(tuple(sorted(cyrillic)))
        self._everyday = everyday_words() if latin_spellings else frozenset()
        self._latin_slips = latin_slips
        self._forms = forms
        self._protected = protected
        self._protected_alone = protected if protected_alone is None else protected_alone
        self._common_stays_common = common_stays_common
        self._typo_targets = shared_lexicon(
            tuple(sorted({w for p in phrases for w in p.words if len(w) >= TYPO_MIN_CHARS})),
            TYPO_MIN_CHARS,
            TWO_TYPOS_MIN_CHARS - 2,
        )
        self._phrase_words = shared_lexicon(
            tuple(
                sorted(
                    {
                        w
                        for p in phrases
                        if len(p.words) > 1
                        for w in p.words
                        if len(w) >= PHRASE_TYPO_MIN_CHARS
                    }
                )
            ),
            PHRASE_TYPO_MIN_CHARS,
            None,
        )

    def read(self, text: str) -> Reading:
        """The message's terms and the phrases found in it."""
        surfaces = words(text, join_apostrophes=True)
        terms = [term(w) for w in surfaces]
        read = [self.read_word(s, t) for s, t in zip(surfaces, terms, strict=True)]
        return Reading(terms, list(self.hits(read)))

    def read_word(self, surface: str, word: str) -> Word:
        """A word's readings alone and inside a phrase; remembered, as words recur (the near
        spellings cost most of the stage's time)."""
        key = (surface, word)
        known = self._cache.get(key)
        if known is None:
            exact = self._base_forms(word)
            # "und", "и", "و": alone, only themselves
            alone = exact if is_filler(word) else self._readings(surface, word, exact)
            in_phrase = self._phrase_readings(surface, word, alone)
            common = word in self._protected or is_filler(word)
            spelled = self._spellings.spelled_by(word, slips=self._latin_slips)
            if spelled:
                if not (is_filler(word) or word in self._everyday):
                    alone |= spelled
                exact, in_phrase = exact | spelled, in_phrase | spelled
            known = self._cache.put(key, Word(word, exact, alone, in_phrase, common))
        return known

    def _base_forms(self, word: str) -> frozenset[str]:
        """The word and its base form in each language that knows it as an inflection."""
        found = {word}
        for language, forms in self._forms.items():
            base = forms.get(word)
            if base:
                found.add(f"{language}{_TAG}{base}")
        return frozenset(found)

    def _readings(self, surface: str, word: str, exact: frozenset[str]) -> frozenset[str]:
        """What a typed word may be: itself, near spellings of crisis words, and its base form
        in each language (tagged ``language|base``: "wo" is a form of English "will" only for
        English entries, never for German ones). Near spellings are looked for from the word
        as typed and from its matching form, since folding doubled letters can hide a typo
        ("überdoss" → "uberdos")."""
        found = set(exact)
        if (
            len(surface) >= TYPO_MIN_CHARS
            and word not in self._protected_alone
            and word not in self._by_first
        ):
            for typed in {word, surface}:
                allowed = 2 if len(typed) >= TWO_TYPOS_MIN_CHARS else 1
                found.update(near(self._typo_targets, typed, allowed))
        return frozenset(found)

    def _phrase_readings(self, surface: str, word: str, reading: frozenset[str]) -> frozenset[str]:
        """What a word may be inside a phrase: also one typo away from a phrase's word, as
        typed or in its matching form ("leeben" folds to "leben", "leen" to "len"). Common
        words too ("nich" for "nicht"): the phrase's other words vouch for the reading."""
        if len(surface) < PHRASE_TYPO_MIN_CHARS:
            return reading
        found = set(reading)
        for typed in {word, surface}:
            found.update(near(self._phrase_words, typed, 1))
        return frozenset(found)

    def _entries_at(self, reading: frozenset[str]) -> Iterator[int]:
        phrases = self._phrases
        for candidate in reading:
            language, _, word = candidate.rpartition(_TAG)
            for number in self._by_first.get(word, ()):
                if not language or phrases[number].language == language:
                    yield number
            for number in self._stems.get(word[:4], ()):
                entry = phrases[number]
                if word.startswith(entry.words[0]) and (not language or entry.language == language):
                    yield number

    def hits(self, read: Sequence[Word]) -> Iterator[PhraseHit]:
        present = frozenset().union(*(word.in_phrase for word in read))
        phrases, later_words = self._phrases, self._later_words
        guarded = self._protected if self._common_stays_common else frozenset()
        for start, word in enumerate(read):
            # In phrase order: which of two rules of one kind counts first (and so which
            # words spoke of danger) must not follow the hash seed of the process.
            for number in sorted(set(self._entries_at(word.in_phrase))):
                if not all(
                    plain in present or tagged in present for plain, tagged in later_words[number]
                ):
                    continue  # a later word is nowhere in the message
                entry = phrases[number]
                positions = _phrase_positions(entry, read, start, guarded)
                if positions is not None:
                    skipped = tuple(sorted(set(range(start, positions[-1])) - set(positions)))
                    yield PhraseHit(entry.language, entry.group, start, positions[-1], skipped)


def _later_words(phrase: Phrase) -> tuple[tuple[str, str], ...]:
    """The words after the first that must match exactly somewhere (as a word or as the
    language's base form), each as itself and tagged; a trailing stem matches by prefix."""
    later = phrase.words[1:-1] if phrase.stem else phrase.words[1:]
    return tuple((w, f"{phrase.language}{_TAG}{w}") for w in later)


def _word_matches(entry: Phrase, word: str, last: bool, reading: frozenset[str]) -> bool:
    tagged = f"{entry.language}{_TAG}{word}"
    if word in reading or tagged in reading:
        return True
    if not (last and entry.stem):
        return False
    own = f"{entry.language}{_TAG}"
    return any(
        r.startswith(word) or (r.startswith(own) and r[len(own) :].startswith(word))
        for r in reading
    )


def _phrase_positions(
    entry: Phrase, read: Sequence[Word], start: int, guarded: frozenset[str] = frozenset()
) -> list[int] | None:
    """Where ``entry``'s words stand if it starts at ``start``; its later words may stand a
    little apart.

    Inside a phrase the other words vouch for a misspelt one, but a common word of some
    language is only read as another word when the slip is plausible: into a small word
    ("nich" → "nicht") or keeping its first letter ("uyuşuyo" → "uyuşuyor"); "bills" is not
    "pills". And a short common word read as something else needs its phrase unbroken:
    "wann ist die" is not "want … die". In a phrase of two words, a common word is never
    read as another word of ``guarded`` (see ``common_stays_common``), and two misspelt words
    must stand together: "مش مكفي الإيجار والأكل" (it doesn't cover rent and food) is not "مافي
    امل" (no hope), though "badde mout" is "badi mot"."""
    if len(entry.words) == 1:
        return [start] if _word_matches(entry, entry.words[0], True, read[start].alone) else None
    positions: list[int] = []
    short_common_typo = False
    slips = 0
    for index, word in enumerate(entry.words):
        last = index == len(entry.words) - 1
        gap = 0 if entry.strict else MAX_PHRASE_GAP
        candidates = (
            [start]
            if index == 0
            else range(positions[-1] + 1, min(len(read), positions[-1] + 2 + gap))
        )
        for position in candidates:
            typed = read[position]
            if _word_matches(entry, word, last, typed.exact):
                break
            if (
                _word_matches(entry, word, last, typed.in_phrase)
                and (not typed.common or is_filler(word) or typed.exact_term[:1] == word[:1])
                and not (typed.common and len(entry.words) == 2 and word in guarded)
            ):
                short_common_typo |= typed.common and len(typed.exact_term) < TYPO_MIN_CHARS
                slips += 1
                break
        else:
            return None
        positions.append(position)
    if entry.strict and slips > 1:
        return None
    gaps = positions[-1] - positions[0] + 1 - len(positions)
    if short_common_typo and gaps:
        return None
    if slips == len(entry.words) == 2 and gaps:
        return None
    return positions
