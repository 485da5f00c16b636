"""How a word is looked up in the common-word table: the same folding for the table and for
the message, so "lazim" finds "lazım" and a Farsi word typed on an Arabic keyboard (ي, ك)
finds its Farsi spelling (ی, ک). The letters themselves are evidence too, read before folding."""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"[^\W\d_]+")
"""A run of letters: digits and punctuation never say which language a message is in."""

_FOLD = str.maketrans({"ı": "i", "ß": "ss", "ё": "е", "ي": "ی", "ك": "ک", "ى": "ی", "ۀ": "ه"})
_MARKS = ("Mn", "Me", "Cf")
"""Combining accents, Arabic short vowels and the zero-width non-joiner of "می‌خواهم"."""


def fold(word: str) -> str:
    """``word`` as the table keys it: lower case, Latin accents and Arabic vowel marks gone."""
    lowered = word.lower().translate(_FOLD)
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFD", lowered)
    # Keep the Cyrillic й and ї whole: they are letters of their own, not и or і with a mark.
    kept = "".join(
        c
        for i, c in enumerate(decomposed)
        if unicodedata.category(c) not in _MARKS or _cyrillic_mark(decomposed, i)
    )
    return unicodedata.normalize("NFC", kept)


def _cyrillic_mark(text: str, index: int) -> bool:
    return index > 0 and "\u0400" <= text[index - 1] <= "\u04ff"
