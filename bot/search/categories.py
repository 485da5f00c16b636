"""Which services are in which category, by number: what the postings of category words, the
named-category bonus and "near me" in one topic all look up."""

from __future__ import annotations

from dataclasses import dataclass

from bot.catalogue.model import Catalogue


@dataclass(frozen=True, slots=True)
class CategoryMembers:
    """Categories by number (file order) and services by index in ``catalogue.services``."""

    ids: list[str]
    """Category id by number."""
    order: dict[str, int]
    """Category id → number; also the file order that breaks ties between categories."""
    services: list[list[int]]
    """The services of each category, in file order."""
    of_service: list[frozenset[int]]
    """The categories of each service (unknown category ids left out)."""

    @classmethod
    def build(cls, catalogue: Catalogue) -> CategoryMembers:
        ids = [c.id for c in catalogue.categories]
        order = {category_id: number for number, category_id in enumerate(ids)}
        services: list[list[int]] = [[] for _ in ids]
        of_service: list[frozenset[int]] = []
        for index, service in enumerate(catalogue.services):
            own = frozenset(order[c] for c in service.categories if c in order)
            of_service.append(own)
            for category in own:
                services[category].append(index)
        return cls(ids, order, services, of_service)
