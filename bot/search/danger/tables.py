"""Build the two tables the detector reads, from well-kept language libraries (a dev step).

``forms.json``: every inflected form that the simplemma dictionaries know for a base word of the
knowledge ("geschlagen", "schlägt" → "schlagen"; "побив" → "побити"). ``protected.json``: every
common word of our seven languages (wordfreq, Zipf ≥ ``COMMON_ZIPF``) that lies within the typo
tolerance of a crisis word without being one ("gehalt" near "gewalt"), so the detector never
"corrects" it — a common Russian or Ukrainian word also in the Latin letters people type it in
("kuda", "nuzhen"), so that it is not read as a Turkish or Farsi crisis word. The libraries
cost 12 s and 400 MB to load, so the bot reads the small tables instead;
``python -m bot danger-tables`` rebuilds them after the language files change.
"""

from __future__ import annotations

import json
from pathlib import Path

from bot.search.danger.knowledge import DATA, base_words, load
from bot.search.lexicon import Lexicon
from bot.search.normalize import term, words
from bot.search.phrasematch import TWO_TYPOS_MIN_CHARS, TYPO_MIN_CHARS
from bot.search.transliteration import cyrillic_to_latin, has_cyrillic, is_latin

LANGUAGES = ("de", "en", "uk", "ru", "ar", "tr", "fa")

COMMON_ZIPF = 3.0
"""Zipf 3 is about once per million words: "gehalt" (4.4), "kaufen" (5.1), انتظار (4.6) are
far above; rare misspellings are below, so they may still be read as what they meant."""


def _single_term(text: str) -> str | None:
    """The matching form of a one-word text, normalised exactly as a typed message is."""
    parts = words(text, join_apostrophes=True)
    return term(parts[0]) if len(parts) == 1 else None


def _latin_spellings(typed: str) -> list[str]:
    """The Latin-letter spellings of a Cyrillic word that phones commonly produce: the plain
    scheme ("ukhod", "kuda"; the soft and hard signs dropped) and the one with h for х ("uhod")."""
    if not has_cyrillic(typed):
        return []
    latin = cyrillic_to_latin(typed).replace("ь", "").replace("ъ", "")
    if not is_latin(latin):
        return []
    return sorted({latin, latin.replace("kh", "h")})


def build_forms(folder: Path = DATA) -> dict[str, dict[str, str]]:
    """Per language: inflected term → base term, for the base words of the knowledge."""
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    factory = DefaultDictionaryFactory()
    wanted = base_words(load(folder).entries)
    forms: dict[str, dict[str, str]] = {}
    for language in LANGUAGES:
        bases = wanted.get(language, set())
        if not bases:
            continue
        table: dict[str, str] = {}
        for form, lemma in factory.get_dictionary(language).items():
            lemma_term = _single_term(str(lemma))
            if lemma_term in bases:
                form_term = _single_term(str(form))
                if form_term and form_term != lemma_term:
                    table[form_term] = lemma_term
        forms[language] = dict(sorted(table.items()))
    return forms


def build_protected(folder: Path = DATA) -> list[str]:
    """Common words within typo distance of another crisis word: never "corrected" into it.

    A common word that is itself in a phrase ("schlafen" in "mit ihm schlafen") is protected
    too: alone it must not become "schlagen"."""
    from wordfreq import iter_wordlist, zipf_frequency

    knowledge = load(folder)
    targets = Lexicon(
        sorted({w for e in knowledge.entries for w in e.words if len(w) >= TYPO_MIN_CHARS}),
        two_edits=True,
        shortest=TYPO_MIN_CHARS,
        two_edits_from=TWO_TYPOS_MIN_CHARS - 2,
    )
    protected: set[str] = set()
    for language in LANGUAGES:
        for word in iter_wordlist(language):
            if zipf_frequency(word, language) < COMMON_ZIPF:
                break
            typed = _single_term(word)
            if typed is None:
                continue
            for spelling in [typed, *_latin_spellings(typed)]:
                if len(spelling) < TYPO_MIN_CHARS:
                    continue
                allowed = 2 if len(spelling) >= TWO_TYPOS_MIN_CHARS else 1
                if targets.exact(spelling) is not None or targets.similar(
                    spelling, lambda _typed, _other, allowed=allowed: allowed, max_edits=allowed
                ):
                    protected.add(spelling)
    return sorted(protected)


def write_tables(folder: Path = DATA) -> tuple[int, int]:
    """Rebuild both tables in ``folder``; returns how many forms and protected words."""
    forms = build_forms(folder)
    protected = build_protected(folder)
    (folder / "forms.json").write_text(
        json.dumps(forms, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8"
    )
    (folder / "protected.json").write_text(
        json.dumps(protected, ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
    )
    return sum(len(t) for t in forms.values()), len(protected)
