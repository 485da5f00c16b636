"""The HSDS 3.0 export, checked against Open Referral's own JSON schemas (read offline)."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from datetime import datetime, time
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from large_catalogue import large, large_catalogue
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from bot.catalogue.model import Catalogue, Service
from bot.catalogue.validation import load_catalogue
from bot.cli import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, main
from bot.i18n.translators import Translator, TranslatorRegistry, load_translators
from bot.staff.hsds import TABLES, export_catalogue, stable_id
from bot.staff.weekly_openings import WeeklyOpening, weekly_openings

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "services.yaml"
VALID = ROOT / "tests" / "catalogues" / "valid.yaml"
HSDS_SCHEMAS = ROOT.parent / "shared" / "data" / "hsds"
NOW = datetime(2026, 11, 18, 10, 0)

SCHEMA_OF_TABLE = {
    "organizations": "organization.json",
    "services": "service.json",
    "locations": "location.json",
    "addresses": "address.json",
    "service_at_locations": "service_at_location.json",
    "phones": "phone.json",
    "schedules": "schedule.json",
    "languages": "language.json",
    "accessibility": "accessibility.json",
    "cost_options": "cost_option.json",
    "required_documents": "required_document.json",
}
"""Each exported table and the HSDS schema of one of its rows."""

FOREIGN_KEYS = {
    "organization_id": "organizations",
    "service_id": "services",
    "location_id": "locations",
}


@cache
def registry() -> Registry:
    """Every HSDS schema file under the name its ``$ref``s use ("attribute.json").

    The files have no ``$id`` and refer to each other by bare file name, which resolves
    against an empty base URI to exactly that name; so registering each file under its own
    name resolves every reference locally, and nothing is ever fetched from the network.
    """
    if not HSDS_SCHEMAS.is_dir():
        pytest.skip(f"the HSDS schemas are not at {HSDS_SCHEMAS} (../shared/data/hsds)")
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT202012))
        for path in sorted(HSDS_SCHEMAS.glob("*.json"))
        if path.name != "openapi.json"
    ]
    return Registry().with_resources(resources)


@cache
def row_validator(table: str) -> jsonschema.Draft202012Validator:
    schema = registry().contents(SCHEMA_OF_TABLE[table])
    return jsonschema.Draft202012Validator(
        schema,
        registry=registry(),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def tabular_required(table: str) -> list[str]:
    """Fields HSDS requires only in the tabular form (the links between tables)."""
    return list(registry().contents(SCHEMA_OF_TABLE[table]).get("tabular_required", []))


def hsds_problems(tables: dict[str, list[dict[str, Any]]], limit: int | None = None) -> list[str]:
    """Schema errors, missing links and duplicate ids, as readable lines (empty when valid)."""
    problems = []
    ids = {table: {row["id"] for row in rows} for table, rows in tables.items()}
    for table, rows in tables.items():
        counts = Counter(row["id"] for row in rows)
        problems += [f"{table}: id {key} used {n} times" for key, n in counts.items() if n > 1]
        for row in rows[:limit]:
            for error in row_validator(table).iter_errors(row):
                problems.append(f"{table} {row['id']}: {error.message}")
            for field in tabular_required(table):
                if field not in row:
                    problems.append(f"{table} {row['id']}: tabular form requires {field}")
        for row in rows:
            for field, target in FOREIGN_KEYS.items():
                if field in row and row[field] not in ids[target]:
                    problems.append(f"{table} {row['id']}: {field} points nowhere")
    return problems


@pytest.fixture(scope="module")
def translators() -> TranslatorRegistry:
    return load_translators()


@pytest.fixture(scope="module")
def german(translators: TranslatorRegistry) -> Translator:
    return translators["de"]


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    return load_catalogue(SHIPPED).catalogue


@pytest.fixture(scope="module")
def valid() -> Catalogue:
    return load_catalogue(VALID).catalogue


def test_the_shipped_catalogue_is_valid_hsds(shipped: Catalogue, german: Translator) -> None:
    export = export_catalogue(shipped, german, NOW)
    assert hsds_problems(export.tables) == []
    assert len(export.tables["services"]) == len(shipped.services)
    assert len(export.tables["organizations"]) == len(shipped.services)
    with_location = [s for s in shipped.services if s.location is not None]
    assert len(export.tables["locations"]) == len(with_location)
    assert len(export.tables["phones"]) == sum(1 for s in shipped.services if s.phone)


def test_tafel_linden_field_by_field(valid: Catalogue, german: Translator) -> None:
    export = export_catalogue(valid, german, NOW)
    ids = {
        kind: str(uuid.uuid5(uuid.UUID("e737e4a7-7b4e-4cef-af85-106bfcb390db"), name))
        for kind, name in [
            ("service", "Hannover/service/tafel-linden"),
            ("organization", "Hannover/organization/tafel-linden"),
            ("location", "Hannover/location/tafel-linden"),
        ]
    }
    service = ids["service"]
    assert export.tables["services"] == [
        {
            "id": service,
            "organization_id": ids["organization"],
            "name": "Tafel Linden",
            "description": "Lebensmittel für wenig Geld.",
            "url": "https://example.org",
            "status": "active",
            "assured_date": "2026-10-01",
        }
    ]
    assert export.tables["organizations"] == [
        {
            "id": ids["organization"],
            "name": "Tafel Linden",
            "description": "Lebensmittel für wenig Geld.",
            "website": "https://example.org",
        }
    ]
    assert export.tables["locations"] == [
        {
            "id": ids["location"],
            "location_type": "physical",
            "organization_id": ids["organization"],
            "name": "Tafel Linden",
            "latitude": 52.366,
            "longitude": 9.717,
        }
    ]
    [address] = export.tables["addresses"]
    assert {k: v for k, v in address.items() if k != "id"} == {
        "location_id": ids["location"],
        "address_1": "Limmerstraße 1",
        "city": "Hannover",
        "state_province": "Niedersachsen",
        "postal_code": "30451",
        "country": "DE",
        "address_type": "physical",
    }
    [at_location] = export.tables["service_at_locations"]
    assert (at_location["service_id"], at_location["location_id"]) == (service, ids["location"])
    [phone] = export.tables["phones"]
    assert {k: v for k, v in phone.items() if k != "id"} == {
        "service_id": service,
        "number": "+49 511 123456",
        "type": "voice",
    }
    [schedule] = export.tables["schedules"]
    assert {k: v for k, v in schedule.items() if k != "id"} == {
        "service_id": service,
        "description": "Di, Do 10:00–13:00; an Feiertagen geschlossen",
        "notes": "OpenStreetMap opening_hours: Tu,Th 10:00-13:00; PH off",
        "freq": "WEEKLY",
        "wkst": "MO",
        "byday": "TU,TH",
        "opens_at": "10:00",
        "closes_at": "13:00",
    }
    [cost] = export.tables["cost_options"]
    assert {k: v for k, v in cost.items() if k != "id"} == {
        "service_id": service,
        "option": "Reduced price for people with little money",
    }
    assert export.tables["languages"] == []
    assert export.tables["accessibility"] == []
    assert export.tables["required_documents"] == []
    assert hsds_problems(export.tables) == []


def test_shipped_services_field_by_field(shipped: Catalogue, german: Translator) -> None:
    """Languages, accessibility, "free", documents and e-mail, each on a service that has it."""
    export = export_catalogue(shipped, german, NOW)

    def rows(table: str, field: str, service_id: str) -> list[dict[str, Any]]:
        return [row for row in export.tables[table] if row[field] == service_id]

    def first(**wanted: Any) -> Service:
        return next(s for s in shipped.services if all(f(s) for f in wanted.values()))

    speaks = first(languages=lambda s: s.languages)
    service_id = stable_id(shipped, "service", speaks.id)
    [row] = rows("services", "id", service_id)
    assert (row["name"], row["description"]) == (
        shipped.text(speaks.name, "de"),
        shipped.text(speaks.summary, "de"),
    )
    languages = rows("languages", "service_id", service_id)
    assert [r["code"] for r in languages] == list(speaks.languages)
    assert all(r["name"] and r["name"] != r["code"] for r in languages)

    accessible = first(access=lambda s: s.accessibility, place=lambda s: s.location)
    access = rows("accessibility", "location_id", stable_id(shipped, "location", accessible.id))
    assert [r["details"] for r in access] == list(accessible.accessibility)

    free = first(cost=lambda s: s.cost == "free")
    [cost] = rows("cost_options", "service_id", stable_id(shipped, "service", free.id))
    assert (cost["amount"], cost["currency"], cost["option"]) == (0, "EUR", "Free of charge")

    needs_papers = first(documents=lambda s: s.documents)
    [document] = rows(
        "required_documents", "service_id", stable_id(shipped, "service", needs_papers.id)
    )
    assert document["document"] == shipped.text(needs_papers.documents, "de")

    mailed = first(email=lambda s: s.email)
    [row] = rows("services", "id", stable_id(shipped, "service", mailed.id))
    assert row["email"] == mailed.email


def test_ids_are_stable_across_exports(valid: Catalogue, german: Translator) -> None:
    first = export_catalogue(valid, german, NOW).tables
    again = export_catalogue(valid, german, NOW).tables
    assert first == again
    assert all(uuid.UUID(row["id"]).version == 5 for rows in first.values() for row in rows)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("Tu,Th 10:00-13:00; PH off", [((1, 3), time(10), time(13))]),
        (
            "Mo-Fr 09:00-12:00,13:00-16:00; Sa 10:00-12:00",
            [
                ((0, 1, 2, 3, 4), time(9), time(12)),
                ((0, 1, 2, 3, 4), time(13), time(16)),
                ((5,), time(10), time(12)),
            ],
        ),
        ("Mo-Su 17:00-09:00", [((0, 1, 2, 3, 4, 5, 6), time(17), time(9))]),
        ('Mo 10:00-12:00 "nur mit Termin"', [((0,), time(10), time(12))]),
        ("Nov 01-Mar 31: Mo-Su 17:00-09:00", None),
        ("Mo-Fr 09:00-17:00; Jul off", None),
        ("week 1-53/2 Mo 10:00-12:00", None),
        ("24/7", None),
        ("Mo 10:00-12:00 unknown", None),
        ("off", None),
    ],
)  # fmt: skip
def test_weekly_openings(
    expression: str, expected: list[tuple[tuple[int, ...], time, time]] | None
) -> None:
    openings = weekly_openings(expression)
    if expected is None:
        assert openings is None
    else:
        assert openings == tuple(WeeklyOpening(*opening) for opening in expected)


def test_complex_hours_become_one_described_schedule(tmp_path: Path, german: Translator) -> None:
    text = VALID.read_text(encoding="utf-8").replace(
        '"Tu,Th 10:00-13:00; PH off"', '"Nov 01-Mar 31: Mo-Su 17:00-09:00"'
    )
    path = tmp_path / "services.yaml"
    path.write_text(text, encoding="utf-8")
    export = export_catalogue(load_catalogue(path).catalogue, german, NOW)
    [schedule] = export.tables["schedules"]
    assert "byday" not in schedule and "opens_at" not in schedule
    assert schedule["description"].startswith("1. Nov.")
    assert schedule["description"].endswith("31. März: täglich 17:00–09:00")
    assert hsds_problems(export.tables) == []


def test_export_command_writes_one_file_per_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "hsds"
    code = main(["export", "--format", "hsds", "--out", str(out), "--services", str(SHIPPED)])
    assert code == EXIT_OK
    services = len(load_catalogue(SHIPPED).catalogue.services)
    assert capsys.readouterr().out == (
        f"{out}: wrote {services} services as HSDS 3.0 (12 files, index in datapackage.json).\n"
    )
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{table}.json" for table in TABLES] + ["datapackage.json"]
    )
    tables = {table: json.loads((out / f"{table}.json").read_text()) for table in TABLES}
    assert hsds_problems(tables) == []
    index = json.loads((out / "datapackage.json").read_text())
    assert [(r["name"], r["path"], r["count"]) for r in index["resources"]] == [
        (table, f"{table}.json", len(tables[table])) for table in TABLES
    ]
    assert "local time in Europe/Berlin" in index["description"]


def test_export_refuses_a_broken_catalogue(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = ROOT / "tests" / "catalogues" / "broken" / "bad-phone.yaml"
    code = main(["export", "--out", str(tmp_path / "hsds"), "--services", str(broken)])
    assert code == EXIT_REFUSED
    assert "refused with 1 error(s)" in capsys.readouterr().err
    assert not (tmp_path / "hsds").exists()


def test_export_into_a_file_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    existing = tmp_path / "notes.txt"
    existing.write_text("keep me", encoding="utf-8")
    code = main(["export", "--out", str(existing), "--services", str(SHIPPED)])
    assert code == EXIT_USAGE
    assert capsys.readouterr().err == f"usage error: {existing} is a file; --out names a folder\n"
    assert existing.read_text(encoding="utf-8") == "keep me"


@large
def test_a_large_catalogue_exports_valid_hsds(german: Translator) -> None:
    """All 10,000 services: unique ids and links everywhere, schema rows for the first 300."""
    catalogue = large_catalogue()
    export = export_catalogue(catalogue, german, NOW)
    assert len(export.tables["services"]) == 10_000
    assert hsds_problems(export.tables, limit=300) == []
