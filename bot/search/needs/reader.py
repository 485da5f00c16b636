"""Reading a message for needs: which shipped needs it speaks of, and which services answer them.

A stage of its own beside the word search. The word search matches the catalogue's own words
(names, summaries, local keywords); this stage matches the product's knowledge of how people
speak of each need ("hab seit gestern nix gegessen", "нечего есть", "komak baraye ghaza") as
whole phrases, with the tolerance of :mod:`bot.search.phrasematch`, and maps the needs found to
the categories and services that the catalogue links to them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from bot.catalogue.model import Catalogue
from bot.catalogue.needs import Need, needs_of_category, shipped_needs
from bot.search.categories import CategoryMembers
from bot.search.common import common_words, everyday_words
from bot.search.needs.words import NeedWords
from bot.search.needs.words import shipped as shipped_words
from bot.search.normalize import is_filler, term, words
from bot.search.phrasematch import Phrase, PhraseMatcher

SERVICE_LINK = 0.95
"""A service that names the need itself (the Familienkasse for Kinderzuschlag) is the place."""
CATEGORY_LINK = 0.85
"""A service in a category that stands for the need fits it, but is one of several."""
ALSO_LINK = 0.75
"""A service in a topic that may answer the need too (``also:`` in needs.yaml: a German course
at a migration service) comes after those whose topic stands for it."""


@dataclass(frozen=True, slots=True)
class Needs:
    """The needs a message speaks of, and the words that said so."""

    found: tuple[str, ...]
    """Need ids, in the order the message names them."""
    words_of: Mapping[str, frozenset[str]]
    """Per need found, the message's terms inside its phrases (stop words left out)."""


NO_NEEDS = Needs((), {})


def compile_phrases(need_words: NeedWords) -> PhraseMatcher:
    """Every phrase of every need in every language, for one matcher."""
    phrases: list[Phrase] = []
    common = common_words()
    for need, by_language in need_words.by_need.items():
        for language, texts in by_language.items():
            for text in texts:
                stem = text.endswith("*")
                parts = tuple(term(w) for w in words(text.rstrip("*"), join_apostrophes=True))
                if not parts or (len(parts) == 1 and _too_wide(parts[0])):
                    continue
                phrases.append(Phrase(language, need, parts, stem))
    return PhraseMatcher(phrases, {}, common, everyday_words(), common_stays_common=True)


def _too_wide(word: str) -> bool:
    """A one-word phrase that would be found in messages about anything else: a stop word or a
    word of three letters or less ("tel", "kiz").

    A common word is no reason: the files list one alone only where it says the need ("essen",
    "hunger", "пенсія"), and leave out words that fold into another common word ("supper"
    into "super", "мыло" into "мило"; tests/test_needs.py). Refusing every common word that
    folding changes dropped 405 of them, "mittagessen", "پزشک" and "ребёнок" among them."""
    return is_filler(word) or len(word) < 3


@cache
def _shipped_matcher() -> PhraseMatcher:
    """The shipped phrases compiled once per process: they do not depend on the catalogue."""
    return compile_phrases(shipped_words())


class NeedReader:
    """The needs stage for one catalogue: phrases → needs → linked services."""

    def __init__(
        self,
        catalogue: Catalogue,
        categories: CategoryMembers,
        need_words: NeedWords | None = None,
    ) -> None:
        self._matcher = _shipped_matcher() if need_words is None else compile_phrases(need_words)
        links: dict[str, dict[int, float]] = {}
        category_ids: dict[str, list[str]] = {}
        shipped = shipped_needs()
        for number, category in enumerate(catalogue.categories):
            for need in needs_of_category(category.id, category.needs):
                category_ids.setdefault(need, []).append(category.id)
                also = not category.needs and category.id in shipped[need].also
                link = ALSO_LINK if also else CATEGORY_LINK
                reach = links.setdefault(need, {})
                for service in categories.services[number]:
                    reach[service] = max(reach.get(service, 0.0), link)
        for index, service in enumerate(catalogue.services):
            for need in service.needs:
                links.setdefault(need, {})[index] = SERVICE_LINK
        self._links = links
        self._background = frozenset(n for n, need in shipped.items() if need.background)
        self._levels = {need: _by_link(reach) for need, reach in links.items()}
        # A need's own topics first, in the order needs.yaml gives them, then those that may
        # answer it too (a German course: education, then migration), then the catalogue's own.
        self._categories = {
            need: tuple(sorted(ids, key=lambda c, need=need: _topic_rank(shipped, need, c)))
            for need, ids in category_ids.items()
        }

    def read(self, text: str) -> Needs:
        """The needs that ``text`` speaks of (only those this catalogue can answer)."""
        reading = self._matcher.read(text)
        found = [h for h in reading.hits if h.group in self._links]
        if not found:
            return NO_NEEDS
        # A reason ("no money") gives way to the thing asked for beside it ("nothing to eat").
        asked = [h for h in found if h.group not in self._background]
        found = asked or found
        # By position, then by name: the matcher's hits come in set order, which changes
        # with every process (PYTHONHASHSEED), and the same message must get the same answer.
        ordered = tuple(
            dict.fromkeys(h.group for h in sorted(found, key=lambda h: (h.start, h.group)))
        )
        words_of: dict[str, set[str]] = {}
        for hit in found:
            spoken = reading.terms[hit.start : hit.end + 1]
            words_of.setdefault(hit.group, set()).update(t for t in spoken if not is_filler(t))
        return Needs(ordered, {need: frozenset(w) for need, w in words_of.items()})

    def links(self, needs: Needs) -> dict[str, Mapping[int, float]]:
        """Per need found, the services that answer it and how closely each is linked."""
        return {need: self._links[need] for need in needs.found}

    def levels(self, needs: Needs) -> dict[str, tuple[tuple[float, frozenset[int]], ...]]:
        """Per need found, its services grouped by how closely they are linked (a topic's
        link, a service's own), worked out once per index: a need reaches whole topics."""
        return {need: self._levels[need] for need in needs.found}

    def links_of(self, service: int, needs: Needs) -> dict[str, float]:
        """The needs found that one service answers, with how closely it is linked to each."""
        return {n: self._links[n][service] for n in needs.found if service in self._links[n]}

    def categories(self, needs: Needs) -> tuple[str, ...]:
        """The categories that stand for ``needs``, in the order the needs were named."""
        return tuple(dict.fromkeys(c for n in needs.found for c in self._categories.get(n, ())))


def _topic_rank(shipped: Mapping[str, Need], need: str, category: str) -> int:
    """Where ``category`` stands among the shipped topics of ``need`` (after them: the end)."""
    topics = (*shipped[need].categories, *shipped[need].also) if need in shipped else ()
    return topics.index(category) if category in topics else len(topics)


def _by_link(reach: Mapping[int, float]) -> tuple[tuple[float, frozenset[int]], ...]:
    """The services of one need grouped by link strength, strongest first."""
    groups: dict[float, set[int]] = {}
    for service, link in reach.items():
        groups.setdefault(link, set()).add(service)
    return tuple((link, frozenset(groups[link])) for link in sorted(groups, reverse=True))
