"""``python -m bot``: a thin command line over the core library.

Each command builds the core object, calls one function and turns the core's named exceptions
into a clean message and exit code: 0 success, 1 the input was refused, 2 usage or configuration.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import ConfigError, Settings
from bot.i18n import SHIPPED_LANGUAGES
from bot.validation import check_catalogue

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2


def _default_services_file() -> Path:
    try:
        return Settings.from_env().services_file
    except ConfigError:
        return Settings().services_file


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a catalogue file the way the bot will load it."""
    path: Path = args.file or _default_services_file()
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
