"""Turn ``services.yaml`` into a :class:`~bot.catalogue.model.Catalogue`, or say exactly why not.

Every finding names the file, the line, the service (or category) id, the field and a fix,
because the people who edit the catalogue are social workers, not programmers. Services and
categories are validated one by one so that one mistake does not hide the next: staff see all
errors of a file at once; then the rules across entries run (:mod:`bot.catalogue.checks`).
Errors refuse the file; warnings (stale entries, missing translations) let it load.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from bot.catalogue.checks import CrossChecks, nearest
from bot.catalogue.model import (
    Catalogue,
    Category,
    Crisis,
    District,
    Location,
    Region,
    Service,
)
from bot.catalogue.yamlsource import Path_, YamlDocument, YamlSourceError, read_yaml

SUPPORTED_VERSION = 1

Level = Literal["error", "warning", "note"]
"""A note adds a second place to an error (the block a syntax error sits in); it counts as
neither."""
ModelT = TypeVar("ModelT", bound=BaseModel)
EntryT = TypeVar("EntryT", Category, Service)

TOP_LEVEL_FIELDS = ("version", "region", "crisis", "categories", "services")
_ALL_FIELDS = sorted(
    {
        *TOP_LEVEL_FIELDS,
        *Region.model_fields,
        *District.model_fields,
        *Crisis.model_fields,
        *Category.model_fields,
        *Service.model_fields,
        *Location.model_fields,
        "from",
        "until",
        "text",
    }
)

_EXAMPLES = {
    "id": "id: tafel-linden",
    "name": 'name: {de: "Tafel Linden"}',
    "categories": "categories: [food]",
    "summary": 'summary: {de: "Lebensmittel für wenig Geld."}',
    "version": "version: 1",
    "region": "region: (name, country, timezone, default_language)",
    "country": "country: DE",
    "timezone": "timezone: Europe/Berlin",
    "default_language": "default_language: de",
    "services": "services: (a list of services)",
    "center": "center: [52.3745, 9.7386]",
}


@dataclass(frozen=True)
class Finding:
    """One problem in the catalogue, located precisely enough to fix it without help."""

    level: Level
    file: str
    line: int
    message: str
    service: str | None = None
    field: str | None = None
    detail: bool = False
    """Part of a summary that ``--verbose`` expands; hidden otherwise."""

    def format(self) -> str:
        """``FILE:LINE: level: message``, the form editors and CI logs link to."""
        where = []
        if self.service:
            where.append(f"`{self.service}`")
        if self.field:
            where.append(f"field `{self.field}`")
        prefix = (", ".join(where) + ": ") if where else ""
        return f"{self.file}:{self.line}: {self.level}: {prefix}{self.message}"

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of ``validate --json``."""
        data = asdict(self)
        del data["detail"]
        return data


class CatalogueError(Exception):
    """The catalogue file was refused; ``findings`` lists every error (and the warnings)."""

    def __init__(self, path: Path, findings: list[Finding]) -> None:
        self.path = path
        self.findings = findings
        errors = [f for f in findings if f.level == "error"]
        super().__init__(
            f"{path}: refused with {len(errors)} error(s): "
            + "; ".join(f.format() for f in errors[:3])
        )

    @property
    def errors(self) -> list[Finding]:
        """Only the findings that refuse the file."""
        return [f for f in self.findings if f.level == "error"]


@dataclass(frozen=True)
class LoadedCatalogue:
    """A catalogue that loaded, with the warnings staff should still look at."""

    catalogue: Catalogue
    findings: list[Finding]


def load_catalogue(
    path: Path, *, today: date | None = None, ui_languages: Sequence[str] = ()
) -> LoadedCatalogue:
    """Load and validate ``path``; raises :class:`CatalogueError` when it must be refused.

    Pure function of the file (and of ``today``, which decides what counts as stale).
    """
    catalogue, findings = check_catalogue(path, today=today, ui_languages=ui_languages)
    if catalogue is None:
        raise CatalogueError(path, findings)
    return LoadedCatalogue(catalogue, findings)


