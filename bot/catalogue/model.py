"""The typed, immutable service catalogue: what ``services.yaml`` says, after validation.

The model follows ``../shared/catalogue-schema.md`` field by field; renaming a field here would
break staff files and outside tools. Field-level rules (id syntax, phone numbers, opening-hours
syntax, https) live on the fields, with the value types in :mod:`bot.catalogue.fields`, so that
pydantic reports them with their exact location; rules that need the whole file (duplicate ids,
category references, stale entries) live in :mod:`bot.catalogue.validation`.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cached_property
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from pydantic import (
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bot.catalogue.contacts import OnlineContact
from bot.catalogue.fields import (
    COUNTRY_CODE,
    EMAIL_ADDRESS,
    HTTPS_ADDRESS,
    Accessibility,
    Appointment,
    Audience,
    Cost,
    DangerKind,
    Id,
    Keywords,
    LanguageCode,
    Latitude,
    Longitude,
    NeedId,
    phone_is_valid,
    staff_error,
)
from bot.catalogue.localized import Frozen, LocalizedText
from bot.catalogue.status import Alert, ServiceStatus
from bot.geo import Coordinates
from bot.hours.syntax import opening_hours_error

REPORT_KINDS = ("wrong-hours", "wrong-phone", "wrong-address", "closed", "other")
"""What a "report wrong information" about a service can say, in the order the bot offers the
buttons; the store accepts only these, and the staff reports count them."""


class District(Frozen):
    """A Stadtteil as people name it, with an approximate centre for placing services."""

    name: str
    center: tuple[Latitude, Longitude]
    aliases: tuple[str, ...] = ()


class Region(Frozen):
    """The city the catalogue is for."""

    name: str
    country: str
    timezone: str
    default_language: LanguageCode
    center: tuple[Latitude, Longitude] | None = None
    state: str | None = None
    """Extension: ISO 3166-2 subdivision code without country (``NI``) for state holidays."""
    districts: tuple[District, ...] = ()

    @field_validator("country")
    @classmethod
    def _country_code(cls, value: str) -> str:
        if not COUNTRY_CODE.match(value):
            raise staff_error(f"`{value}` is not an ISO country code; use two capitals such as DE")
        if value not in holidays.list_supported_countries():
            raise staff_error(f"no public holiday calendar is known for `{value}`; check the code")
        return value

    @field_validator("state")
    @classmethod
    def _state_code(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Opening hours need the state's holidays: an unknown code would break every card."""
        country = info.data.get("country")
        if value is None or country is None:
            return value
        states = holidays.list_supported_countries()[country]
        if value not in states:
            codes = ", ".join(code for code in states if re.fullmatch(r"[A-Z0-9]{1,3}", code))
            raise staff_error(f"`{value}` is not a state of {country}; use one of {codes}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise staff_error(
                f"`{value}` is not a known time zone; use an IANA name such as Europe/Berlin"
            ) from None
        return value

    @cached_property
    def tz(self) -> ZoneInfo:
        """The region's time zone: "open now" is computed in it."""
        return ZoneInfo(self.timezone)

    @cached_property
    def _districts_by_name(self) -> dict[str, District]:
        by_name: dict[str, District] = {}
        for district in self.districts:
            for name in (district.name, *district.aliases):
                by_name.setdefault(name.casefold().strip(), district)
        return by_name

    def find_district(self, name: str) -> District | None:
        """The district called ``name`` or known under that alias (case-insensitive).

        Every card asks this for its service, so the names are indexed once.
        """
        return self._districts_by_name.get(name.casefold().strip())


class Crisis(Frozen):
    """Words that mean "danger now"; they put the emergency services first."""

    keywords: Keywords


class Category(Frozen):
    """One entry of the main menu."""

    id: Id
    icon: str | None = None
    name: LocalizedText
    keywords: Keywords
    sensitive: bool = False
    """Results under it carry the quick-exit button (violence, mental health): the catalogue
    says which topics a person may need to hide, not the code."""
    needs: tuple[NeedId, ...] = ()
    """The shipped needs this topic stands for; empty: those of its standard id (food, …)."""


class Location(Frozen):
    """Where a service is; hotlines and online services have none."""

    address: str | None = None
    district: str | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None

    @model_validator(mode="after")
    def _both_coordinates(self) -> Location:
        if (self.lat is None) != (self.lon is None):
            missing = "lon" if self.lon is None else "lat"
            raise staff_error(
                f"`lat` and `lon` go together; add `{missing}` or remove the other one"
            )
        return self

    @property
    def coordinates(self) -> Coordinates | None:
        """(lat, lon) when staff gave them."""
        if self.lat is None or self.lon is None:
            return None
        return self.lat, self.lon


