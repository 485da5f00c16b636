"""Reading a message for danger: which kinds of danger it speaks of, if any.

A stage of its own, before any catalogue search, because its answer changes what comes first.
It reads meaning from combinations, not single fuzzy words: a kind fires when every group of one
of its rules (self + intent, a means + an act, a person + harm) has a word in the message, close
together. Words match in their base form, any inflection the lemma table knows, a stem, or with
a small typo — but a typo is never forgiven when the typed word is itself a common word of some
language ("gehalt" is salary, not "gewalt"; الانتظار is waiting, not الانتحار).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import product

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.search.danger.knowledge import KINDS, LOCAL_GROUP, Entry, Knowledge, Rule
from bot.search.lexicon import WordCache
from bot.search.normalize import is_filler, term, words

WINDOW = 12
"""Groups of one rule must fall within this many words: a sentence or two. "Mein Mann trinkt
… und gestern hat er mich geschlagen" keeps its person and its act; a long message about two
unrelated things does not join them."""

MAX_PHRASE_GAP = 2
"""Words that may stand inside a phrase: "will nicht mehr leben" ~ "will echt nicht mehr leben"."""

TYPO_MIN_CHARS = 4
"""Shorter words are not corrected: one edit turns "tot" into "rot" or "Ort" (counted after
doubled letters fold: "suiid" is "suid"). An edit is a
letter added, dropped or changed, or two neighbours swapped (OSA distance: "siuzid")."""
MAX_NEAR_WORDS = 12
"""Near spellings kept per typed word: "raed" is one edit from "read", "rage", "rad" and
"raped"; keeping only the first few would drop the one that matters."""
TWO_TYPOS_MIN_CHARS = 9
"""Long words may carry two typos ("vergewaltigt" as "vergewaltikt")."""
PHRASE_TYPO_MIN_CHARS = 3
"""Inside a phrase the other words vouch for a word, so a short word may carry a typo ("will
nich mehr leben", "уить себя"): alone, such a word would be read as nothing."""

MAX_CRY_CONTENT_WORDS = 0
"""A bare cry for help ("hilfe!!", "помогите", "sos bitte schnell") is the whole message; with
a word that no crisis group knows it asks for help with something ("помогите найти работу",
"hilfe beim antrag"), and the search answers that. Stop words do not count."""

PLEA_GROUP = "plea"
"""Words that go with a bare cry without asking for anything else ("someone", "please",
"urgent", "I'm scared", "for God's sake"): "pomogite kto-nibud, ochen strashno" is still the
whole cry. A group of this name needs no rule of its own."""

PRIORITY = (
    "medical",
    "poisoning",
    "suicide",
    "self-harm",
    "violence",
    "sexual-violence",
    "violence-other",
    "stalking",
    "missing-child",
    "forced-marriage",
    "unspecified",
)
"""Which first help leads when a message speaks of several kinds: breathing before words."""
assert sorted(PRIORITY) == sorted(KINDS)


@dataclass(frozen=True, slots=True)
class Danger:
    """The kinds a message speaks of (most urgent first) and the groups that showed it."""

    kinds: tuple[str, ...]
    evidence: tuple[str, ...] = ()
    """Which rules fired, as ``language:kind:group+group`` (for ``ask --explain``)."""
    words: frozenset[str] = frozenset()
    """The message's words (matching forms) that spoke of danger: the search finds other
    services by the other words, so "leben" in "nicht mehr leben" cannot bring up food."""

    @property
    def found(self) -> bool:
        return bool(self.kinds)

    @property
    def kind(self) -> str | None:
        """The most urgent kind, whose first help leads the answer."""
        return self.kinds[0] if self.kinds else None


NO_DANGER = Danger(())


_TAG = "|"
"""Separates a language from a base form in a reading; never part of a word."""


@dataclass(frozen=True, slots=True)
class _Word:
    """What one typed word may be: exactly (itself and its base forms), alone (also near
    spellings of crisis words, unless it is a common word) and inside a phrase."""

    exact_term: str
    """The word as the search normalises it."""
    exact: frozenset[str]
    alone: frozenset[str]
    in_phrase: frozenset[str]
    common: bool
    """A common word of some language (a stop word, or a word the typo tolerance protects)."""


@dataclass(frozen=True, slots=True)
class _Hit:
    language: str
    group: str
    start: int
    end: int


class DangerDetector:
    """The compiled knowledge: built once per catalogue load, then read by every message."""

    def __init__(self, knowledge: Knowledge) -> None:
        self._by_first: dict[str, list[Entry]] = defaultdict(list)
        self._stems: dict[str, list[Entry]] = defaultdict(list)
        for entry in knowledge.entries:
            first = entry.words[0]
            if entry.stem and len(entry.words) == 1:
                self._stems[first[:4]].append(entry)
            else:
                self._by_first[first].append(entry)
        self._rules = knowledge.rules
        # A rule can only fire when its first group has a hit: look rules up by that group.
        self._rules_by_first: dict[tuple[str, str], list[Rule]] = defaultdict(list)
        for rule in knowledge.rules:
            self._rules_by_first[rule.language, rule.groups[0]].append(rule)
        self._cache: WordCache[tuple[str, str], _Word] = WordCache()
        self._alone: dict[tuple[str, str], set[str]] = defaultdict(set)
        for rule in knowledge.rules:
            if len(rule.groups) == 1:
                self._alone[rule.language, rule.groups[0]].add(rule.kind)
        self._cry_groups = frozenset(
            (r.language, g) for r in knowledge.rules if r.kind == "unspecified" for g in r.groups
        ) | {(e.language, e.group) for e in knowledge.entries if e.group == PLEA_GROUP}
        self._forms = knowledge.forms
        self._protected = knowledge.protected
        self._typo_targets = sorted(
            {w for e in knowledge.entries for w in e.words if len(w) >= TYPO_MIN_CHARS}
        )
        self._phrase_words = sorted(
            {
                w
                for e in knowledge.entries
                if len(e.words) > 1
                for w in e.words
                if len(w) >= PHRASE_TYPO_MIN_CHARS
            }
        )

    def read(self, text: str) -> Danger:
        """The kinds of danger in ``text``; ``NO_DANGER`` for an ordinary message."""
        surfaces = words(text, join_apostrophes=True)
        terms = [term(w) for w in surfaces]
        if not terms:
            return NO_DANGER
        read = [self._read_word(s, t) for s, t in zip(surfaces, terms, strict=True)]
        hits = self._without_swallowed(list(self._hits(read)))
        if not hits:
            return NO_DANGER
        by_group: dict[tuple[str, str], list[_Hit]] = defaultdict(list)
        for hit in hits:
            by_group[hit.language, hit.group].append(hit)
        kinds: set[str] = set()
        evidence: set[str] = set()
        spoken: set[str] = set()
        candidates = [r for key in by_group for r in self._rules_by_first.get(key, ())]
        for rule in candidates:
            if rule.kind in kinds:
                continue
            chosen = [by_group.get((rule.language, g)) for g in rule.groups]
            if not (all(chosen) and _close(chosen)):  # type: ignore[arg-type]
                continue
            used = {t for hits in chosen for h in hits or () for t in terms[h.start : h.end + 1]}
            if rule.kind == "unspecified" and LOCAL_GROUP not in rule.groups:
                known = {
                    t
                    for h in hits
                    if (h.language, h.group) in self._cry_groups
                    for t in terms[h.start : h.end + 1]
                }
                content = [t for t in terms if t not in known and not is_filler(t)]
                if len(content) > MAX_CRY_CONTENT_WORDS:
                    continue  # help *with* something: a question for the search
            kinds.add(rule.kind)
            evidence.add(f"{rule.language}:{rule.kind}:{'+'.join(rule.groups)}")
            spoken.update(used)
        if len(kinds) > 1:
            kinds.discard("unspecified")
        ordered = tuple(k for k in PRIORITY if k in kinds)
        if not ordered:
            return NO_DANGER
        return Danger(ordered, tuple(sorted(evidence)), frozenset(spoken))

    def _without_swallowed(self, hits: list[_Hit]) -> list[_Hit]:
        """Drop a phrase that alone names a kind when it lies inside a longer phrase that
        names another: "er droht mich umzubringen" is a threat, and its "mich umzubringen"
        does not make it a wish to die."""
        alone = [h for h in hits if (h.language, h.group) in self._alone]
        if len(alone) < 2:
            return hits
        swallowed = {
            inner
            for inner in alone
            for outer in alone
            if outer.start <= inner.start
            and inner.end <= outer.end
            and outer.end - outer.start > inner.end - inner.start
            and not self._alone[outer.language, outer.group]
            & self._alone[inner.language, inner.group]
        }
        return [h for h in hits if h not in swallowed]

    def _read_word(self, surface: str, word: str) -> _Word:
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
            known = self._cache.put(key, _Word(word, exact, alone, in_phrase, common))
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
            and word not in self._protected
            and word not in self._by_first
        ):
            for typed in {word, surface}:
                allowed = 2 if len(typed) >= TWO_TYPOS_MIN_CHARS else 1
                near = process.extract(
                    typed,
                    self._typo_targets,
                    scorer=OSA.distance,
                    score_cutoff=allowed,
                    limit=MAX_NEAR_WORDS,
                )
                found.update(match for match, _, _ in near)
        return frozenset(found)

    def _phrase_readings(self, surface: str, word: str, reading: frozenset[str]) -> frozenset[str]:
        """What a word may be inside a phrase: also one typo away from a phrase's word, as
        typed or in its matching form ("leeben" folds to "leben", "leen" to "len"). Common
        words too ("nich" for "nicht"): the phrase's other words vouch for the reading."""
        if len(surface) < PHRASE_TYPO_MIN_CHARS:
            return reading
        found = set(reading)
        for typed in {word, surface}:
            near = process.extract(
                typed, self._phrase_words, scorer=OSA.distance, score_cutoff=1, limit=MAX_NEAR_WORDS
            )
            found.update(match for match, _, _ in near)
        return frozenset(found)

    def _entries_at(self, reading: frozenset[str]) -> Iterator[Entry]:
        for candidate in reading:
            language, _, word = candidate.rpartition(_TAG)
            for entry in self._by_first.get(word, ()):
                if not language or entry.language == language:
                    yield entry
            for entry in self._stems.get(word[:4], ()):
                if word.startswith(entry.words[0]) and (not language or entry.language == language):
                    yield entry

    def _hits(self, read: Sequence[_Word]) -> Iterator[_Hit]:
        for start, word in enumerate(read):
            for entry in set(self._entries_at(word.in_phrase)):
                end = _phrase_end(entry, read, start)
                if end is not None:
                    yield _Hit(entry.language, entry.group, start, end)


