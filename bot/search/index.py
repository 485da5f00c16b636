"""Free-text search over the catalogue: what people type → the services that fit, best first.

The index is built once per catalogue and is read-only afterwards, so one index serves every
message (and a reload simply builds a new one). It knows the *vocabulary* — the distinct
normalised words staff wrote in names, keywords, summaries and category names, in every
language — and for each word the services that use it (postings). A query word is matched
against the vocabulary (exactly, as a prefix, with typos, transliterated, or as part of a German
compound), never against each service's text, so the cost of a query follows the size of the
vocabulary's neighbourhood of that word, not the size of the catalogue.

Scores are 0–100: the strongest specific match of one query word (a keyword beats a word in a
summary, exact beats a typo, a rare word beats one that every service uses), scaled by how much
of the query the service explains. Below :data:`MIN_RELEVANCE` the answer is "nothing found",
which the bot turns into the menu — better than three random services for "hallo".
"""

from __future__ import annotations

import heapq
import math
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, Generic, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.catalogue.model import Catalogue, District, LocalizedText, Service
from bot.geo import EARTH_RADIUS_M, Coordinates, distance_m
from bot.search.normalize import (
    STOP_WORD_LANGUAGES,
    Token,
    cyrillic_to_latin,
    has_apostrophe,
    has_cyrillic,
    is_filler,
    is_latin,
    is_modifier,
    log_form,
    split_compound,
    term,
    terms,
    tokens,
    transliteration_key,
    typo_allowance,
)
from bot.search.normalize import words as normalize_words

# -- weights ------------------------------------------------------------------------------------

FIELDS = ("keyword", "name", "category", "summary")
"""Where a catalogue word comes from, in the order of :data:`FIELD_WEIGHTS`."""

FIELD_WEIGHTS = (1.0, 0.9, 0.8, 0.45)
"""Keywords are what staff expect people to type; names are nearly as deliberate; a category
word is true of the service but says less about it; summaries are prose with incidental words.
Measured on the evaluation set: summary 0.6 lets small talk find prose words (nothing-rate
43/46 → 40/46); category 0.6 loses 2 top-1 hits; name 0.7-1.0 changes at most one query."""

COMPOUND_PART_FACTOR = 0.7
"""A word found inside a compound ("ausgabe" in "Lebensmittelausgabe") is good evidence, but
less than the word on its own, and less than a category word (0.8): "geld" should not make
"Bürgergeld" outrank the food services for "hunger, kein Geld". 0.7-1.0 score alike on the
evaluation set (±1 query), 0.5 loses a top-3 hit."""

_KEYWORD, _NAME, _CATEGORY, _SUMMARY = range(4)
_PART = 4  # field code offset for words split out of compounds
_CODE_SHIFT = 3  # postings store service_index << 3 | field code
_FIELD_MASK = (1 << _CODE_SHIFT) - 1  # a posting's field code: posting & _FIELD_MASK
_WEIGHT_BY_CODE = (*FIELD_WEIGHTS, *(w * COMPOUND_PART_FACTOR for w in FIELD_WEIGHTS))

EXACT = 1.0
JOINED = 0.95
"""Two query words that the catalogue writes as one ("Schulden Beratung")."""
COMPOUND_SPLIT = 0.9
"""Each known part of a query compound the catalogue does not use as a whole."""
COMPOUND_COVERAGE = 0.6
"""The known parts must make up 60 % of a query compound's letters, or the reading is a guess."""
TRANSLITERATED = 0.9
"""A Latin-letter word that spells a Cyrillic catalogue word ("pomosh" → помощь)."""
FUZZY_SCALE, FUZZY_EXPONENT = 0.95, 1.5
"""Strength 0.95 × (1 - typos/length)^1.5: one typo in "tafel" gives 0.68, in
"schuldnerberatung" 0.86 — long words survive a slip, in short ones a typo often makes another
real word ("rest"/"test"), so the match must be confirmed by other words of the query."""
PREFIX_BASE, PREFIX_SPAN = 0.55, 0.4
"""A prefix ("lebensm" of "lebensmittel") scores 0.55 plus 0.4 times the share it covers."""
HEAD_BASE, HEAD_SPAN = 0.45, 0.4
"""A known word at the start of a longer query word ("Kinderarzt" → "kinder")."""
INFLECTED = 0.9
"""Prefix or head matches that differ only by an ending of up to 3 letters are inflections
("долг"/"долгами", "hilfe"/"hilfen", "kind"/"kinder"): almost as good as exact."""
INFLECTION_CHARS = 3
ENDING_CHARS = 2
"""A typo confined to the last two letters of words that agree before is a case ending
("куртку"/"куртка", "зимнюю"/"зимняя"): an inflection, not a doubtful typo."""
EXACT_SHADOW = 0.8
"""Head and stem readings of a query word that the catalogue also has as such count 0.8:
"rente" is the German word, not English "rent" plus an ending."""
STEM_BASE, MIN_STEM, STEM_SHARE = 0.85, 6, 0.7
"""Two words that share their first 6 letters and 70 % of the query word are one word in
another form; strength 0.85 × shared share ("vergewaltigt"/"vergewaltigung": 0.67)."""
MODIFIER_FACTOR = 0.3
"""Weight of a modifier word (free, without, help: normalize.MODIFIERS) against a need word;
at 1.0 "нужен бесплатный адвокат" puts the free lunch before the lawyer and
"Wohnungslosenberatung" loses its right answer ("beratung" outweighing "wohnungslos")."""

MIN_PREFIX = 4
"""Shorter prefixes match too much ("ber" starts 40 words of the shipped vocabulary)."""
MIN_HEAD = 4
MAX_TERMS_PER_WORD = 12
"""A query word expands to at most this many vocabulary words (the strongest): enough for all
inflections of a prefix, bounded so that "bera" cannot fan out over a large vocabulary."""
PREFIX_SCAN_LIMIT = 200

SPECIFIC_SHARE = 1 / 4
"""A word used by at most a quarter of the services identifies them fully (a whole category
such as "obdachlos" does); rarer is not more specific for our purpose. Scale-free, so 1,000
and 10,000 services rank alike. On the evaluation set 1/8 loses 4 top-1 hits, 1/2 loses 2."""
MIN_SPECIFICITY = 0.15
SPECIFICITY_MIN_SERVICES = 50
"""Small catalogues (tests, a new city) would make every word look common; count as if there
were at least 50 services."""

UNMATCHED_WEIGHT = 0.6
"""How much a query word that matches nothing counts against coverage: less than a matched
specific word (1.0), because many unmatched words are filler our stop lists do not know
(0.3-0.9 score alike on the evaluation set)."""
COVERAGE_FLOOR = 0.5
"""relevance = best word × (0.5 + 0.5 × coverage): one strong keyword among unknown words still
counts; a service that explains every word ranks above one that explains only the best.
Without coverage (1.0) top-1 drops by 13 queries; 0.7 lets two more none-queries through."""

MIN_RELEVANCE = 36.0
"""Below this, "nothing found". Chosen from ``python -m bot.search.evaluation`` (threshold off): the
none-queries' best candidates score at most 32.6, except three that hit real catalogue words
("bus" 92.5, "super"→Suppe 57.1, "test"→rest 49.9, which no threshold can tell); the right
answers score at least 38.1 ("strom" inside "Stromschulden"), except three misses; 36 sits
in that gap."""

CATEGORY_SHARE = 0.05
"""A service in a category the query names ("Schulden" → money) gets 5 points: it decides
between equally good matches ("ديون" is also a keyword of the rent-arrears office) and no more.
Without it top-1 loses 2 queries; 0.1 gains nothing."""

DISTRICT_SHARE = 0.15
"""A district named in the query is worth 15 points: it reorders equally good services and lets
a good one nearby beat a perfect one across town, but not a weak one a strong one."""
DISTRICT_RADIUS_M = 2500.0
"""Services outside the named district still get part of the bonus when its centre is within
2.5 km (Hannover's Stadtteile are 1-3 km across)."""

