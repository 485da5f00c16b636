"""The shipped words for each need, in every language: what lets a catalogue skip synonyms.

Each ``<lang>.yaml`` beside this module is reviewed data (see its header): per need id of
``bot/catalogue/needs.yaml``, the words and short phrases people use — standard, colloquial,
Latin-letter forms, the German office words as people write them. The needs stage
(:mod:`bot.search.needs.reader`) reads them as whole phrases and reaches the categories and
services a catalogue links to each need.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from bot.catalogue.needs import shipped_needs

DATA = Path(__file__).resolve().parent


class NeedWordsError(Exception):
    """A shipped words file is malformed; raised at load, so a test finds it first."""


@dataclass(frozen=True)
class NeedWords:
    """Per need id, per language, the phrases people use for it."""

    by_need: Mapping[str, Mapping[str, tuple[str, ...]]]


def read_language(path: Path) -> dict[str, tuple[str, ...]]:
    """One language file: need id → its phrases; unknown ids and a wrong language refused."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    language = str(data.get("language", ""))
    if language != path.stem:
        raise NeedWordsError(f"{path.name}: `language: {language}` should be `{path.stem}`")
    known = shipped_needs()
    found: dict[str, tuple[str, ...]] = {}
    for need, phrases in (data.get("needs") or {}).items():
        if need not in known:
            raise NeedWordsError(f"{path.name}: `{need}` is not a need of needs.yaml")
        cleaned = tuple(str(p).strip() for p in phrases or () if str(p).strip())
        found[str(need)] = cleaned
    return found


def load(folder: Path = DATA) -> NeedWords:
    """Every language file in ``folder``."""
    by_need: dict[str, dict[str, tuple[str, ...]]] = {}
    for path in sorted(folder.glob("*.yaml")):
        for need, phrases in read_language(path).items():
            by_need.setdefault(need, {})[path.stem] = phrases
    return NeedWords(by_need)


@cache
def shipped() -> NeedWords:
    """The words shipped with the product, read once per process."""
    return load(DATA)