def check_catalogue(
    path: Path, *, today: date | None = None, ui_languages: Sequence[str] = ()
) -> tuple[Catalogue | None, list[Finding]]:
    """Every finding for ``path`` and the catalogue if there was no error."""
    checker = _Checker(path, today or date.today(), tuple(ui_languages))
    catalogue = checker.run()
    if any(f.level == "note" for f in checker.findings):
        return catalogue, checker.findings  # a syntax error, then its note, in that order
    findings = sorted(checker.findings, key=lambda f: (f.line, f.level != "error", f.detail))
    return catalogue, findings


class _Checker:
    """One validation run; collects findings instead of stopping at the first."""

    def __init__(self, path: Path, today: date, ui_languages: tuple[str, ...]) -> None:
        self.path = path
        self.file = str(path)
        self.today = today
        self.ui_languages = ui_languages
        self.findings: list[Finding] = []
        self.doc = YamlDocument(data=None, lines={})

    # -- reporting -------------------------------------------------------------------------

    def add(
        self,
        level: Level,
        where: Path_,
        message: str,
        *,
        owner: str | None = None,
        field: str | None = None,
        detail: bool = False,
    ) -> None:
        self.findings.append(
            Finding(level, self.file, self.doc.line_of(where), message, owner, field, detail)
        )

    def add_validation_error(self, exc: ValidationError, base: Path_, owner: str | None) -> None:
        for error in exc.errors(include_url=False):
            loc = tuple(part for part in error["loc"] if part != "[key]")
            path = (*base, *loc)
            names = [str(p) for p in loc if isinstance(p, str)]
            field = ".".join(names) or None
            self.add("error", path, _explain(error, names), owner=owner, field=field)

    # -- the run ---------------------------------------------------------------------------

    def run(self) -> Catalogue | None:
        try:
            self.doc = read_yaml(self.path)
        except YamlSourceError as exc:
            self.findings.append(Finding("error", self.file, exc.line, exc.message))
            if exc.context_line is not None:
                self.findings.append(Finding("note", self.file, exc.context_line, exc.context))
            return None
        data = self.doc.data
        if not isinstance(data, dict):
            self.add(
                "error",
                (),
                "the file must start with `version: 1` followed by `region:`, `categories:` "
                "and `services:`; see docs/catalogue.md",
            )
            return None
        self.check_top_level(data)
        region = self.validate(Region, data.get("region"), ("region",), None, required=True)
        context = {
            "default_language": region.default_language if region else "de",
            "country": region.country if region else "DE",
        }
        crisis = self.validate(Crisis, data.get("crisis") or {}, ("crisis",), None, context)
        categories = self.validate_list(Category, data, "categories", context)
        services = self.validate_list(Service, data, "services", context)
        self.check_ids(categories, "categories")
        self.check_ids(services, "services")
        if region is not None:
            checks = CrossChecks(self.add, self.doc, self.today, self.ui_languages)
            checks.check_services(region, categories, services)
        if any(f.level == "error" for f in self.findings):
            return None
        assert region is not None and crisis is not None
        return Catalogue(
            version=SUPPORTED_VERSION,
            region=region,
            crisis=crisis,
            categories=tuple(c for _, c in categories),
            services=tuple(s for _, s in services),
        )

    def check_top_level(self, data: dict[str, Any]) -> None:
        for key in data:
            if key not in TOP_LEVEL_FIELDS:
                hint = nearest(key, TOP_LEVEL_FIELDS)
                fix = (
                    f" — did you mean `{hint}`?"
                    if hint
                    else (f"; the file has only {', '.join(TOP_LEVEL_FIELDS)} at the top")
                )
                self.add("error", (key,), f"unknown field `{key}`{fix}", field=key)
        version = data.get("version")
        if "version" not in data:
            self.add("error", (), "the file has no `version`; add `version: 1` as the first line")
        elif version != SUPPORTED_VERSION or isinstance(version, bool):
            self.add(
                "error",
                ("version",),
                f"`version: {version}` is not supported; this Wegweiser reads `version: 1`. "
                "Write `version: 1` or ask the developers for an update",
                field="version",
            )
        for key in ("categories", "services"):
            if key not in data:
                self.add("error", (), f"the file has no `{key}:` list; add it", field=key)

    def validate(
        self,
        model: type[ModelT],
        value: Any,
        path: Path_,
        owner: str | None,
        context: dict[str, Any] | None = None,
        *,
        required: bool = False,
    ) -> ModelT | None:
        if value is None and required:
            self.add(
                "error",
                path,
                f"the file has no `{path[-1]}:` section; add it ({_EXAMPLES.get(str(path[-1]))})",
                field=str(path[-1]),
            )
            return None
        try:
            return model.model_validate(value, context=context)
        except ValidationError as exc:
            self.add_validation_error(exc, path, owner)
            return None

    def validate_list(
        self, model: type[EntryT], data: dict[str, Any], key: str, context: dict[str, Any]
    ) -> list[tuple[int, EntryT]]:
        items = data.get(key)
        if items is None:
            return []
        if not isinstance(items, list):
            self.add(
                "error",
                (key,),
                f"`{key}` must be a list: each entry starts on its own line with `- id: …`",
                field=key,
            )
            return []
        valid: list[tuple[int, EntryT]] = []
        for index, item in enumerate(items):
            owner = item.get("id") if isinstance(item, dict) else None
            owner_label = str(owner) if owner is not None else f"{key} entry {index + 1}"
            parsed = self.validate(model, item, (key, index), owner_label, context)
            if parsed is not None:
                valid.append((index, parsed))
        return valid

    def check_ids(
        self, items: list[tuple[int, Category]] | list[tuple[int, Service]], key: str
    ) -> None:
        first: dict[str, int] = {}
        for index, item in items:
            if item.id in first:
                line = self.doc.line_of((key, first[item.id], "id"))
                self.add(
                    "error",
                    (key, index, "id"),
                    f"the id `{item.id}` is already used by the entry on line {line}; "
                    "ids must be unique: give this one another id",
                    owner=item.id,
                    field="id",
                )
            else:
                first[item.id] = index


