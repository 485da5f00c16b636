"""Reading a message for what it says when it is not a search: hello, thanks, bye, who are
you, a person please, how does this work.

A message is read as one of these only when it says nothing else: every word of it belongs to
an intent's phrase, to the polite words around them ("lieber", "please", "пожалуйста") or is
a stop word. "hallo, ich brauche essen" is a search; "hallo" is a greeting, which would
otherwise get "nothing found" and read like being turned away. A few words make a message a
search even beside an intent (``search:`` in the language files: "danke, das hat nicht
geholfen"). The crisis stage runs before this one and wins: a bare cry for help is never a
"help menu".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

import yaml

from bot.search.danger.knowledge import shipped as shipped_danger
from bot.search.normalize import MAX_INPUT_CHARS, is_filler, term, words
from bot.search.phrasematch import Phrase, PhraseHit, PhraseMatcher, Reading

DATA = Path(__file__).resolve().parent
"""The language files and ``emoji.yaml`` live beside this module."""

EMOJI_FILE = "emoji.yaml"

MAX_WORDS = 12
"""Longer messages are searches or stories, not a greeting: "hallo, ich bin neu hier und …"."""


class Intent(StrEnum):
    """What a conversational message asks for; the answers are in :mod:`bot.answers.talk`."""

    GREETING = "greeting"
    THANKS = "thanks"
    BYE = "bye"
    WHO = "who"
    PERSON = "person"
    HELP = "help"


_INTENTS = frozenset(intent.value for intent in Intent)

PRIORITY = (Intent.PERSON, Intent.HELP, Intent.WHO, Intent.BYE, Intent.THANKS, Intent.GREETING)
"""Which intent answers a message that says several: "hi, who are you?" asks who; "thanks,
bye" takes leave; the question to talk to a person outweighs any greeting around it."""

_POLITE = "polite"
"""The group of words that may accompany an intent without making the message a search."""

_SEARCH = "search"
"""The group of words that make a message a search even beside an intent's words: a service
one letter away from a conversation word (Farsi مشاوره "counselling" ~ مشاور "counsellor",
Turkish danışma ~ danışman), or a complaint that contains a thanks ("hat nicht geholfen").
A word listed here is also never read as a typo of another word."""

_SOMEONE = frozenset({"person", "human"})
"""The groups that name a person: a search word inside one of their longer phrases is part of
that phrase (see ``ConversationReader._names_someone``)."""

COMBINATIONS: dict[Intent, tuple[tuple[str, ...], ...]] = {
    Intent.WHO: (
        ("you", "being"),
        ("this", "being"),
        ("you", "able"),
        ("what", "able"),
        ("asker", "you"),
        ("asker", "behind"),
        ("asker", "behind", "outlet"),
        ("being", "answers"),
        ("what", "this"),
        ("what", "this", "outlet"),
        ("this", "terms"),
        ("you", "terms"),
        ("outlet", "terms"),
    ),
    Intent.PERSON: (("talk", "human"), ("want", "human"), ("asker", "talk")),
    Intent.HELP: (
        ("how", "use"),
        ("how", "use", "outlet"),
        ("what", "ask"),
        ("puzzled", "controls"),
        ("open", "controls"),
    ),
}
"""Intents said by words that mean it only together (``groups:`` in the language files):
"bist du ein Roboter?" (you + being), "neler yapabiliyon" (what + able), "who r u" (asker +
you), "who runs this?" (asker + behind; "this channel": + outlet), "kann ich mit einer echten
Person reden?" (talk + human), "ich brauche jemanden" (want + human), "who can I talk to?"
(asker + talk), "antwortet da ein Mensch oder ein Programm?" (being + answers), "wie benutzt
man das?" (how + use; "how does this app work?": + outlet), "не понял эти кнопки" (puzzled +
controls), "where are the buttons?" (open + controls), "was ist das?" (what + this; "what is
this app?": + outlet), "ist das kostenlos?", "are you official?", "is the chat anonymous?"
(this, you or outlet + terms: the bot's own cost, standing and privacy, which the answer to who
names). Each word alone says nothing: "reden" or "jemand" in a search stays a search,
"kostenlos" asks for free services."""

THINGS = frozenset({"outlet", "controls", "open", "behind", "answers", "terms"})
"""Groups whose words can name a need on their own (a channel or an account, the buttons or the
menu, "open", "where", "runs", "made", "writes", "free", "official"): they cover a message only
inside a combination that is said. "hallo, konto" is a search for a bank account, "who runs
this account?" asks who; "hallo, kostenlos" stays a search for something free."""

