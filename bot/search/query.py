"""The query as units: its meaningful words, each with its readings against the vocabulary.

A unit is one query word — or two written apart that the catalogue writes as one ("schulden
beratung"); a word the catalogue does not know as a whole may also be read as the known words
it is made of ("schuldenberatungsstelle"). Which categories the query names is read here too.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterator, Sequence
from dataclasses import dataclass

from bot.search.categories import CategoryMembers
from bot.search.compounds import split_compound
from bot.search.lexicon import WordCache
from bot.search.normalize import STOP_WORD_LANGUAGES, Token, is_filler, is_modifier, term
from bot.search.reading import MODIFIER_FACTOR, Hit, WordReader, fuzzy_strength, search_allowance
from bot.search.vocabulary import Vocabulary

MAX_QUERY_WORDS = 24
"""Content words matched per query; the rest of a pasted text is ignored (crisis words are
still looked for in the whole text)."""
JOINED = 0.95
"""Two query words that the catalogue writes as one ("Schulden Beratung")."""
COMPOUND_SPLIT = 0.9
"""Each known part of a query compound the catalogue does not use as a whole."""
COMPOUND_COVERAGE = 0.6
"""The known parts must make up 60 % of a query compound's letters, or the reading is a guess."""
UNMATCHED_WEIGHT = 0.6
"""How much a query word that matches nothing counts against coverage: less than a matched
specific word (1.0), because many unmatched words are filler our stop lists do not know
(0.3-0.9 score alike on the evaluation set)."""
CATEGORY_MIN_STRENGTH = 0.8
"""A category counts as named when a word of its name or keywords matches at least this well:
exact, an inflection, a transliteration or a typo in a long word — not a short prefix of a long
word ("leben" of "Lebenslauf" is 0.75)."""


@dataclass(slots=True)
class Unit:
    """One meaningful query word (or two written apart that the catalogue writes as one).

    ``alternatives`` are readings of it — the word itself, its compound parts — each a list of
    parts that must all match; the best reading counts.
    """

    text: str
    alternatives: list[list[Sequence[Hit]]]
    terms: tuple[str, ...]
    weight: float = UNMATCHED_WEIGHT
    """What the unit counts in coverage: its best hit's value, or less when nothing matched."""

    @property
    def hits(self) -> Iterator[Hit]:
        return (h for alt in self.alternatives for part in alt for h in part)


