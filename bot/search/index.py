"""Free-text search over the catalogue: what people type → the services that fit, best first.

The index is built once per catalogue and is read-only afterwards, so one index serves every
message (and a reload simply builds a new one). A query goes through the stages in order, each
a module of this package:

1. :mod:`~bot.search.normalize` — the text's words, in the forms the index compares;
2. :mod:`~bot.search.danger` and :mod:`~bot.search.places` — the kinds of danger the
   message speaks of (their first help leads) and the named district, read in the whole text;
3. :mod:`~bot.search.query` — the meaningful words as units, each read against the
   :mod:`~bot.search.vocabulary` by :mod:`~bot.search.reading` (exact, typo, prefix, stem,
   transliteration, compound parts);
4. :mod:`~bot.search.scoring` — each unit against the :mod:`~bot.search.postings`, and per
   service a relevance (0-100; a need and the service's own words together may pass 100);
5. :mod:`~bot.search.precision` — one everyday word or a place shared with the catalogue is no
   answer when another word matches nothing; such words alone count half; a place alone, or a
   need no social service answers (:mod:`~bot.search.unmet`), is "nothing fits"; a service in
   the named place comes before its kind elsewhere (:meth:`~bot.search.places.Places.lift_local`);
6. :mod:`~bot.search.ranking` — bonuses, first help first in a crisis, the cut at
   :data:`~bot.search.ranking.MIN_RELEVANCE`, and the reasons, as a
   :class:`~bot.search.outcome.SearchOutcome`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.catalogue.model import Catalogue, Service
from bot.geo import Coordinates
from bot.search.attributes.preference import AttributePreference
from bot.search.attributes.reader import read_attributes
from bot.search.categories import CategoryMembers
from bot.search.common import common_words, everyday_words
from bot.search.danger.detector import PRIORITY, Danger, DangerDetector
from bot.search.danger.knowledge import shipped
from bot.search.danger.model import shipped_model
from bot.search.needs.reader import NeedReader, Needs
from bot.search.needs.words import NeedWords
from bot.search.normalize import MAX_INPUT_CHARS, is_filler, log_form, terms, tokens
from bot.search.opening import Opening
from bot.search.outcome import Match, Reason, SearchOutcome
from bot.search.places import Places, landmark_terms, same_kind
from bot.search.precision import (
    discount_weak,
    keep_supported,
    only_places,
    place_units,
    says_something_unknown,
    weak_units,
)
from bot.search.query import QueryReader
from bot.search.ranking import MIN_RELEVANCE, Preferences, Ranker
from bot.search.reading import WordReader
from bot.search.scoring import Scorer, need_relevance, relevance
from bot.search.unmet import Unmet
from bot.search.vocabulary import Vocabulary
from bot.search.when import Asked
from bot.search.when import shipped as shipped_time_words


class SearchIndex:
    """Everything a query needs, precomputed from one catalogue. Build with :meth:`build`."""

    def __init__(self, catalogue: Catalogue, need_words: NeedWords | None = None) -> None:
        """``need_words``: the words for each need (default: those shipped, bot/search/needs)."""
        self.catalogue = catalogue
        self._services = catalogue.services
        # The city's own name is in every question and decides nothing.
        self._filler = frozenset(terms(catalogue.region.name))
        self._categories = CategoryMembers.build(catalogue)
        self._vocabulary = Vocabulary(catalogue, self._filler, self._categories)
        # Words that alone say little about a need: everyday words and the city's places. The
        # short everyday words ("yer", محل) count only where a word must say something (the
        # one-word rule of bot.search.precision, side words beside a need): halving services
        # they reach lost "bu gece kalacak yerim yok" (measured).
        places = _place_words(catalogue) | landmark_terms()
        self._place_words = places
        self._weak_words = common_words() | places
        self._everyday_or_place = everyday_words() | places
        # The product's own knowledge of needs, linked to this catalogue's topics and services.
        self._needs = NeedReader(catalogue, self._categories, need_words)
        self._service_index = {s.id: i for i, s in enumerate(self._services)}
        self._attributes = AttributePreference(self._services)
        self._by_hours = _by_hours(catalogue)
        self._places = Places(catalogue)
        # The product's own knowledge of danger, plus the catalogue's local crisis words.
        self._danger = DangerDetector(
            shipped().with_local_words(catalogue.crisis.keywords), shipped_model()
        )
        self._first_help = _first_help(catalogue)
        self._unmet = Unmet.of(catalogue)
        self._when = shipped_time_words()
        self._words = WordReader(self._vocabulary)
        self._query = QueryReader(self._vocabulary, self._categories, self._words, self._filler)
        self._scorer = Scorer(self._vocabulary.postings)
        self._ranker = Ranker(self._services, self._places, self._vocabulary.surfaces)

    @classmethod
    def build(cls, catalogue: Catalogue, need_words: NeedWords | None = None) -> SearchIndex:
        """Index ``catalogue``: about 0.2 s per 1,000 services (bench/bench_search.py)."""
        return cls(catalogue, need_words)

    def danger(self, text: str) -> Danger:
        """Only the crisis stage: a message relayed to the counsellors is read for danger,
        never searched."""
        return self._danger.read(text)

    def search(
        self,
        text: str,
        *,
        language: str = "de",
        near: Coordinates | None = None,
        limit: int = 3,
        min_relevance: float = MIN_RELEVANCE,
        opening: Opening | None = None,
    ) -> SearchOutcome:
        """The best services for ``text``; never raises on any text (long input is cut).

        ``language`` is the reader's language: among equally good services, those whose staff
        speak it come first. ``near`` (lat, lon) prefers closer services a little.
        ``min_relevance`` is for calibration only (bot.search.evaluation switches it off).
        ``opening`` (the hours at the message's moment) keeps only the services open at the
        time the message asks about ("jetzt", "heute abend") — all of them, said so in the
        outcome, when none is — and puts open ones first among equals.
        Raises ValueError for a ``near`` that is not a place on Earth (a caller's bug).
        """
        if near is not None and not (-90 <= near[0] <= 90 and -180 <= near[1] <= 180):
            raise ValueError(f"near must be (latitude, longitude) in degrees, not {near!r}")
        words = tokens(text)
        danger = self._danger.read(text)
        spoken = danger.words
        needs = self._needs.read(text[:MAX_INPUT_CHARS])  # what the word search reads too
        district, district_positions = self._places.find_district(
            words, lambda w: is_filler(w, self._filler)
        )
        asked, time_positions = self._when.read(words)
        content = self._query.content(words, language, district_positions, time_positions)
        units = self._query.units(content)
        categories = self._query.named_categories(units)
        nearby = self._places.nearest(near) if near is not None else []
        per_unit = self._scorer.score(units, nearby)
        named = {words[p].term for p in district_positions}  # places, whatever their ending
        weak = weak_units(units, self._weak_words)
        known = self._everyday_or_place  # no union per query: 50,000 words
        everyday = [all(t in known or t in named for t in u.terms) for u in units]
        at_place = place_units(units, self._place_words | named, self._vocabulary.lexicon.words)
        everything = discount_weak(
            relevance(per_unit, units, [True] * len(units)), per_unit, units, weak
        )
        # In a crisis, other services must be found by the other words: "leben" in "nicht
        # mehr leben" must not bring up "Lebensmittel".
        others = [not set(u.terms) <= spoken for u in units]
        other_relevance = (
            discount_weak(relevance(per_unit, units, others), per_unit, units, weak)
            if spoken
            else everything
        )
        if needs.found:
            linked, levels = self._needs.links(needs), self._needs.levels(needs)
            by_need = needs.words_of
            reached = need_relevance(linked, levels, per_unit, units, by_need, None, everyday)
            everything = _best_of(everything, reached)
            other_relevance = (
                _best_of(
                    other_relevance,
                    need_relevance(linked, levels, per_unit, units, by_need, others, everyday),
                )
                if spoken
                else everything
            )
            categories = tuple(dict.fromkeys((*categories, *self._needs.categories(needs))))
        if says_something_unknown(per_unit, units, needs.words_of):
            # Only one everyday word or a place is shared with the catalogue: no answer.
            reach = list(self._needs.links(needs).values())
            everything, other_relevance = _each(
                lambda found: keep_supported(found, per_unit, everyday, reach, at_place),
                everything,
                other_relevance,
            )
        asked_of = read_attributes(text[:MAX_INPUT_CHARS])
        # A vet, a consulate: no need the product knows; saying who it is for ("for the
        # children") or describing it ("for women") does not make it one.
        if self._unmet.only(words, self._needs.asked(needs), asked_of.words):
            everything = other_relevance = {}
        elif not needs.found and only_places(per_unit, at_place):
            everything = other_relevance = {}  # a place is no need ("in Linden")
        attributes = asked_of.attributes
        if attributes:
            everything, other_relevance = _each(
                lambda found: self._attributes.prefer(found, attributes, min_relevance),
                everything,
                other_relevance,
            )
        if district is not None:  # a service in the named place before its kind elsewhere
            kind = same_kind(self._categories, categories, self._needs.links(needs))
            everything, other_relevance = _each(
                lambda found: self._places.lift_local(found, district, kind, min_relevance),
                everything,
                other_relevance,
            )
        prefer = Preferences(
            district,
            near,
            language,
            frozenset(categories),
            nearby,
            readiness=opening.readiness if opening is not None else None,
            named_order=categories,
        )
        urgent = self._urgent(danger.kinds)

        def rank(prefer: Preferences) -> list[Match]:
            return self._ranker.rank(
                per_unit,
                everything,
                other_relevance,
                prefer,
                danger.kind,
                limit,
                min_relevance,
                urgent=urgent,
            )

        results: list[Match] = []
        if asked is not None and opening is not None:
            fits = opening.fits
            may = _hours_fitting(self._by_hours, self._services, opening, asked)
            results = rank(replace(prefer, keep=lambda service: fits(service, asked), may_keep=may))
        met = bool(results) or asked is None or opening is None
        if not results:
            results = rank(prefer)
        if needs.found:
            results = self._with_need_reasons(results, needs)
        return SearchOutcome(
            query=text,
            normalized=log_form(words, self._filler),
            results=tuple(results),
            categories=categories,
            district=self._places.districts[district] if district is not None else None,
            danger=danger,
            asked=asked,
            asked_met=met,
            needs=needs.found,
        )

    def _with_need_reasons(self, results: list[Match], needs: Needs) -> list[Match]:
        """Each finalist that a need reached says so first (``ask --explain``): which need,
        through which words, and how closely the service is linked to it."""
        index_of = self._service_index
        explained: list[Match] = []
        for match in results:
            reach = self._needs.links_of(index_of[match.service.id], needs)
            reasons = tuple(
                Reason("need", " ".join(sorted(needs.words_of[n])), n, link, "need")
                for n, link in reach.items()
            )
            explained.append(replace(match, reasons=reasons + match.reasons) if reasons else match)
        return explained

    def _urgent(self, kinds: tuple[str, ...]) -> list[int]:
        """The first help for these kinds of danger, most urgent kind first, without repeats."""
        ordered = dict.fromkeys(i for kind in kinds for i in self._first_help.get(kind, ()))
        return list(ordered) or list(self._first_help.get("unspecified", ()))

    def nearby(
        self, near: Coordinates, radius_m: float, category_id: str | None = None
    ) -> list[tuple[float, Service]]:
        """The services within ``radius_m`` of ``near`` (in ``category_id`` if given), nearest
        first, with their great-circle distance in metres.

        Reads only the grid cells that the radius reaches, so a shared location costs the
        same in a city of 100 offers as in one of 10,000.
        """
        if category_id is not None:
            number = self._categories.order.get(category_id)
            if number is None:
                return []
            wanted: frozenset[int] | None = frozenset(self._categories.services[number])
        else:
            wanted = None
        found = self._places.within(near, radius_m, wanted)
        return [(metres, self._services[service]) for metres, service in found]

    @property
    def vocabulary_size(self) -> int:
        """Distinct normalised words (with compound parts): what query cost grows with."""
        return self._vocabulary.size


LEXICAL_TIEBREAK = 0.2
"""Among the services a need reached, those whose own words also match count a little more
("kinderzuschlag … familienkasse": the Familienkasse among the benefits offices)."""


def _hours_fitting(
    by_hours: dict[str, tuple[int, frozenset[int]]],
    services: tuple[Service, ...],
    opening: Opening,
    asked: Asked,
) -> frozenset[int]:
    """The services whose hours say open at the time asked: each distinct expression is asked
    once, and its services join as a set (thousands of services share a few)."""
    fitting = [
        members for first, members in by_hours.values() if opening.hours_fit(services[first], asked)
    ]
    return frozenset().union(*fitting)


def _each(
    change: Callable[[dict[int, float]], dict[int, float]],
    everything: dict[int, float],
    others: dict[int, float],
) -> tuple[dict[int, float], dict[int, float]]:
    """``change`` applied to both relevances (those of all words and those without the words
    that spoke of danger), once when they are one."""
    changed = change(everything)
    return changed, (change(others) if others is not everything else changed)


def _best_of(words: dict[int, float], needs: dict[int, float]) -> dict[int, float]:
    """Per service, the better of two relevances: the words found it, or a need did (and its
    words tip the balance among the services of the need, also above 100: capped there, "food
    bank" left the Tafel, whose keywords say both words, tied with the cold bus that says one).
    Built with dict operations: a need reaches whole topics, thousands of services in a large
    catalogue."""
    merged = dict(needs)
    merged.update(words)
    for service in words.keys() & needs.keys():
        lexical = words[service]
        merged[service] = max(lexical, needs[service] + LEXICAL_TIEBREAK * lexical)
    return merged


def _place_words(catalogue: Catalogue) -> frozenset[str]:
    """The words of the city's places: its districts and the addresses of its services
    (streets, squares, stations: "Steintor", "Kröpcke"). A web or mail address is no place."""
    names = [n for d in catalogue.region.districts for n in (d.name, *d.aliases)]
    for service in catalogue.services:
        address = service.location.address if service.location is not None else None
        if address and "@" not in address and "://" not in address:
            names.append(address)
    return frozenset(t for name in names for t in terms(name))


def _by_hours(catalogue: Catalogue) -> dict[str, tuple[int, frozenset[int]]]:
    """Per distinct opening hours, the first service that has them and all that do."""
    grouped: dict[str, list[int]] = {}
    for number, service in enumerate(catalogue.services):
        if service.opening_hours is not None:
            grouped.setdefault(service.opening_hours, []).append(number)
    return {hours: (members[0], frozenset(members)) for hours, members in grouped.items()}


def _first_help(catalogue: Catalogue) -> dict[str, tuple[int, ...]]:
    """Per kind of danger, the services that are first help for it, in the file's order.

    A catalogue without any ``danger`` fields still has its emergency services: then they
    are the first help for every kind, as before the kinds existed.
    """
    services = catalogue.services
    by_kind = {
        kind: tuple(i for i, s in enumerate(services) if kind in s.danger) for kind in PRIORITY
    }
    emergency = tuple(i for i, s in enumerate(services) if s.emergency)
    fallback = by_kind["unspecified"] or emergency
    return {kind: found or fallback for kind, found in by_kind.items()}
