"""The validator against one small broken catalogue per error kind, plus the warnings."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from bot.catalogue.validation import CatalogueError, Finding, check_catalogue, load_catalogue
from bot.catalogue.yamlsource import MAX_FILE_BYTES

CATALOGUES = Path(__file__).parent / "catalogues"
BROKEN = CATALOGUES / "broken"
TODAY = date(2026, 11, 21)


def errors_of(path: Path) -> list[Finding]:
    catalogue, findings = check_catalogue(path, today=TODAY, ui_languages=("de", "en"))
    assert catalogue is None, "a broken file must be refused"
    return [f for f in findings if f.level == "error"]


# (file in tests/catalogues/broken/, line, service or category id, field, words of the fix)
BROKEN_CASES = [
    ("yaml-syntax", 29, None, None, "did not find expected ',' or '}'. Check this line"),
    ("yaml-tab-indent", 30, None, None, "indented with a tab; YAML needs spaces"),
    ("wrong-version", 3, None, "version", "this Wegweiser reads `version: 1`"),
    ("missing-version", 3, None, None, "add `version: 1` as the first line"),
    ("unknown-service-field", 34, "tafel-linden", "openinghours", "did you mean `opening_hours`?"),
    ("unknown-top-level-field", 15, None, "crisiss", "did you mean `crisis`?"),
    ("unknown-location-field", 33, "tafel-linden", "location.adress", "did you mean `address`?"),
    ("missing-required-field", 25, "tafel-linden", "summary", "the required field `summary`"),
    ("missing-region-field", 4, None, "timezone", "for example `timezone: Europe/Berlin`"),
    ("wrong-enum-cost", 30, "tafel-linden", "cost", "use one of: free, reduced, paid"),
    ("wrong-enum-appointment", 31, "tafel-linden", "appointment", "none, recommended, required"),
    ("wrong-enum-audience", 30, "tafel-linden", "audience", "use one of: everyone, families"),
    ("duplicate-service-id", 38, "tafel-linden", "id", "already used by the entry on line 25"),
    ("duplicate-key", 31, None, None, "appears twice in the same entry (first on line 30)"),
    ("bad-id", 25, "Tafel_Linden", "id", "(for example `tafel-linden`)"),
    ("unknown-category", 27, "tafel-linden", "categories", "did you mean `food`?"),
    ("default-language-missing", 22, "food", "name", "has no `de` version"),
    ("bad-phone", 35, "tafel-linden", "phone", "not a valid phone number in DE"),
    ("bad-opening-hours", 34, "tafel-linden", "opening_hours", "weekdays are English: Mo Tu"),
    ("latitude-out-of-range", 33, "tafel-linden", "location.lat", "between -90 and 90"),
    ("longitude-out-of-range", 33, "tafel-linden", "location.lon", "between -180 and 180"),
    ("lat-without-lon", 33, "tafel-linden", "location", "add `lon`"),
    ("http-website", 36, "tafel-linden", "website", "starting with https://"),
    ("malformed-date", 37, "tafel-linden", "last_verified", "YYYY-MM-DD"),
    ("malformed-date-text", 37, "tafel-linden", "last_verified", "YYYY-MM-DD"),
    ("bad-timezone", 7, None, "timezone", "such as Europe/Berlin"),
    ("unknown-state", 9, None, "state", "`XX` is not a state of DE; use one of BB, BE,"),
    ("unknown-country", 6, None, "country", "no public holiday calendar is known for `ZZ`"),
    ("center-longitude-out-of-range", 10, None, "center", "not a longitude"),
    ("unknown-need", 30, "tafel-linden", "needs", "`frisör` is not a need Wegweiser knows"),
    ("wrong-bool", 32, "tafel-linden", "anonymous", "must be true or false"),
    ("not-a-mapping", 2, None, None, "must start with `version: 1`"),
    ("alias-bomb", 9, None, None, "Write entries out in full"),
]


@pytest.mark.parametrize(
    ("name", "line", "owner", "field", "fix"), BROKEN_CASES, ids=[c[0] for c in BROKEN_CASES]
)
def test_broken_catalogue_names_line_owner_field_and_fix(
    name: str, line: int, owner: str | None, field: str | None, fix: str
) -> None:
    path = BROKEN / f"{name}.yaml"
    errors = errors_of(path)
    assert len(errors) == 1, [e.format() for e in errors]
    (error,) = errors
    assert (error.file, error.line, error.service, error.field) == (str(path), line, owner, field)
    assert fix in error.message


def test_every_broken_file_is_covered() -> None:
    assert {p.stem for p in BROKEN.glob("*.yaml")} == {c[0] for c in BROKEN_CASES}


def test_valid_catalogue_loads_without_findings() -> None:
    loaded = load_catalogue(CATALOGUES / "valid.yaml", today=TODAY, ui_languages=("de", "en"))
    assert loaded.findings == []
    service = loaded.catalogue.services_by_id["tafel-linden"]
    assert service.cost == "reduced"
    assert loaded.catalogue.text(service.summary, "uk") == "Food for little money."


def test_yaml_boolean_words_stay_language_codes() -> None:
    catalogue = load_catalogue(CATALOGUES / "valid.yaml", today=TODAY).catalogue
    assert catalogue.crisis.keywords["no"] == ("selvmord",)
    keywords = catalogue.services_by_id["tafel-linden"].keywords
    assert set(keywords) == {"de", "no", "on"}


def test_load_refuses_with_named_exception() -> None:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(BROKEN / "bad-phone.yaml", today=TODAY)
    assert [e.line for e in caught.value.errors] == [35]


def test_all_errors_of_a_file_are_reported_at_once(tmp_path: Path) -> None:
    text = (CATALOGUES / "valid.yaml").read_text()
    text = text.replace("cost: reduced", "cost: gratis").replace('"0511 123456"', '"12"')
    path = tmp_path / "services.yaml"
    path.write_text(text)
    assert [(e.line, e.field) for e in errors_of(path)] == [(29, "cost"), (34, "phone")]


def test_too_large_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "services.yaml"
    path.write_text((CATALOGUES / "valid.yaml").read_text())
    os.truncate(path, 50 * 1024 * 1024)  # 50 MB of nothing: sparse, no disk is used
    (error,) = errors_of(path)
    assert error.message.startswith(
        "services.yaml is 50.0 MB; a catalogue is at most 24 MB (about 10,000 services)"
    )


def test_a_file_just_under_the_cap_is_read(tmp_path: Path) -> None:
    path = tmp_path / "services.yaml"
    text = (CATALOGUES / "valid.yaml").read_text()
    path.write_text(text + "#" * (MAX_FILE_BYTES - len(text.encode()) - 1) + "\n")
    assert path.stat().st_size == MAX_FILE_BYTES
    assert load_catalogue(path).catalogue is not None


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "services.yaml"
    path.write_text("version: 1\nloop: &a [1, *a]\n")
    (error,) = errors_of(path)
    assert "refers to the entry that contains it" in error.message


def test_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "services.yaml"
    path.write_bytes((CATALOGUES / "valid.yaml").read_text().encode("latin-1", "replace"))
    (error,) = errors_of(path)
    assert "not UTF-8" in error.message


def write_variant(tmp_path: Path, old: str, new: str) -> Path:
    text = (CATALOGUES / "valid.yaml").read_text()
    assert old in text
    path = tmp_path / "services.yaml"
    path.write_text(text.replace(old, new))
    return path


def warnings_of(path: Path, ui_languages: tuple[str, ...] = ("de", "en")) -> list[Finding]:
    catalogue, findings = check_catalogue(path, today=TODAY, ui_languages=ui_languages)
    assert catalogue is not None, [f.format() for f in findings]
    return [f for f in findings if f.level == "warning"]


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "words"),
    [
        ("lat: 52.366", "lat: 53.366", 32, "location.lat", "110 km from the centre of Hannover"),
        ("    last_verified: 2026-10-01\n", "", 24, "last_verified", "has no `last_verified`"),
        (
            "last_verified: 2026-10-01",
            "last_verified: 2025-01-01",
            36,
            "last_verified",
            "more than 12 months ago",
        ),
        (
            "last_verified: 2026-10-01",
            "last_verified: 2062-10-01",
            36,
            "last_verified",
            "`2062-10-01` is in the future",
        ),
        (
            "district: Linden,",
            "district: Lindn,",
            32,
            "location.district",
            "did you mean `Linden`?",
        ),
    ],
)
def test_warnings_name_line_and_fix(
    tmp_path: Path, old: str, new: str, line: int, field: str, words: str
) -> None:
    (warning,) = warnings_of(write_variant(tmp_path, old, new))
    assert (warning.line, warning.service, warning.field) == (line, "tafel-linden", field)
    assert words in warning.message


def test_warning_for_unreachable_service(tmp_path: Path) -> None:
    text = (CATALOGUES / "valid.yaml").read_text()
    for line in ("    location:", "    phone:", "    website:"):
        text = "\n".join(t for t in text.splitlines() if not t.startswith(line)) + "\n"
    path = tmp_path / "services.yaml"
    path.write_text(text)
    (warning,) = warnings_of(path)
    assert "no way to reach it" in warning.message


def test_warning_for_duplicate_phone(tmp_path: Path) -> None:
    text = (CATALOGUES / "valid.yaml").read_text() + (
        "  - id: tafel-linden-2\n    name: Tafel Linden 2\n    categories: [food]\n"
        '    summary: {de: "Essen.", en: "Food."}\n    phone: "+49 511 123456"\n'
        "    last_verified: 2026-10-01\n"
    )
    path = tmp_path / "services.yaml"
    path.write_text(text)
    (warning,) = warnings_of(path)
    assert (warning.service, warning.line) == ("tafel-linden-2", 41)
    assert "also given for `tafel-linden` (line 34)" in warning.message


def test_missing_translations_summarised_per_language(tmp_path: Path) -> None:
    findings = warnings_of(CATALOGUES / "valid.yaml", ui_languages=("de", "en", "uk", "ar"))
    summary = [f.message for f in findings if not f.detail]
    assert summary == [
        "2 text(s) have no `uk` translation; readers of `uk` see English instead "
        "(run with --verbose to list them)",
        "2 text(s) have no `ar` translation; readers of `ar` see English instead "
        "(run with --verbose to list them)",
    ]
    details = [(f.line, f.service, f.field) for f in findings if f.detail]
    assert sorted(set(details)) == [(21, "food", "name"), (27, "tafel-linden", "summary")]
