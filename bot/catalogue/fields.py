"""The value types the catalogue's fields are made of, each carrying its own rule.

Why apart from :mod:`bot.catalogue.model`: the model says which fields a service has; this
module says what one value may look like (an id, a language code, a phone number, keywords).
The JSON schema (:mod:`bot.catalogue.schema`) reuses the same patterns, so the editor and the
bot agree. Every rule explains itself in a sentence written for staff (:func:`staff_error`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal, get_args

import phonenumbers
from phonenumbers import shortnumberinfo
from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

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
DangerKind = Literal[
    "suicide",
    "self-harm",
    "poisoning",
    "medical",
    "violence",
    "violence-other",
    "sexual-violence",
    "stalking",
    "missing-child",
    "forced-marriage",
    "unspecified",
]
"""Kinds of danger, each with its own first help (the crisis stage reads them in messages;
a service's ``danger`` field says for which kinds it is the first help). ``unspecified`` is a
cry for help without a kind."""
DANGER_KINDS: tuple[str, ...] = get_args(DangerKind)
OnlineKind = Literal["chat", "messenger", "sms", "email", "app", "video"]
"""How people reach a service without speaking on the phone."""


def staff_error(message: str) -> PydanticCustomError:
    """A validation error whose text is exactly ``message`` (already written for staff)."""
    return PydanticCustomError("wegweiser", "{message}", {"message": message})


def check_id(value: str) -> str:
    if not ID_PATTERN.match(value):
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "my-service"
        raise staff_error(
            f"the id `{value}` may only use small letters a-z, digits and single hyphens "
            f"(for example `{suggestion}`)"
        )
    return value


def check_language_code(value: str) -> str:
    if not LANGUAGE_CODE.match(value):
        raise staff_error(
            f"`{value}` is not a language code; use two small letters such as de, en, uk, ar"
        )
    return value


def check_need(value: str) -> str:
    from bot.catalogue.checks import nearest
    from bot.catalogue.needs import shipped_needs

    needs = shipped_needs()
    if value not in needs:
        hint = nearest(value, needs)
        guess = f"did you mean `{hint}`? " if hint else ""
        raise staff_error(
            f"`{value}` is not a need Wegweiser knows; {guess}use one of: {', '.join(needs)} "
            '(docs/catalogue.md, "Needs", says what each covers)'
        )
    return value


Id = Annotated[str, AfterValidator(check_id)]
NeedId = Annotated[str, AfterValidator(check_need)]
LanguageCode = Annotated[str, AfterValidator(check_language_code)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


def _keywords(value: Any) -> Any:
    """Keywords may be a list per language, or a single word."""
    if isinstance(value, Mapping):
        return {k: [v] if isinstance(v, str) else v for k, v in value.items()}
    return value


Keywords = Annotated[
    dict[LanguageCode, tuple[str, ...]], BeforeValidator(_keywords), Field(default_factory=dict)
]


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
