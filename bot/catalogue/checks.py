"""The catalogue rules that need more than one entry: references, places, freshness, duplicates.

Field-level rules live on the fields (:mod:`bot.catalogue.fields`); these compare a service
with the region, the categories, the calendar and the other services. Most of them warn
rather than refuse: a stale entry or a district with a typo still helps people, and staff
fix it at their pace. :mod:`bot.catalogue.validation` runs them after every entry has been
read on its own, and they report through its ``add``, so every finding keeps its line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

import phonenumbers

from bot.catalogue.localized import LocalizedText
from bot.catalogue.model import Category, Region, Service
from bot.catalogue.status import STALE_AFTER_WORDS, is_stale
from bot.catalogue.yamlsource import Path_, YamlDocument
from bot.geo import distance_m

FAR_FROM_CENTER_M = 50_000
"""A city's services lie within 50 km of its centre (Region Hannover spans about 60 km); farther
means swapped or mistyped coordinates."""

_TEXT_FIELDS = ("summary", "documents", "hours_note")
"""Service texts people read; names stay as the organisations write them."""


def nearest(name: str, candidates: Iterable[str]) -> str | None:
    """The closest known name, for "did you mean …?" hints."""
    options = list(candidates)
    squashed = {re.sub(r"[^a-z0-9]", "", c.lower()): c for c in options}
    key = re.sub(r"[^a-z0-9]", "", name.lower())
    if key in squashed:
        return squashed[key]
    match = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    return match[0] if match else None


def how_to_check(service: Service) -> str:
    """How staff can check this entry, with the contacts it gives: a finding must never
    invite them to paste today's date without asking the service."""
    ways = []
    if service.phone:
        ways.append(f"call {service.phone}")
    if service.website:
        ways.append(f"look at {service.website}")
    if service.email:
        ways.append(f"write to {service.email}")
    if service.location is not None and service.location.address:
        ways.append(f"visit {service.location.address}")
    if not ways:
        return "ask the service itself (the entry gives no phone, website or address)"
    return "check it with the service: " + " or ".join(ways)


class AddFinding(Protocol):
    """How a check reports: :meth:`bot.catalogue.validation._Checker.add` (located by ``where``)."""

    def __call__(
        self,
        level: Literal["error", "warning"],
        where: Path_,
        message: str,
        *,
        owner: str | None = None,
        field: str | None = None,
        detail: bool = False,
    ) -> None: ...


@dataclass
class CrossChecks:
    """One run of the rules across entries, over a file whose entries each validated alone."""

    add: AddFinding
    doc: YamlDocument
    today: date
    ui_languages: tuple[str, ...]

    def check_services(
        self,
        region: Region,
        categories: list[tuple[int, Category]],
        services: list[tuple[int, Service]],
    ) -> None:
        """Each service against the categories, the region and the other services; then the
        missing translations, one summary per language."""
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
            self.check_status(service, base)
            if not service.is_reachable:
                self.add(
                    "warning",
                    base,
                    "gives no way to reach it (no phone, online contact, email, website or "
                    "street address); add at least one, or people cannot use it",
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
        how = how_to_check(service)
        if service.last_verified is None:
            self.add(
                "warning",
                base,
                f"has no `last_verified` date; {how}, then write the day you checked it as "
                "`last_verified: YYYY-MM-DD`",
                owner=service.id,
                field="last_verified",
            )
        elif service.last_verified > self.today:
            self.add(
                "warning",
                (*base, "last_verified"),
                f"`{service.last_verified.isoformat()}` is in the future; write the day the "
                "entry was really checked",
                owner=service.id,
                field="last_verified",
            )
        elif is_stale(service.last_verified, self.today):
            self.add(
                "warning",
                (*base, "last_verified"),
                f"was last checked on {service.last_verified.isoformat()}, more than "
                f"{STALE_AFTER_WORDS} ago, so the bot calls its hours uncertain; {how}, then "
                "write the day you checked it as `last_verified`",
                owner=service.id,
                field="last_verified",
            )

    def check_status(self, service: Service, base: Path_) -> None:
        if service.status != "temporarily-closed":
            return
        if service.closed_until is None:
            self.add(
                "warning",
                (*base, "status"),
                "is temporarily closed without a date; when the service names the last closed "
                "day, add it as `closed_until: YYYY-MM-DD` (the bot then says until when)",
                owner=service.id,
                field="status",
            )
        elif service.closed_until < self.today:
            self.add(
                "warning",
                (*base, "closed_until"),
                f"was closed until {service.closed_until.isoformat()}, which has passed; the bot "
                f"calls its hours uncertain until staff {how_to_check(service)} and set "
                "`status: active` (or a new `closed_until`)",
                owner=service.id,
                field="closed_until",
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
