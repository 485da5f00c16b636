"""Preferring the services that have what a message asks for ("speaks Russian", "free").

Among the services that fit a need about equally, one with the attribute asked for comes first;
none is dropped for lacking one (most entries do not say which languages their staff speak).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.catalogue.model import Service
from bot.search.attributes.reader import Attribute

ATTRIBUTE_SHARE = 0.2
"""The part of the score that having what the message asks for decides: enough to lead among
the services of a need ("Frauenberatung auf Russisch"), not to lift one that fits the need
badly over one that fits it well."""


class AttributePreference:
    """Which services have which attribute (worked out once per index and attribute), and the
    scores with the services that have the attributes asked for preferred."""

    def __init__(self, services: Sequence[Service]) -> None:
        self._services = services
        self._having: dict[Attribute, frozenset[int]] = {}

    def having(self, attribute: Attribute) -> frozenset[int]:
        """The services that have ``attribute``."""
        known = self._having.get(attribute)
        if known is None:
            known = frozenset(i for i, s in enumerate(self._services) if attribute.fits(s))
            self._having[attribute] = known
        return known

    def prefer(
        self,
        found: dict[int, float],
        attributes: tuple[Attribute, ...],
        floor: float,
    ) -> dict[int, float]:
        """Between ``floor`` and 100, :data:`ATTRIBUTE_SHARE` of the scale goes to having
        what the message asks for, the rest to fitting the need; a service below ``floor``
        stays there ("free" alone finds no need), and one above it stays above it."""
        keep = 1 - ATTRIBUTE_SHARE
        preferred = {s: (floor + (v - floor) * keep if v >= floor else v) for s, v in found.items()}
        step = (100.0 - floor) * ATTRIBUTE_SHARE / len(attributes)
        for attribute in attributes:
            for service in self.having(attribute) & found.keys():
                if found[service] >= floor:
                    preferred[service] += step
        return preferred
