"""How long loading and validating services.yaml takes, for the shipped file and large ones.

Prints a markdown table for the README. Each size is loaded three times and the best run is
reported (the first run also pays for imports and disk cache), plus the peak of Python memory
allocated while loading (tracemalloc).

    python bench/bench_catalogue.py [--sizes 100,1000,10000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_catalogue

from bot.catalogue.validation import load_catalogue
from bot.i18n.translators import SHIPPED_LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3


def measure(path: Path) -> tuple[float, float, int]:
    """(best seconds, peak MiB, service count) for loading ``path``."""
    best = float("inf")
    services = 0
    for _ in range(RUNS):
        start = time.perf_counter()
        loaded = load_catalogue(path, ui_languages=SHIPPED_LANGUAGES)
        best = min(best, time.perf_counter() - start)
        services = len(loaded.catalogue.services)
    tracemalloc.start()
    load_catalogue(path, ui_languages=SHIPPED_LANGUAGES)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, peak / 1_048_576, services


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000,10000")
    args = parser.parse_args()
    rows = []
    seconds, peak, count = measure(ROOT / "services.yaml")
    size = (ROOT / "services.yaml").stat().st_size
    rows.append(("shipped services.yaml", count, size, seconds, peak))
    with tempfile.TemporaryDirectory() as folder:
        for n in (int(s) for s in args.sizes.split(",")):
            path = Path(folder) / f"services-{n}.yaml"
            path.write_text(generate_catalogue(n), encoding="utf-8")
            seconds, peak, count = measure(path)
            rows.append((f"generated {n:,}", count, path.stat().st_size, seconds, peak))
    print("| catalogue | services | file size | load + validate | peak memory (tracemalloc) |")
    print("|---|---:|---:|---:|---:|")
    for name, count, size, seconds, peak in rows:
        print(
            f"| {name} | {count:,} | {size / 1_048_576:.1f} MiB | {seconds * 1000:,.0f} ms "
            f"| {peak:,.0f} MiB |"
        )


if __name__ == "__main__":
    main()
