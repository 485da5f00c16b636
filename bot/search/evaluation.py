"""Search quality on the evaluation set (what ``make eval`` runs).

The set (``tests/eval_queries.yaml``) holds realistic queries in all shipped languages with the
services that would be a right answer. The report says how often a right answer is first
(top-1) and among the three cards the bot shows first (top-3), how often small talk correctly
finds nothing, whether crisis words were seen, and lists every miss — so that a change to the
search, or a catalogue edit, can be judged by numbers rather than by a few hand-picked queries.
It also prints the score distributions that :data:`bot.search.ranking.MIN_RELEVANCE` was
chosen from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.catalogue.yamlsource import read_yaml
from bot.search.index import SearchIndex

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_QUERIES = ROOT / "tests" / "eval_queries.yaml"
DEFAULT_SERVICES = ROOT / "services.yaml"
SHOWN = 3
"""The bot shows three cards first; a right answer further down is a miss for the person."""
CALIBRATION_DEPTH = 200
"""Results looked at with the threshold off: more than any category has, so the best right
answer's score is always seen."""


class EvaluationSetError(Exception):
    """The evaluation file is malformed (unknown group, missing field)."""


@dataclass(frozen=True)
class EvalQuery:
    """One query of the set and the services that would answer it (none: small talk)."""

    lang: str
    kind: str
    text: str
    expect: tuple[str, ...]
    expect_written: tuple[str, ...]
    """As written in the file (group names kept), for the list of misses."""

    @property
    def answerable(self) -> bool:
        return bool(self.expect)


@dataclass(frozen=True)
class QueryResult:
    """What the search answered to one query."""

    query: EvalQuery
    found: tuple[tuple[str, float], ...]
    crisis: bool
    rank: int | None
    """1-based position of the first acceptable service among the first three, or None."""
    raw_best: float
    """Score of the best candidate with the threshold switched off (for calibration)."""
    raw_right: float | None
    """Score of the best acceptable service with the threshold off (None: not found at all)."""


def load_queries(path: Path = DEFAULT_QUERIES) -> list[EvalQuery]:
    """Read the set and expand ``@group`` references."""
    # Our YAML 1.2 reading, as for services.yaml: a query "no" or "on" stays text.
    data = read_yaml(path).data
    groups: dict[str, list[str]] = data.get("groups") or {}
    queries: list[EvalQuery] = []
    for number, item in enumerate(data["queries"], start=1):
        try:
            written = tuple(str(e) for e in item["expect"])
            expanded: list[str] = []
            for entry in written:
                if entry.startswith("@"):
                    if entry[1:] not in groups:
                        raise EvaluationSetError(f"query {number}: unknown group {entry}")
                    expanded.extend(groups[entry[1:]])
                else:
                    expanded.append(entry)
            queries.append(
                EvalQuery(
                    lang=str(item["lang"]),
                    kind=str(item["kind"]),
                    text=str(item["text"]),
                    expect=tuple(dict.fromkeys(expanded)),
                    expect_written=written,
                )
            )
        except KeyError as exc:
            raise EvaluationSetError(f"query {number}: missing field {exc}") from None
    return queries


def run(
    index: SearchIndex, queries: Iterable[EvalQuery], *, calibrate: bool = True
) -> list[QueryResult]:
    """Search every query once with the real threshold and, for the calibration lines of the
    report, once without. The scoreboard reads only ranks: ``calibrate=False`` halves its time
    (the raw scores are then 0 and None)."""
    results: list[QueryResult] = []
    for query in queries:
        outcome = index.search(query.text, language=query.lang, limit=SHOWN)
        found = tuple((m.service.id, m.score) for m in outcome.results)
        rank = next((i for i, (sid, _) in enumerate(found, 1) if sid in query.expect), None)
        if not calibrate:
            results.append(QueryResult(query, found, outcome.crisis, rank, 0.0, None))
            continue
        raw = index.search(
            query.text, language=query.lang, limit=CALIBRATION_DEPTH, min_relevance=0.0
        )
        # Crisis answers list emergency services whatever their score: calibrate on the rest.
        ranked = [m for m in raw.results if not (raw.crisis and m.service.emergency)]
        raw_best = ranked[0].score if ranked else 0.0
        right = [m.score for m in raw.results if m.service.id in query.expect]
        results.append(
            QueryResult(query, found, outcome.crisis, rank, raw_best, max(right, default=None))
        )
    return results