def _explain(error: Any, names: list[str]) -> str:
    """Rewrite a pydantic error as one sentence with a fix, for people who do not read code."""
    kind = error["type"]
    field = names[-1] if names else "value"
    value = error.get("input")
    shown = value if isinstance(value, str | int | float | bool) else None
    ctx = error.get("ctx") or {}
    if kind == "wegweiser":
        return str(ctx["message"])
    if kind == "missing":
        example = _EXAMPLES.get(field)
        return f"the required field `{field}` is missing; add it" + (
            f", for example `{example}`" if example else ""
        )
    if kind == "extra_forbidden":
        hint = nearest(field, _ALL_FIELDS)
        fix = f" — did you mean `{hint}`?" if hint else "; remove it (see docs/catalogue.md)"
        return f"unknown field `{field}`{fix}"
    if kind in ("literal_error", "enum"):
        allowed = ", ".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
        return f"`{shown}` is not allowed for `{field}`; use one of: {allowed}"
    if kind in ("bool_type", "bool_parsing"):
        return f"`{field}` must be true or false, not `{shown}`"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"`{shown}` is not a valid date; write it as YYYY-MM-DD, for example `2026-10-01`"
    if kind in ("greater_than_equal", "less_than_equal"):
        # A location's `lon`, or the second number of a `center: [lat, lon]` pair.
        axis = "longitude" if field == "lon" or error["loc"][-1:] == (1,) else "latitude"
        limit = 180 if axis == "longitude" else 90
        return (
            f"`{shown}` is not a {axis}: it lies between -{limit} and {limit} "
            "(Hannover is at 52.37, 9.74). Check for a misplaced decimal point"
        )
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type"):
        return f"`{shown}` must be a number such as 52.3745"
    if kind in ("string_type",):
        return f"`{field}` must be text; put it in quotes"
    if kind == "too_short":
        example = _EXAMPLES.get(field)
        return f"`{field}` must not be empty" + (f", for example `{example}`" if example else "")
    if kind in ("list_type", "tuple_type"):
        return f"`{field}` must be a list, for example `[a, b]`"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return (
            f"`{field}` must be a block of `key: value` lines (or, for a text, one line per "
            "language such as `de: …`)"
        )
    if kind == "too_long":
        return f"`{field}` has too many values"
    return f"{error['msg']} (`{field}`)"
