"""``python -m bot geocode`` against a fake Nominatim on loopback: coordinates proposed under
each address with a comment, the rest of the file untouched, one request per second, a user
agent required, answers cached, and nothing written without ``--out``."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.catalogue.validation import load_catalogue
from bot.cli import EXIT_OK, EXIT_USAGE, main

CATALOGUE = """\
version: 1
# Hannover, staff-edited: this comment and the formatting below must survive.
region:
  name: Hannover
  country: DE
  timezone: Europe/Berlin
  default_language: de
  center: [52.3745, 9.7386]
  districts:
    - name: Südstadt
      center: [52.3610, 9.7500]
categories:
  - id: food
    name: {de: Essen}
services:
  - id: known-street
    name: {de: Stube}
    categories: [food]
    summary: {de: "Essen."}
    location:
      address: "Langensalzastraße 17, 30169 Hannover"   # the door is round the back
      district: Südstadt
  - id: unknown-street
    name: {de: Nirgendwo}
    categories: [food]
    summary: {de: "Essen."}
    location:
      address: "Gibtesnichtweg 1"
      district: Südstadt
  - id: far-street
    name: {de: Ferne}
    categories: [food]
    summary: {de: "Essen."}
    location:
      address: "Marienplatz 1"
  - id: one-line
    name: {de: Eine Zeile}
    categories: [food]
    summary: {de: "Essen."}
    location: {address: "Hildesheimer Straße 20, Hannover", district: Südstadt}
  - id: placed
    name: {de: Schon da}
    categories: [food]
    summary: {de: "Essen."}
    location:
      address: "Kröpcke 1, Hannover"
      lat: 52.3745
      lon: 9.7386
"""

ANSWERS = {
    "Langensalzastraße 17, 30169 Hannover": (52.36712, 9.75633, "17, Langensalzastraße, Südstadt"),
    "Marienplatz 1, Hannover": (48.13743, 11.57549, "Marienplatz, München"),
    "Hildesheimer Straße 20, Hannover": (52.36, 9.75, "should never be asked"),
}


class FakeNominatim(BaseHTTPRequestHandler):
    """Nominatim's /search as geopy asks it (format=json), from :data:`ANSWERS`."""

    requests: ClassVar[list[tuple[float, str, dict[str, list[str]]]]] = []

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        FakeNominatim.requests.append((time.monotonic(), self.headers.get("User-Agent", ""), query))
        found = ANSWERS.get(query.get("q", [""])[0])
        body = [] if found is None else [
            {"lat": str(found[0]), "lon": str(found[1]), "display_name": found[2]}
        ]  # fmt: skip
        data = json.dumps(body).encode()
        self.send_response(200 if url.path == "/search" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads the requests instead."""


@pytest.fixture
def nominatim() -> Iterator[str]:
    FakeNominatim.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def catalogue_file(tmp_path: Path) -> Path:
    path = tmp_path / "services.yaml"
    path.write_text(CATALOGUE, encoding="utf-8")
    return path


def geocode(path: Path, domain: str, *extra: str) -> int:
    return main(
        ["geocode", str(path), "--domain", domain, "--scheme", "http",
         "--user-agent", "Wegweiser test suite (tests@example.org)", *extra]
    )  # fmt: skip


def test_coordinates_go_under_the_address_with_a_comment_and_nothing_else_moves(
    catalogue_file: Path, nominatim: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "geocoded.yaml"
    assert geocode(catalogue_file, nominatim, "--out", str(out)) == EXIT_OK
    assert catalogue_file.read_text(encoding="utf-8") == CATALOGUE  # the source is untouched
    written = out.read_text(encoding="utf-8").splitlines()
    original = CATALOGUE.splitlines()
    added = [line for line in written if line not in original]
    assert len(added) == 3
    assert added[0].startswith("      # geocoded ") and "check on a map" in added[0]
    assert added[1:] == ["      lat: 52.367120", "      lon: 9.756330"]
    at = written.index(added[0])
    assert written[at - 1].strip().startswith('address: "Langensalzastraße 17')
    assert [line for line in written if line not in added] == original
    service = load_catalogue(out).catalogue.services_by_id["known-street"]
    assert service.location is not None and service.location.coordinates == (52.36712, 9.75633)
    errors = capsys.readouterr().err
    assert "unknown-street: OpenStreetMap does not know 'Gibtesnichtweg 1, Hannover'" in errors
    assert "far-street: found 'Marienplatz, München', 4" in errors
    assert "one-line: its location is written on one line" in errors


def test_requests_name_the_deployment_come_one_per_second_and_are_cached(
    catalogue_file: Path, nominatim: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert geocode(catalogue_file, nominatim) == EXIT_OK
    asked = FakeNominatim.requests
    assert [q["q"][0] for _, _, q in asked] == [
        "Langensalzastraße 17, 30169 Hannover",
        "Gibtesnichtweg 1, Hannover",
        "Marienplatz 1, Hannover",
    ]
    assert {agent for _, agent, _ in asked} == {"Wegweiser test suite (tests@example.org)"}
    assert all(q["countrycodes"] == ["de"] for _, _, q in asked)
    gaps = [later - earlier for (earlier, _, _), (later, _, _) in itertools.pairwise(asked)]
    assert min(gaps) >= 0.95
    # Without --out only the change is shown, as a diff; the file stays as it was.
    diff = capsys.readouterr().out
    assert diff.startswith(f"--- {catalogue_file}")
    assert "+      lat: 52.367120" in diff
    assert catalogue_file.read_text(encoding="utf-8") == CATALOGUE
    FakeNominatim.requests = []
    assert geocode(catalogue_file, nominatim) == EXIT_OK
    assert FakeNominatim.requests == [], "a second run asks nothing it asked before"


def test_a_run_looks_up_at_most_its_limit(
    catalogue_file: Path, nominatim: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert geocode(catalogue_file, nominatim, "--limit", "1") == EXIT_OK
    assert len(FakeNominatim.requests) == 1
    assert "not looked up: run again for the rest" in capsys.readouterr().err


def test_without_a_user_agent_nothing_is_asked(
    catalogue_file: Path,
    nominatim: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("GEOCODER_USER_AGENT", raising=False)
    code = main(["geocode", str(catalogue_file), "--domain", nominatim, "--scheme", "http"])
    assert code == EXIT_USAGE
    assert "--user-agent" in capsys.readouterr().err
    assert FakeNominatim.requests == []
