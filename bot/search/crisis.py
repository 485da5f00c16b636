"""Crisis words in a message ("ich will nicht mehr leben", "мене б'є чоловік"): whether the
person may be in danger, so that the emergency services come first whatever else was asked.

The phrases are the catalogue's ``crisis`` keywords in every language; they are read in the
whole text, also beyond the words the search itself matches.
"""

from __future__ import annotations

from bot.catalogue.model import Catalogue
from bot.search.normalize import Token, has_apostrophe, tokens
from bot.search.phrases import PhraseMatcher

CRISIS_MAX_GAP = 1
"""One extra word may stand inside a crisis phrase: "nicht mehr *weiter* leben"."""
CRISIS_COMPOUND_MIN = 5
"""A one-word crisis keyword of at least 5 letters also matches as the start of a compound
("Suizidgedanken"); shorter ones would start ordinary words."""


def _one_typo_from_four(query_length: int, word_length: int) -> int:
    """Crisis words: one typo in any word of 4 letters or more, whatever the person typed."""
    return 1 if word_length >= 4 else 0


class CrisisWords:
    """The catalogue's crisis phrases, found in a message with a typo and a gap allowed."""

    def __init__(self, catalogue: Catalogue) -> None:
        phrases: list[tuple[Token, ...]] = []
        self._texts: list[str] = []
        for words in catalogue.crisis.keywords.values():
            for phrase in words:
                normalized = tuple(tokens(phrase, join_apostrophes=True))
                if normalized:
                    phrases.append(normalized)
                    self._texts.append(phrase)
        self._matcher = PhraseMatcher(
            phrases,
            allowance=_one_typo_from_four,
            max_gap=CRISIS_MAX_GAP,
            compound_min=CRISIS_COMPOUND_MIN,
        )

    def find(self, text: str, words: list[Token]) -> tuple[str | None, set[str]]:
        """The first crisis phrase of ``text`` as staff wrote it (None when there is none), and
        the query words (matching forms) that crisis phrases used.

        ``words`` are the text's tokens as the search reads them; crisis phrases keep "don't"
        one word, which without an apostrophe is the same split, so they are reused then.
        """
        crisis_words = tokens(text, join_apostrophes=True) if has_apostrophe(text) else words
        hits = self._matcher.find(crisis_words)
        if not hits:
            return None, set()
        spoken = {t.term for h in hits for t in crisis_words[h.start : h.stop]}
        return self._texts[hits[0].phrase], spoken
