"""``python -m bot``: a thin command line over the core library.

Each command builds the core object, calls one function and turns the core's named exceptions
into a clean message and exit code: 0 success, 1 the input was refused, 2 usage or configuration.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.catalogue.validation import check_catalogue
from bot.config import (
    MAX_LOG_RETENTION_DAYS,
    ConfigError,
    Settings,
    database_path_from_env,
    services_file_from_env,
    whole_number,
)
from bot.i18n.translators import SHIPPED_LANGUAGES

if TYPE_CHECKING:
    from bot.catalogue.model import Catalogue
    from bot.i18n.translators import Translator
    from bot.search.outcome import SearchOutcome

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2

DEFAULT_DAYS = 30
"""`stats --days`: a month, the rhythm in which welfare staff usually meet to plan."""


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a catalogue file the way the bot will load it."""
    path: Path = args.file or services_file_from_env()
    catalogue, findings = check_catalogue(path, ui_languages=SHIPPED_LANGUAGES)
    shown = [f for f in findings if args.verbose or not f.detail]
    if args.json:
        print(json.dumps([f.as_json() for f in shown], ensure_ascii=False, indent=2))
        return EXIT_OK if catalogue else EXIT_REFUSED
    for finding in shown:
        print(finding.format())
    errors = sum(f.level == "error" for f in findings)
    warnings = sum(f.level == "warning" and not f.detail for f in findings)
    if catalogue is None:
        print(f"{path}: refused: {errors} error(s), {warnings} warning(s). Nothing was changed.")
        return EXIT_REFUSED
    print(
        f"{path}: OK: {len(catalogue.services)} services in {len(catalogue.categories)} "
        f"categories; {warnings} warning(s)."
    )
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    """Start the bot on Telegram, or the local sandbox chat when there is no token."""
    from bot.catalogue.validation import CatalogueError
    from bot.chat.app import run  # Telegram is imported only by the command that talks to it
    from bot.i18n.translators import TranslationFileError
    from bot.sandbox import run_sandbox
    from bot.store.store import StorageError

    settings = Settings.from_env()
    if not settings.services_file.is_file():
        raise ConfigError(
            f"SERVICES_FILE: {settings.services_file} does not exist; point SERVICES_FILE at "
            "the catalogue (default services.yaml)"
        )
    try:
        if settings.token is None:
            return run_sandbox(settings)
        run(settings)
    except StorageError as exc:
        raise ConfigError(f"DATABASE_PATH: {exc}") from None
    except (CatalogueError, TranslationFileError) as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    return EXIT_OK


def _positive_int(text: str) -> int:
    """argparse type for counts of days and results: a whole number of at least 1."""
    number = whole_number(text, 1, MAX_LOG_RETENTION_DAYS)
    if number is None:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 1 to {MAX_LOG_RETENTION_DAYS}, not {text!r}"
        )
    return number


def _load_for_staff(path: Path | None) -> Catalogue | None:
    """The catalogue for a staff command, or None after printing why it was refused."""
    from bot.catalogue.validation import CatalogueError, load_catalogue

    path = path or services_file_from_env()
    try:
        return load_catalogue(path).catalogue
    except CatalogueError as exc:
        for finding in exc.errors:
            print(finding.format(), file=sys.stderr)
        print(
            f"{path}: refused with {len(exc.errors)} error(s); fix them first "
            f"(python -m bot validate {path})",
            file=sys.stderr,
        )
        return None


