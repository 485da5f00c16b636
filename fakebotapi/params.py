"""A Bot API call's parameters: read from a query, a form or JSON, refused where Telegram would."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from fakebotapi.entities import JsonDict
from fakebotapi.errors import bad_request

# Parameters that are plain strings in a form body and must not be read as JSON ("123" stays "123").
STRING_PARAMETERS = frozenset(
    {
        "action",
        "address",
        "business_connection_id",
        "callback_query_id",
        "caption",
        "custom_title",
        "description",
        "emoji",
        "file_id",
        "first_name",
        "foursquare_id",
        "foursquare_type",
        "google_place_id",
        "google_place_type",
        "icon_custom_emoji_id",
        "inline_message_id",
        "ip_address",
        "language_code",
        "last_name",
        "message_effect_id",
        "name",
        "parse_mode",
        "phone_number",
        "query",
        "secret_token",
        "short_description",
        "text",
        "title",
        "url",
    }
)


@dataclass
class Params:
    """Typed access to one request's parameters, refusing bad values as Telegram does."""

    values: JsonDict

    def present(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        return str(value)

    def integer(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise bad_request(f'field "{name}" must be of type Integer')  # wording: ours
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
            return int(value)
        raise bad_request(f'field "{name}" must be of type Integer')  # wording: ours

    def number(self, name: str) -> float | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise bad_request(f'field "{name}" must be of type Float')  # wording: ours
        if isinstance(value, int | float):
            return float(value)
        try:
            return float(str(value))
        except ValueError:
            raise bad_request(f'field "{name}" must be of type Float') from None  # wording: ours

    def flag(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1")
        return bool(value)

    def json(self, name: str) -> Any:
        value = self.values.get(name)
        if isinstance(value, str):
            if value == "":
                return None
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {name} JSON object") from None
        return value


def decode_form_value(name: str, value: str) -> Any:
    """Read a form value as python-telegram-bot wrote it: strings raw, everything else JSON."""
    if name in STRING_PARAMETERS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def read_request(request: web.Request) -> tuple[JsonDict, dict[str, bytes]]:
    """The parameters and uploaded files of one call, from its query string and its body.

    PTB sends a form (multipart when it uploads); other clients may send JSON.
    """
    values: JsonDict = {key: decode_form_value(key, value) for key, value in request.query.items()}
    files: dict[str, bytes] = {}
    if request.method != "POST" or not request.body_exists:
        return values, files
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON encoded request") from None  # wording: ours
        if not isinstance(body, dict):
            raise bad_request("JSON encoded request must be an Object")  # wording: ours
        for key, value in body.items():
            if isinstance(value, str):
                value = decode_form_value(key, value) if key not in STRING_PARAMETERS else value
            values[key] = value
        return values, files
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            files[key] = value.file.read()
        else:
            values[key] = decode_form_value(key, str(value))
    return values, files
