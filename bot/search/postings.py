"""Which services use each vocabulary word, and in which field: the inverted index.

A posting is one int, ``service_index << CODE_SHIFT | field code``, kept in an ``array`` per
word: compact for 10,000 services, and sorted so that the strongest occurrences come first and
a word used by half the catalogue can be read only in part (see
:data:`bot.search.scoring.POSTINGS_SCAN_LIMIT`).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterator, Sequence

from bot.search.categories import CategoryMembers

FIELDS = ("keyword", "name", "category", "summary")
"""Where a catalogue word comes from, in the order of :data:`FIELD_WEIGHTS`."""

FIELD_WEIGHTS = (1.0, 0.9, 0.8, 0.45)
"""Keywords are what staff expect people to type; names are nearly as deliberate; a category
word is true of the service but says less about it; summaries are prose with incidental words.
Measured on the evaluation set: summary 0.6 lets small talk find prose words (nothing-rate
43/46 → 40/46); category 0.6 loses 2 top-1 hits; name 0.7-1.0 changes at most one query."""

COMPOUND_PART_FACTOR = 0.7
"""A word found inside a compound ("ausgabe" in "Lebensmittelausgabe") is good evidence, but
less than the word on its own, and less than a category word (0.8): "geld" should not make
"Bürgergeld" outrank the food services for "hunger, kein Geld". 0.7-1.0 score alike on the
evaluation set (±1 query), 0.5 loses a top-3 hit."""

KEYWORD, NAME, CATEGORY, SUMMARY = range(4)
"""Field codes, in the order of :data:`FIELDS`."""
PART = 4
"""Field code offset for words split out of compounds: ``NAME | PART`` is a part of a name."""
CODE_SHIFT = 3
"""Postings store ``service_index << CODE_SHIFT | field code``."""
FIELD_MASK = (1 << CODE_SHIFT) - 1
"""A posting's field code: ``posting & FIELD_MASK``."""
WEIGHT_BY_CODE = (*FIELD_WEIGHTS, *(w * COMPOUND_PART_FACTOR for w in FIELD_WEIGHTS))
"""The weight of each field code, compound parts included."""


def field_name(code: int) -> str:
    """The field a code stands for, whether or not the word was split out of a compound."""
    return FIELDS[code & 3]


class Postings:
    """Per vocabulary word (by id): its postings, strongest field first, and the categories
    whose name or keywords use it.

    A service's own words (keywords, name, summary) get service postings; the words of a
    category are kept once per category and reach the category's services when read — a
    category word in 600 services would otherwise cost 600 postings at build time and as much
    memory.
    """

    def __init__(
        self,
        words: Sequence[str],
        occurrences: dict[str, dict[int, int]],
        in_categories: dict[str, dict[int, int]],
        categories: CategoryMembers,
        service_count: int,
    ) -> None:
        """``occurrences``: word → {service: strongest field code}; ``in_categories``: word →
        {category number: field code}."""
        self._categories = categories
        self._postings: list[array[int]] = []
        self._by_service: list[array[int]] = []
        self._strong: list[int] = []
        self.in_categories: list[tuple[tuple[int, int], ...]] = []
        """Per word: (category number, field code), strongest field first, then file order."""
        self.document_counts: list[int] = []
        """Per word: how many services it reaches, directly or through categories."""
        category_weight = WEIGHT_BY_CODE[CATEGORY]
        by_weight = sorted(range(len(WEIGHT_BY_CODE)), key=lambda c: -WEIGHT_BY_CODE[c])
        strong_codes = [c for c in by_weight if WEIGHT_BY_CODE[c] > category_weight]
        for word in words:
            buckets: list[list[int]] = [[] for _ in WEIGHT_BY_CODE]
            for service, code in occurrences.get(word, {}).items():
                buckets[code].append(service << CODE_SHIFT | code)
            codes = array("i")
            for code in by_weight:  # strongest field first, file order within a field
                codes.extend(sorted(buckets[code]))
            self._postings.append(codes)
            self._by_service.append(array("i", sorted(codes)))
            self._strong.append(sum(len(buckets[c]) for c in strong_codes))
            # Strongest field first, then file order: the postings budget may end inside this.
            reach = tuple(
                sorted(
                    in_categories.get(word, {}).items(),
                    key=lambda item: (-WEIGHT_BY_CODE[item[1]], item[0]),
                )
            )
            self.in_categories.append(reach)
            reached = sum(len(categories.services[c]) for c, _ in reach)
            self.document_counts.append(min(service_count, len(codes) + reached))
        # The postings a category word reaches, per category and field code, made once here
        # rather than for every query that reads them.
        self._category_codes: list[dict[int, array[int]]] = [
            {
                code: array("i", (s << CODE_SHIFT | code for s in members))
                for code in (CATEGORY, CATEGORY | PART)
            }
            for members in categories.services
        ]

    def read(self, term_id: int, budget: int) -> tuple[list[int], int, bool]:
        """Up to ``budget`` postings of a word, strongest first — its keyword and name
        occurrences, then the services of its categories, then the rest — the budget left,
        and whether that was all of them."""
        postings = self._postings[term_id]
        strong = self._strong[term_id]
        take = min(budget, strong)
        codes: list[int] = postings[:take].tolist()
        budget -= take
        if take < strong:
            return codes, 0, False
        for category, code in self.in_categories[term_id]:
            members = self._category_codes[category][code]
            take = min(budget, len(members))
            codes.extend(members[:take])
            budget -= take
            if take < len(members):
                return codes, 0, False
        rest = len(postings) - strong
        take = min(budget, rest)
        codes.extend(postings[strong : strong + take])
        return codes, budget - take, take == rest

    def probe(self, term_id: int, services: list[int]) -> Iterator[int]:
        """The postings of a word for the given services (binary search, category lookup)."""
        by_service = self._by_service[term_id]
        reach = self.in_categories[term_id]
        of_service = self._categories.of_service
        for service in services:
            position = bisect_left(by_service, service << CODE_SHIFT)
            if position < len(by_service) and by_service[position] >> CODE_SHIFT == service:
                yield by_service[position]
            if reach:
                categories = of_service[service]
                for category, code in reach:
                    if category in categories:
                        yield service << CODE_SHIFT | code