class QueryReader:
    """Turns a query's words into units against one vocabulary."""

    def __init__(
        self,
        vocabulary: Vocabulary,
        categories: CategoryMembers,
        words: WordReader,
        filler: frozenset[str],
    ) -> None:
        self._vocabulary = vocabulary
        self._categories = categories
        self.words = words
        self._filler = filler
        self._joined: WordCache[tuple[str, str], tuple[Hit, ...]] = WordCache()

    def content(
        self, words: list[Token], language: str, district: set[int], timing: Container[int] = ()
    ) -> list[Token]:
        """The words that count, at most :data:`MAX_QUERY_WORDS`: not filler, not part of the
        named district (positions ``district``) unless the catalogue knows the word too, and
        never a time word (positions ``timing``: "jetzt offen" is no need, even where a
        keyword says "open a bank account")."""
        meaningful = self._meaningful([t.term for t in words], language)
        return [
            t
            for position, t in enumerate(words)
            if meaningful(t.term)
            and position not in timing
            and (position not in district or self.words.hits(t))
        ][:MAX_QUERY_WORDS]

    def _meaningful(self, words: list[str], language: str) -> Callable[[str], bool]:
        """Which query words count. Stop words do not — unless the writer's language uses the
        word as a keyword of its own: Turkish "iş" (work) is English "is" after folding. The
        writer's language is the one whose stop words the query uses ("iş arıyorum" → tr),
        else the reader's language."""
        anyones = self._vocabulary.all_own_words
        seen = {
            next(iter(s))
            for w in words
            if w not in anyones and len(s := STOP_WORD_LANGUAGES.get(w, ())) == 1
        }
        own: set[str] = set()
        for code in seen or {language}:
            own |= self._vocabulary.own_words.get(code, set())
        return lambda w: not is_filler(w, self._filler) or w in own

    def units(self, content: list[Token]) -> list[Unit]:
        """Query words with their vocabulary readings; two words the catalogue writes as one
        compound ("schulden beratung") become one unit."""
        units: list[Unit] = []
        position = 0
        while position < len(content):
            token = content[position]
            if position + 1 < len(content):
                after = content[position + 1]
                joined = term(token.surface + after.surface)
                hits = self._joined_hits(joined, f"{token.surface} {after.surface}")
                if hits:
                    separate = [self.words.hits(token), self.words.hits(after)]
                    units.append(Unit(joined, [[hits], separate], (token.term, after.term)))
                    position += 2
                    continue
            units.append(self._unit(token))
            position += 1
        for unit in units:
            values = [h.value for h in unit.hits]
            modifier = MODIFIER_FACTOR if is_modifier(term(unit.text)) else 1.0
            unit.weight = max(values) if values else UNMATCHED_WEIGHT * modifier
        return units

    def named_categories(self, units: list[Unit]) -> tuple[str, ...]:
        """Categories whose name or keywords a query word matches well, best match first."""
        strength: dict[str, float] = {}
        categories_of_term = self._vocabulary.categories_of_term
        for unit in units:
            for hit in unit.hits:
                if hit.strength < CATEGORY_MIN_STRENGTH:
                    continue
                for category_id in categories_of_term.get(hit.term_id, ()):
                    strength[category_id] = max(strength.get(category_id, 0.0), hit.strength)
        order = self._categories.order
        return tuple(sorted(strength, key=lambda c: (-strength[c], order[c])))

    def _joined_hits(self, joined: str, shown: str) -> tuple[Hit, ...]:
        """Two query words read as one catalogue word: exactly, or with one typo (two would
        let "hunger geld" pass for "bürgergeld"). Remembered per pair, like single words."""
        hits = self._joined.get((joined, shown))
        if hits is None:
            hits = self._joined.put((joined, shown), self._read_joined(joined, shown))
        return hits

    def _read_joined(self, joined: str, shown: str) -> tuple[Hit, ...]:
        lexicon = self._vocabulary.lexicon
        exact = lexicon.exact(joined)
        if exact is not None:
            found = {exact: JOINED}
        else:
            found = {
                i: JOINED * fuzzy_strength(joined, lexicon.words[i], d)
                for i, d in lexicon.similar(joined, search_allowance, max_edits=1).items()
                if d == 1
            }
        specificity = self._vocabulary.specificity
        return tuple(
            Hit(i, strength, "joined", shown, strength * specificity[i])
            for i, strength in found.items()
        )

    def _unit(self, token: Token) -> Unit:
        alternatives = [[self.words.hits(token)]]
        if self._vocabulary.lexicon.exact(token.term) is None:
            parts = self._decompose(token.term)
            if parts and sum(map(len, parts)) >= COMPOUND_COVERAGE * len(token.term):
                alternatives.append([[self._part_hit(p)] for p in parts])
        return Unit(token.surface, alternatives, (token.term,))

    def _decompose(self, word: str, depth: int = 0) -> list[str]:
        """The known words a query compound is made of, splitting parts again where needed:
        "schuldenberatungsstelle" → schulden, beratung (and "stelle" if the catalogue has it).
        """
        known_ids = self._vocabulary.lexicon.ids
        parts = split_compound(word, known_ids)
        if parts is None:
            return [word] if word in known_ids else []
        known: list[str] = []
        for part in parts:
            if part in known_ids:
                known.append(part)
            elif depth < 2:
                known.extend(self._decompose(part, depth + 1))
        return known

    def _part_hit(self, part: str) -> Hit:
        term_id = self._vocabulary.lexicon.ids[part]
        value = COMPOUND_SPLIT * self._vocabulary.specificity[term_id]
        return Hit(term_id, COMPOUND_SPLIT, "compound", part, value)