NEAR_SHARE = 0.10
"""With a location, up to 10 points for being close: a gentle preference, not an override."""
NEAR_HALF_M = 2000.0
"""Half the bonus at 2 km (about 25 minutes on foot), a fifth at 8 km."""
NO_PLACE_PROXIMITY = 0.5
"""Hotlines and online services have no place; they are as reachable as something 2 km away."""

POSTINGS_SCAN_LIMIT = 200
"""Postings read per vocabulary word. Words in more services ("beratung" in half of them) are
read only up to this many (keywords first) and are otherwise used to re-score candidates found
through rarer words: this keeps a query's cost flat as the catalogue grows."""
NEAR_CANDIDATES = 100
"""With a location, about this many of the nearest services (whole grid cells, nearest first)
are also considered for common words."""
PROBE_CANDIDATES = 100
"""The best candidates so far that a common word looks up beyond its budget: the final top 3
(or a page of 12) comes from them."""
MAX_PROBED_WORDS = 3
"""Of the words a query word stands for, at most the 3 strongest (and only those worth at least
half the strongest) look up candidates beyond the budget: the weak readings of a common word
("kostenlose" for "kostenlos") add little and would cost a lookup per candidate each."""
RANK_POOL = 100
"""Equally good candidates ranked in full (with distances); the rest of a tie is dropped, keeping
those in the named district and near the person."""
GRID_DEG = 0.01
"""Grid cell for the nearest-service lookup: about 1.1 km × 0.7 km in Hannover."""
MAX_GRID_RINGS = 60

WORD_CACHE_SIZE = 4096
"""Query words whose readings an index remembers, least recently used forgotten first. People
reuse words ("essen", "schulden", "arzt"): the evaluation set's 369 queries have about 700
distinct words, so this holds the words of many days; full, the caches of an index hold about
5 MB (measured with tracemalloc). Never whole queries: only what one word means against this
index's vocabulary."""

MAX_QUERY_WORDS = 24
"""Content words matched per query; the rest of a pasted text is ignored (crisis words are
still looked for in the whole text)."""

CATEGORY_MIN_STRENGTH = 0.8
"""A category counts as named when a word of its name or keywords matches at least this well:
exact, an inflection, a transliteration or a typo in a long word — not a short prefix of a long
word ("leben" of "Lebenslauf" is 0.75)."""

CRISIS_REORDER_MIN = 50.0
"""Among emergency services the file's order is deliberate (staff put 112 first); only a clear
match (≥ 50, e.g. "mein Mann schlägt mich" → the violence hotline) reorders them, not a typo
reading of one word ("жити" → "діти")."""

CRISIS_MAX_GAP = 1
"""One extra word may stand inside a crisis phrase: "nicht mehr *weiter* leben"."""
CRISIS_COMPOUND_MIN = 5
"""A one-word crisis keyword of at least 5 letters also matches as the start of a compound
("Suizidgedanken"); shorter ones would start ordinary words."""


# -- results ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a service matched, for ``ask --explain`` and for tuning: one query word's best match."""

    field: str
    """keyword, name, category, summary — or district, near, crisis."""
    query_term: str
    catalogue_term: str
    strength: float
    """Match quality 0-1 (exact 1.0, a typo or prefix less)."""
    kind: str
    """exact, prefix, fuzzy, ending, head, stem, compound, joined, translit — with ", in
    compound" when the catalogue word was split out of a longer one."""


@dataclass(frozen=True, slots=True)
class Match:
    """One service in the answer, with its score (0-100) and the reasons for it."""

    service: Service
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class SearchOutcome:
    """The whole answer to one message; ``normalized`` is what the anonymous log may keep."""

    query: str
    normalized: str
    results: tuple[Match, ...]
    categories: tuple[str, ...]
    district: District | None
    crisis: bool


# -- the vocabulary -----------------------------------------------------------------------------

_Key = TypeVar("_Key")
_Value = TypeVar("_Value")


