"""German compounds: "Lebensmittelausgabe" is "Lebensmittel" and "Ausgabe".

People type compounds the catalogue writes apart and apart what it writes as one; both the
index (splitting the catalogue's words) and the queries (splitting what people type) use
:func:`split_compound`, and only ever into parts the catalogue itself uses.
"""

from __future__ import annotations

from collections.abc import Container

from bot.search.transliteration import is_latin

MIN_COMPOUND_CHARS = 8
"""Shorter Latin words are almost never compounds ("Hausarzt" has 8 letters)."""

MIN_COMPOUND_PART = 3
"""The shortest part of a compound we split off ("Arzt" normalised is 4; "Not" in Notruf is 3)."""

_LINKING_ENDINGS = ("s", "es", "n", "en", "er", "e")
"""German Fugen elements: Lebensmittel-s-ausgabe, Schuldner-beratung, Frau-en-haus."""


def _known_part(left: str, known: Container[str]) -> str | None:
    """The word a compound's first part stands for, with or without its linking ending."""
    if left in known:
        return left
    for ending in _LINKING_ENDINGS:
        if left.endswith(ending) and len(left) - len(ending) >= MIN_COMPOUND_PART:
            stem = left[: -len(ending)]
            if stem in known:
                return stem
            if stem + "e" in known:  # Hilf-s-angebot → Hilfe
                return stem + "e"
    if left + "e" in known:  # Schul-buch → Schule
        return left + "e"
    return None


def split_compound(word: str, known: Container[str]) -> tuple[str, str] | None:
    """Split a (Latin) compound into two parts of which at least one is a ``known`` word.

    ``known`` is the index vocabulary, so a split only happens where the catalogue itself uses
    the parts: "lebensmittelausgabe" → ("lebensmittel", "ausgabe"), "schuldnerberatung" →
    ("schuldner", "beratung"). Splits where both parts are known win; among those, the most
    balanced one, so that "beratungsstelle" becomes ("beratung", "stelle") rather than
    ("bera", "tungsstelle").
    """
    if len(word) < MIN_COMPOUND_CHARS or not is_latin(word):
        return None
    best: tuple[tuple[int, int], tuple[str, str]] | None = None
    for cut in range(MIN_COMPOUND_PART, len(word) - MIN_COMPOUND_PART + 1):
        left, right = word[:cut], word[cut:]
        left_word = _known_part(left, known)
        right_known = right in known
        found = (left_word is not None) + right_known
        if not found:
            continue
        # A part that is not a known word must at least look like one.
        if found == 1 and min(len(left), len(right)) < MIN_COMPOUND_PART + 1:
            continue
        rank = (found, min(len(left), len(right)))
        if best is None or rank > best[0]:
            best = (rank, (left_word or left, right))
    return best[1] if best else None