ASKING_FOR_A_PERSON = ("talk", "want")
"""The groups whose words ask for a person. A message that asks who the bot is and names a
person without one of them asks about the bot: "are you a real person or a bot?" is a
question, "bist du ein Bot? ich will mit einem Menschen reden" asks for someone. A word inside
the question itself does not count: "с кем я говорю?" (whom am I talking to) asks who."""

_EMOJI_MODIFIERS = frozenset(
    {"\ufe0f", "\ufe0e", "\u200d"} | {chr(c) for c in range(0x1F3FB, 0x1F400)}
)
"""Variation selectors, the zero-width joiner and skin tones: "👋🏽" is "👋"."""


class ConversationError(Exception):
    """A shipped conversation file is malformed; raised at load, so a test finds it first."""


@dataclass(frozen=True, slots=True)
class Talk:
    """A message read as conversation: its intent and the language of the phrase that said it
    (None for emojis alone)."""

    intent: Intent
    language: str | None


def _phrase(language: str, group: str, text: str) -> Phrase | None:
    """One entry; a trailing ``*`` makes its last word a stem ("konuş*": konuşmak,
    konuşabilir, konuşmak istiyorum)."""
    parts = tuple(term(w) for w in words(text.rstrip("*"), join_apostrophes=True))
    return Phrase(language, group, parts, stem=text.endswith("*")) if parts else None


def _read_language(path: Path) -> list[Phrase]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    language = str(data.get("language", ""))
    if language != path.stem:
        raise ConversationError(f"{path.name}: `language: {language}` should be `{path.stem}`")
    groups: dict[str, list[str]] = dict(data.get("intents") or {})
    unknown = set(groups) - {i.value for i in Intent}
    if unknown:
        raise ConversationError(f"{path.name}: unknown intents {sorted(unknown)}")
    groups[_POLITE] = list(data.get("polite") or [])
    groups[_SEARCH] = list(data.get("search") or [])
    combined = {g for rules in COMBINATIONS.values() for rule in rules for g in rule}
    for name, texts in (data.get("groups") or {}).items():
        if name not in combined:
            raise ConversationError(f"{path.name}: group `{name}` is in no combination")
        groups[name] = list(texts)
    return [
        phrase
        for group, texts in groups.items()
        for text in texts
        if (phrase := _phrase(language, group, str(text))) is not None
    ]


def _bare(symbol: str) -> str:
    return "".join(c for c in symbol if c not in _EMOJI_MODIFIERS)


