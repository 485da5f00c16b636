"""``ask``: search the catalogue as the bot does, and show why each service was found."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, load_for_staff, positive_int
from bot.i18n.translators import SHIPPED_LANGUAGES

if TYPE_CHECKING:
    from bot.catalogue.model import Catalogue
    from bot.search.outcome import SearchOutcome


def coordinates(text: str) -> tuple[float, float]:
    """argparse type for --near: "LAT,LON" in decimal degrees."""
    from bot.geo import parse_coordinates

    try:
        return parse_coordinates(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def moment(text: str) -> datetime:
    """argparse type for --at: "now", or a local date and time such as 2026-12-07T07:40."""
    if text == "now":
        return datetime.now(UTC)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected now or a date and time such as 2026-12-07T07:40, not {text!r}"
        ) from None


def _ask_json(
    catalogue: Catalogue, outcome: SearchOutcome, language: str, explain: bool
) -> dict[str, object]:
    """One answer in the JSON shape of ``ask --json`` (and of each ``--batch`` line)."""
    results: list[dict[str, object]] = []
    for match in outcome.results:
        result: dict[str, object] = {
            "id": match.service.id,
            "name": catalogue.text(match.service.name, language),
            "score": match.score,
        }
        if explain:
            result["reasons"] = [
                {
                    "field": r.field,
                    "query": r.query_term,
                    "catalogue": r.catalogue_term,
                    "kind": r.kind,
                    "strength": r.strength,
                }
                for r in match.reasons
            ]
        results.append(result)
    return {
        "query": outcome.query,
        "results": results,
        "categories": list(outcome.categories),
        "district": outcome.district.name if outcome.district else None,
        "crisis": outcome.crisis,
        "asked": outcome.asked.code if outcome.asked else None,
        "asked_met": outcome.asked_met,
    }


def _ask_text(catalogue: Catalogue, outcome: SearchOutcome, language: str, explain: bool) -> str:
    """One answer for people: the services with score and why, or that nothing was found."""
    lines: list[str] = []
    if outcome.crisis:
        lines.append("danger: the first help comes first")
        if explain and outcome.danger.evidence:
            # Which rule fired ("de:suicide:die-direct"), or the learned model and its
            # probability ("model:suicide:0.90"): never the message's words.
            lines.append(f"danger read by: {', '.join(outcome.danger.evidence)}")
    notes = [f"categories: {', '.join(outcome.categories)}"] if outcome.categories else []
    if outcome.needs:
        notes.append(f"needs: {', '.join(outcome.needs)}")
    if outcome.district:
        notes.append(f"district: {outcome.district.name}")
    if outcome.asked:
        met = "" if outcome.asked_met else " (nothing fitting is open then: the best ones anyway)"
        notes.append(f"time asked: {outcome.asked.code}{met}")
    lines.extend(notes)
    if not outcome.results:
        lines.append(f"nothing found for {outcome.normalized or outcome.query!r}")
    for number, match in enumerate(outcome.results, start=1):
        name = catalogue.text(match.service.name, language)
        lines.append(f"{number}. {name} [{match.service.id}]  score {match.score:.1f}")
        reasons = match.reasons if explain else match.reasons[:2]
        for r in reasons:
            if explain:
                lines.append(
                    f"     {r.field}: {r.query_term!r} → {r.catalogue_term!r} "
                    f"({r.kind}, {r.strength:.2f})"
                )
            elif r.field not in ("near", "district"):
                lines.append(f"     {r.field} {r.catalogue_term!r} ({r.kind})")
    return "\n".join(lines)


def cmd_ask(args: argparse.Namespace) -> int:
    """Search the catalogue as the bot does, and show why each service was found."""
    from bot.hours.schedule import Schedules
    from bot.search.index import SearchIndex
    from bot.search.opening import Opening

    if bool(args.text) == (args.batch is not None):
        print(
            "usage error: give a question, or --batch FILE (- for standard input), not both",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.batch is not None:
        try:
            source = sys.stdin.read() if args.batch == "-" else Path(args.batch).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"usage error: cannot read {args.batch}: {exc}", file=sys.stderr)
            return EXIT_USAGE
        questions = source.splitlines()
    else:
        questions = [" ".join(args.text)]
    loaded = load_for_staff(args.services)
    if loaded is None:
        return EXIT_REFUSED
    catalogue = loaded.without_closed()  # as the bot searches: closed services never answer
    index = SearchIndex.build(catalogue)
    opening = None
    if args.at is not None:
        at = args.at if args.at.tzinfo else args.at.replace(tzinfo=catalogue.region.tz)
        opening = Opening(Schedules.of_catalogue(catalogue), at, catalogue.region.timezone)
    for question in questions:
        outcome = index.search(
            question, language=args.lang, near=args.near, limit=args.limit, opening=opening
        )
        if args.json or args.batch is not None:
            answer = _ask_json(catalogue, outcome, args.lang, args.explain)
            print(json.dumps(answer, ensure_ascii=False))
        else:
            print(_ask_text(catalogue, outcome, args.lang, args.explain))
    return EXIT_OK


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ask."""
    ask = commands.add_parser("ask", help="search the catalogue like the bot and show why")
    ask.add_argument("text", nargs="*", help="the question, as a person would type it")
    ask.add_argument("--services", type=Path, help="default: $SERVICES_FILE")
    ask.add_argument("--lang", choices=SHIPPED_LANGUAGES, default="de", help="reader's language")
    ask.add_argument("--near", type=coordinates, metavar="LAT,LON", help="prefer services near")
    ask.add_argument("--limit", type=positive_int, default=3, help="results (default 3)")
    ask.add_argument(
        "--at",
        type=moment,
        metavar="WHEN",
        help='with the opening hours at WHEN ("now" or 2026-12-07T07:40, local time), as the '
        "bot asks: open services first, time words filter",
    )
    ask.add_argument("--explain", action="store_true", help="show every field and term matched")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument(
        "--batch", metavar="FILE", help="one question per line (- for stdin); prints JSON Lines"
    )
    ask.set_defaults(handler=cmd_ask)
