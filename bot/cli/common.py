"""What every command shares: exit codes, the staff's catalogue, number arguments."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import MAX_LOG_RETENTION_DAYS, services_file_from_env, whole_number

if TYPE_CHECKING:
    from bot.catalogue.model import Catalogue
    from bot.i18n.translators import Translator

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2


def positive_int(text: str) -> int:
    """argparse type for counts of days and results: a whole number of at least 1."""
    number = whole_number(text, 1, MAX_LOG_RETENTION_DAYS)
    if number is None:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 1 to {MAX_LOG_RETENTION_DAYS}, not {text!r}"
        )
    return number


def load_for_staff(path: Path | None) -> Catalogue | None:
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


def translator_for(language: str) -> Translator | None:
    """One language's translator, or None after printing why its .po file cannot be read."""
    from bot.i18n.translators import DEFAULT_LOCALES_DIR, TranslationFileError, load_translators

    try:
        return load_translators(DEFAULT_LOCALES_DIR, (language,))[language]
    except TranslationFileError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return None