class _WordCache(Generic[_Key, _Value]):
    """A bounded map from a query word to what it means, forgetting the least recently used.

    Not ``functools.lru_cache`` on a method: that would tie the index into a reference cycle,
    and a replaced index (after a reload) would then wait for a full garbage collection, which
    for a large catalogue pauses the bot, instead of being freed at once.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: dict[_Key, _Value] = {}

    def get(self, key: _Key) -> _Value | None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._entries[key] = entry  # now the most recently used (dicts keep order)
        return entry

    def put(self, key: _Key, value: _Value) -> _Value:
        if len(self._entries) >= self._size:
            self._entries.pop(next(iter(self._entries)), None)
        self._entries[key] = value
        return value


class _Lexicon:
    """Distinct words with exact, prefix and typo-tolerant lookup, none of it scanning all words.

    Typos: every word of at least 4 letters is stored under itself and each one-letter
    deletion (a deletion neighbourhood), so a word within one edit — insertion, deletion,
    substitution or swap of neighbours — is found with len(word) + 1 dictionary lookups.
    Two edits are only allowed for words of 8 letters and more; those are compared with
    rapidfuzz against the long words of nearly the same length, a small slice of the vocabulary.
    """

    def __init__(self, words: Sequence[str], *, two_edits: bool) -> None:
        self.words = list(words)
        self.ids = {w: i for i, w in enumerate(self.words)}
        order = sorted(range(len(self.words)), key=self.words.__getitem__)
        self.sorted_words = [self.words[i] for i in order]
        self.sorted_ids = order
        self.deletions: dict[str, list[int]] = {}
        long_words: dict[int, tuple[list[str], list[int]]] = {}
        for index, word in enumerate(self.words):
            if len(word) < 4:
                continue
            for key in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
                bucket = self.deletions.get(key)
                if bucket is None:
                    self.deletions[key] = [index]
                else:
                    bucket.append(index)
            if two_edits and len(word) >= 8:
                texts, ids = long_words.setdefault(len(word), ([], []))
                texts.append(word)
                ids.append(index)
        self.long_words = long_words

    def exact(self, word: str) -> int | None:
        return self.ids.get(word)

    def prefixed(self, prefix: str) -> Iterator[int]:
        """Ids of the words that start with ``prefix`` (not the word itself), in word order."""
        start = bisect_left(self.sorted_words, prefix)
        for position in range(start, min(start + PREFIX_SCAN_LIMIT, len(self.sorted_words))):
            word = self.sorted_words[position]
            if not word.startswith(prefix):
                return
            if word != prefix:
                yield self.sorted_ids[position]

    def similar(
        self, word: str, allowance: Callable[[int, int], int], *, max_edits: int = 2
    ) -> dict[int, int]:
        """Ids of the words within ``allowance(len(word), len(other))`` edits → edit count.

        Exact matches are left out: they are :meth:`exact`'s business. ``max_edits=1`` skips
        the two-edit comparison with the long words (most of the cost of a long word) for
        callers that would drop those matches anyway.
        """
        found: dict[int, int] = {}
        if len(word) >= 3:
            candidates: set[int] = set()
            for key in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
                candidates.update(self.deletions.get(key, ()))
            # In id order: the set's order follows the (hash-ordered) keys it was filled from,
            # and callers keep the first of equally good words.
            for index in sorted(candidates):
                other = self.words[index]
                limit = min(1, allowance(len(word), len(other)))
                if limit and other != word:
                    distance = OSA.distance(word, other, score_cutoff=limit)
                    if distance <= limit:
                        found[index] = distance
        if (
            max_edits >= 2
            and self.long_words
            and len(word) >= 8
            and allowance(len(word), len(word)) >= 2
        ):
            for length in range(max(8, len(word) - 2), len(word) + 3):
                texts, ids = self.long_words.get(length, ((), ()))
                if not texts:
                    continue
                for _, distance, position in process.extract(
                    word, texts, scorer=OSA.distance, score_cutoff=2, limit=None
                ):
                    if distance == 2 and allowance(len(word), length) >= 2:
                        found.setdefault(ids[position], 2)
        return found


def _search_allowance(query_length: int, word_length: int) -> int:
    """Typos tolerated between a query word and a catalogue word: by the shorter of the two."""
    return typo_allowance(min(query_length, word_length))


def _translit_allowance(query_length: int, word_length: int) -> int:
    """Transliteration keys already absorb spelling schemes; a typo on top is only believable
    in longer words."""
    return 1 if min(query_length, word_length) >= 6 else 0


def _district_allowance(query_length: int, word_length: int) -> int:
    """District names: one typo from 5 letters ("Lindn"); "List" and "Mitte"-like short names
    only exactly, or every "last" and "lust" would name a district."""
    return 1 if min(query_length, word_length) >= 5 else 0


def _one_typo_from_four(query_length: int, word_length: int) -> int:
    """Crisis words: one typo in any word of 4 letters or more, whatever the person typed."""
    return 1 if word_length >= 4 else 0


@dataclass(frozen=True, slots=True)
class _PhraseHit:
    phrase: int
    start: int
    stop: int
    typos: int


class _PhraseMatcher:
    """Finds multi-word phrases (crisis words, district names) in a query, in order, with typos.

    A query word matches a phrase word when their matching forms *or* their surface forms are
    within the allowed typos: the matching form's rules (doubled letters count once, "ue" is
    "u") can turn one slip into two edits ("suiid" → "suid" vs "suizid"), the surface form
    cannot. ``max_gap`` extra words may stand between the words of a phrase. One-word phrases of
    at least ``compound_min`` letters also match at the start of a longer word.
    """

    def __init__(
        self,
        phrases: Sequence[tuple[Token, ...]],
        *,
        allowance: Callable[[int, int], int],
        max_gap: int = 0,
        compound_min: int | None = None,
    ) -> None:
        self.phrases = [tuple(t.term for t in p) for p in phrases]
        self.terms = _Lexicon(sorted({w for p in self.phrases for w in p}), two_edits=False)
        surfaces: dict[str, set[int]] = {}
        for phrase in phrases:
            for token in phrase:
                surfaces.setdefault(token.surface, set()).add(self.terms.ids[token.term])
        self.surfaces = _Lexicon(list(surfaces), two_edits=False)
        self.surface_terms = [sorted(ids) for ids in surfaces.values()]
        self.allowance = allowance
        self.max_gap = max_gap
        self.starting: dict[int, list[int]] = {}
        for index, phrase_terms in enumerate(self.phrases):
            self.starting.setdefault(self.terms.ids[phrase_terms[0]], []).append(index)
        self.compound_words: set[str] = set()
        if compound_min is not None:
            self.compound_words = {
                p[0] for p in self.phrases if len(p) == 1 and len(p[0]) >= compound_min
            }
        self.compound_lengths = sorted({len(w) for w in self.compound_words})
        self._matches: _WordCache[Token, dict[int, int]] = _WordCache(WORD_CACHE_SIZE)

    def _word_matches(self, token: Token) -> dict[int, int]:
        """Phrase-word ids this query word stands for → typos; remembered per word (every
        query is read for crisis words and district names, mostly with the same words).
        The answer is shared: callers must not change it."""
        matches = self._matches.get(token)
        if matches is None:
            matches = self._matches.put(token, self._read_word(token))
        return matches

    def _read_word(self, token: Token) -> dict[int, int]:
        matches = dict(self.terms.similar(token.term, self.allowance))
        for surface_id, typos in self.surfaces.similar(token.surface, self.allowance).items():
            for word_id in self.surface_terms[surface_id]:
                matches[word_id] = min(typos, matches.get(word_id, typos))
        exact = self.terms.exact(token.term)
        if exact is not None:
            matches[exact] = 0
        for length in self.compound_lengths:
            if length >= len(token.term):
                break
            head = token.term[:length]
            if head in self.compound_words:
                matches.setdefault(self.terms.ids[head], 0)
        return matches

    def find(
        self, words: Sequence[Token], exact_only: Callable[[str], bool] | None = None
    ) -> list[_PhraseHit]:
        """Every occurrence of every phrase; ``exact_only`` marks words that may not be typos."""
        per_position: list[dict[int, int]] = []
        for token in words:
            if exact_only is not None and exact_only(token.term):
                exact = self.terms.exact(token.term)
                matches = {} if exact is None else {exact: 0}
            else:
                matches = self._word_matches(token)
            per_position.append(matches)
        hits: list[_PhraseHit] = []
        for start, matches in enumerate(per_position):
            for word_id, typos in matches.items():
                for phrase_index in self.starting.get(word_id, ()):
                    hit = self._extend(phrase_index, start, typos, per_position)
                    if hit is not None:
                        hits.append(hit)
        return hits

    def _extend(
        self, phrase_index: int, start: int, typos: int, per_position: list[dict[int, int]]
    ) -> _PhraseHit | None:
        position = start
        for word in self.phrases[phrase_index][1:]:
            word_id = self.terms.ids[word]
            for step in range(1, self.max_gap + 2):
                nxt = position + step
                if nxt < len(per_position) and word_id in per_position[nxt]:
                    typos += per_position[nxt][word_id]
                    position = nxt
                    break
            else:
                return None
        return _PhraseHit(phrase_index, start, position + 1, typos)


# -- query analysis -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Hit:
    """A vocabulary word a query word stands for, and how sure we are.

    Hits are remembered per query word and shared between queries: never change one."""

    term_id: int
    strength: float
    kind: str
    query_word: str
    value: float = 0.0
    """strength × the query word's specificity × modifier factor: what the hit is worth."""


@dataclass(slots=True)
class _Unit:
    """One meaningful query word (or two written apart that the catalogue writes as one).

    ``alternatives`` are readings of it — the word itself, its compound parts — each a list of
    parts that must all match; the best reading counts.
    """

    text: str
    alternatives: list[list[Sequence[_Hit]]]
    terms: tuple[str, ...]
    weight: float = UNMATCHED_WEIGHT

    @property
    def hits(self) -> Iterator[_Hit]:
        return (h for alt in self.alternatives for part in alt for h in part)


@dataclass(frozen=True, slots=True)
class _Preferences:
    """What beyond the words decides between services: the named category and district, the
    person's place, and the reader's language."""

    district: int | None
    near: Coordinates | None
    language: str
    categories: frozenset[str]
    nearby: list[int]


_Entry = tuple[float, float, Any, Any]
"""Per service: (value with specificity, match quality, hit, field code) — or, for a compound
read as several parts, (value, quality, None, the parts' own entries)."""


class _TextReader:
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


