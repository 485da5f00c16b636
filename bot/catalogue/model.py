"""The typed, immutable service catalogue: what ``services.yaml`` says, after validation.

The model follows ``../shared/catalogue-schema.md`` field by field; renaming a field here would
break staff files and outside tools. Field-level rules (id syntax, phone numbers, opening-hours
syntax, https) live on the fields so that pydantic reports them with their exact location;
rules that need the whole file (duplicate ids, category references, stale entries) live in
:mod:`bot.catalogue.validation`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from functools import cached_property
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import phonenumbers
from phonenumbers import shortnumberinfo
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bot.geo import Coordinates
from bot.hours.syntax import opening_hours_error

FALLBACK_LANGUAGE = "en"
"""The contract's fallback after the reader's language, before the region's default."""

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
HTTPS_ADDRESS = re.compile(r"^https://[^\s/]+\.[^\s]+$")
"""A website people are sent to: never plain http://."""
EMAIL_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")

Audience = Literal[
    "everyone",
    "families",
    "children",
    "youth",
    "women",
    "seniors",
    "refugees",
    "migrants",
    "homeless",
    "unemployed",
    "disabled",
    "students",
]
Cost = Literal["free", "reduced", "paid"]
Appointment = Literal["none", "recommended", "required"]
Accessibility = Literal["wheelchair", "hearing-loop", "sign-language", "easy-language"]


def _fail(message: str) -> PydanticCustomError:
    """A validation error whose text is exactly ``message`` (already written for staff)."""
    return PydanticCustomError("wegweiser", "{message}", {"message": message})


def _check_id(value: str) -> str:
    if not ID_PATTERN.match(value):
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "my-service"
        raise _fail(
            f"the id `{value}` may only use small letters a-z, digits and single hyphens "
            f"(for example `{suggestion}`)"
        )
    return value


def _check_language_code(value: str) -> str:
    if not LANGUAGE_CODE.match(value):
        raise _fail(
            f"`{value}` is not a language code; use two small letters such as de, en, uk, ar"
        )
    return value


Id = Annotated[str, AfterValidator(_check_id)]
LanguageCode = Annotated[str, AfterValidator(_check_language_code)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class LocalizedText(RootModel[dict[str, str]]):
    """A text in several languages; a plain string counts as the region's default language."""

    model_config = ConfigDict(frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _plain_string_is_default_language(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            return {_default_language(info): value}
        return value

    @model_validator(mode="after")
    def _default_language_present(self, info: ValidationInfo) -> LocalizedText:
        default = _default_language(info)
        for code, text in self.root.items():
            _check_language_code(code)
            if not text.strip():
                raise _fail(f"the `{code}` text is empty; write the text or remove the line")
        if default not in self.root:
            present = ", ".join(self.root) or "none"
            raise _fail(
                f"the text has no `{default}` version (the region's default language; "
                f"present: {present}). Add a line `{default}: …`"
            )
        return self

    def resolve(self, language: str, default_language: str) -> tuple[str, str]:
        """The text for ``language`` and the language it is really in (contract fallback)."""
        for code in (language, FALLBACK_LANGUAGE, default_language):
            if code in self.root:
                return self.root[code], code
        code, text = next(iter(self.root.items()))
        return text, code

    def all_texts(self) -> Iterator[tuple[str, str]]:
        """(language, text) pairs, for search indexing."""
        return iter(self.root.items())

    def __contains__(self, language: object) -> bool:
        return language in self.root


def _default_language(info: ValidationInfo) -> str:
    context = info.context or {}
    return str(context.get("default_language", "de"))


def _keywords(value: Any) -> Any:
    """Keywords may be a list per language, or a single word."""
    if isinstance(value, Mapping):
        return {k: [v] if isinstance(v, str) else v for k, v in value.items()}
    return value


Keywords = Annotated[
    dict[LanguageCode, tuple[str, ...]], BeforeValidator(_keywords), Field(default_factory=dict)
]


class District(_Frozen):
    """A Stadtteil as people name it, with an approximate centre for placing services."""

    name: str
    center: tuple[Latitude, Longitude]
    aliases: tuple[str, ...] = ()


class Region(_Frozen):
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
            raise _fail(f"`{value}` is not an ISO country code; use two capitals such as DE")
        if value not in holidays.list_supported_countries():
            raise _fail(f"no public holiday calendar is known for `{value}`; check the code")
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
            raise _fail(f"`{value}` is not a state of {country}; use one of {codes}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise _fail(
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


class Crisis(_Frozen):
    """Words that mean "danger now"; they put the emergency services first."""

    keywords: Keywords


class Category(_Frozen):
    """One entry of the main menu."""

    id: Id
    icon: str | None = None
    name: LocalizedText
    keywords: Keywords


class Location(_Frozen):
    """Where a service is; hotlines and online services have none."""

    address: str | None = None
    district: str | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None

    @model_validator(mode="after")
    def _both_coordinates(self) -> Location:
        if (self.lat is None) != (self.lon is None):
            missing = "lon" if self.lon is None else "lat"
            raise _fail(f"`lat` and `lon` go together; add `{missing}` or remove the other one")
        return self

    @property
    def coordinates(self) -> Coordinates | None:
        """(lat, lon) when staff gave them."""
        if self.lat is None or self.lon is None:
            return None
        return self.lat, self.lon


class Service(_Frozen):
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
    email: str | None = None
    website: str | None = None
    last_verified: date | None = None
    source: str | None = None

    @field_validator("opening_hours")
    @classmethod
    def _osm_syntax(cls, value: str | None) -> str | None:
        if value is None:
            return None
        problem = opening_hours_error(value)
        if problem:
            raise _fail(
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
            raise _fail(
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
            raise _fail(
                f'"{value}" is not an https address; write the full address starting with '
                "https:// (insecure http:// links are not shown to people)"
            )
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL_ADDRESS.match(value):
            raise _fail(f'"{value}" is not an e-mail address such as info@example.org')
        return value

    @property
    def is_reachable(self) -> bool:
        """Whether the entry tells people any way to reach the service."""
        return bool(self.phone or self.email or self.website or self.location)


def phone_is_valid(value: str, country: str) -> bool:
    """Regular numbers and the short numbers people need most (110, 112, 116 xxx)."""
    try:
        number = phonenumbers.parse(value, country)
    except phonenumbers.NumberParseException:
        return False
    if phonenumbers.is_valid_number(number):
        return True
    if shortnumberinfo.is_valid_short_number_for_region(number, country):
        return True
    # The library's short-number data lacks some harmonised EU numbers such as 116 016.
    national = str(number.national_number)
    return national.startswith("116") and shortnumberinfo.is_possible_short_number_for_region(
        number, country
    )


class Catalogue(_Frozen):
    """The whole validated catalogue, with lookups the bot needs on every message."""

    version: Literal[1]
    region: Region
    crisis: Crisis = Field(default_factory=lambda: Crisis(keywords={}))
    categories: tuple[Category, ...]
    services: tuple[Service, ...]

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
