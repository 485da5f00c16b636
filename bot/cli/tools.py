"""Developer tools: ``eval`` (search quality), ``i18n`` (gettext), ``danger-tables``,
``danger-model``, ``language-model`` and ``common-words`` (the generated language tables and
the learned models)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.common import EXIT_OK, EXIT_REFUSED


def cmd_eval(args: argparse.Namespace) -> int:
    """Search quality: every city's sets in one table, or one set in detail (``--queries``)."""
    from bot.catalogue.validation import CatalogueError, load_catalogue
    from bot.search import conversation_eval
    from bot.search.evaluation import DEFAULT_SERVICES, format_report, load_queries, run
    from bot.search.index import SearchIndex
    from bot.search.scoreboard import crisis_rows, format_crisis_table, format_table, rows

    try:
        if args.queries is None:
            print(format_table(list(rows())))
            print()
            print(format_crisis_table(list(crisis_rows())))
            print()
            print(conversation_eval.format_tables())
            return EXIT_OK
        catalogue = load_catalogue(args.services or DEFAULT_SERVICES).catalogue
    except CatalogueError as exc:
        for finding in exc.errors:
            print(finding.format(), file=sys.stderr)
        return EXIT_REFUSED
    index = SearchIndex.build(catalogue)
    print(format_report(run(index, load_queries(args.queries))))
    return EXIT_OK


def cmd_i18n(args: argparse.Namespace) -> int:
    """Extract the English strings, merge them into every .po file, or check the translations."""
    from bot.i18n.check import DOMAIN, check_catalogs, extract_messages, update_catalogs

    if args.action == "extract":
        extract_messages(args.locales / f"{DOMAIN}.pot")
        return EXIT_OK
    if args.action == "update":
        update_catalogs(args.locales)
        return EXIT_OK
    report = check_catalogs(args.locales)
    print(report.format_table())
    for problem in report.problems:
        print(problem, file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_REFUSED


def cmd_danger_tables(args: argparse.Namespace) -> int:
    """Rebuild the crisis knowledge's inflection and common-word tables (needs the dev group)."""
    from bot.search.danger.tables import write_tables

    forms, protected = write_tables()
    print(f"bot/search/danger: {forms} inflected forms, {protected} protected common words.")
    return EXIT_OK


def cmd_danger_model(args: argparse.Namespace) -> int:
    """Learn the crisis stage's model from the example messages (needs the dev group)."""
    from bot.search.danger.training import write

    for line in write():
        print(line)
    return EXIT_OK


def cmd_language_model(args: argparse.Namespace) -> int:
    """Learn the language reader from the example messages (needs the dev group)."""
    from bot.search.language.training import write

    for line in write():
        print(line)
    return EXIT_OK


def cmd_common_words(args: argparse.Namespace) -> int:
    """Rebuild the search's table of common words (needs the dev group)."""
    from bot.search.common import TABLE, write_table

    print(f"{TABLE.name}: {write_table()} common words of seven languages.")
    return EXIT_OK


def cmd_language_tables(args: argparse.Namespace) -> int:
    """Rebuild the language detector's table of common words (needs the dev group)."""
    from bot.search.language.tables import TABLE, write_table

    print(f"{TABLE.name}: {write_table()} common words of seven languages.")
    return EXIT_OK


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register eval and i18n."""
    from bot.i18n.translators import DEFAULT_LOCALES_DIR

    evaluation = commands.add_parser(
        "eval",
        help="search quality: every city's tuned and held-out sets, with and without keywords; "
        "or one set in detail with --queries",
    )
    evaluation.add_argument(
        "--queries", type=Path, help="one evaluation set, reported in detail with every miss"
    )
    evaluation.add_argument(
        "--services", type=Path, help="with --queries: the catalogue (default services.yaml)"
    )
    evaluation.set_defaults(handler=cmd_eval)

    i18n = commands.add_parser(
        "i18n", help="translations: extract strings, update the .po files, or check them"
    )
    i18n.add_argument("action", choices=("check", "extract", "update"))
    i18n.add_argument("--locales", type=Path, default=DEFAULT_LOCALES_DIR)
    i18n.set_defaults(handler=cmd_i18n)

    tables = commands.add_parser(
        "danger-tables",
        help="rebuild the crisis knowledge's tables of word forms and common words (dev)",
    )
    tables.set_defaults(handler=cmd_danger_tables)
    model = commands.add_parser(
        "danger-model",
        help="learn the crisis stage's model from the example messages (dev, about a minute)",
    )
    model.set_defaults(handler=cmd_danger_model)
    common = commands.add_parser(
        "common-words",
        help="rebuild the search's table of common words, never read as typos (dev)",
    )
    common.set_defaults(handler=cmd_common_words)
    language = commands.add_parser(
        "language-tables",
        help="rebuild the language detector's table of common words per language (dev)",
    )
    language.set_defaults(handler=cmd_language_tables)
    language_model = commands.add_parser(
        "language-model",
        help="learn the language reader from the example messages (dev, about a minute)",
    )
    language_model.set_defaults(handler=cmd_language_model)
