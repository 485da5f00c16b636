"""Telegram's HTML entity parser: a port of TDLib's ``parse_html``, errors in Telegram's words.

Why a port rather than Python's ``html.parser``: Telegram accepts and refuses different things
than a browser, and tests must fail exactly where Telegram would. Byte offsets in the errors
count UTF-8 bytes of the source; entity offsets and lengths count UTF-16 code units.

One choice where Telegram is lenient: with ``strict=True`` (the server's ``strict_html``) a
``&`` that does not start ``&lt;`` ``&gt;`` ``&amp;`` ``&quot;`` or ``&#NN;``/``&#xHH;`` (with
its ``;``) is refused. Telegram itself keeps such a ``&`` as text, but its documentation says
it must be escaped, and a bot that forgets to escape breaks on ``<`` in the same text.
``strict=False`` parses exactly like TDLib.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fakebotapi.entities import JsonDict, sort_entities
from fakebotapi.links import checked_link


class EntityParseError(ValueError):
    """Telegram's HTML parser refuses the text; the message is Telegram's, after "entities: "."""


# TDLib reads a NUL past the end of its C string, and counts NUL among spaces; so do we.
_TD_SPACE_BYTES = frozenset(b" \t\r\n\x00\x0b")
_HEX_DIGITS = frozenset(b"0123456789abcdefABCDEF")
_DIGITS = frozenset(b"0123456789")
_ALPHA = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ALNUM = _ALPHA | _DIGITS
_NAMED_HTML_ENTITIES = {b"lt": ord("<"), b"gt": ord(">"), b"amp": ord("&"), b"quot": ord('"')}
_SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_SIMPLE_TAG_ENTITIES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_SURROGATE_MESSAGE = (
    "Text contains invalid Unicode characters after decoding HTML entities, "
    "check for unmatched surrogate code units"
)


def _byte_at(data: bytes, index: int) -> int:
    return data[index] if index < len(data) else 0


def _is_td_space(byte: int) -> bool:
    return byte in _TD_SPACE_BYTES


def _decode_html_entity(data: bytes, pos: int) -> tuple[int, int, bool]:
    """Decode the character reference at ``data[pos] == '&'`` like TDLib.

    Returns ``(code point or 0, position after it, whether it ended with ';')``; 0 means
    "not a reference", which TDLib keeps as literal text.
    """
    end = pos + 1
    code = 0
    if _byte_at(data, pos + 1) == ord("#"):
        end += 1
        if _byte_at(data, pos + 2) == ord("x"):
            end += 1
            while _byte_at(data, end) in _HEX_DIGITS:
                code = code * 16 + int(chr(data[end]), 16)
                end += 1
        else:
            while _byte_at(data, end) in _DIGITS:
                code = code * 10 + data[end] - ord("0")
                end += 1
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return 0, pos, False
    else:
        while _byte_at(data, end) in _ALPHA:
            end += 1
        code = _NAMED_HTML_ENTITIES.get(data[pos + 1 : end], 0)
        if code == 0:
            return 0, pos, False
    if _byte_at(data, end) == ord(";"):
        return code, end + 1, True
    return code, end, False


@dataclass
class _OpenTag:
    """A start tag waiting for its end tag: where its entity begins in the text and output."""

    name: str
    argument: str
    utf16_offset: int
    result_position: int


def parse_telegram_html(source: str, *, strict: bool = True) -> tuple[str, list[JsonDict]]:
    """Parse Telegram's HTML subset into visible text and Bot API MessageEntity dicts.

    Why a port of TDLib's ``parse_html`` rather than Python's ``html.parser``: Telegram
    accepts and refuses different things than a browser, and tests must fail exactly where
    Telegram would. Byte offsets in the errors count UTF-8 bytes of ``source``; entity
    offsets and lengths count UTF-16 code units. ``strict`` also refuses a bare ``&`` and a
    reference without its ``;`` (see the module docstring).

    Raises:
        EntityParseError: with Telegram's own wording.
    """
    data = source.encode("utf-8", "surrogatepass")
    size = len(data)
    out = bytearray()
    utf16 = 0
    entities: list[JsonDict] = []
    stack: list[_OpenTag] = []
    decoded_surrogate = False
    i = 0
    while i < size:
        byte = data[i]
        if byte == ord("&"):
            code, end, terminated = _decode_html_entity(data, i)
            if code != 0 and (terminated or not strict):
                decoded_surrogate |= 0xD800 <= code <= 0xDFFF
                out += chr(code).encode("utf-8", "surrogatepass")
                utf16 += 2 if code > 0xFFFF else 1
                i = end
                continue
            if strict:
                raise EntityParseError(
                    f'Character "&" at byte offset {i} must be escaped as "&amp;"'
                    " (Telegram would keep it; this fake server is strict)"
                )
        if byte != ord("<"):
            if byte & 0xC0 != 0x80:  # the first byte of a UTF-8 sequence
                utf16 += 2 if byte >= 0xF0 else 1
            out.append(byte)
            i += 1
            continue

        begin = i
        i += 1
        if _byte_at(data, i) != ord("/"):
            name, argument, i = _read_start_tag(data, begin, i, strict=strict)
            stack.append(_OpenTag(name, argument, utf16, len(out)))
        else:
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {begin}")
            while not _is_td_space(_byte_at(data, i)) and _byte_at(data, i) != ord(">"):
                i += 1
            end_name = data[begin + 2 : i].lower().decode("utf-8", "replace")
            while _is_td_space(_byte_at(data, i)) and _byte_at(data, i) != 0:
                i += 1
            if _byte_at(data, i) != ord(">"):
                raise EntityParseError(f"Unclosed end tag at byte offset {begin}")
            open_tag = stack[-1]
            if end_name and end_name != open_tag.name:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {begin}, expected "</{open_tag.name}>", '
                    f'found "</{end_name}>"'
                )
            if utf16 > open_tag.utf16_offset:
                _add_html_entity(entities, open_tag, utf16 - open_tag.utf16_offset, out)
            stack.pop()
        i += 1  # past the '>'
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    if decoded_surrogate:
        raise EntityParseError(_SURROGATE_MESSAGE)
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)  # a language counts only for code inside pre
    return out.decode("utf-8"), sort_entities(entities)


def _read_start_tag(data: bytes, begin: int, i: int, *, strict: bool) -> tuple[str, str, int]:
    """Read a start tag from after its '<'; returns (name, argument, index of its '>')."""
    while not _is_td_space(_byte_at(data, i)) and _byte_at(data, i) != ord(">"):
        i += 1
    if _byte_at(data, i) == 0:
        raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
    name = data[begin + 1 : i].lower().decode("utf-8", "replace")
    if name not in _SUPPORTED_TAGS:
        raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {begin}')

    argument = ""
    while _byte_at(data, i) != ord(">"):
        while _byte_at(data, i) != 0 and _is_td_space(_byte_at(data, i)):
            i += 1
        if _byte_at(data, i) == ord(">"):
            break
        attribute_begin = i
        while not _is_td_space(_byte_at(data, i)) and _byte_at(data, i) not in b"=>/\"'":
            i += 1
        attribute = data[attribute_begin:i].decode("utf-8", "replace")
        if not attribute:
            raise EntityParseError(
                f'Empty attribute name in the tag "{name}" at byte offset {begin}'
            )
        while _byte_at(data, i) != 0 and _is_td_space(_byte_at(data, i)):
            i += 1
        if _byte_at(data, i) != ord("="):
            if _byte_at(data, i) == 0:
                raise EntityParseError(f'Unclosed start tag "{name}" at byte offset {begin}')
            if name == "blockquote" and attribute == "expandable":
                argument = "1"
            continue
        i += 1
        while _byte_at(data, i) != 0 and _is_td_space(_byte_at(data, i)):
            i += 1
        if _byte_at(data, i) == 0:
            raise EntityParseError(f'Unclosed start tag "{name}" at byte offset {begin}')
        value, i = _read_attribute_value(data, i, strict=strict)
        if _byte_at(data, i) == 0:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        if (name, attribute) in (("a", "href"), ("tg-emoji", "emoji-id")):
            argument = value
        elif name == "code" and attribute == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif name == "span" and attribute == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif name == "blockquote" and attribute == "expandable":
            argument = "1"
    if name == "span" and argument != "spoiler":
        raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
    return name, argument, i


def _read_attribute_value(data: bytes, i: int, *, strict: bool) -> tuple[str, int]:
    """A lowercased name token, or a quoted string with its references decoded."""
    quote = _byte_at(data, i)
    if quote not in (ord("'"), ord('"')):
        token_begin = i
        while _byte_at(data, i) in _ALNUM or _byte_at(data, i) in b".-":
            i += 1
        if not _is_td_space(_byte_at(data, i)) and _byte_at(data, i) != ord(">"):
            raise EntityParseError(f"Unexpected end of name token at byte offset {token_begin}")
        return data[token_begin:i].lower().decode("utf-8", "replace"), i
    i += 1
    value = bytearray()
    while _byte_at(data, i) != quote and _byte_at(data, i) != 0:
        if data[i] == ord("&"):
            code, end, terminated = _decode_html_entity(data, i)
            if code != 0 and (terminated or not strict):
                value += chr(code).encode("utf-8", "surrogatepass")
                i = end
                continue
            if strict:
                raise EntityParseError(
                    f'Character "&" at byte offset {i} must be escaped as "&amp;"'
                    " (Telegram would keep it; this fake server is strict)"
                )
        value.append(data[i])
        i += 1
    if _byte_at(data, i) == quote:
        i += 1
    return value.decode("utf-8", "replace"), i


def _add_html_entity(
    entities: list[JsonDict], open_tag: _OpenTag, length: int, out: bytearray
) -> None:
    offset = open_tag.utf16_offset
    last = entities[-1] if entities else None
    same_span = last is not None and last["offset"] == offset and last["length"] == length
    name = open_tag.name
    if name in _SIMPLE_TAG_ENTITIES:
        entities.append({"type": _SIMPLE_TAG_ENTITIES[name], "offset": offset, "length": length})
    elif name == "tg-emoji":
        argument = open_tag.argument
        if not re.fullmatch(r"[0-9]{1,19}", argument) or not 0 < int(argument) < 2**63:
            raise EntityParseError("Invalid custom emoji identifier specified")
        entities.append(
            {
                "type": "custom_emoji",
                "offset": offset,
                "length": length,
                "custom_emoji_id": argument,
            }
        )
    elif name == "a":
        url = open_tag.argument or out[open_tag.result_position :].decode("utf-8", "replace")
        checked = checked_link(url)
        if checked is not None:  # Telegram silently drops links it cannot use
            entities.append(
                {"type": "text_link", "offset": offset, "length": length, "url": checked}
            )
    elif name == "pre":
        if last is not None and same_span and last["type"] == "code" and "language" in last:
            last["type"] = "pre"
        else:
            entities.append({"type": "pre", "offset": offset, "length": length})
    elif name == "code":
        if last is not None and same_span and last["type"] == "pre" and open_tag.argument:
            last["language"] = open_tag.argument
        else:
            entity: JsonDict = {"type": "code", "offset": offset, "length": length}
            if open_tag.argument:
                entity["language"] = open_tag.argument
            entities.append(entity)
    elif name == "blockquote":
        kind = "expandable_blockquote" if open_tag.argument else "blockquote"
        entities.append({"type": kind, "offset": offset, "length": length})
