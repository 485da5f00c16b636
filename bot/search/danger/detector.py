"""Reading a message for danger: which kinds of danger it speaks of, if any.

A stage of its own, before any catalogue search, because its answer changes what comes first.
It reads meaning from combinations, not single fuzzy words: a kind fires when every group of one
of its rules (self + intent, a means + an act, a person + harm) has a word in the message, close
together. Words match in their base form, any inflection the lemma table knows, a stem, or with
a small typo — but a typo is never forgiven when the typed word is itself a common word of some
language ("gehalt" is salary, not "gewalt"; الانتظار is waiting, not الانتحار), nor when the
knowledge lists it (a group no rule names, ``itself``: بيشرب drinks, not بيضرب hits). And a
figure of speech that borrows danger words ("diese Schlange bringt mich um", "ein Referat über
häusliche Gewalt", "kein Notfall") is known as such, from the same shipped knowledge, and its
words do not count.

Where no rule fires, a second reader asks the learned model (:mod:`.model`), which generalises
from reviewed example messages to wordings no rule foresaw; its evidence reads
``model:<kind>:<probability>`` in ``ask --explain``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

from bot.search.danger.knowledge import KINDS, LOCAL_GROUP, Figure, Knowledge, Rule
from bot.search.danger.model import DangerModel
from bot.search.normalize import is_filler
from bot.search.phrasematch import PhraseHit, PhraseMatcher

WINDOW = 12
"""Groups of one rule must fall within this many words: a sentence or two. "Mein Mann trinkt
… und gestern hat er mich geschlagen" keeps its person and its act; a long message about two
unrelated things does not join them."""

FIGURE_GAP = 3
"""Words that may stand between two parts of a figure of speech: "das Warten beim Jobcenter
bringt mich noch um" (two), "this queue at the office is killing me" (three). Kept short: a
thing named further away is not the subject of the danger words."""

MAX_CRY_CONTENT_WORDS = 0
"""A bare cry for help ("hilfe!!", "помогите", "sos bitte schnell") is the whole message; with
a word that no crisis group knows it asks for help with something ("помогите найти работу",
"hilfe beim antrag"), and the search answers that. Stop words do not count."""
SILENT_PREFIX = "silent-"
"""Groups of the silent cry ("kann nicht reden, er hört alles", "SOS ne mozhu govoryty",
"komak, nemitoonam harf bezanam"): someone who cannot speak because the person they fear would
hear. Whatever else such a message says is their situation, never a question for the search,
so a rule naming one of these groups is not held to the bare cry's rule above."""

PLEA_GROUP = "plea"
"""Words that go with a bare cry without asking for anything else ("someone", "please",
"urgent", "I'm scared", "for God's sake"): "pomogite kto-nibud, ochen strashno" is still the
whole cry. A group of this name needs no rule of its own."""

ALARM_EMOJI = ("\N{SQUARED SOS}", "\N{POLICE CARS REVOLVING LIGHT}")
"""🆘 and 🚨 say "emergency" in every language; the normaliser drops emoji before words are
read, so "🆘🆘🆘", "🚨🚨🚨" or "🆘 😭🙏" alone was no cry at all. Each is read as the word "sos",
which every language's cry group knows: alone it is a bare cry, beside a need ("🆘 brauche
essen") it asks for help with that need, as "sos" does. Writers of four held-out rounds sent
"🚨🚨🚨" alone as a cry; no ordinary message of any set uses either."""

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