def cmd_stats(args: argparse.Namespace) -> int:
    """Print the unmet-needs report from the anonymous search log (after housekeeping)."""
    from bot.staff.report import (
        RetentionError,
        collect_report,
        render_csv,
        render_json,
        render_table,
        retention_from,
    )
    from bot.store.store import StorageError, Store

    try:
        retention = retention_from(args.retention_days)
    except RetentionError as exc:
        print(f"usage error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    database: Path = args.database or database_path_from_env()
    if not database.is_file():
        print(
            f"usage error: there is no database at {database}; the bot creates it when it "
            "first runs. Point --database or DATABASE_PATH at the bot's file",
            file=sys.stderr,
        )
        return EXIT_USAGE
    catalogue = _load_for_staff(args.services)
    if catalogue is None:
        return EXIT_REFUSED
    try:
        store = Store.open(database)
    except StorageError as exc:
        print(f"usage error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    with store:
        report = collect_report(store, catalogue, days=args.days, retention=retention)
    render = {"table": render_table, "csv": render_csv, "json": render_json}[args.format]
    sys.stdout.write(render(report))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of services.yaml (docs/services.schema.json is this output)."""
    from bot.catalogue.schema import catalogue_schema_json

    sys.stdout.write(catalogue_schema_json())
    return EXIT_OK


def _translator_for(language: str) -> Translator | None:
    """One language's translator, or None after printing why its .po file cannot be read."""
    from bot.i18n.translators import DEFAULT_LOCALES_DIR, TranslationFileError, load_translators

    try:
        return load_translators(DEFAULT_LOCALES_DIR, (language,))[language]
    except TranslationFileError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return None


def cmd_export(args: argparse.Namespace) -> int:
    """Write the catalogue as open data (Open Referral HSDS 3.0, one JSON file per table)."""
    from bot.staff.hsds import export_catalogue, write_export

    catalogue = _load_for_staff(args.services)
    if catalogue is None:
        return EXIT_REFUSED
    language = catalogue.region.default_language
    tr = _translator_for(language if language in SHIPPED_LANGUAGES else "en")
    if tr is None:
        return EXIT_REFUSED
    if args.out.exists() and not args.out.is_dir():
        print(f"usage error: {args.out} is a file; --out names a folder", file=sys.stderr)
        return EXIT_USAGE
    export = export_catalogue(catalogue, tr)
    written = write_export(catalogue, export, args.out)
    print(
        f"{args.out}: wrote {len(export.tables['services'])} services as HSDS 3.0 "
        f"({len(written)} files, index in datapackage.json)."
    )
    return EXIT_OK


def cmd_directory(args: argparse.Namespace) -> int:
    """Write the printable directory (HTML for A4) in one language."""
    from bot.staff.printable import PrintableError, bot_username, render_directory

    try:
        username = bot_username(args.bot_username)
    except PrintableError as exc:
        print(f"usage error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    catalogue = _load_for_staff(args.services)
    if catalogue is None:
        return EXIT_REFUSED
    tr = _translator_for(args.lang)
    if tr is None:
        return EXIT_REFUSED
    out: Path = args.out or Path(f"wegweiser-{args.lang}.html")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_directory(catalogue, tr, username=username), encoding="utf-8")
    print(f"{out}: printable directory in {tr.native_name}; open it in a browser and print it.")
    return EXIT_OK


def _coordinates(text: str) -> tuple[float, float]:
    """argparse type for --near: "LAT,LON" in decimal degrees."""
    from bot.geo import parse_coordinates

    try:
        return parse_coordinates(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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
    }


def _ask_text(catalogue: Catalogue, outcome: SearchOutcome, language: str, explain: bool) -> str:
    """One answer for people: the services with score and why, or that nothing was found."""
    lines: list[str] = []
    if outcome.crisis:
        lines.append("crisis words: the emergency services come first")
    notes = [f"categories: {', '.join(outcome.categories)}"] if outcome.categories else []
    if outcome.district:
        notes.append(f"district: {outcome.district.name}")
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
    from bot.search.index import SearchIndex

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
    catalogue = _load_for_staff(args.services)
    if catalogue is None:
        return EXIT_REFUSED
    index = SearchIndex.build(catalogue)
    for question in questions:
        outcome = index.search(question, language=args.lang, near=args.near, limit=args.limit)
        if args.json or args.batch is not None:
            answer = _ask_json(catalogue, outcome, args.lang, args.explain)
            print(json.dumps(answer, ensure_ascii=False))
        else:
            print(_ask_text(catalogue, outcome, args.lang, args.explain))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; also used by the test that every command is documented."""
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Wegweiser: find local support services."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check services.yaml and explain every problem")
    validate.add_argument("file", nargs="?", type=Path, help="default: $SERVICES_FILE")
    validate.add_argument("--verbose", action="store_true", help="list every missing text")
    validate.add_argument("--json", action="store_true", help="print findings as JSON")
    validate.set_defaults(handler=cmd_validate)

    run = commands.add_parser(
        "run",
        help="start the bot (polling, or webhook with WEBHOOK_URL); without "
        "TELEGRAM_BOT_TOKEN a local sandbox chat in this terminal",
    )
    run.set_defaults(handler=cmd_run)

    stats = commands.add_parser(
        "stats", help="the unmet-needs report from the anonymous search log"
    )
    stats.add_argument(
        "--days",
        type=_positive_int,
        default=DEFAULT_DAYS,
        help=f"how many days back (default {DEFAULT_DAYS})",
    )
    stats.add_argument("--format", choices=("table", "csv", "json"), default="table")
    stats.add_argument("--database", type=Path, help="default: $DATABASE_PATH")
    stats.add_argument("--services", type=Path, help="default: $SERVICES_FILE")
    stats.add_argument(
        "--retention-days",
        type=_positive_int,
        help="delete search log rows older than this first (default: $LOG_RETENTION_DAYS or 180)",
    )
    stats.set_defaults(handler=cmd_stats)

    schema = commands.add_parser(
        "schema", help="print the JSON Schema of services.yaml (for editors)"
    )
    schema.set_defaults(handler=cmd_schema)

    export = commands.add_parser("export", help="write the catalogue as open data (HSDS 3.0)")
    export.add_argument("--format", choices=("hsds",), default="hsds")
    export.add_argument("--out", type=Path, required=True, help="folder for the JSON files")
    export.add_argument("--services", type=Path, help="default: $SERVICES_FILE")
    export.set_defaults(handler=cmd_export)

    directory = commands.add_parser(
        "directory", help="write the printable directory (HTML, A4) in one language"
    )
    directory.add_argument("--lang", choices=SHIPPED_LANGUAGES, default="de")
    directory.add_argument("--out", type=Path, help="default: wegweiser-LANG.html")
    directory.add_argument(
        "--bot-username", help="for the QR code (default: $TELEGRAM_BOT_USERNAME)"
    )
    directory.add_argument("--services", type=Path, help="default: $SERVICES_FILE")
    directory.set_defaults(handler=cmd_directory)

    ask = commands.add_parser("ask", help="search the catalogue like the bot and show why")
    ask.add_argument("text", nargs="*", help="the question, as a person would type it")
    ask.add_argument("--services", type=Path, help="default: $SERVICES_FILE")
    ask.add_argument("--lang", choices=SHIPPED_LANGUAGES, default="de", help="reader's language")
    ask.add_argument("--near", type=_coordinates, metavar="LAT,LON", help="prefer services near")
    ask.add_argument("--limit", type=_positive_int, default=3, help="results (default 3)")
    ask.add_argument("--explain", action="store_true", help="show every field and term matched")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument(
        "--batch", metavar="FILE", help="one question per line (- for stdin); prints JSON Lines"
    )
    ask.set_defaults(handler=cmd_ask)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m bot`` and the ``wegweiser`` script."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_OK
    except BrokenPipeError:
        # `python -m bot ask … | head`: the reader left; say nothing more and exit quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
