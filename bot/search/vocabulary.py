"""The vocabulary: every distinct word staff wrote, in every language, and what it reaches.

Built once per catalogue. A query word is matched against these words (exactly, as a prefix,
with typos, transliterated, or as part of a German compound), never against each service's
text, so the cost of a query follows the size of the vocabulary's neighbourhood of that word,
not the size of the catalogue. Each word also knows how specific it is: a word every service
uses says little about which one fits.
"""

from __future__ import annotations

import math
from array import array

from bot.catalogue.model import Catalogue, LocalizedText
from bot.search.categories import CategoryMembers
from bot.search.compounds import split_compound
from bot.search.lexicon import Lexicon
from bot.search.normalize import is_filler, term, tokens
from bot.search.normalize import words as normalize_words
from bot.search.postings import CATEGORY, KEYWORD, NAME, PART, SUMMARY, WEIGHT_BY_CODE, Postings
from bot.search.transliteration import (
    cyrillic_to_latin,
    has_cyrillic,
    is_latin,
    transliteration_key,
)

SPECIFIC_SHARE = 1 / 4
"""A word used by at most a quarter of the services identifies them fully (a whole category
such as "obdachlos" does); rarer is not more specific for our purpose. Scale-free, so 1,000
and 10,000 services rank alike. On the evaluation set 1/8 loses 4 top-1 hits, 1/2 loses 2."""
MIN_SPECIFICITY = 0.15
"""The least a matched word is worth, however common: "beratung" still says something."""
SPECIFICITY_MIN_SERVICES = 50
"""Small catalogues (tests, a new city) would make every word look common; count as if there
were at least 50 services."""


class TextReader:
    """Turns catalogue texts into index words, remembering how each word was written.

    Caches per keyword and per word: the same keywords recur across services ("schulden",
    "tafel"), and so do most words, so a 10,000-service catalogue is read in about a second.
    """

    def __init__(self, filler: frozenset[str]) -> None:
        self.filler = filler
        self.surfaces: dict[str, str] = {}  # term → how it was first written, for --explain
        self.written: dict[str, str] = {}  # every written form → its term, for head matching
        self.own_words: dict[str, set[str]] = {}
        self._terms: dict[str, str | None] = {}  # written form → term, None for filler
        self._keywords: dict[tuple[str, str], tuple[str, ...]] = {}
        self._single_filler: dict[str, str | None] = {}

    def learn_own_words(self, keywords: dict[str, tuple[str, ...]]) -> None:
        """Remember keywords that are a single word the general rules call filler — Turkish
        "iş" (work) is English "is" after folding, "112" is a number — as words of the
        keyword's language: there they are kept, also inside longer keywords ("iş arama")."""
        for language, phrases in keywords.items():
            for phrase in phrases:
                if phrase not in self._single_filler:
                    single = tokens(phrase)
                    own = len(single) == 1 and len(single[0].term) > 1
                    own = own and is_filler(single[0].term, self.filler)
                    self._single_filler[phrase] = single[0].term if own else None
                word = self._single_filler[phrase]
                if word is not None:
                    self.own_words.setdefault(language, set()).add(word)

    def _words_of(self, text: str, keep: set[str] | frozenset[str] = frozenset()) -> list[str]:
        found: list[str] = []
        for surface in normalize_words(text):
            word = self._terms.get(surface, "")
            if word == "":
                word = term(surface)
                if is_filler(word, self.filler):
                    word = None
                else:
                    self.surfaces.setdefault(word, surface)
                    self.written.setdefault(surface, word)
                self._terms[surface] = word
            if word is not None:
                found.append(word)
            elif keep and (own := term(surface)) in keep:
                self.surfaces.setdefault(own, surface)
                self.written.setdefault(surface, own)
                found.append(own)
        return found

    def words(self, text: LocalizedText) -> set[str]:
        """The index words of a text in all its languages (one pass over all of them)."""
        return set(self._words_of("\n".join(t for _, t in text.all_texts())))

    def keyword_words(self, keywords: dict[str, tuple[str, ...]]) -> set[str]:
        """The index words of keywords, with the own words of each keyword's language."""
        found: set[str] = set()
        for language, phrases in keywords.items():
            keep = self.own_words.get(language, frozenset())
            for phrase in phrases:
                cached = self._keywords.get((phrase, language))
                if cached is None:
                    cached = tuple(self._words_of(phrase, keep))
                    self._keywords[(phrase, language)] = cached
                found.update(cached)
        return found


