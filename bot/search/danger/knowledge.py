"""The shipped knowledge of danger: word groups and rules per language, compiled for matching.

Each ``<lang>.yaml`` beside this module is reviewed data (see ``docs/crisis.md``): named groups
of words and phrases, per kind of danger the combinations of groups that signal it, and the
figures of speech (``figures``: groups in order, "diese Schlange" + "bringt mich um") whose
danger words say nothing of danger. A word
is written in its base form; inflected forms come from ``forms.json`` (generated from the
simplemma dictionaries by ``tables.py``), small typos are forgiven unless the typed word is a
common word of some language (``protected.json``, from wordfreq). The catalogue's own
``crisis.keywords`` are added as one more group per language, never replace this.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import yaml

from bot.catalogue.fields import DANGER_KINDS
from bot.search.normalize import term, words
from bot.search.phrasematch import Phrase as Entry

DATA = Path(__file__).resolve().parent
"""The language files and the generated tables live beside this module."""

KINDS = DANGER_KINDS
"""The kinds of danger (the catalogue's ``danger`` field names the same ones)."""

MIN_STEM_CHARS = 4
"""A stem (``vergewaltig*``) shorter than this would match half the language."""

LOCAL_GROUP = "local"
"""The group that a catalogue's ``crisis.keywords`` become; a rule of its own fires on it."""


class KnowledgeError(Exception):
    """A shipped language file is malformed; raised at load, so a test finds it first."""


@dataclass(frozen=True, slots=True)
class Rule:
    """A kind fires when every group of one rule is present in the message (same language)."""

    language: str
    kind: str
    groups: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure of speech that borrows danger words: its groups, in this order and close
    together ("die Hitze" + "bringt mich um", "Referat über" + "häusliche Gewalt"), mean the
    danger words inside it say nothing of danger."""

    language: str
    groups: tuple[str, ...]


@dataclass(frozen=True)
class Knowledge:
    """Every entry and rule of every language, indexed for the detector."""

    entries: tuple[Entry, ...]
    rules: tuple[Rule, ...]
    forms: Mapping[str, Mapping[str, str]]
    """Per language: inflected term → base term, for the base words in the entries."""
    protected: frozenset[str]
    """Common words (in some language) that a typo tolerance must never read as a crisis word."""
    figures: tuple[Figure, ...] = ()
    """Hyperbole and talk *about* danger, per language: they cancel the danger words they hold."""

    def with_local_words(self, keywords: Mapping[str, Sequence[str]]) -> Knowledge:
        """This knowledge plus a catalogue's local crisis words, one group per language.

        A phrase of them stands in a row and forgives one slip in all: the table of common
        words that guards the shipped words ("gehalt" is not "gewalt") is built at development
        time and knows nothing of a city's words, and two slips turn "کمکم میکنه" (helps me)
        into "کتکم میزنه" (beats me); a gap reads "میخوام مدرک … بگیرم" (I want a diploma) as
        "میخوام بمیرم" (I want to die)."""
        extra = [
            replace(entry, strict=True)
            for language, texts in keywords.items()
            for text in texts
            if (entry := _entry(language, LOCAL_GROUP, text)) is not None
        ]
        rules = [Rule(language, "unspecified", (LOCAL_GROUP,)) for language in keywords]
        return Knowledge(
            entries=self.entries + tuple(extra),
            rules=self.rules + tuple(rules),
            forms=self.forms,
            protected=self.protected,
            figures=self.figures,
        )


def _entry(language: str, group: str, text: str) -> Entry | None:
    stem = text.endswith("*")
    parts = tuple(term(w) for w in words(text.rstrip("*"), join_apostrophes=True))
    if not parts:
        return None
    if stem and len(parts[-1]) < MIN_STEM_CHARS:
        raise KnowledgeError(f"{language}: `{text}` in `{group}`: a stem needs 4 letters")
    return Entry(language, group, parts, stem)


def read_language(path: Path) -> tuple[list[Entry], list[Rule], dict[str, list[str]]]:
    """One language file: its entries, its rules and its own examples (for the tests)."""
    entries, rules, _, examples = read_language_file(path)
    return entries, rules, examples


def read_language_file(
    path: Path,
) -> tuple[list[Entry], list[Rule], list[Figure], dict[str, list[str]]]:
    """One language file: its entries, rules, figures of speech and examples."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    language = str(data.get("language", ""))
    if language != path.stem:
        raise KnowledgeError(f"{path.name}: `language: {language}` should be `{path.stem}`")
    groups: dict[str, list[str]] = data.get("words") or {}
    entries = [
        entry
        for group, texts in groups.items()
        for text in texts
        if (entry := _entry(language, str(group), str(text))) is not None
    ]
    rules: list[Rule] = []
    for kind, kind_rules in (data.get("kinds") or {}).items():
        if kind not in KINDS:
            raise KnowledgeError(f"{path.name}: unknown kind `{kind}`; use one of {KINDS}")
        for names in kind_rules:
            unknown = set(names) - set(groups)
            if unknown:
                raise KnowledgeError(f"{path.name}: `{kind}` names unknown groups {unknown}")
            rules.append(Rule(language, kind, tuple(names)))
    figures: list[Figure] = []
    for names in data.get("figures") or ():
        unknown = set(names) - set(groups)
        if unknown or not names:
            raise KnowledgeError(f"{path.name}: figure {names} names unknown groups {unknown}")
        figures.append(Figure(language, tuple(names)))
    examples = {str(k): [str(t) for t in v] for k, v in (data.get("examples") or {}).items()}
    return entries, rules, figures, examples


def language_files(folder: Path = DATA) -> list[Path]:
    """The shipped language files, in a stable order."""
    return sorted(p for p in folder.glob("*.yaml"))


def _read_json(path: Path, default: object) -> object:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else default


@cache
def shipped() -> Knowledge:
    """The knowledge shipped with the product, read once per process."""
    return load(DATA)


def load(folder: Path) -> Knowledge:
    """Read every language file and the generated tables in ``folder``."""
    entries: list[Entry] = []
    rules: list[Rule] = []
    figures: list[Figure] = []
    for path in language_files(folder):
        language_entries, language_rules, language_figures, _ = read_language_file(path)
        entries.extend(language_entries)
        rules.extend(language_rules)
        figures.extend(language_figures)
    forms = _read_json(folder / "forms.json", {})
    protected = _read_json(folder / "protected.json", [])
    assert isinstance(forms, dict) and isinstance(protected, list)
    return Knowledge(tuple(entries), tuple(rules), forms, frozenset(protected), tuple(figures))


def base_words(entries: Iterable[Entry]) -> dict[str, set[str]]:
    """Per language, the single words whose inflected forms the tables should know."""
    found: dict[str, set[str]] = {}
    for entry in entries:
        if not entry.stem:
            found.setdefault(entry.language, set()).update(entry.words)
    return found
