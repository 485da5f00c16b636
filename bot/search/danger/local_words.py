"""What a catalogue's crisis words add to the shipped knowledge of danger, word by word.

A catalogue's ``crisis.keywords`` are meant for local words only (the name of a local crisis
line, a local word for a danger): the product reads danger in seven languages itself. A
generic word there does harm rather than good. Either the shipped knowledge already reads it
("will sterben", "he hits me"), and the line only repeats it, or the shipped knowledge knows
the word and reads it as danger only beside the words that make it one ("gewalt", "bedroht",
"تهديد", threat) because alone it is common in ordinary messages ("Beratung bei Gewalt", a
landlord's threatening letter): a local word fires alone, so there it sounds the alarm on
those. Measured on the cities' catalogues, which carried twenty such words per language: the
same danger was seen without them, and false alarms on harmless look-alikes fell from 0.08 to
0.05. ``python -m bot validate`` tells staff which words to remove and why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from bot.search.danger.detector import DangerDetector
from bot.search.danger.knowledge import Knowledge, shipped
from bot.search.normalize import is_filler, term, words


class Verdict(Enum):
    """Why a catalogue's crisis word is not needed."""

    READ = "read"
    """The shipped knowledge reads the words alone as danger of a kind."""
    ONLY_IN_COMBINATION = "only in combination"
    """The shipped knowledge knows a word of it but reads danger only beside other words."""


@dataclass(frozen=True)
class GenericCrisisWord:
    """One entry of ``crisis.keywords`` that is not a local word."""

    language: str
    index: int
    """Its place in the language's list, for the line number of the finding."""
    text: str
    verdict: Verdict
    kind: str | None = None
    """For ``Verdict.READ``: the kind of danger the product reads in it."""

    def explain(self) -> str:
        """The staff-facing sentence: what the product does with the word, and what to do."""
        if self.verdict is Verdict.READ:
            return (
                f"crisis word `{self.text}` ({self.language}) is not needed: the bot already "
                f"reads it as danger ({self.kind}) in every city. Remove it; keep only local "
                "words here (the name of a local crisis line)."
            )
        return (
            f"crisis word `{self.text}` ({self.language}) is a common word: the bot reads it "
            "as danger only together with the words that make it one (who does what to "
            "whom), because alone it appears in ordinary messages (advice about violence, a "
            "landlord's threatening letter). Here it would put the emergency numbers above "
            "those. Remove it; keep only local words here."
        )


def generic_crisis_words(
    keywords: Mapping[str, Sequence[str]], knowledge: Knowledge | None = None
) -> list[GenericCrisisWord]:
    """The entries of ``keywords`` that the shipped knowledge reads or deliberately does not.

    Asks the rules only, not the learned model: the model reads messages of four words or
    more, and a crisis word is a phrase of one to three. A phrase with a word the shipped
    knowledge has never seen ("Lindener Brücke", a local name) is local and not listed.
    """
    knowledge = knowledge or shipped()
    detector = DangerDetector(knowledge)
    known_words = _known_words(knowledge)
    found = []
    for language, texts in keywords.items():
        for index, text in enumerate(texts):
            danger = detector.read(text)
            if danger.found:
                found.append(GenericCrisisWord(language, index, text, Verdict.READ, danger.kind))
                continue
            forms = knowledge.forms.get(language, {})
            terms = {forms.get(t, t) for t in map(term, words(text, join_apostrophes=True))}
            meaningful = {t for t in terms if not is_filler(t)} or terms
            if meaningful <= known_words.get(language, set()):
                found.append(GenericCrisisWord(language, index, text, Verdict.ONLY_IN_COMBINATION))
    return found


def _known_words(knowledge: Knowledge) -> dict[str, set[str]]:
    """Per language, the words of the danger groups (not of the figures of speech) that
    stand alone in an entry: "gewalt" is one; "mich" is only part of "schlägt mich"."""
    danger_groups = {(rule.language, group) for rule in knowledge.rules for group in rule.groups}
    known: dict[str, set[str]] = {}
    for entry in knowledge.entries:
        if len(entry.words) == 1 and (entry.language, entry.group) in danger_groups:
            known.setdefault(entry.language, set()).add(entry.words[0])
    return known