class Vocabulary:
    """The catalogue's words with their lookups, postings and specificity. Words have ids
    (their position in the sorted word list) that every later stage uses."""

    def __init__(self, catalogue: Catalogue, filler: frozenset[str], categories: CategoryMembers):
        """``filler``: catalogue-specific words that never count (the city's name)."""
        self._filler = filler
        reader = TextReader(filler)
        services = catalogue.services
        for owner in (*catalogue.categories, *services):
            reader.learn_own_words(owner.keywords)
        occurrences: dict[str, dict[int, int]] = {}  # word → {service: strongest field code}
        for index, service in enumerate(services):
            fields = (
                (KEYWORD, reader.keyword_words(service.keywords)),
                (NAME, reader.words(service.name)),
                (SUMMARY, reader.words(service.summary)),
            )
            for code, found in fields:  # strongest field first: the first code stays
                for word in found:
                    entry = occurrences.get(word)
                    if entry is None:
                        occurrences[word] = {index: code}
                    elif index not in entry:
                        entry[index] = code

        in_categories: dict[str, dict[int, int]] = {}  # word → {category: field code}
        for number, category in enumerate(catalogue.categories):
            if not categories.services[number]:
                continue  # nobody to find through it
            found = reader.words(category.name) | reader.keyword_words(category.keywords)
            for word in found:
                in_categories.setdefault(word, {})[number] = CATEGORY

        self._split_compounds(occurrences, in_categories, reader.surfaces)
        # Sorted, not in set order: a word's id decides among equally good readings of a query
        # word (typo candidates, the cut at MAX_TERMS_PER_WORD), and the set's order of strings
        # changes with every process (PYTHONHASHSEED), so the same query would not get the same
        # answer after a restart.
        words = sorted(occurrences.keys() | in_categories.keys())
        self.lexicon = Lexicon(words, two_edits=True)
        self.surfaces = [reader.surfaces.get(w, w) for w in words]
        """Per word id: how the word was first written, for explanations."""
        self.written_ids = {
            form: self.lexicon.ids[t] for form, t in reader.written.items() if t in self.lexicon.ids
        }
        """Every written form of a catalogue word → the word's id (heads are found on these)."""
        self.own_words = reader.own_words
        self.all_own_words: frozenset[str] = frozenset().union(*reader.own_words.values())
        self.postings = Postings(words, occurrences, in_categories, categories, len(services))
        self.categories_of_term = {
            term_id: tuple(categories.ids[c] for c, code in reach if code == CATEGORY)
            for term_id, reach in enumerate(self.postings.in_categories)
            if reach
        }
        """Word id → the categories whose name or keywords use the word itself (not a part)."""
        self.specificity = _specificity(self.postings.document_counts, len(services))
        keys: dict[str, list[int]] = {}
        for term_id, word in enumerate(words):
            if has_cyrillic(word):
                latin = cyrillic_to_latin(word)
                if is_latin(latin):
                    keys.setdefault(transliteration_key(latin), []).append(term_id)
        self.translit = Lexicon(list(keys), two_edits=False)
        """The transliteration keys of the Cyrillic words."""
        self.translit_terms = list(keys.values())
        """Per transliteration key id: the ids of the words with that key."""

    @property
    def size(self) -> int:
        """Distinct normalised words (with compound parts): what query cost grows with."""
        return len(self.lexicon.words)

    def _split_compounds(
        self,
        occurrences: dict[str, dict[int, int]],
        in_categories: dict[str, dict[int, int]],
        surfaces: dict[str, str],
    ) -> None:
        """Index the parts of compounds as words of their own, at a lower weight.

        "lebensmittelausgabe" also becomes "lebensmittel" and "ausgabe"; a part that is itself
        a compound is split once more ("notschlafstelle" → "not", "schlafstelle" → "schlaf",
        "stelle"). Parts of category words reach the category's services.

        A part is always shorter than its compound, so splitting the longest words first hands
        every part the owners of all the compounds it is in before it is split itself: the
        postings are the same whatever the order of the (hash-ordered) set of words.
        """
        known = occurrences.keys() | in_categories.keys()
        splits: dict[str, list[str]] = {}
        for word in known:
            parts = split_compound(word, known)
            if parts is not None:
                splits[word] = [p for p in parts if p != word and not is_filler(p, self._filler)]
        # Parts of the catalogue's words are split once more; their parts are not.
        for parts in list(splits.values()):
            for part in parts:
                if part not in splits and part not in known:
                    again = split_compound(part, known)
                    if again is not None:
                        splits[part] = [
                            p for p in again if p != part and not is_filler(p, self._filler)
                        ]
        for word in sorted(splits, key=lambda w: (-len(w), w)):
            for part in splits[word]:
                surfaces.setdefault(part, part)
                for postings, source in (
                    (occurrences, occurrences.get(word)),
                    (in_categories, in_categories.get(word)),
                ):
                    if not source:
                        continue
                    entry = postings.setdefault(part, {})
                    for owner, code in source.items():
                        derived = code | PART
                        old = entry.get(owner)
                        if old is None or WEIGHT_BY_CODE[derived] > WEIGHT_BY_CODE[old]:
                            entry[owner] = derived


def _specificity(document_counts: list[int], service_count: int) -> array[float]:
    """Per word: 1.0 for a word in at most :data:`SPECIFIC_SHARE` of the services, less the
    more services use it (logarithmically), never below :data:`MIN_SPECIFICITY`."""
    scale = math.log(1 / SPECIFIC_SHARE)
    effective = max(service_count, SPECIFICITY_MIN_SERVICES)
    return array(
        "d",
        (
            min(1.0, max(MIN_SPECIFICITY, math.log(effective / max(1, n)) / scale))
            for n in document_counts
        ),
    )
