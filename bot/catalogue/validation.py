"""Turn ``services.yaml`` into a :class:`~bot.catalogue.model.Catalogue`, or say exactly why not.

Every finding names the file, the line, the service (or category) id, the field and a fix,
because the people who edit the catalogue are social workers, not programmers. Services and
categories are validated one by one so that one mistake does not hide the next: staff see all
errors of a file at once. Errors refuse the file; warnings (stale entries, missing
translations) let it load.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal, TypeVar

import phonenumbers
from pydantic import BaseModel, ValidationError

from bot.catalogue.model import (
    Catalogue,
    Category,
    Crisis,
    District,
    LocalizedText,
    Location,
    Region,
    Service,
)
from bot.catalogue.yamlsource import Path_, YamlDocument, YamlSourceError, read_yaml
from bot.geo import distance_m

SUPPORTED_VERSION = 1

FAR_FROM_CENTER_M = 50_000
"""A city's services lie within 50 km of its centre (Region Hannover spans about 60 km); farther
means swapped or mistyped coordinates."""

STALE_AFTER = timedelta(days=365)
"""Services change hours and phone numbers about yearly; older entries need a call."""
STALE_AFTER_WORDS = "12 months"
"""STALE_AFTER as staff read it in warnings and reports."""


def is_stale(last_verified: date | None, today: date) -> bool:
    """Whether an entry is due for a call: never checked, or not for STALE_AFTER."""
    return last_verified is None or today - last_verified > STALE_AFTER


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
    }
)

_TEXT_FIELDS = ("summary", "documents", "hours_note")
"""Service texts people read; names stay as the organisations write them."""

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


def nearest(name: str, candidates: Iterable[str]) -> str | None:
    """The closest known name, for "did you mean …?" hints."""
    options = list(candidates)
    squashed = {re.sub(r"[^a-z0-9]", "", c.lower()): c for c in options}
    key = re.sub(r"[^a-z0-9]", "", name.lower())
    if key in squashed:
        return squashed[key]
    match = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    return match[0] if match else None


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
            self.check_services(region, categories, services)
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

    def check_services(
        self,
        region: Region,
        categories: list[tuple[int, Category]],
        services: list[tuple[int, Service]],
    ) -> None:
        # Ids of categories that failed validation still count, so one mistake in a category
        # does not turn every service that uses it into a second, misleading error.
        raw = self.doc.data.get("categories") if isinstance(self.doc.data, dict) else None
        category_ids = [
            str(item["id"])
            for item in (raw if isinstance(raw, list) else [])
            if isinstance(item, dict) and "id" in item
        ]
        district_names = [d.name for d in region.districts] + [
            a for d in region.districts for a in d.aliases
        ]
        phones: dict[str, tuple[str, int]] = {}
        missing_texts: dict[str, list[tuple[Path_, str, str]]] = {}
        for index, category in categories:
            self.note_missing(
                missing_texts, ("categories", index, "name"), category.id, "name", category.name
            )
        for index, service in services:
            base: Path_ = ("services", index)
            for position, category_id in enumerate(service.categories):
                if category_id not in category_ids:
                    hint = nearest(category_id, category_ids)
                    fix = (
                        f"did you mean `{hint}`?"
                        if hint
                        else ("use one of: " + ", ".join(category_ids))
                    )
                    self.add(
                        "error",
                        (*base, "categories", position),
                        f"the category `{category_id}` is not defined under `categories:`; {fix}",
                        owner=service.id,
                        field="categories",
                    )
            self.check_place(region, service, base, district_names)
            self.check_freshness(service, base)
            if not service.is_reachable:
                self.add(
                    "warning",
                    base,
                    "gives no way to reach it (no phone, email, website or location); "
                    "add at least one, or people cannot use it",
                    owner=service.id,
                )
            if service.phone:
                self.check_duplicate_phone(region, service, base, phones)
            for field in _TEXT_FIELDS:
                value = getattr(service, field)
                if value is not None:
                    self.note_missing(missing_texts, (*base, field), service.id, field, value)
        self.report_missing_texts(missing_texts, region.default_language)

    def check_place(
        self, region: Region, service: Service, base: Path_, district_names: list[str]
    ) -> None:
        location = service.location
        if location is None:
            return
        if location.district and region.districts and not region.find_district(location.district):
            hint = nearest(location.district, district_names)
            fix = f"did you mean `{hint}`?" if hint else "add it to `region.districts`"
            self.add(
                "warning",
                (*base, "location", "district"),
                f"the district `{location.district}` is not in `region.districts`; {fix}",
                owner=service.id,
                field="location.district",
            )
        if location.coordinates and region.center:
            far = distance_m(location.coordinates, region.center)
            if far > FAR_FROM_CENTER_M:
                self.add(
                    "warning",
                    (*base, "location", "lat"),
                    f"the coordinates are {far / 1000:.0f} km from the centre of {region.name}; "
                    "check `lat` and `lon` (swapped, or a digit wrong?)",
                    owner=service.id,
                    field="location.lat",
                )

    def check_freshness(self, service: Service, base: Path_) -> None:
        if service.last_verified is None:
            self.add(
                "warning",
                base,
                "has no `last_verified` date; after checking the entry with the service, add "
                f"`last_verified: {self.today.isoformat()}`",
                owner=service.id,
                field="last_verified",
            )
        elif service.last_verified > self.today:
            self.add(
                "warning",
                (*base, "last_verified"),
                f"`{service.last_verified.isoformat()}` is in the future; write the day the "
                f"entry was checked, for example `{self.today.isoformat()}`",
                owner=service.id,
                field="last_verified",
            )
        elif is_stale(service.last_verified, self.today):
            self.add(
                "warning",
                (*base, "last_verified"),
                f"was last checked on {service.last_verified.isoformat()}, more than "
                f"{STALE_AFTER_WORDS} ago; check it with the service and update `last_verified`",
                owner=service.id,
                field="last_verified",
            )

    def check_duplicate_phone(
        self, region: Region, service: Service, base: Path_, seen: dict[str, tuple[str, int]]
    ) -> None:
        assert service.phone is not None
        number = phonenumbers.parse(service.phone, region.country)
        key = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if key in seen:
            other, line = seen[key]
            self.add(
                "warning",
                (*base, "phone"),
                f"the phone number {service.phone} is also given for `{other}` (line {line}); "
                "check that both are right",
                owner=service.id,
                field="phone",
            )
        else:
            seen[key] = (service.id, self.doc.line_of((*base, "phone")))

    def note_missing(
        self,
        missing: dict[str, list[tuple[Path_, str, str]]],
        path: Path_,
        owner: str,
        field: str,
        text: LocalizedText,
    ) -> None:
        for language in self.ui_languages:
            if language not in text:
                missing.setdefault(language, []).append((path, owner, field))

    def report_missing_texts(
        self, missing: dict[str, list[tuple[Path_, str, str]]], default_language: str
    ) -> None:
        for language in self.ui_languages:
            places = missing.get(language, [])
            if not places:
                continue
            fallback = "English" if language != "en" else f"`{default_language}`"
            self.add(
                "warning",
                places[0][0],
                f"{len(places)} text(s) have no `{language}` translation; readers of `{language}` "
                f"see {fallback} instead (run with --verbose to list them)",
            )
            for path, owner, field in places:
                self.add(
                    "warning",
                    path,
                    f"no `{language}` translation; add a line `{language}: …`",
                    owner=owner,
                    field=field,
                    detail=True,
                )


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
