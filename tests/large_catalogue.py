"""One generated 10,000-service catalogue per test run, shared by the staff-tool tests.

Generating and validating 10,000 services takes several seconds, so the file, its plain data
and the loaded catalogue are each made once per process (``functools.cache``) and reused by
``test_report``, ``test_cli_schema``, ``test_hsds`` and ``test_printable``. Tests that use it
carry the ``large`` mark: ``pytest -m "not large"`` leaves them out.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from bot.catalogue.model import Catalogue
from bot.catalogue.validation import load_catalogue
from bot.catalogue.yamlsource import read_yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GENERATOR = PROJECT_ROOT / "bench" / "generate.py"
LARGE_SIZE = 10_000

large = pytest.mark.large
"""Marks a test on the generated 10,000-service catalogue."""


@functools.cache
def large_catalogue_file() -> Path:
    """The generated catalogue as a file (skips the test if bench/generate.py is missing)."""
    if not GENERATOR.is_file():
        pytest.skip(f"{GENERATOR} is missing, so there is no generated large catalogue")
    bench = str(GENERATOR.parent)
    if bench not in sys.path:
        sys.path.insert(0, bench)
    from generate import generate_catalogue

    folder = Path(tempfile.mkdtemp(prefix="wegweiser-large-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "services.yaml"
    path.write_text(generate_catalogue(LARGE_SIZE, seed=0), encoding="utf-8")
    return path


@functools.cache
def large_catalogue() -> Catalogue:
    """The generated catalogue, loaded and validated like the bot does."""
    return load_catalogue(large_catalogue_file()).catalogue


@functools.cache
def large_catalogue_data() -> Any:
    """The generated file as plain data (what an editor's schema check sees)."""
    return read_yaml(large_catalogue_file()).data
