"""Near spellings of a phrase's words come from a deletion neighbourhood, not a scan of every
word: the same words, in the same order, as rapidfuzz's scan gave — only faster."""

from __future__ import annotations

from itertools import product

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.search.danger.knowledge import shipped
from bot.search.lexicon import Lexicon
from bot.search.nearwords import MAX_NEAR_WORDS, near
from bot.search.normalize import term, words
from bot.search.phrasematch import PHRASE_TYPO_MIN_CHARS, TWO_TYPOS_MIN_CHARS, TYPO_MIN_CHARS

MESSAGES = [
    "ich will nich mehr leeben",
    "er hat mich vergewaltikt und geschlagen",
    "meine tochter ist verschwunden seit gestern abend",
    "Я больше не хочу жыть, таблетки уже выпила",
    "doktor tansiyon ilacı yazdı, reçete için ne kadar ödeyeceğim",
    "الانتظار في الجوب سنتر طويل جدا",
    "پسرم از خونه فرار کرده و برنمیگرده",
    "überdoss tabletten sofort hilfe",
]


def _scan(targets: list[str], typed: str, allowed: int) -> list[str]:
    near = process.extract(
        typed, targets, scorer=OSA.distance, score_cutoff=allowed, limit=MAX_NEAR_WORDS
    )
    return [match for match, _, _ in near]


def _typed_words() -> list[str]:
    """The messages' words, and each with one letter dropped, doubled or swapped."""
    found: list[str] = []
    for message in MESSAGES:
        for surface in words(message):
            word = term(surface)
            found += [word, word[1:], word[:-1], word + word[-1:], word[1::-1] + word[2:]]
    return [w for w in dict.fromkeys(found) if w]


def test_near_spellings_are_those_a_scan_of_every_word_finds() -> None:
    entries = shipped().entries
    typo_words = sorted({w for e in entries for w in e.words if len(w) >= TYPO_MIN_CHARS})
    phrase_words = sorted(
        {w for e in entries if len(e.words) > 1 for w in e.words if len(w) >= PHRASE_TYPO_MIN_CHARS}
    )
    typos = Lexicon(
        typo_words,
        two_edits=True,
        shortest=TYPO_MIN_CHARS,
        two_edits_from=TWO_TYPOS_MIN_CHARS - 2,
    )
    inside = Lexicon(phrase_words, two_edits=False, shortest=PHRASE_TYPO_MIN_CHARS)
    typed = _typed_words()
    assert len(typed) > 150
    found_any = 0
    for word in typed:
        allowed = 2 if len(word) >= TWO_TYPOS_MIN_CHARS else 1
        assert near(typos, word, allowed) == _scan(typo_words, word, allowed), word
        assert near(inside, word, 1) == _scan(phrase_words, word, 1), word
        found_any += bool(near(inside, word, 1))
    assert found_any > 20  # the comparison is not between two empty lists


def test_more_near_words_than_kept_are_cut_in_the_scans_order() -> None:
    targets = sorted("".join(p) for n in (3, 4, 5) for p in product("abc", repeat=n))
    lexicon = Lexicon(targets, two_edits=False, shortest=3)
    for typed in ("abca", "cab", "bbbb", "abcab"):
        every = process.extract(typed, targets, scorer=OSA.distance, score_cutoff=1, limit=None)
        assert len(every) > MAX_NEAR_WORDS
        assert near(lexicon, typed, 1) == _scan(targets, typed, 1)


def test_matchers_of_the_same_words_share_their_typo_lexicons() -> None:
    """Every index builds its own danger matcher; the deletion neighbourhoods of the same words
    are built once (a second each for the shipped knowledge), a new word makes new ones."""
    from bot.search.phrasematch import Phrase, PhraseMatcher

    phrases = [Phrase("de", "hit", ("schlagen",)), Phrase("de", "die", ("nicht", "leben"))]
    first = PhraseMatcher(phrases, {}, frozenset())
    second = PhraseMatcher(list(phrases), {}, frozenset())
    other = PhraseMatcher([*phrases, Phrase("de", "hit", ("prügeln",))], {}, frozenset())
    assert first._typo_targets is second._typo_targets
    assert first._phrase_words is second._phrase_words
    assert other._typo_targets is not first._typo_targets
    assert [h.group for h in second.read("sie schlagen mich").hits] == ["hit"]
