"""Message entities: Telegram's UTF-16 offsets, its ordering, trimming and validation.

Why a module of their own: the HTML parser, ``sendMessage`` with explicit ``entities`` and
the simulated user (who types "/commands") all produce entities, and all must agree with
Telegram on units (UTF-16 code units) and order.
"""

from __future__ import annotations

import re
from typing import Any

from fakebotapi.errors import bad_request

JsonDict = dict[str, Any]
"""A Bot API object (Message, MessageEntity, Update ...) as the JSON dict that travels."""

# TDLib sorts entities by offset, longer first, then by this priority (lower first).
_ENTITY_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}
# The MessageEntity types of the Bot API that a bot may send explicitly.
_ENTITY_TYPES = frozenset(
    {
        "mention",
        "hashtag",
        "cashtag",
        "bot_command",
        "url",
        "email",
        "phone_number",
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "blockquote",
        "expandable_blockquote",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "custom_emoji",
    }
)
# What Telegram strips from both ends of a message text.
_TRIMMED_WHITESPACE = " \t\r\n\x0b\x0c"
# Telegram marks every "/command" (optionally "@botname") that starts a word as bot_command.
_USER_COMMAND_PATTERN = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units: the unit of Telegram's entity offsets and lengths."""
    return len(text.encode("utf-16-le")) // 2


def sort_entities(entities: list[JsonDict]) -> list[JsonDict]:
    """Order entities as Telegram returns them: by offset, longer first, then by kind."""
    return sorted(
        entities,
        key=lambda e: (e["offset"], -e["length"], _ENTITY_PRIORITY.get(e["type"], 50)),
    )


def trim_formatted_text(text: str, entities: list[JsonDict]) -> tuple[str, list[JsonDict]]:
    """Strip leading and trailing whitespace as Telegram does, clipping entities to match."""
    stripped = text.strip(_TRIMMED_WHITESPACE)
    if stripped == text:
        return text, entities
    lead = utf16_length(text[: len(text) - len(text.lstrip(_TRIMMED_WHITESPACE))])
    total = utf16_length(stripped)
    clipped: list[JsonDict] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            clipped.append({**entity, "offset": start, "length": end - start})
    return stripped, clipped


def validate_entities(given: Any, text: str) -> list[JsonDict]:
    """Check explicitly given entities: known types, inside the text (in UTF-16 units)."""
    if not isinstance(given, list):
        raise bad_request("can't parse entities JSON object")  # wording: ours
    total = utf16_length(text)
    entities: list[JsonDict] = []
    for entity in given:
        if not isinstance(entity, dict) or entity.get("type") not in _ENTITY_TYPES:
            raise bad_request("can't parse MessageEntity JSON object")  # wording: ours
        offset, length = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not isinstance(length, int) or offset < 0 or length < 0:
            raise bad_request("can't parse MessageEntity JSON object")  # wording: ours
        if offset + length > total:
            raise bad_request("entity beginning is out of bounds")  # wording: ours
        if length > 0:
            entities.append(dict(entity))
    return sort_entities(entities)


def bot_command_entities(text: str) -> list[JsonDict]:
    """The bot_command entities Telegram's clients add to a text a person types."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_length(text[: match.start()]),
            "length": utf16_length(match.group()),
        }
        for match in _USER_COMMAND_PATTERN.finditer(text)
    ]
