"""Staff commands on a catalogue file: validate, schema, export, directory."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.catalogue.model import Catalogue
from bot.catalogue.validation import Finding, check_catalogue
from bot.cli.common import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, load_for_staff, translator_for
from bot.config import services_file_from_env
from bot.i18n.translators import SHIPPED_LANGUAGES


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a catalogue file the way the bot will load it."""
    path: Path = args.file or services_file_from_env()
    catalogue, findings = check_catalogue(path, ui_languages=SHIPPED_LANGUAGES)
    if catalogue is not None:
        findings = findings + _generic_crisis_words(path, catalogue)
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


def _generic_crisis_words(path: Path, catalogue: Catalogue) -> list[Finding]:
    """A warning for each crisis word the shipped knowledge of danger already reads or reads
    only in combination: the catalogue's list is for local words (see
    :mod:`bot.search.danger.local_words`). Here, not in the catalogue's own checks, because
    the catalogue package knows nothing of the search."""
    from bot.catalogue.yamlsource import read_yaml
    from bot.search.danger.local_words import generic_crisis_words

    generic = generic_crisis_words(catalogue.crisis.keywords)
    if not generic:
        return []
    document = read_yaml(path)
    summary = Finding(
        "warning",
        str(path),
        document.line_of(("crisis", "keywords")),
        f"{len(generic)} crisis word(s) are not local words: the bot already knows them, "
        "and a generic word here only adds false alarms. Keep only local words (the name of "
        "a local crisis line); --verbose lists each with the reason.",
        field="crisis.keywords",
    )
    return [summary] + [
        Finding(
            "warning",
            str(path),
            document.line_of(("crisis", "keywords", word.language, word.index)),
            word.explain(),
            field="crisis.keywords",
            detail=True,
        )
        for word in generic
    ]


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of services.yaml (docs/services.schema.json is this output)."""
    from bot.catalogue.schema import catalogue_schema_json

    sys.stdout.write(catalogue_schema_json())
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Write the catalogue as open data (Open Referral HSDS 3.0, one JSON file per table)."""
    from bot.staff.hsds import export_catalogue, write_export

    catalogue = load_for_staff(args.services)
    if catalogue is None:
        return EXIT_REFUSED
    language = catalogue.region.default_language
    tr = translator_for(language if language in SHIPPED_LANGUAGES else "en")
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
    catalogue = load_for_staff(args.services)
    if catalogue is None:
        return EXIT_REFUSED
    tr = translator_for(args.lang)
    if tr is None:
        return EXIT_REFUSED
    out: Path = args.out or Path(f"wegweiser-{args.lang}.html")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_directory(catalogue, tr, username=username), encoding="utf-8")
    print(f"{out}: printable directory in {tr.native_name}; open it in a browser and print it.")
    return EXIT_OK


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register validate, schema, export and directory."""
    validate = commands.add_parser("validate", help="check services.yaml and explain every problem")
    validate.add_argument("file", nargs="?", type=Path, help="default: $SERVICES_FILE")
    validate.add_argument("--verbose", action="store_true", help="list every missing text")
    validate.add_argument("--json", action="store_true", help="print findings as JSON")
    validate.set_defaults(handler=cmd_validate)

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