class DangerDetector:
    """The compiled knowledge: built once per catalogue load, then read by every message."""

    def __init__(self, knowledge: Knowledge, model: DangerModel | None = None) -> None:
        self._model = model
        self._phrases = PhraseMatcher(
            knowledge.entries,
            knowledge.forms,
            knowledge.protected,
            latin_spellings=True,
            latin_slips=True,
        )
        self._rules = knowledge.rules
        # A rule can only fire when its first group has a hit: look rules up by that group.
        self._rules_by_first: dict[tuple[str, str], list[Rule]] = defaultdict(list)
        for rule in knowledge.rules:
            self._rules_by_first[rule.language, rule.groups[0]].append(rule)
        self._alone: dict[tuple[str, str], set[str]] = defaultdict(set)
        for rule in knowledge.rules:
            if len(rule.groups) == 1:
                self._alone[rule.language, rule.groups[0]].add(rule.kind)
        self._figures: dict[tuple[str, str], list[Figure]] = defaultdict(list)
        for figure in knowledge.figures:
            self._figures[figure.language, figure.groups[0]].append(figure)
        in_rules = {(r.language, g) for r in knowledge.rules for g in r.groups}
        figure_only = {(f.language, g) for f in knowledge.figures for g in f.groups} - in_rules
        self._figure_words: dict[tuple[str, str], list[tuple[tuple[str, ...], bool]]] = defaultdict(
            list
        )
        for entry in knowledge.entries:
            if (entry.language, entry.group) in figure_only:
                self._figure_words[entry.language, entry.group].append((entry.words, entry.stem))
        self._forms = knowledge.forms
        self._cry_groups = frozenset(
            (r.language, g) for r in knowledge.rules if r.kind == "unspecified" for g in r.groups
        ) | {(e.language, e.group) for e in knowledge.entries if e.group == PLEA_GROUP}

    def read(self, text: str) -> Danger:
        """The kinds of danger in ``text``; ``NO_DANGER`` for an ordinary message."""
        found = self._read_by_rules(text)
        if found.found or self._model is None:
            return found
        learned = self._model.read(text)
        if learned.kind is None:
            return NO_DANGER
        return Danger((learned.kind,), (f"model:{learned.kind}:{learned.probability:.2f}",))

    def _read_by_rules(self, text: str) -> Danger:
        reading = self._phrases.read(_alarms_as_sos(text))
        terms = reading.terms
        hits = self._without_swallowed(self._without_figures(reading.hits, terms))
        if not hits:
            return NO_DANGER
        by_group: dict[tuple[str, str], list[PhraseHit]] = defaultdict(list)
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
            if (
                rule.kind == "unspecified"
                and LOCAL_GROUP not in rule.groups
                and not any(g.startswith(SILENT_PREFIX) for g in rule.groups)
            ):
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

    def _without_figures(self, hits: list[PhraseHit], terms: list[str]) -> list[PhraseHit]:
        """Drop every hit that starts or ends inside a figure of speech: "die Hitze bringt mich
        um" is about the heat, "Referat über häusliche Gewalt" about homework, "is there a
        lost" ends in "lost and found", "Haut juckt und sie" starts in "Haut juckt". Danger
        words outside the figure still count ("die Arbeit bringt mich um, ich will sterben")."""
        if not self._figures:
            return hits
        by_group: dict[tuple[str, str], list[PhraseHit]] = defaultdict(list)
        for hit in hits:
            key = (hit.language, hit.group)
            if key not in self._figure_words or self._written(hit, terms):
                by_group[key].append(hit)
        spans = [
            span
            for key, starts in by_group.items()
            for figure in self._figures.get(key, ())
            for first in starts
            if (span := _figure_span(figure, first, by_group)) is not None
        ]
        if not spans:
            return hits
        return [h for h in hits if not any(a <= h.end <= b or a <= h.start <= b for a, b in spans)]

    def _written(self, hit: PhraseHit, terms: list[str]) -> bool:
        """Whether a figure-only phrase stands in the message as written (its words in a row,
        inflected at most): a typo or a gap must never make one, since a figure silences
        danger — "a man i dont know took …" is not "can i … take"."""
        typed = terms[hit.start : hit.end + 1]
        forms = self._forms.get(hit.language, {})
        for words, stem in self._figure_words[hit.language, hit.group]:
            if len(words) == len(typed) and all(
                t == w or forms.get(t) == w or (stem and i == len(words) - 1 and t.startswith(w))
                for i, (t, w) in enumerate(zip(typed, words, strict=True))
            ):
                return True
        return False

    def _without_swallowed(self, hits: list[PhraseHit]) -> list[PhraseHit]:
        """Drop a phrase that alone names a kind when it lies inside a longer phrase that
        names another: "er droht mich umzubringen" is a threat, and its "mich umzubringen"
        does not make it a wish to die."""
        alone = [h for h in hits if (h.language, h.group) in self._alone]
        if len(alone) < 2:
            return hits
        # A cry without a kind (a catalogue's local crisis words among them) never swallows
        # a kind: "زوجي يضربني" written into a catalogue's list is still violence.
        outers = [h for h in alone if self._alone[h.language, h.group] != {"unspecified"}]
        swallowed = {
            inner
            for inner in alone
            for outer in outers
            if outer.start <= inner.start
            and inner.end <= outer.end
            and outer.end - outer.start > inner.end - inner.start
            and not self._alone[outer.language, outer.group]
            & self._alone[inner.language, inner.group]
        }
        return [h for h in hits if h not in swallowed]


def _figure_span(
    figure: Figure, first: PhraseHit, by_group: dict[tuple[str, str], list[PhraseHit]]
) -> tuple[int, int] | None:
    """The words from ``first`` to the end of the figure's last group, when each next group
    follows the one before within ``FIGURE_GAP`` words; ``None`` when the figure is not there."""
    start, end = first.start, first.end
    for group in figure.groups[1:]:
        following = [
            h
            for h in by_group.get((figure.language, group), ())
            if h.start > start and h.start - end - 1 <= FIGURE_GAP
        ]
        if not following:
            return None
        nearest = min(following, key=lambda h: (h.start, -h.end))  # the longest reading
        start, end = nearest.start, max(end, nearest.end)
    return first.start, end


def _close(groups: Sequence[list[PhraseHit]]) -> bool:
    """Whether one hit of each group fits in ``WINDOW`` words (few hits: try them all)."""
    if len(groups) == 1:
        return True
    for choice in product(*(g[:6] for g in groups)):
        if max(h.end for h in choice) - min(h.start for h in choice) < WINDOW:
            return True
    return False


def _alarms_as_sos(text: str) -> str:
    for emoji in ALARM_EMOJI:
        text = text.replace(emoji, " sos ")
    return text
