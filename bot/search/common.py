"""The common words of our seven languages: a typed common word is that word, not a typo.

"kaufen" is one letter from "saufen", "gehalt" from "gewalt", "über" starts "Überfall": a
search that forgives typos turns real words into other real words. A word people use every
day (wordfreq, Zipf ≥ :data:`COMMON_ZIPF`, in any of the languages) is therefore read only as
itself, its inflections and the compounds it heads — never as a typo of another word or as the
first letters of a longer one. The table is generated once (a dev step, ``python -m bot
common-words``) and shipped, as wordfreq costs seconds and hundreds of MB to load.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from bot.search.normalize import term, words

TABLE = Path(__file__).resolve().parent / "common-words.txt"

LANGUAGES = ("de", "en", "tr", "ar", "fa", "ru", "uk")

COMMON_ZIPF = 4.0
"""About once in 100,000 words: "kaufen" (5.1), "laden" (4.6), "gehalt" (4.4) are far above,
while catalogue words people misspell ("schuldnerberatung" 2.6, "wohngeld" 3.1) stay below
and keep their typo tolerance. About 9,000 words per language (3.5 would double the table)."""

MIN_CHARS = 4
"""Shorter words get no typo or prefix readings anyway (bot.search.reading), so the words that
are protected from them start here."""
MIN_EVERYDAY_CHARS = 2
"""The table also holds shorter everyday words ("yer" place, "el" hand, محل shop, خوب good):
they decide nothing alone either (:func:`everyday_words`)."""


@cache
def everyday_words() -> frozenset[str]:
    """Every word of the shipped table, in matching forms: the words that alone say little
    about a need (the search's weak evidence). Read once per process, shared by every index."""
    if not TABLE.is_file():
        return frozenset()
    return frozenset(TABLE.read_text(encoding="utf-8").split())


@cache
def common_words() -> frozenset[str]:
    """The everyday words of :data:`MIN_CHARS` letters or more: read only as themselves, never
    as a typo of another word or the first letters of a longer one."""
    return frozenset(w for w in everyday_words() if len(w) >= MIN_CHARS)


def build_table() -> list[str]:
    """Every common word of every language in its matching form (needs the dev group)."""
    from wordfreq import iter_wordlist, zipf_frequency

    found: set[str] = set()
    for language in LANGUAGES:
        for word in iter_wordlist(language):
            if zipf_frequency(word, language) < COMMON_ZIPF:
                break
            parts = words(word, join_apostrophes=True)
            if len(parts) == 1 and len(typed := term(parts[0])) >= MIN_EVERYDAY_CHARS:
                found.add(typed)
    return sorted(found)


def write_table(path: Path = TABLE) -> int:
    """Rebuild the shipped table; returns how many words it holds."""
    table = build_table()
    path.write_text("\n".join(table) + "\n", encoding="utf-8")
    return len(table)