class SearchIndex:
    """Everything a query needs, precomputed from one catalogue. Build with :meth:`build`."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._services = catalogue.services
        count = len(self._services)
        self._filler = frozenset(terms(catalogue.region.name))
        self._build_vocabulary(catalogue)
        self._build_specificity(count)
        self._build_places(catalogue)
        self._build_districts(catalogue)
        self._build_crisis(catalogue)
        self._emergency = [i for i, s in enumerate(self._services) if s.emergency]
        self._emergency_set = frozenset(self._emergency)
        self._word_readings: _WordCache[Token, tuple[_Hit, ...]] = _WordCache(WORD_CACHE_SIZE)
        self._joined_readings: _WordCache[tuple[str, str], tuple[_Hit, ...]] = _WordCache(
            WORD_CACHE_SIZE
        )

    @classmethod
    def build(cls, catalogue: Catalogue) -> SearchIndex:
        """Index ``catalogue``: about 0.2 s per 1,000 services (bench/bench_search.py)."""
        return cls(catalogue)

    # -- building ---------------------------------------------------------------------------

    def _build_vocabulary(self, catalogue: Catalogue) -> None:
        """Postings of every word staff wrote, and the lookups over the distinct words.

        A service's own words (keywords, name, summary) get service postings; the words of a
        category (its name and keywords) are kept once per category and reach the category's
        services at query time — a category word in 600 services would otherwise cost 600
        postings at build time and as much memory.
        """
        reader = _TextReader(self._filler)
        categories = catalogue.categories
        category_index = {c.id: i for i, c in enumerate(categories)}
        self._category_ids = [c.id for c in categories]
        self._category_order = {c.id: i for i, c in enumerate(categories)}
        self._category_services: list[list[int]] = [[] for _ in categories]
        self._service_categories: list[frozenset[int]] = []

        for owner in (*categories, *self._services):
            reader.learn_own_words(owner.keywords)
        occurrences: dict[str, dict[int, int]] = {}  # word → {service: strongest field code}
        for index, service in enumerate(self._services):
            fields = (
                (_KEYWORD, reader.keyword_words(service.keywords)),
                (_NAME, reader.words(service.name)),
                (_SUMMARY, reader.words(service.summary)),
            )
            for code, found in fields:  # strongest field first: the first code stays
                for word in found:
                    entry = occurrences.get(word)
                    if entry is None:
                        occurrences[word] = {index: code}
                    elif index not in entry:
                        entry[index] = code
            own = frozenset(category_index[c] for c in service.categories if c in category_index)
            self._service_categories.append(own)
            for category in own:
                self._category_services[category].append(index)

        in_categories: dict[str, dict[int, int]] = {}  # word → {category: field code}
        for number, category in enumerate(categories):
            if not self._category_services[number]:
                continue  # nobody to find through it
            found = reader.words(category.name) | reader.keyword_words(category.keywords)
            for word in found:
                in_categories.setdefault(word, {})[number] = _CATEGORY

        self._split_compounds(occurrences, in_categories, reader.surfaces)
        # Sorted, not in set order: a word's id decides among equally good readings of a query
        # word (typo candidates, the cut at MAX_TERMS_PER_WORD), and the set's order of strings
        # changes with every process (PYTHONHASHSEED), so the same query would not get the same
        # answer after a restart.
        words = sorted(occurrences.keys() | in_categories.keys())
        self._lexicon = _Lexicon(words, two_edits=True)
        self._surfaces = [reader.surfaces.get(w, w) for w in words]
        self._written_ids = {
            form: self._lexicon.ids[t]
            for form, t in reader.written.items()
            if t in self._lexicon.ids
        }
        self._own_words = reader.own_words
        self._all_own_words = frozenset().union(*reader.own_words.values())
        self._postings: list[array[int]] = []
        self._by_service: list[array[int]] = []
        self._strong: list[int] = []
        self._in_categories: list[tuple[tuple[int, int], ...]] = []
        self._document_counts: list[int] = []
        category_weight = _WEIGHT_BY_CODE[_CATEGORY]
        by_weight = sorted(range(len(_WEIGHT_BY_CODE)), key=lambda c: -_WEIGHT_BY_CODE[c])
        strong_codes = [c for c in by_weight if _WEIGHT_BY_CODE[c] > category_weight]
        for word in words:
            buckets: list[list[int]] = [[] for _ in _WEIGHT_BY_CODE]
            for service, code in occurrences.get(word, {}).items():
                buckets[code].append(service << _CODE_SHIFT | code)
            codes = array("i")
            for code in by_weight:  # strongest field first, file order within a field
                codes.extend(sorted(buckets[code]))
            self._postings.append(codes)
            self._by_service.append(array("i", sorted(codes)))
            self._strong.append(sum(len(buckets[c]) for c in strong_codes))
            # Strongest field first, then file order: the postings budget may end inside this.
            reach = tuple(
                sorted(
                    in_categories.get(word, {}).items(),
                    key=lambda item: (-_WEIGHT_BY_CODE[item[1]], item[0]),
                )
            )
            self._in_categories.append(reach)
            reached = sum(len(self._category_services[c]) for c, _ in reach)
            self._document_counts.append(min(len(self._services), len(codes) + reached))
        # The postings a category word reaches, per category and field code, made once here
        # rather than for every query that reads them.
        self._category_codes: list[dict[int, array[int]]] = [
            {
                code: array("i", (s << _CODE_SHIFT | code for s in members))
                for code in (_CATEGORY, _CATEGORY | _PART)
            }
            for members in self._category_services
        ]
        self._categories_of_term = {
            term_id: tuple(self._category_ids[c] for c, code in reach if code == _CATEGORY)
            for term_id, reach in enumerate(self._in_categories)
            if reach
        }

        keys: dict[str, list[int]] = {}
        for term_id, word in enumerate(words):
            if has_cyrillic(word):
                latin = cyrillic_to_latin(word)
                if is_latin(latin):
                    keys.setdefault(transliteration_key(latin), []).append(term_id)
        self._translit = _Lexicon(list(keys), two_edits=False)
        self._translit_terms = list(keys.values())

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
                        derived = code | _PART
                        old = entry.get(owner)
                        if old is None or _WEIGHT_BY_CODE[derived] > _WEIGHT_BY_CODE[old]:
                            entry[owner] = derived

    def _build_specificity(self, count: int) -> None:
        scale = math.log(1 / SPECIFIC_SHARE)
        effective = max(count, SPECIFICITY_MIN_SERVICES)
        self._specificity = array(
            "d",
            (
                min(1.0, max(MIN_SPECIFICITY, math.log(effective / max(1, n)) / scale))
                for n in self._document_counts
            ),
        )

    def _build_places(self, catalogue: Catalogue) -> None:
        """Where each service is (its coordinates, else its district's centre) and its
        district; district names are looked up once per distinct name, not per service."""
        districts = catalogue.region.districts
        position = {id(d): i for i, d in enumerate(districts)}  # find_district returns these
        named: dict[str, int | None] = {}
        self._places: list[Coordinates | None] = []
        self._service_district: list[int | None] = []
        self._grid: dict[tuple[int, int], list[int]] = {}
        for index, service in enumerate(self._services):
            location = service.location
            district: int | None = None
            if location is not None and location.district:
                if location.district not in named:
                    found = catalogue.region.find_district(location.district)
                    named[location.district] = None if found is None else position[id(found)]
                district = named[location.district]
            coordinates = location.coordinates if location is not None else None
            if coordinates is None and district is not None:
                coordinates = districts[district].center  # as Catalogue.place_of does
            self._places.append(coordinates)
            self._service_district.append(district)
            if coordinates is not None:
                self._grid.setdefault(_cell(coordinates), []).append(index)
        self._placed = sum(p is not None for p in self._places)

    def _build_districts(self, catalogue: Catalogue) -> None:
        self._districts = catalogue.region.districts
        phrases: list[tuple[Token, ...]] = []
        owners: list[int] = []
        for index, district in enumerate(self._districts):
            for name in (district.name, *district.aliases):
                words = tuple(tokens(name))
                if not words:
                    continue
                phrases.append(words)
                owners.append(index)
                if len(words) > 1:  # "Linden-Nord" is also typed "lindennord"
                    joined = "".join(t.surface for t in words)
                    phrases.append((Token(joined, term(joined)),))
                    owners.append(index)
        self._district_phrases = _PhraseMatcher(phrases, allowance=_district_allowance)
        self._district_owner = owners

    def _build_crisis(self, catalogue: Catalogue) -> None:
        phrases: list[tuple[Token, ...]] = []
        self._crisis_texts: list[str] = []
        for words in catalogue.crisis.keywords.values():
            for phrase in words:
                normalized = tuple(tokens(phrase, join_apostrophes=True))
                if normalized:
                    phrases.append(normalized)
                    self._crisis_texts.append(phrase)
        self._crisis = _PhraseMatcher(
            phrases,
            allowance=_one_typo_from_four,
            max_gap=CRISIS_MAX_GAP,
            compound_min=CRISIS_COMPOUND_MIN,
        )

    # -- searching --------------------------------------------------------------------------

    def search(
        self,
        text: str,
        *,
        language: str = "de",
        near: Coordinates | None = None,
        limit: int = 3,
        min_relevance: float = MIN_RELEVANCE,
    ) -> SearchOutcome:
        """The best services for ``text``; never raises on any text (long input is cut).

        ``language`` is the reader's language: among equally good services, those whose staff
        speak it come first. ``near`` (lat, lon) prefers closer services a little.
        ``min_relevance`` is for calibration only (bot.search.evaluation switches it off).
        Raises ValueError for a ``near`` that is not a place on Earth (a caller's bug).
        """
        if near is not None and not (-90 <= near[0] <= 90 and -180 <= near[1] <= 180):
            raise ValueError(f"near must be (latitude, longitude) in degrees, not {near!r}")
        words = tokens(text)
        all_terms = [t.term for t in words]
        # Crisis phrases keep "don't" one word; without an apostrophe that is the same split.
        crisis_words = tokens(text, join_apostrophes=True) if has_apostrophe(text) else words
        crisis_hits = self._crisis.find(crisis_words)
        district, district_positions = self._find_district(words)
        meaningful = self._meaningful(all_terms, language)
        content = [
            t
            for position, t in enumerate(words)
            if meaningful(t.term) and (position not in district_positions or self._word_hits(t))
        ][:MAX_QUERY_WORDS]
        units = self._units(content)
        categories = self._named_categories(units)
        nearby = self._nearest(near) if near is not None else []
        per_unit = self._score(units, nearby)
        relevance = _relevance(per_unit, units, [True] * len(units))
        # In a crisis, other services must be found by the other words: "leben" in "nicht
        # mehr leben" must not bring up "Lebensmittel".
        spoken = {t.term for h in crisis_hits for t in crisis_words[h.start : h.stop]}
        others = [not set(u.terms) <= spoken for u in units]
        other_relevance = _relevance(per_unit, units, others) if spoken else relevance
        results = self._rank(
            per_unit,
            relevance,
            other_relevance,
            _Preferences(district, near, language, frozenset(categories), nearby),
            crisis_hits,
            limit,
            min_relevance,
        )
        return SearchOutcome(
            query=text,
            normalized=log_form(words, self._filler),
            results=tuple(results),
            categories=categories,
            district=self._districts[district] if district is not None else None,
            crisis=bool(crisis_hits),
        )

    def _meaningful(self, words: list[str], language: str) -> Callable[[str], bool]:
        """Which query words count. Stop words do not — unless the writer's language uses the
        word as a keyword of its own: Turkish "iş" (work) is English "is" after folding. The
        writer's language is the one whose stop words the query uses ("iş arıyorum" → tr),
        else the reader's language."""
        anyones = self._all_own_words
        seen = {
            next(iter(s))
            for w in words
            if w not in anyones and len(s := STOP_WORD_LANGUAGES.get(w, ())) == 1
        }
        own: set[str] = set()
        for code in seen or {language}:
            own |= self._own_words.get(code, set())
        return lambda w: not is_filler(w, self._filler) or w in own

    def _find_district(self, words: list[Token]) -> tuple[int | None, set[int]]:
        """The district named in the query (the longest name wins) and the words it used.

        Stop words match district names only exactly, so "finden" never means "Linden".
        """
        hits = self._district_phrases.find(words, lambda w: is_filler(w, self._filler))
        if not hits:
            return None, set()
        # Two districts may share a name or an alias: the first in the file wins.
        best = max(hits, key=lambda h: (h.stop - h.start, -h.typos, -h.start, -h.phrase))
        return self._district_owner[best.phrase], set(range(best.start, best.stop))

    def _units(self, content: list[Token]) -> list[_Unit]:
        """Query words with their vocabulary readings; two words the catalogue writes as one
        compound ("schulden beratung") become one unit."""
        units: list[_Unit] = []
        position = 0
        while position < len(content):
            token = content[position]
            if position + 1 < len(content):
                after = content[position + 1]
                joined = term(token.surface + after.surface)
                hits = self._joined_hits(joined, f"{token.surface} {after.surface}")
                if hits:
                    separate = [self._word_hits(token), self._word_hits(after)]
                    units.append(_Unit(joined, [[hits], separate], (token.term, after.term)))
                    position += 2
                    continue
            units.append(self._unit(token))
            position += 1
        for unit in units:
            values = [h.value for h in unit.hits]
            modifier = MODIFIER_FACTOR if is_modifier(term(unit.text)) else 1.0
            unit.weight = max(values) if values else UNMATCHED_WEIGHT * modifier
        return units

    def _joined_hits(self, joined: str, shown: str) -> tuple[_Hit, ...]:
        """Two query words read as one catalogue word: exactly, or with one typo (two would
        let "hunger geld" pass for "bürgergeld"). Remembered per pair, like single words."""
        hits = self._joined_readings.get((joined, shown))
        if hits is None:
            hits = self._joined_readings.put((joined, shown), self._read_joined(joined, shown))
        return hits

    def _read_joined(self, joined: str, shown: str) -> tuple[_Hit, ...]:
        exact = self._lexicon.exact(joined)
        if exact is not None:
            found = {exact: JOINED}
        else:
            found = {
                i: JOINED * _fuzzy_strength(joined, self._lexicon.words[i], d)
                for i, d in self._lexicon.similar(joined, _search_allowance, max_edits=1).items()
                if d == 1
            }
        return tuple(
            _Hit(i, strength, "joined", shown, strength * self._specificity[i])
            for i, strength in found.items()
        )

    def _unit(self, token: Token) -> _Unit:
        alternatives = [[self._word_hits(token)]]
        if self._lexicon.exact(token.term) is None:
            parts = self._decompose(token.term)
            if parts and sum(map(len, parts)) >= COMPOUND_COVERAGE * len(token.term):
                alternatives.append([[self._part_hit(p)] for p in parts])
        return _Unit(token.surface, alternatives, (token.term,))

    def _decompose(self, word: str, depth: int = 0) -> list[str]:
        """The known words a query compound is made of, splitting parts again where needed:
        "schuldenberatungsstelle" → schulden, beratung (and "stelle" if the catalogue has it).
        """
        parts = split_compound(word, self._lexicon.ids)
        if parts is None:
            return [word] if word in self._lexicon.ids else []
        known: list[str] = []
        for part in parts:
            if part in self._lexicon.ids:
                known.append(part)
            elif depth < 2:
                known.extend(self._decompose(part, depth + 1))
        return known

    def _part_hit(self, part: str) -> _Hit:
        term_id = self._lexicon.ids[part]
        value = COMPOUND_SPLIT * self._specificity[term_id]
        return _Hit(term_id, COMPOUND_SPLIT, "compound", part, value)

    def _word_hits(self, token: Token) -> tuple[_Hit, ...]:
        """All vocabulary words one query word may stand for, strongest first, bounded.

        Remembered per word (:data:`WORD_CACHE_SIZE`): the typo search against the vocabulary
        is most of a query's cost, and people use the same words again and again. The hits are
        shared between queries and never changed after they are made.
        """
        hits = self._word_readings.get(token)
        if hits is None:
            hits = self._word_readings.put(token, self._read_word(token))
        return hits

    def _read_word(self, token: Token) -> tuple[_Hit, ...]:
        word, shown = token.term, token.surface
        lexicon = self._lexicon
        # The strongest reading per word so far, as (strength, kind): hits are made once at
        # the end, not for every weaker reading that is later replaced.
        hits: dict[int, tuple[float, str]] = {}

        def offer(term_id: int, strength: float, kind: str) -> None:
            old = hits.get(term_id)
            if old is None or strength > old[0]:
                hits[term_id] = (strength, kind)

        exact = lexicon.exact(word)
        if exact is not None:
            offer(exact, EXACT, "exact")
        if len(word) >= MIN_PREFIX:
            for term_id in lexicon.prefixed(word):
                offer(term_id, _prefix_strength(len(word), len(lexicon.words[term_id])), "prefix")
        for term_id, distance in lexicon.similar(word, _search_allowance).items():
            if _same_stem(token.surface, self._surfaces[term_id]):
                offer(term_id, INFLECTED, "ending")  # куртку/куртка, зимнюю/зимняя
            else:
                offer(term_id, _fuzzy_strength(word, lexicon.words[term_id], distance), "fuzzy")
        # A query word that is itself a catalogue word is less likely another word's form.
        shadow = EXACT_SHADOW if exact is not None else 1.0
        # Heads are found on the written form: in matching forms "super" starts with "supe"
        # (Suppe with its double letter counted once), in writing it does not.
        for term_id, cut in _heads(token.surface, self._written_ids.get):
            offer(term_id, shadow * _head_strength(cut, len(token.surface)), "head")
        self._stem_hits(word, shadow, offer)
        if is_latin(token.surface) and len(token.surface) >= 3:
            self._transliterated_hits(token.surface, offer)
        # The query word's own specificity caps its readings': an exact "geld" in many
        # services must not be outranked by a rare word that merely starts with it.
        cap = self._specificity[exact] if exact is not None else 1.0
        modifier = MODIFIER_FACTOR if is_modifier(word) else 1.0
        specificity = self._specificity
        ranked = sorted(
            (
                _Hit(
                    term_id,
                    strength,
                    kind,
                    shown,
                    strength * min(cap, specificity[term_id]) * modifier,
                )
                for term_id, (strength, kind) in hits.items()
            ),
            key=lambda h: -h.value,
        )
        return tuple(ranked[:MAX_TERMS_PER_WORD])

    def _stem_hits(
        self, word: str, shadow: float, offer: Callable[[int, float, str], None]
    ) -> None:
        """Words sharing a long beginning with the query word: "vergewaltigt" and
        "vergewaltigung", "versichert" and "versicherung" — inflections that neither prefix
        nor typo rules reach."""
        shortest = max(MIN_STEM, math.ceil(STEM_SHARE * len(word)))
        for cut in range(len(word) - 1, shortest - 1, -1):
            found = list(islice(self._lexicon.prefixed(word[:cut]), MAX_TERMS_PER_WORD))
            for term_id in found:
                other = self._lexicon.words[term_id]
                offer(term_id, shadow * STEM_BASE * cut / max(len(word), len(other)), "stem")
            if found:
                return

    def _transliterated_hits(self, latin: str, offer: Callable[[int, float, str], None]) -> None:
        """Cyrillic catalogue words that a Latin-letter query word spells ("kvartira")."""
        key = transliteration_key(latin)
        keys = self._translit
        found: dict[int, float] = {}
        exact = keys.exact(key)
        if exact is not None:
            found[exact] = 1.0
        for key_id, distance in keys.similar(key, _translit_allowance).items():
            found.setdefault(key_id, _fuzzy_strength(key, keys.words[key_id], distance))
        if len(key) >= MIN_PREFIX:
            for key_id in keys.prefixed(key):
                found.setdefault(key_id, _prefix_strength(len(key), len(keys.words[key_id])))
        if exact is None:
            for key_id, cut in _heads(key, keys.ids.get):
                found.setdefault(key_id, _head_strength(cut, len(key)))
        for key_id, similarity in found.items():
            for term_id in self._translit_terms[key_id]:
                offer(term_id, TRANSLITERATED * similarity, "translit")

    def _named_categories(self, units: list[_Unit]) -> tuple[str, ...]:
        """Categories whose name or keywords a query word matches well, best match first."""
        strength: dict[str, float] = {}
        for unit in units:
            for hit in unit.hits:
                if hit.strength < CATEGORY_MIN_STRENGTH:
                    continue
                for category_id in self._categories_of_term.get(hit.term_id, ()):
                    strength[category_id] = max(strength.get(category_id, 0.0), hit.strength)
        order = self._category_order
        return tuple(sorted(strength, key=lambda c: (-strength[c], order[c])))

    def _score(self, units: list[_Unit], nearby: list[int]) -> list[dict[int, _Entry]]:
        """Each unit's best entry per candidate service.

        Units are scored rarest first, so that a common word mostly re-scores the candidates
        that rarer words found (see :data:`POSTINGS_SCAN_LIMIT`).
        """
        per_unit: list[dict[int, _Entry]] = [{} for _ in units]
        order = sorted(
            range(len(units)),
            key=lambda u: min((self._document_counts[h.term_id] for h in units[u].hits), default=0),
        )
        running: dict[int, float] = {}  # sum of unit values so far, to pick what to re-score
        leaders: list[int] = []
        for step, u in enumerate(order):
            best: dict[int, _Entry] = {}
            for number, alternative in enumerate(units[u].alternatives):
                parts = [self._score_part(part, leaders, nearby) for part in alternative]
                merged = parts[0] if len(parts) == 1 else _merge_parts(parts, alternative)
                if number == 0:  # the first reading (a new dict): its entries are the best yet
                    best = merged
                    continue
                for service, entry in merged.items():
                    old = best.get(service)
                    if old is None or entry[0] > old[0]:
                        best[service] = entry
            per_unit[u] = best
            if step + 1 == len(order):
                break  # the leaders only guide the units still to come
            for service, entry in best.items():
                running[service] = running.get(service, 0.0) + entry[0]
            leaders = _leaders(running)
        return per_unit

    def _score_part(
        self, hits: Sequence[_Hit], leaders: list[int], nearby: list[int]
    ) -> dict[int, _Entry]:
        """Best entry per service over the vocabulary words one query word stands for.

        At most :data:`POSTINGS_SCAN_LIMIT` postings are read in all (strongest words and
        keyword occurrences first); after that, words only look up the best candidates that
        earlier query words found, and the services near the person.
        """
        best: dict[int, _Entry] = {}
        budget = POSTINGS_SCAN_LIMIT
        probes: list[int] | None = None
        probed = 0
        strongest = hits[0].value if hits else 0.0
        for hit in hits:
            # One entry per field code, shared by every service the word reaches that way.
            entries = [
                (hit.value * weight, hit.strength * weight, hit, field)
                for field, weight in enumerate(_WEIGHT_BY_CODE)
            ]
            codes, budget, complete = self._read_postings(hit.term_id, budget)
            if not complete and probed < MAX_PROBED_WORDS and hit.value >= strongest / 2:
                probed += 1
                if probes is None:
                    probes = sorted({*leaders, *nearby})
                codes.extend(self._probe(hit.term_id, probes))
            for code in codes:
                entry = entries[code & _FIELD_MASK]
                service = code >> _CODE_SHIFT
                old = best.get(service)
                if old is None or entry[0] > old[0]:
                    best[service] = entry
        return best

    def _read_postings(self, term_id: int, budget: int) -> tuple[list[int], int, bool]:
        """Up to ``budget`` postings of a word, strongest first — its keyword and name
        occurrences, then the services of its categories, then the rest — the budget left,
        and whether that was all of them."""
        postings = self._postings[term_id]
        strong = self._strong[term_id]
        take = min(budget, strong)
        codes: list[int] = postings[:take].tolist()
        budget -= take
        if take < strong:
            return codes, 0, False
        for category, code in self._in_categories[term_id]:
            members = self._category_codes[category][code]
            take = min(budget, len(members))
            codes.extend(members[:take])
            budget -= take
            if take < len(members):
                return codes, 0, False
        rest = len(postings) - strong
        take = min(budget, rest)
        codes.extend(postings[strong : strong + take])
        return codes, budget - take, take == rest

    def _probe(self, term_id: int, services: list[int]) -> Iterator[int]:
        """The postings of a word for the given services (binary search, category lookup)."""
        by_service = self._by_service[term_id]
        reach = self._in_categories[term_id]
        for service in services:
            position = bisect_left(by_service, service << _CODE_SHIFT)
            if position < len(by_service) and by_service[position] >> _CODE_SHIFT == service:
                yield by_service[position]
            if reach:
                categories = self._service_categories[service]
                for category, code in reach:
                    if category in categories:
                        yield service << _CODE_SHIFT | code

    def nearby(
        self, near: Coordinates, radius_m: float, category_id: str | None = None
    ) -> list[tuple[float, Service]]:
        """The services within ``radius_m`` of ``near`` (in ``category_id`` if given), nearest
        first, with their great-circle distance in metres.

        Reads only the grid cells that the radius reaches, so a shared location costs the
        same in a city of 100 offers as in one of 10,000.
        """
        if category_id is not None:
            number = self._category_order.get(category_id)
            if number is None:
                return []
            wanted: frozenset[int] | None = frozenset(self._category_services[number])
        else:
            wanted = None
        row, column = _cell(near)
        rows = math.ceil(radius_m / _METRES_PER_DEGREE / GRID_DEG)
        east_scale = max(math.cos(math.radians(near[0])), 0.01)
        columns = math.ceil(radius_m / (_METRES_PER_DEGREE * east_scale) / GRID_DEG)
        if (2 * rows + 1) * (2 * columns + 1) > len(self._grid):
            cells = [
                services
                for (cell_row, cell_column), services in self._grid.items()
                if abs(cell_row - row) <= rows and abs(cell_column - column) <= columns
            ]
        else:
            cells = [
                self._grid.get((row + r, column + c), [])
                for r in range(-rows, rows + 1)
                for c in range(-columns, columns + 1)
            ]
        found: list[tuple[float, int]] = []
        for services in cells:
            for service in services:
                if wanted is not None and service not in wanted:
                    continue
                place = self._places[service]
                assert place is not None  # only placed services are in the grid
                metres = distance_m(near, place)
                if metres <= radius_m:
                    found.append((metres, service))
        found.sort()
        return [(metres, self._services[service]) for metres, service in found]

    def _nearest(self, near: Coordinates) -> list[int]:
        """About :data:`NEAR_CANDIDATES` services around ``near``, ring by ring of the grid.

        Where the city is dense, the first rings hold enough services and walking them is
        cheapest. Where it is not (a small catalogue, a person at the edge of town), the walk
        would visit thousands of empty cells (ring 27 alone has 216); as soon as a ring has more
        cells than the grid has occupied ones, the remaining rings are read from the occupied
        cells instead, in the same order, so the answer is the same.
        """
        row, column = _cell(near)
        wanted = min(NEAR_CANDIDATES, self._placed)
        found: list[int] = list(self._grid.get((row, column), ()))
        ring = 0
        while len(found) < wanted and ring < MAX_GRID_RINGS:
            ring += 1
            if _ring_size(ring) > len(self._grid):
                found.extend(self._occupied_from(row, column, ring, wanted - len(found)))
                break
            for cell in _ring(row, column, ring):
                found.extend(self._grid.get(cell, ()))
        return found[:NEAR_CANDIDATES]

    def _occupied_from(self, row: int, column: int, first_ring: int, wanted: int) -> list[int]:
        """The services in rings ``first_ring`` to :data:`MAX_GRID_RINGS` around (row, column),
        in :func:`_ring`'s order, stopping after the ring that brings ``wanted`` of them."""
        cells: list[tuple[tuple[int, int, int, int], list[int]]] = []
        for (cell_row, cell_column), services in self._grid.items():
            ring = max(abs(cell_row - row), abs(cell_column - column))
            if first_ring <= ring <= MAX_GRID_RINGS:
                cells.append((_ring_position(cell_row - row, cell_column - column, ring), services))
        cells.sort()
        found: list[int] = []
        for position, (key, services) in enumerate(cells):
            found.extend(services)
            last_of_ring = position + 1 == len(cells) or cells[position + 1][0][0] != key[0]
            if last_of_ring and len(found) >= wanted:
                break
        return found

    def _rank(
        self,
        per_unit: list[dict[int, _Entry]],
        relevance: dict[int, float],
        other_relevance: dict[int, float],
        prefer: _Preferences,
        crisis_hits: list[_PhraseHit],
        limit: int,
        min_relevance: float,
    ) -> list[Match]:
        """The ``limit`` best services: emergency services first in a crisis, then by score.

        ``relevance`` ranks the emergency services; ``other_relevance`` (without the crisis
        words) the rest.

        Bonuses (category, district, nearness) are bounded, so only candidates whose relevance
        alone could still reach the top need the (slower) distance computations.
        """
        if limit <= 0:
            return []
        share = (
            (CATEGORY_SHARE if prefer.categories else 0.0)
            + (DISTRICT_SHARE if prefer.district is not None else 0.0)
            + (NEAR_SHARE if prefer.near is not None else 0.0)
        )
        # The list for order (file order), the set to look services up.
        emergency_order = self._emergency if crisis_hits else []
        emergency = self._emergency_set if crisis_hits else frozenset()
        base = {
            s: r * (1 - share)
            for s, r in other_relevance.items()
            if r >= min_relevance and s not in emergency
        }
        if len(base) > limit:
            # The limit-th best relevance (one C sort beats heapq's Python loop here).
            reachable = sorted(base.values(), reverse=True)[limit - 1] - 100 * share
            base = {s: b for s, b in base.items() if b >= reachable}
        pool = max(RANK_POOL, limit)
        if len(base) > pool:
            # Many equally good services (a category word in a big city): keep those in the
            # named district and near the person, without computing every distance.
            close = set(prefer.nearby)

            def promise(service: int) -> tuple[float, bool, int]:
                in_district = self._service_district[service] == prefer.district
                bonus = 100 * DISTRICT_SHARE if in_district else 0.0
                return base[service] + bonus, service in close, -service

            base = {s: base[s] for s in heapq.nlargest(pool, base, key=promise)}
        for service in emergency_order:
            # Below the threshold a match is noise; among emergency services it would reorder
            # the file's deliberate order for no reason.
            value = relevance.get(service, 0.0)
            clear = value >= max(min_relevance, CRISIS_REORDER_MIN)
            base[service] = value * (1 - share) if clear else 0.0
        # Sort keys are flat tuples, (urgent, score, primary, speaks, -distance, -service,
        # service, distance): the last two ride along; -service is unique, so they never decide.
        keyed: list[tuple[float, float, float, float, float, int, int, float]] = []
        bonus_of = self._bonus(prefer)
        named, language = prefer.categories, prefer.language
        for service, value in base.items():
            bonus, distance = bonus_of(service)
            score = round(value + bonus, 1)
            # In a crisis the emergency services keep the file's order among equals: staff put
            # the most general help (112) first on purpose.
            urgent = service in emergency
            # Among equal scores, a service whose main (first) category is the one the query
            # names comes first: "essen" → the Tafel before a night café that also serves soup.
            found = self._services[service]
            primary = float(bool(named) and found.categories[0] in named)
            speaks = float(not urgent and language in found.languages)
            keyed.append(
                (float(urgent), score, primary, speaks, -distance, -service, service, distance)
            )
        finalists = heapq.nlargest(limit, keyed)
        return [
            Match(
                self._services[service],
                score,
                self._reasons(service, per_unit, prefer, distance, crisis_hits),
            )
            for _, score, _, _, _, _, service, distance in finalists
        ]

    def _bonus(self, prefer: _Preferences) -> Callable[[int], tuple[float, float]]:
        """Points for the named category, the named district, being near; and the distance.

        Returns a function of the service, with what is the same for every candidate of the
        query (the scale of the map at the person's latitude, the lookups) worked out once:
        ranking calls it for up to :data:`RANK_POOL` candidates.
        """
        services, places = self._services, self._places
        named, district, near = prefer.categories, prefer.district, prefer.near
        # _city_distance_m, with the map's scale at ``near`` computed once.
        east_scale = math.cos(math.radians(near[0])) if near is not None else 1.0

        def bonus_of(service: int) -> tuple[float, float]:
            bonus = 0.0
            distance = math.inf
            if named and not named.isdisjoint(services[service].categories):
                bonus += 100 * CATEGORY_SHARE
            if district is not None:
                bonus += 100 * DISTRICT_SHARE * self._district_proximity(service, district)
            if near is not None:
                place = places[service]
                if place is None:
                    proximity = NO_PLACE_PROXIMITY
                else:
                    dy = (place[0] - near[0]) * _METRES_PER_DEGREE
                    dx = (place[1] - near[1]) * _METRES_PER_DEGREE * east_scale
                    distance = math.hypot(dx, dy)
                    proximity = 1 / (1 + distance / NEAR_HALF_M)
                bonus += 100 * NEAR_SHARE * proximity
            return bonus, distance

        return bonus_of

    def _reasons(
        self,
        service: int,
        per_unit: list[dict[int, _Entry]],
        prefer: _Preferences,
        distance: float,
        crisis_hits: list[_PhraseHit],
    ) -> tuple[Reason, ...]:
        reasons: list[Reason] = []
        if crisis_hits and self._services[service].emergency:
            phrase = self._crisis_texts[crisis_hits[0].phrase]
            reasons.append(Reason("crisis", phrase, phrase, 1.0, "emergency"))
        for best in per_unit:
            entry = best.get(service)
            if entry is None:
                continue
            if entry[2] is not None:
                reasons.append(self._reason(entry[2], entry[3]))
                continue
            for part in entry[3]:
                found = part.get(service)
                if found is not None:
                    reasons.append(self._reason(found[2], found[3]))
        if prefer.district is not None:
            proximity = self._district_proximity(service, prefer.district)
            if proximity > 0:
                name = self._districts[prefer.district].name
                reasons.append(Reason("district", name, name, round(proximity, 2), "place"))
        place = self._places[service]
        if prefer.near is not None:
            if place is None:
                shown, proximity = "no place", NO_PLACE_PROXIMITY
            else:  # the distance ranking used
                shown, proximity = f"{distance / 1000:.1f} km", 1 / (1 + distance / NEAR_HALF_M)
            reasons.append(Reason("near", "", shown, round(proximity, 2), "place"))
        return tuple(reasons)

    def _district_proximity(self, service: int, district: int) -> float:
        if self._service_district[service] == district:
            return 1.0
        place = self._places[service]
        if place is None:
            return 0.0
        distance = _city_distance_m(place, self._districts[district].center)
        return max(0.0, 1 - distance / DISTRICT_RADIUS_M)

    def _reason(self, hit: _Hit, field: int) -> Reason:
        kind = hit.kind if field < _PART else f"{hit.kind}, in compound"
        return Reason(
            FIELDS[field & 3],
            hit.query_word,
            self._surfaces[hit.term_id],
            round(hit.strength, 2),
            kind,
        )

    # -- introspection for tools ------------------------------------------------------------

    @property
    def vocabulary_size(self) -> int:
        """Distinct normalised words (with compound parts): what query cost grows with."""
        return len(self._lexicon.words)


def _relevance(
    per_unit: list[dict[int, _Entry]], units: list[_Unit], counted: Sequence[bool]
) -> dict[int, float]:
    """relevance = 100 × best word value × (floor + (1 - floor) × coverage), over the units
    marked ``counted``; coverage is the weighted share of those units the service matches."""
    top: dict[int, float] = {}
    covered: dict[int, float] = {}
    first = True
    for best, unit, count in zip(per_unit, units, counted, strict=True):
        if not count:
            continue
        weight = unit.weight
        if first:  # most queries have one unit: build both maps in one pass each
            first = False
            top = {service: entry[0] for service, entry in best.items() if entry[0] > 0.0}
            covered = {service: entry[1] * weight for service, entry in best.items()}
            continue
        for service, entry in best.items():
            if entry[0] > top.get(service, 0.0):
                top[service] = entry[0]
            covered[service] = covered.get(service, 0.0) + entry[1] * weight
    total = sum(u.weight for u, count in zip(units, counted, strict=True) if count) or 1.0
    floor, share = COVERAGE_FLOOR, 1 - COVERAGE_FLOOR
    return {s: 100 * value * (floor + share * covered[s] / total) for s, value in top.items()}


def _leaders(running: dict[int, float]) -> list[int]:
    """The :data:`PROBE_CANDIDATES` services with the highest running value; of those tied at
    the cut, the first in the file, so that which ones are probed never depends on the order
    in which services were met.

    One C sort of the values finds the cut: cheaper than ``heapq.nlargest`` with a key.
    """
    if len(running) <= PROBE_CANDIDATES:
        return list(running)
    cut = sorted(running.values(), reverse=True)[PROBE_CANDIDATES - 1]
    leaders = [s for s, v in running.items() if v > cut]
    tied = sorted(s for s, v in running.items() if v == cut)
    return leaders + tied[: PROBE_CANDIDATES - len(leaders)]


def _merge_parts(
    parts: list[dict[int, _Entry]], hits: Sequence[Sequence[_Hit]]
) -> dict[int, _Entry]:
    """A reading in several parts (a split compound, two words) scores the weighted mean of its
    parts, a modifier part ("beratung" in "Wohnungslosenberatung") counting less; the parts
    themselves are kept (shared, not copied) to explain the finalists later."""
    weights = [
        MODIFIER_FACTOR if part_hits and is_modifier(term(part_hits[0].query_word)) else 1.0
        for part_hits in hits
    ]
    values: dict[int, float] = {}
    qualities: dict[int, float] = {}
    for part, weight in zip(parts, weights, strict=True):
        for service, entry in part.items():
            values[service] = values.get(service, 0.0) + weight * entry[0]
            qualities[service] = qualities.get(service, 0.0) + weight * entry[1]
    total = sum(weights)
    return {s: (v / total, qualities[s] / total, None, parts) for s, v in values.items()}


def _fuzzy_strength(a: str, b: str, distance: int) -> float:
    return FUZZY_SCALE * (1 - distance / max(len(a), len(b))) ** FUZZY_EXPONENT


def _same_stem(one: str, other: str) -> bool:
    """Whether two written words differ only in their last two letters (a case ending):
    "куртку"/"куртка" yes, "super"/"suppe" no (they part after three of five letters)."""
    shared = 0
    for a, b in zip(one, other, strict=False):
        if a != b:
            break
        shared += 1
    return shared >= max(MIN_HEAD, max(len(one), len(other)) - ENDING_CHARS)


def _prefix_strength(query_length: int, word_length: int) -> float:
    if word_length - query_length <= INFLECTION_CHARS:
        return INFLECTED
    return PREFIX_BASE + PREFIX_SPAN * query_length / word_length


def _head_strength(head_length: int, query_length: int) -> float:
    if query_length - head_length <= INFLECTION_CHARS:
        return INFLECTED
    return HEAD_BASE + HEAD_SPAN * head_length / query_length


def _heads(word: str, lookup: Callable[[str], int | None]) -> list[tuple[int, int]]:
    """Known words (of at least :data:`MIN_HEAD` letters) that start ``word``, with their
    length: the longest, and every one that leaves only an ending ("borcum" → "borcu" of
    "kira borcu" and "borc", debt)."""
    found: list[tuple[int, int]] = []
    for cut in range(len(word) - 1, MIN_HEAD - 1, -1):
        known = lookup(word[:cut])
        if known is not None and (not found or len(word) - cut <= INFLECTION_CHARS):
            found.append((known, cut))
    return found


_METRES_PER_DEGREE = math.pi / 180 * EARTH_RADIUS_M


def _city_distance_m(a: Coordinates, b: Coordinates) -> float:
    """Distance on a flat map around ``a``: within a city it differs from the great-circle
    distance by far less than a street's width, at a fifth of the cost (ranking computes it
    for hundreds of candidates)."""
    dy = (b[0] - a[0]) * _METRES_PER_DEGREE
    dx = (b[1] - a[1]) * _METRES_PER_DEGREE * math.cos(math.radians(a[0]))
    return math.hypot(dx, dy)


def _ring(row: int, column: int, ring: int) -> Iterator[tuple[int, int]]:
    """The grid cells at Chebyshev distance ``ring`` from (row, column): the square's border."""
    for offset in range(-ring, ring + 1):
        yield row - ring, column + offset
        yield row + ring, column + offset
    for offset in range(-ring + 1, ring):
        yield row + offset, column - ring
        yield row + offset, column + ring


def _ring_size(ring: int) -> int:
    """How many grid cells :func:`_ring` visits at Chebyshev distance ``ring`` (ring ≥ 1)."""
    return 8 * ring


def _ring_position(row_offset: int, column_offset: int, ring: int) -> tuple[int, int, int, int]:
    """A sort key that puts the cells of rings in :func:`_ring`'s order: ring by ring, in each
    the top and bottom rows column by column (top first), then the sides row by row (left
    first)."""
    if abs(row_offset) == ring:
        return ring, 0, column_offset, int(row_offset > 0)
    return ring, 1, row_offset, int(column_offset > 0)


def _cell(place: Coordinates) -> tuple[int, int]:
    return math.floor(place[0] / GRID_DEG), math.floor(place[1] / GRID_DEG)