def _read_emoji(path: Path) -> dict[str, Intent | None]:
    """Emoji → the intent it says; None for a friendly face that says none ("polite")."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        _bare(str(symbol)): None if intent == _POLITE else Intent(intent)
        for intent, symbols in (data.get("emoji") or {}).items()
        for symbol in symbols
    }


class ConversationReader:
    """The shipped phrases compiled once; :meth:`read` is called for every message."""

    def __init__(self, folder: Path = DATA) -> None:
        phrases = [
            p
            for path in sorted(folder.glob("*.yaml"))
            if path.name != EMOJI_FILE
            for p in _read_language(path)
        ]
        # The danger stage's common words: "danke" is never read as a typo of "dank" or so.
        self._matcher = PhraseMatcher(phrases, {}, shipped_danger().protected)
        self._emoji = _read_emoji(folder / EMOJI_FILE)
        # Every entry by its words (a stem by the words before it and its first four letters),
        # to tell a word typed exactly from a near spelling (see _misread_search).
        self._entries: dict[tuple[str, ...], list[Phrase]] = {}
        for phrase in phrases:
            self._entries.setdefault(_entry_key(phrase.words), []).append(phrase)

    def _misread_search(self, terms: list[str], hit: PhraseHit) -> bool:
        """Whether a ``search`` hit is only a near spelling of words typed exactly as another
        entry (or its stem): Farsi "کمکم کرد" (it helped me) is one letter from "کمکم نکرد"
        (it did not help), Russian "консультант" two from "консультации"."""
        typed = tuple(terms[hit.start : hit.end + 1])
        exact = [p for p in self._entries.get(_entry_key(typed), ()) if _typed_as(p, typed)]
        return bool(exact) and all(p.group != _SEARCH for p in exact)

    def _names_someone(self, hit: PhraseHit, reading: Reading) -> bool:
        """Whether a ``search`` hit is part of a longer phrase, typed exactly, that names a
        person: "someone from the counselling service" asks for one, "counselling" alone is a
        search. Near spellings never count ("that didnt help" is no "that did it")."""
        for other in reading.hits:
            if (
                other.group in _SOMEONE
                and other.start <= hit.start
                and other.end >= hit.end
                and other.end - other.start > hit.end - hit.start
            ):
                typed = tuple(reading.terms[other.start : other.end + 1])
                entries = self._entries.get(_entry_key(typed), ())
                if any(p.group in _SOMEONE and _typed_as(p, typed) for p in entries):
                    return True
        return False

    def read(self, text: str) -> Talk | None:
        """The intent of ``text`` when that is all it says, else None (a search)."""
        text = text[:MAX_INPUT_CHARS]
        if len(words(text, join_apostrophes=True)) > MAX_WORDS:
            return None  # before the matcher, whose near spellings cost most of the time
        reading = self._matcher.read(text)
        said: dict[Intent, str | None] = {}
        groups: dict[str, str] = {}
        covered: set[int] = set()
        asked_who: set[int] = set()
        for hit in reading.hits:
            if hit.group == _SEARCH:
                if self._misread_search(reading.terms, hit) or self._names_someone(hit, reading):
                    continue
                return None
            if hit.group not in THINGS:
                covered.update(_words_of(hit))
            if hit.group in _INTENTS:
                said.setdefault(Intent(hit.group), hit.language)
                if hit.group == Intent.WHO:
                    asked_who.update(_words_of(hit))
            elif hit.group != _POLITE:  # a group of COMBINATIONS
                groups.setdefault(hit.group, hit.language)
        for intent, rules in COMBINATIONS.items():
            for rule in rules:
                if all(g in groups for g in rule):
                    said.setdefault(intent, groups[rule[0]])
                    things = THINGS.intersection(rule)
                    covered.update(
                        i for hit in reading.hits if hit.group in things for i in _words_of(hit)
                    )
                    if intent is Intent.WHO:
                        # "antwortet da ein Mensch?": a word of the question asks about the bot
                        asked_who.update(
                            i for hit in reading.hits if hit.group in rule for i in _words_of(hit)
                        )
        rest = [t for i, t in enumerate(reading.terms) if i not in covered]
        if any(not is_filler(t) for t in rest):
            return None
        worded = bool(said)
        for symbol in _symbols(text):
            if symbol not in self._emoji:
                return None  # an emoji that says something else: 🍞, 🏠, 🆘
            intent = self._emoji[symbol]
            if intent is not None and not worded:
                # An emoji says an intent only beside no word that says one: "hi 😊🙏" greets.
                said.setdefault(intent, None)
        if not said:
            return None
        if Intent.WHO in said and not _asks_for_someone(reading, asked_who):
            said.pop(Intent.PERSON, None)  # "are you a real person or a bot?" asks who
        chosen = next(i for i in PRIORITY if i in said)
        return Talk(chosen, said[chosen])


def _words_of(hit: PhraseHit) -> list[int]:
    """The positions of the words a hit's phrase is made of: the words it stood apart over are
    not its own, so "muss ich die miete bezahlen" is not "muss ich bezahlen" (who pays)."""
    return [i for i in range(hit.start, hit.end + 1) if i not in hit.skipped]


def _entry_key(words: tuple[str, ...]) -> tuple[str, ...]:
    return (*words[:-1], words[-1][:4])


def _typed_as(phrase: Phrase, typed: tuple[str, ...]) -> bool:
    """Whether ``typed`` is ``phrase`` letter for letter (its last word may go on after a stem)."""
    if len(typed) != len(phrase.words) or typed[:-1] != phrase.words[:-1]:
        return False
    last = phrase.words[-1]
    return typed[-1] == last or (phrase.stem and typed[-1].startswith(last))


def _asks_for_someone(reading: Reading, asked_who: set[int]) -> bool:
    """Whether a word that asks for a person (:data:`ASKING_FOR_A_PERSON`) stands outside the
    phrases that ask who the bot is."""
    return any(
        hit.group in ASKING_FOR_A_PERSON and hit.start not in asked_who for hit in reading.hits
    )


def _symbols(text: str) -> list[str]:
    """The emojis and other symbols of ``text``, one per character (modifiers dropped)."""
    return [
        c
        for c in text
        if c not in _EMOJI_MODIFIERS and unicodedata.category(c) in ("So", "Sk", "Cs")
    ]


@cache
def shipped() -> ConversationReader:
    """The reader of the shipped conversation files, built once per process."""
    return ConversationReader()