def _word_matches(entry: Entry, word: str, last: bool, reading: frozenset[str]) -> bool:
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


def _phrase_end(entry: Entry, read: Sequence[_Word], start: int) -> int | None:
    """Where ``entry`` ends if it starts at ``start``; its later words may stand a little apart.

    Inside a phrase the other words vouch for a misspelt one, but a common word of some
    language is only read as another word when the slip is plausible: into a small word
    ("nich" → "nicht") or keeping its first letter ("uyuşuyo" → "uyuşuyor"); "bills" is not
    "pills". And a short common word read as something else needs its phrase unbroken:
    "wann ist die" is not "want … die"."""
    if len(entry.words) == 1:
        return start if _word_matches(entry, entry.words[0], True, read[start].alone) else None
    positions: list[int] = []
    short_common_typo = False
    for index, word in enumerate(entry.words):
        last = index == len(entry.words) - 1
        candidates = (
            [start]
            if index == 0
            else range(positions[-1] + 1, min(len(read), positions[-1] + 2 + MAX_PHRASE_GAP))
        )
        for position in candidates:
            typed = read[position]
            if _word_matches(entry, word, last, typed.exact):
                break
            if _word_matches(entry, word, last, typed.in_phrase) and (
                not typed.common or is_filler(word) or typed.exact_term[:1] == word[:1]
            ):
                short_common_typo |= typed.common and len(typed.exact_term) < TYPO_MIN_CHARS
                break
        else:
            return None
        positions.append(position)
    gaps = positions[-1] - positions[0] + 1 - len(positions)
    if short_common_typo and gaps:
        return None
    return positions[-1]


def _close(groups: Sequence[list[_Hit]]) -> bool:
    """Whether one hit of each group fits in ``WINDOW`` words (few hits: try them all)."""
    if len(groups) == 1:
        return True
    for choice in product(*(g[:6] for g in groups)):
        if max(h.end for h in choice) - min(h.start for h in choice) < WINDOW:
            return True
    return False
