"""``stats``: the unmet-needs report from the anonymous search log."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.common import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, load_for_staff, positive_int
from bot.config import database_path_from_env

DEFAULT_DAYS = 30
"""`stats --days`: a month, the rhythm in which welfare staff usually meet to plan."""


def cmd_stats(args: argparse.Namespace) -> int:
    """Print the unmet-needs report from the anonymous search log (after housekeeping)."""
    from bot.staff.report import RetentionError, collect_report, retention_from
    from bot.staff.report_formats import render_csv, render_json, render_table
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
    catalogue = load_for_staff(args.services)
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


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register stats."""
    stats = commands.add_parser(
        "stats", help="the unmet-needs report from the anonymous search log"
    )
    stats.add_argument(
        "--days",
        type=positive_int,
        default=DEFAULT_DAYS,
        help=f"how many days back (default {DEFAULT_DAYS})",
    )
    stats.add_argument("--format", choices=("table", "csv", "json"), default="table")
    stats.add_argument("--database", type=Path, help="default: $DATABASE_PATH")
    stats.add_argument("--services", type=Path, help="default: $SERVICES_FILE")
    stats.add_argument(
        "--retention-days",
        type=positive_int,
        help="delete search log rows older than this first (default: $LOG_RETENTION_DAYS or 180)",
    )
    stats.set_defaults(handler=cmd_stats)
