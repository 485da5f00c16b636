"""What a search answers: the services found, each with its score and the reasons for it.

These are the types the rest of the bot reads (the replies, ``ask --explain``); everything else
in :mod:`bot.search` is how they are found.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.catalogue.model import District, Service
from bot.search.danger.detector import NO_DANGER, Danger
from bot.search.when import Asked


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a service matched, for ``ask --explain`` and for tuning: one query word's best match."""

    field: str
    """keyword, name, category, summary — or district, near, crisis."""
    query_term: str
    catalogue_term: str
    strength: float
    """Match quality 0-1 (exact 1.0, a typo or prefix less)."""
    kind: str
    """exact, prefix, fuzzy, ending, head, stem, compound, joined, translit — with ", in
    compound" when the catalogue word was split out of a longer one."""


@dataclass(frozen=True, slots=True)
class Match:
    """One service in the answer, with its score (0-100) and the reasons for it."""

    service: Service
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class SearchOutcome:
    """The whole answer to one message; ``normalized`` is what the search log is offered (it
    keeps only words that several chats typed, see :mod:`bot.store.searchlog`)."""

    query: str
    normalized: str
    results: tuple[Match, ...]
    categories: tuple[str, ...]
    district: District | None
    danger: Danger = NO_DANGER
    """The kinds of danger the message speaks of; their first help leads the answer."""
    asked: Asked | None = None
    """The time the message asks about ("jetzt", "heute abend", "am Sonntag"), if any."""
    needs: tuple[str, ...] = ()
    """The shipped needs the message spoke of (bot.search.needs), in its order."""
    asked_met: bool = True
    """Whether ``results`` fit that time; False: none did, and they are the best ones anyway
    (the answer says so). Always True without a clock to check against."""

    @property
    def crisis(self) -> bool:
        """Whether the message speaks of danger at all."""
        return self.danger.found
