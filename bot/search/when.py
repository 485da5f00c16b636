"""When people ask: "open now", "today", "tonight", "on Sunday" read from a message in any of
the shipped languages, as a filter for the answer rather than as needs.

The words are the product's own knowledge (``when.yaml`` beside this module), not catalogue
keywords: every city gets them, and no service is found *because* a message says "jetzt". The
positions they take are dropped from the need words, so "was hat jetzt offen" no longer finds
the "offene Sprechstunde". Which services fit the time asked is decided with the opening hours
in :mod:`bot.search.opening`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from bot.search.normalize import Token, tokens

DATA = Path(__file__).resolve().parent / "when.yaml"
"""The shipped time words, per language."""

LANGUAGES = ("de", "en", "tr", "ar", "fa", "ru", "uk")
"""Every shipped language has its time words; a test checks that none is missing."""


class Moment(enum.Enum):
    """The kinds of time a message can ask for."""

    NOW = "now"
    TODAY = "today"
    TONIGHT = "tonight"
    DAY = "day"


SPECIFICITY = (Moment.DAY, Moment.TONIGHT, Moment.NOW, Moment.TODAY)
"""When a message names two ("heute … jetzt"), the more specific one is asked."""


@dataclass(frozen=True, slots=True)
class Asked:
    """The time a message asks about; ``weekday`` (0 = Monday) for :attr:`Moment.DAY`."""

    moment: Moment
    weekday: int | None = None

    @property
    def code(self) -> str:
        """A short stable code for buttons: ``now``, ``today``, ``tonight``, ``d0``-``d6``."""
        if self.moment is Moment.DAY:
            return f"d{self.weekday}"
        return self.moment.value

    @classmethod
    def parse(cls, code: str) -> Asked | None:
        """The time a button's code names, or None for a code this version never made."""
        if len(code) == 2 and code[0] == "d" and code[1] in "0123456":
            return cls(Moment.DAY, int(code[1]))
        if code in (Moment.NOW.value, Moment.TODAY.value, Moment.TONIGHT.value):
            return cls(Moment(code))
        return None


@dataclass(frozen=True, slots=True)
class _Phrase:
    words: tuple[str, ...]
    asked: Asked | None
    """None for the "open" words, which only say "open"."""


def _key(word: Token) -> str:
    """How a word is compared: Arabic script as written (the article tells "الأحد", Sunday,
    from "أحد", anyone), other scripts by the matching form (ä/ae/a, doubled letters)."""
    return word.surface if "\u0600" <= word.surface[:1] <= "\u06ff" else word.term


class TimeWords:
    """The shipped time words, compiled for finding them in a message's words."""

    def __init__(self, knowledge: Mapping[str, Mapping[str, object]]) -> None:
        """``knowledge``: per language, ``now``, ``today``, ``tonight``, ``open`` (lists of
        phrases) and ``days`` (seven lists, Monday first), as in ``when.yaml``."""
        phrases: list[_Phrase] = []
        for language, groups in knowledge.items():
            for moment in (Moment.NOW, Moment.TODAY, Moment.TONIGHT):
                phrases += _phrases(groups.get(moment.value, []), Asked(moment), language)
            phrases += _phrases(groups.get("open", []), None, language)
            days = groups.get("days", ())
            if not isinstance(days, list) or len(days) != 7:
                raise ValueError(f"when.yaml: {language}: `days` needs seven lists, Monday first")
            for weekday, day_words in enumerate(days):
                phrases += _phrases(day_words, Asked(Moment.DAY, weekday), language)
        self._starting: dict[str, list[_Phrase]] = {}
        for phrase in phrases:
            self._starting.setdefault(phrase.words[0], []).append(phrase)
        for starting in self._starting.values():
            starting.sort(key=lambda p: -len(p.words))  # the longest phrase first

    def read(self, words: Sequence[Token]) -> tuple[Asked | None, set[int]]:
        """The time asked (None: none) and the positions of the words that asked it.

        Longest phrases first and without overlap: "heute abend" is tonight, not today. The
        "open" words alone ask for now ("was hat offen?"). The words of "tonight" ("heute
        Nacht", "الليلة", "امشب", "bu gece") stay need words as well: they speak of the night,
        and a place for the night is what night shelters and night cafés are found by
        ("wo kann ich heute nacht pennen").
        """
        keys = [_key(w) for w in words]
        found: list[Asked | None] = []
        used: set[int] = set()
        position = 0
        while position < len(keys):
            match = next(
                (
                    p
                    for p in self._starting.get(keys[position], ())
                    if tuple(keys[position : position + len(p.words)]) == p.words
                ),
                None,
            )
            if match is None:
                position += 1
                continue
            found.append(match.asked)
            if match.asked is None or match.asked.moment is not Moment.TONIGHT:
                used.update(range(position, position + len(match.words)))
            position += len(match.words)
        if not found:
            return None, used
        asked = [a for a in found if a is not None]
        if not asked:
            return Asked(Moment.NOW), used
        return min(asked, key=lambda a: SPECIFICITY.index(a.moment)), used


def _phrases(values: object, asked: Asked | None, language: str) -> list[_Phrase]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"when.yaml: {language}: expected a list of words, got {values!r}")
    compiled = []
    for value in values:
        words = tuple(_key(t) for t in tokens(value))
        if not words:
            raise ValueError(f"when.yaml: {language}: {value!r} has no words")
        compiled.append(_Phrase(words, asked))
    return compiled


@cache
def shipped() -> TimeWords:
    """The time words shipped with the bot, read once per process."""
    with DATA.open(encoding="utf-8") as file:
        knowledge = yaml.safe_load(file)
    missing = [code for code in LANGUAGES if code not in knowledge]
    if missing:
        raise ValueError(f"when.yaml: no time words for {', '.join(missing)}")
    return TimeWords(knowledge)