class Service(Frozen):
    """One place or hotline that helps."""

    id: Id
    name: LocalizedText
    categories: tuple[Id, ...] = Field(min_length=1)
    summary: LocalizedText
    keywords: Keywords
    audience: tuple[Audience, ...] = ()
    cost: Cost | None = None
    appointment: Appointment | None = None
    anonymous: bool | None = None
    emergency: bool = False
    languages: tuple[LanguageCode, ...] = ()
    accessibility: tuple[Accessibility, ...] = ()
    documents: LocalizedText | None = None
    location: Location | None = None
    opening_hours: str | None = None
    hours_note: LocalizedText | None = None
    phone: str | None = None
    online: tuple[OnlineContact, ...] = ()
    email: str | None = None
    website: str | None = None
    needs: tuple[NeedId, ...] = ()
    """Needs this service answers beyond its categories' (the Familienkasse: kindergeld)."""
    danger: tuple[DangerKind, ...] = ()
    """The kinds of danger this service is the first help for (suicide → TelefonSeelsorge)."""
    last_verified: date | None = None
    source: str | None = None
    status: ServiceStatus = "active"
    closed_until: date | None = None
    """With ``status: temporarily-closed``: the last day it is closed."""
    alerts: tuple[Alert, ...] = ()

    @field_validator("opening_hours")
    @classmethod
    def _osm_syntax(cls, value: str | None) -> str | None:
        if value is None:
            return None
        problem = opening_hours_error(value)
        if problem:
            raise staff_error(
                f'"{value}" is {problem}. Example: "Mo-Fr 09:00-17:00; Sa 10:00-13:00"; '
                "put anything else in `hours_note`"
            )
        return value

    @field_validator("phone")
    @classmethod
    def _dialable(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        country = str((info.context or {}).get("country", "DE"))
        if not phone_is_valid(value, country):
            raise staff_error(
                f'"{value}" is not a valid phone number in {country}. Write it as printed, '
                'with the area code, for example "0511 123456" or "+49 511 123456"'
            )
        return value

    @field_validator("website")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        # `source` stays free text: "phone call with the service" is a source too.
        if value is None:
            return None
        if not HTTPS_ADDRESS.match(value):
            raise staff_error(
                f'"{value}" is not an https address; write the full address starting with '
                "https:// (insecure http:// links are not shown to people)"
            )
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL_ADDRESS.match(value):
            raise staff_error(f'"{value}" is not an e-mail address such as info@example.org')
        return value

    @model_validator(mode="after")
    def _closed_until_needs_status(self) -> Service:
        if self.closed_until is not None and self.status != "temporarily-closed":
            raise staff_error(
                "`closed_until` belongs to `status: temporarily-closed`; add that status, "
                "or remove `closed_until`"
            )
        return self

    @property
    def is_reachable(self) -> bool:
        """Whether the entry tells people any way to reach the service: a district alone
        is no address to go to."""
        has_address = self.location is not None and bool(self.location.address)
        return bool(self.phone or self.online or self.email or self.website or has_address)

    @property
    def is_listed(self) -> bool:
        """Whether the bot shows the service at all: a closed one stays in the file only."""
        return self.status != "closed"

    def closed_on(self, today: date) -> bool:
        """Whether ``status: temporarily-closed`` applies today (until ``closed_until``
        inclusive; with no date, until staff change the status)."""
        if self.status != "temporarily-closed":
            return False
        return self.closed_until is None or today <= self.closed_until


class Catalogue(Frozen):
    """The whole validated catalogue, with lookups the bot needs on every message."""

    version: Literal[1]
    region: Region
    crisis: Crisis = Field(default_factory=lambda: Crisis(keywords={}))
    categories: tuple[Category, ...]
    services: tuple[Service, ...]

    def without_closed(self) -> Catalogue:
        """The catalogue as the bot shows it: closed services left out of search, lists,
        "near me", details and the printed directory at once."""
        listed = tuple(s for s in self.services if s.is_listed)
        if len(listed) == len(self.services):
            return self
        return Catalogue(
            version=self.version,
            region=self.region,
            crisis=self.crisis,
            categories=self.categories,
            services=listed,
        )

    @cached_property
    def services_by_id(self) -> dict[str, Service]:
        """Service lookup for buttons and deep links."""
        return {s.id: s for s in self.services}

    @cached_property
    def categories_by_id(self) -> dict[str, Category]:
        """Category lookup for buttons and deep links."""
        return {c.id: c for c in self.categories}

    def services_in(self, category_id: str) -> tuple[Service, ...]:
        """The services of one category, in file order."""
        return self._services_by_category.get(category_id, ())

    @cached_property
    def _services_by_category(self) -> dict[str, tuple[Service, ...]]:
        by_category: dict[str, list[Service]] = {}
        for service in self.services:
            for category_id in dict.fromkeys(service.categories):
                by_category.setdefault(category_id, []).append(service)
        return {category_id: tuple(found) for category_id, found in by_category.items()}

    @cached_property
    def sensitive_services(self) -> frozenset[str]:
        """Ids of services a person may need to hide: emergency ones and those under a
        ``sensitive: true`` category. Their answers carry the quick-exit button."""
        sensitive = {c.id for c in self.categories if c.sensitive}
        return frozenset(
            s.id for s in self.services if s.emergency or sensitive.intersection(s.categories)
        )

    @cached_property
    def emergency_services(self) -> tuple[Service, ...]:
        """What /emergency and crisis words show first."""
        return tuple(s for s in self.services if s.emergency)

    def place_of(self, service: Service) -> tuple[Coordinates, bool] | None:
        """Where a service is and whether that is approximate (its district's centre)."""
        location = service.location
        if location is None:
            return None
        if location.coordinates is not None:
            return location.coordinates, False
        if location.district:
            district = self.region.find_district(location.district)
            if district is not None:
                return district.center, True
        return None

    def text(self, value: LocalizedText, language: str) -> str:
        """Resolve any localized text of this catalogue for ``language``."""
        return value.resolve(language, self.region.default_language)[0]
