"""``python -m bot geocode``: coordinates from street addresses, for staff to review."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from datetime import date
from pathlib import Path

from bot.cli.common import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, load_for_staff, positive_int
from bot.config import services_file_from_env

USER_AGENT_VARIABLE = "GEOCODER_USER_AGENT"


def cmd_geocode(args: argparse.Namespace) -> int:
    """Look up the services' addresses; show the change, or write it to ``--out``."""
    from bot.catalogue.yamlsource import read_yaml
    from bot.staff.geocoding import GeocodeCache, apply, nominatim_lookup, propose

    path: Path = args.file or services_file_from_env()
    user_agent = args.user_agent or os.environ.get(USER_AGENT_VARIABLE, "").strip()
    if not user_agent:
        print(
            "geocode: name your deployment for Nominatim's usage policy, e.g. "
            '--user-agent "Wegweiser Hannover (team@example.org)" '
            f"(or set {USER_AGENT_VARIABLE})",
            file=sys.stderr,
        )
        return EXIT_USAGE
    catalogue = load_for_staff(path)
    if catalogue is None:
        return EXIT_REFUSED
    text = path.read_text(encoding="utf-8")
    cache = GeocodeCache(args.cache or path.with_name(f".{path.stem}.geocode-cache.json"))
    lookup = nominatim_lookup(
        user_agent, catalogue.region.country, domain=args.domain, scheme=args.scheme
    )
    try:
        proposals, skipped = propose(
            catalogue, read_yaml(path), text, lookup, cache, max_lookups=args.limit
        )
    finally:
        cache.save()  # what was asked is never asked again, even after an error
    changed = apply(text, proposals, date.today())
    for skip in skipped:
        print(f"{path}: {skip.service_id}: {skip.reason}", file=sys.stderr)
    if args.out is None:
        sys.stdout.writelines(
            difflib.unified_diff(
                text.splitlines(keepends=True),
                changed.splitlines(keepends=True),
                fromfile=str(path),
                tofile=f"{path} (geocoded)",
            )
        )
    else:
        args.out.write_text(changed, encoding="utf-8")
    where = "shown above; nothing written" if args.out is None else f"written to {args.out}"
    print(
        f"{path}: {len(proposals)} service(s) geocoded ({where}), {len(skipped)} left out. "
        "Check each on a map before you use the file.",
        file=sys.stderr,
    )
    return EXIT_OK


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``geocode``."""
    geocode = commands.add_parser(
        "geocode",
        help="propose lat/lon from the services' street addresses (OpenStreetMap Nominatim, "
        "one request per second, cached): shows the change, or writes it to --out for review",
    )
    geocode.add_argument("file", nargs="?", type=Path, help="catalogue (default SERVICES_FILE)")
    geocode.add_argument(
        "--out", type=Path, help="write the geocoded catalogue here (default: only show it)"
    )
    geocode.add_argument(
        "--user-agent",
        help=f"names your deployment to Nominatim (required; or {USER_AGENT_VARIABLE})",
    )
    geocode.add_argument(
        "--limit", type=positive_int, default=100, help="new addresses per run (default 100)"
    )
    geocode.add_argument(
        "--cache", type=Path, help="answers kept between runs (default .<file>.geocode-cache.json)"
    )
    geocode.add_argument(
        "--domain", default="nominatim.openstreetmap.org", help="another Nominatim server"
    )
    geocode.add_argument("--scheme", default="https", choices=("https", "http"))
    geocode.set_defaults(handler=cmd_geocode)
