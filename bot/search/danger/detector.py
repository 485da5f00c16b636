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
from rapidfuzz.distance import Levenshtein

from bot.search.danger.knowledge import KINDS, Entry, Knowledge
from bot.search.normalize import term, words

WINDOW = 12
"""Groups of one rule must fall within this many words: a sentence or two. "Mein Mann trinkt
… und gestern hat er mich geschlagen" keeps its person and its act; a long message about two
unrelated things does not join them."""

MAX_PHRASE_GAP = 2
"""Words that may stand inside a phrase: "will nicht mehr leben" ~ "will echt nicht mehr leben"."""

TYPO_MIN_CHARS = 5
"""Shorter words are not corrected: one edit turns "tot" into "rot" or "Ort"."""
TWO_TYPOS_MIN_CHARS = 9
"""Long words may carry two typos ("vergewaltigt" as "vergewaltikt")."""

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

    @property
    def found(self) -> bool:
        return bool(self.kinds)

    @property
    def kind(self) -> str | None:
        """The most urgent kind, whose first help leads the answer."""
        return self.kinds[0] if self.kinds else None


NO_DANGER = Danger(())


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
        self._forms = knowledge.forms
        self._protected = knowledge.protected
        self._typo_targets = sorted(
            {w for e in knowledge.entries for w in e.words if len(w) >= TYPO_MIN_CHARS}
        )

    def read(self, text: str) -> Danger:
        """The kinds of danger in ``text``; ``NO_DANGER`` for an ordinary message."""
        terms = [term(w) for w in words(text, join_apostrophes=True)]
        if not terms:
            return NO_DANGER
        readings = [self._readings(t) for t in terms]
        hits = list(self._hits(terms, readings))
        if not hits:
            return NO_DANGER
        by_group: dict[tuple[str, str], list[_Hit]] = defaultdict(list)
        for hit in hits:
            by_group[hit.language, hit.group].append(hit)
        kinds: set[str] = set()
        evidence: set[str] = set()
        for rule in self._rules:
            if rule.kind in kinds:
                continue
            chosen = [by_group.get((rule.language, g)) for g in rule.groups]
            if all(chosen) and _close(chosen):  # type: ignore[arg-type]
                kinds.add(rule.kind)
                evidence.add(f"{rule.language}:{rule.kind}:{'+'.join(rule.groups)}")
        if len(kinds) > 1:
            kinds.discard("unspecified")
        ordered = tuple(k for k in PRIORITY if k in kinds)
        return Danger(ordered, tuple(sorted(evidence))) if ordered else NO_DANGER

    def _readings(self, word: str) -> frozenset[str]:
        """What a typed word may be: itself, its base forms, and near spellings of crisis words."""
        found = {word}
        for forms in self._forms.values():
            base = forms.get(word)
            if base:
                found.add(base)
        if (
            len(word) >= TYPO_MIN_CHARS
            and word not in self._protected
            and word not in self._by_first
        ):
            allowed = 2 if len(word) >= TWO_TYPOS_MIN_CHARS else 1
            for match, _, _ in process.extract(
                word,
                self._typo_targets,
                scorer=Levenshtein.distance,
                score_cutoff=allowed,
                limit=4,
            ):
                found.add(match)
        return frozenset(found)

    def _entries_at(self, reading: frozenset[str]) -> Iterator[Entry]:
        for candidate in reading:
            yield from self._by_first.get(candidate, ())
            for entry in self._stems.get(candidate[:4], ()):
                if candidate.startswith(entry.words[0]):
                    yield entry

    def _hits(self, terms: Sequence[str], readings: Sequence[frozenset[str]]) -> Iterator[_Hit]:
        for start, reading in enumerate(readings):
            for entry in set(self._entries_at(reading)):
                end = _phrase_end(entry, readings, start)
                if end is not None:
                    yield _Hit(entry.language, entry.group, start, end)


def _word_matches(word: str, last: bool, stem: bool, reading: frozenset[str]) -> bool:
    if word in reading:
        return True
    return last and stem and any(r.startswith(word) for r in reading)


def _phrase_end(entry: Entry, readings: Sequence[frozenset[str]], start: int) -> int | None:
    """Where ``entry`` ends if it starts at ``start`` (its later words may have small gaps)."""
    position = start
    count = len(entry.words)
    for index, word in enumerate(entry.words):
        last = index == count - 1
        if index == 0:
            if not _word_matches(word, last, entry.stem, readings[start]):
                return None
            continue
        limit = min(len(readings), position + 2 + MAX_PHRASE_GAP)
        for next_position in range(position + 1, limit):
            if _word_matches(word, last, entry.stem, readings[next_position]):
                position = next_position
                break
        else:
            return None
    return position


def _close(groups: Sequence[list[_Hit]]) -> bool:
    """Whether one hit of each group fits in ``WINDOW`` words (few hits: try them all)."""
    if len(groups) == 1:
        return True
    for choice in product(*(g[:6] for g in groups)):
        if max(h.end for h in choice) - min(h.start for h in choice) < WINDOW:
            return True
    return False
