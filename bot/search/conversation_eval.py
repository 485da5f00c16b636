"""How well the conversation stage and the language detector read messages written by others.

Three tables for ``python -m bot eval``: the intent of each held-out conversation message
(``tests/heldout/conversation*.yaml``, one column per round), per intent and per language;
how many ordinary search messages of the cities' held-out sets were wrongly taken for
conversation (should be none); and the language the detector reads in those search
messages against the language they were written in: right, a wrong switch, or no switch
(the safe answer when unsure).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.catalogue.yamlsource import read_yaml
from bot.search.conversation.reader import ConversationReader, Intent
from bot.search.conversation.reader import shipped as shipped_reader
from bot.search.evaluation import ROOT, EvalQuery, load_queries
from bot.search.language.detector import LanguageDetector
from bot.search.language.detector import shipped as shipped_detector

HELD_OUT = ROOT / "tests" / "heldout"
CONVERSATION_SET = HELD_OUT / "conversation.yaml"
CONVERSATION_ROUNDS = {
    "round 1": CONVERSATION_SET,
    "round 2": HELD_OUT / "conversation-round2.yaml",
    "round 3": HELD_OUT / "conversation-round3.yaml",
    "round 4": HELD_OUT / "conversation-round4.yaml",
    "round 5": HELD_OUT / "conversation-round5.yaml",
}
"""Each round written by outside writers before the change to the reader that the next measures."""
SEARCH_SETS = (
    HELD_OUT / "hannover-de-en-tr-ru.yaml",
    HELD_OUT / "hannover-uk-ar-fa.yaml",
    HELD_OUT / "hannover-round2-all.yaml",
    HELD_OUT / "wolfsburg.yaml",
    HELD_OUT / "neunkirchen.yaml",
)


@dataclass
class Tally:
    """Counts per key: how many, how many right, and (language id) how many wrongly switched."""

    total: Counter[str]
    right: Counter[str]
    wrong: Counter[str]

    @classmethod
    def empty(cls) -> Tally:
        return cls(Counter(), Counter(), Counter())

    def add(self, key: str, right: bool, wrong: bool = False) -> None:
        self.total[key] += 1
        self.right[key] += right
        self.wrong[key] += wrong


def conversation_messages(path: Path = CONVERSATION_SET) -> list[dict[str, str]]:
    """The held-out conversation messages: ``{lang, intent, text}`` each."""
    return [{k: str(v) for k, v in item.items()} for item in read_yaml(path).data["conversation"]]


def search_messages(paths: Iterable[Path] = SEARCH_SETS) -> list[EvalQuery]:
    """Every message of the cities' held-out search sets."""
    return [query for path in paths if path.is_file() for query in load_queries(path)]


def intent_tallies(
    messages: Sequence[dict[str, str]], reader: ConversationReader
) -> tuple[Tally, Tally]:
    """Intent read right, per intent and per language."""
    by_intent, by_language = Tally.empty(), Tally.empty()
    for message in messages:
        talk = reader.read(message["text"])
        right = talk is not None and talk.intent is Intent(message["intent"])
        by_intent.add(message["intent"], right)
        by_language.add(message["lang"], right)
    return by_intent, by_language


def false_conversation(queries: Sequence[EvalQuery], reader: ConversationReader) -> Tally:
    """Search messages taken for conversation, per kind of message ("right" counts those)."""
    tally = Tally.empty()
    for query in queries:
        tally.add(query.kind, reader.read(query.text) is not None)
    return tally


SISTER = {"ar": "fa", "fa": "ar", "ru": "uk", "uk": "ru", "de": "en", "en": "de", "tr": "de"}
"""A reader of the same script: the case where a wrong switch is likeliest."""


def language_tally(
    queries: Sequence[EvalQuery], detector: LanguageDetector, *, sister: bool = False
) -> Tally:
    """Per written language: the detector right, wrong (a wrong switch) or silent; for a reader
    of another script, or (``sister``) of the other language of the same script."""
    tally = Tally.empty()
    for query in queries:
        setting = SISTER.get(query.lang) if sister else None
        said = detector.guess(query.text, setting).language
        tally.add(query.lang, said == query.lang, said is not None and said != query.lang)
    return tally


def _share(right: int, total: int) -> str:
    return f"{right / total:.2f} ({right}/{total})" if total else "–"


def format_tables(
    reader: ConversationReader | None = None, detector: LanguageDetector | None = None
) -> str:
    """The three tables as Markdown; sets that are not there are left out."""
    reader = reader or shipped_reader()
    detector = detector or shipped_detector()
    lines: list[str] = []
    rounds = {name: path for name, path in CONVERSATION_ROUNDS.items() if path.is_file()}
    if rounds:
        tallies = [intent_tallies(conversation_messages(path), reader) for path in rounds.values()]
        header = " | ".join(rounds)
        for title, which in (("intent", 0), ("language", 1)):
            lines += [f"| conversation by {title} | {header} |", "|---|" + "---:|" * len(rounds)]
            keys = sorted({k for tally in tallies for k in tally[which].total})
            lines += [
                f"| {k} | "
                + " | ".join(_share(t[which].right[k], t[which].total[k]) for t in tallies)
                + " |"
                for k in keys
            ]
            lines.append("")
    queries = search_messages()
    if queries:
        taken = false_conversation(queries, reader)
        lines += ["| search messages by kind | taken for conversation |", "|---|---:|"]
        lines += [f"| {k} | {taken.right[k]}/{n} |" for k, n in sorted(taken.total.items())]
        lines += [f"| all | {sum(taken.right.values())}/{sum(taken.total.values())} |", ""]
        found = language_tally(queries, detector)
        sister = language_tally(queries, detector, sister=True)
        lines += [
            "| search messages written in | language read right | wrong switch | no switch "
            "| on a sister-language phone: right | wrong switch |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for lang, n in sorted(found.total.items()):
            silent = n - found.right[lang] - found.wrong[lang]
            lines.append(
                f"| {lang} | {_share(found.right[lang], n)} | {found.wrong[lang]} | {silent} "
                f"| {_share(sister.right[lang], n)} | {sister.wrong[lang]} |"
            )
    return "\n".join(lines).rstrip()