@dataclass(frozen=True)
class Summary:
    """Accuracy over a slice of the results."""

    answerable: int
    top1: int
    top3: int
    none_queries: int
    nothing: int

    @classmethod
    def of(cls, results: Sequence[QueryResult]) -> Summary:
        answerable = [r for r in results if r.query.answerable]
        empty = [r for r in results if not r.query.answerable]
        return cls(
            answerable=len(answerable),
            top1=sum(r.rank == 1 for r in answerable),
            top3=sum(r.rank is not None for r in answerable),
            none_queries=len(empty),
            nothing=sum(not r.found for r in empty),
        )

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.answerable if self.answerable else 1.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.answerable if self.answerable else 1.0

    @property
    def nothing_rate(self) -> float:
        return self.nothing / self.none_queries if self.none_queries else 1.0


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f} %" if whole else "    –  "


def _table(title: str, results: Sequence[QueryResult], key: Callable[[QueryResult], str]) -> str:
    lines = [
        f"| {title} | queries | top-1 | top-3 | nothing on none |",
        "|---|---:|---:|---:|---:|",
    ]
    for value in sorted({key(r) for r in results}):
        part = [r for r in results if key(r) == value]
        s = Summary.of(part)
        lines.append(
            f"| {value} | {len(part)} | {_percent(s.top1, s.answerable)} | "
            f"{_percent(s.top3, s.answerable)} | {_percent(s.nothing, s.none_queries)} |"
        )
    return "\n".join(lines)


def _quantiles(values: Sequence[float]) -> str:
    if not values:
        return "none"
    ordered = sorted(values)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    return (
        f"min {ordered[0]:.1f}, 10 % {at(0.1):.1f}, median {at(0.5):.1f}, "
        f"90 % {at(0.9):.1f}, max {ordered[-1]:.1f}"
    )


def format_report(results: Sequence[QueryResult]) -> str:
    """The whole report as Markdown-ish text (the tables paste into the README)."""
    total = Summary.of(results)
    crisis_queries = [r for r in results if r.query.kind == "crisis"]
    false_alarms = [r for r in results if r.query.kind != "crisis" and r.crisis]
    missed_crisis = [r for r in crisis_queries if not r.crisis]
    lines = [
        f"Evaluation: {len(results)} queries, {total.answerable} answerable, "
        f"{total.none_queries} that should find nothing",
        "",
        f"top-1 accuracy (answerable):  {_percent(total.top1, total.answerable)}  "
        f"({total.top1}/{total.answerable})",
        f"top-3 accuracy (answerable):  {_percent(total.top3, total.answerable)}  "
        f"({total.top3}/{total.answerable})",
        f"nothing-rate (none-queries):  {_percent(total.nothing, total.none_queries)}  "
        f"({total.nothing}/{total.none_queries})",
        f"crisis detected:              {len(crisis_queries) - len(missed_crisis)}"
        f"/{len(crisis_queries)}; false alarms on other queries: {len(false_alarms)}",
        "",
        _table("language", results, lambda r: r.query.lang),
        "",
        _table("kind", results, lambda r: r.query.kind),
        "",
        *_calibration(results),
        "",
        *_misses(results),
    ]
    lines += [f"  ! false crisis alarm: [{r.query.lang}] {r.query.text!r}" for r in false_alarms]
    lines += [f"  ! crisis missed: [{r.query.lang}] {r.query.text!r}" for r in missed_crisis]
    return "\n".join(lines)


def _calibration(results: Sequence[QueryResult]) -> list[str]:
    """Score distributions with the threshold off: what MIN_RELEVANCE must separate."""
    # Crisis answers list the emergency services whatever their score: not threshold material.
    answerable = [r for r in results if r.query.answerable and r.query.kind != "crisis"]
    empty = [r for r in results if not r.query.answerable]
    lowest = sorted(answerable, key=lambda r: r.raw_right or 0.0)[:8]
    highest = sorted(empty, key=lambda r: -r.raw_best)[:5]
    return [
        "Calibration of MIN_RELEVANCE (scores with the threshold switched off):",
        "  best candidate of none-queries:     " + _quantiles([r.raw_best for r in empty]),
        "  best right answer (non-crisis):     "
        + _quantiles([r.raw_right or 0.0 for r in answerable]),
        "  highest none-queries: "
        + ", ".join(f"{r.query.text!r} {r.raw_best:.1f}" for r in highest),
        "  lowest right answers: "
        + ", ".join(f"{r.query.text!r} {r.raw_right or 0.0:.1f}" for r in lowest),
    ]


def _misses(results: Sequence[QueryResult]) -> list[str]:
    misses = [r for r in results if r.rank != 1 and (r.query.answerable or r.found)]
    lines = [f"Misses ({len(misses)}; '·' = right answer below first place):"]
    for r in misses:
        mark = "·" if r.rank is not None else "✗"
        got = ", ".join(f"{sid} {score:.0f}" for sid, score in r.found) or "nothing"
        want = ", ".join(r.query.expect_written) or "nothing"
        lines.append(f"  {mark} [{r.query.lang}/{r.query.kind}] {r.query.text!r}")
        lines.append(f"      want {want}; got {got}")
    return lines
