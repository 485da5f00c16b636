"""``python -m bot schema`` and ``docs/services.schema.json``: the catalogue as editors see it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from large_catalogue import large, large_catalogue_data

from bot.catalogue.schema import SCHEMA_DIALECT, SCHEMA_ID, catalogue_schema
from bot.catalogue.yamlsource import read_yaml
from bot.cli import EXIT_OK, main

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = ROOT / "docs" / "services.schema.json"
SHIPPED = ROOT / "services.yaml"
CATALOGUES = ROOT / "tests" / "catalogues"
MODELINE = "# yaml-language-server: $schema=./docs/services.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def errors(validator: jsonschema.Draft202012Validator, data: Any) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(data)
    ]


def test_schema_command_prints_the_committed_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == EXIT_OK
    printed = capsys.readouterr().out
    assert printed == SCHEMA_FILE.read_text(encoding="utf-8"), (
        "docs/services.schema.json is out of date: run "
        "`python -m bot schema > docs/services.schema.json`"
    )


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = catalogue_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert (schema["$schema"], schema["$id"]) == (SCHEMA_DIALECT, SCHEMA_ID)
    assert schema["title"] == "Wegweiser service catalogue (services.yaml)"
    assert schema["properties"]["version"]["const"] == 1
    assert schema["required"] == ["version", "region", "categories", "services"]


def test_every_field_has_a_description() -> None:
    """Editors show the description on hover; a field without one is a field staff guess at."""
    schema = catalogue_schema()
    models = {"Catalogue": schema, **schema["$defs"]}
    missing = [
        f"{name}.{field}"
        for name, model in models.items()
        for field, field_schema in model.get("properties", {}).items()
        if not field_schema.get("description")
    ]
    assert missing == []


def test_the_shipped_catalogue_names_the_schema() -> None:
    first_line = SHIPPED.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == MODELINE, f"services.yaml must start with the line {MODELINE!r}"


@pytest.mark.parametrize("path", [SHIPPED, CATALOGUES / "valid.yaml"], ids=lambda p: p.name)
def test_catalogues_that_load_fit_the_schema(
    validator: jsonschema.Draft202012Validator, path: Path
) -> None:
    assert errors(validator, read_yaml(path).data) == []


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("name: Tafel Linden", None),
        ("name: {de: Tafel Linden, en: Food bank Linden}", None),
        ("name: {de: ''}", "services/0/name"),
        ("keywords: {de: tafel}", None),
        ("keywords: {de: [tafel, essen], no: [mat]}", None),
        ("keywords: {German: [tafel]}", "services/0/keywords"),
        ("website: http://example.org", "services/0/website"),
        ("email: info(at)example.org", "services/0/email"),
        ("cost: cheap", "services/0/cost"),
        ("openinghours: Mo 10:00-12:00", "services/0"),
        ("languages: [Deutsch]", "services/0/languages/0"),
        ("categories: []", "services/0/categories"),
        ("id: Tafel_Linden", "services/0/id"),
        ("last_verified: 2026-10-01", None),
        ("location: {address: Limmerstraße 1, lat: 52.36, lon: 190}", "services/0/location"),
    ],
)
def test_the_schema_checks_service_fields(
    tmp_path: Path, validator: jsonschema.Draft202012Validator, text: str, where: str | None
) -> None:
    """One field of a valid service changed at a time, as staff would type it."""
    key = text.split(":", 1)[0]
    lines = (CATALOGUES / "valid.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index("  - id: tafel-linden")
    service = [line for line in lines[start:] if not line.startswith(f"    {key}:")]
    if key == "id":
        service[0] = "  - " + text
    else:
        service.insert(1, f"    {text}")
    path = tmp_path / "services.yaml"
    path.write_text("\n".join(lines[:start] + service) + "\n", encoding="utf-8")
    found = errors(validator, read_yaml(path).data)
    assert [error.split(": ", 1)[0] for error in found] == ([where] if where else [])


@pytest.mark.parametrize(
    "name",
    [
        "bad-id.yaml",
        "http-website.yaml",
        "missing-version.yaml",
        "wrong-version.yaml",
        "unknown-top-level-field.yaml",
        "unknown-service-field.yaml",
        "unknown-location-field.yaml",
        "missing-required-field.yaml",
        "wrong-enum-cost.yaml",
        "wrong-enum-audience.yaml",
        "wrong-bool.yaml",
        "latitude-out-of-range.yaml",
    ],
)
def test_broken_shapes_are_flagged_in_the_editor(
    validator: jsonschema.Draft202012Validator, name: str
) -> None:
    assert errors(validator, read_yaml(CATALOGUES / "broken" / name).data) != []


@large
def test_a_generated_large_catalogue_fits_the_schema(
    validator: jsonschema.Draft202012Validator,
) -> None:
    data = large_catalogue_data()
    assert len(data["services"]) == 10_000
    assert errors(validator, data) == []
