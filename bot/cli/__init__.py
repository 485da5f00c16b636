"""``python -m bot``: a thin command line over the core library.

Each command builds the core object, calls one function and turns the core's named exceptions
into a clean message and exit code: 0 success, 1 the input was refused, 2 usage or configuration.
The commands live beside this file by what they work on; this module only assembles them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from bot.cli import ask, catalogue, geocode, stats, tools
from bot.cli.common import EXIT_OK, EXIT_REFUSED, EXIT_USAGE
from bot.config import ConfigError, Settings

__all__ = ["EXIT_OK", "EXIT_REFUSED", "EXIT_USAGE", "build_parser", "main"]


def cmd_run(args: argparse.Namespace) -> int:
    """Start the bot on Telegram, or the local sandbox chat when there is no token."""
    from bot.catalogue.validation import CatalogueError
    from bot.chat.serve import run  # Telegram is imported only by the command that talks to it
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


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; also used by the test that every command is documented."""
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Wegweiser: find local support services."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser(
        "run",
        help="start the bot (polling, or webhook with WEBHOOK_URL); without "
        "TELEGRAM_BOT_TOKEN a local sandbox chat in this terminal",
    )
    run.set_defaults(handler=cmd_run)

    catalogue.add_commands(commands)
    geocode.add_commands(commands)
    ask.add_commands(commands)
    stats.add_commands(commands)
    tools.add_commands(commands)
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
