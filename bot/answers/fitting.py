"""Fitting text into Telegram messages: one message holds at most 4,096 characters.

Every place that sends long text asks here: the answers split into several messages, the staff
messages (reload news, /stats, /reports) shorten their lists and say how many were left out,
long names and findings are cut with an ellipsis. Keeping the limit and the cutting rules in
one module means a change in Telegram's limit, or a better rule, is made once.

All helpers work on finished Telegram HTML and cut only between the pieces they are given (or
at line breaks and spaces, which our renderers never put inside a tag), so a tag is never cut
in half.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

MAX_MESSAGE_CHARS = 4096
"""Telegram's limit for one message's visible text."""


def shorten(text: str, limit: int) -> str:
    """``text`` itself if it has at most ``limit`` characters, else cut to that with "…"."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def first_that_fits(candidates: Iterable[str], limit: int = MAX_MESSAGE_CHARS) -> str | None:
    """The first candidate within ``limit``, or None; candidates come richest first.

    A generator of candidates (fewer rows each time) renders only as many versions as needed.
    """
    return next((text for text in candidates if len(text) <= limit), None)


def fit_items(
    head: Sequence[str],
    items: Sequence[str],
    tail: Sequence[str],
    *,
    more: str,
    limit: int = MAX_MESSAGE_CHARS,
) -> str:
    """``head``, as many ``items`` as fit in one message, a "… and N more" line, ``tail``.

    ``more`` is a format string with ``{count}``; room for it is kept unless the last item fits.
    """
    reserve = len(more.format(count=len(items))) + 1
    used = len("\n".join([*head, *tail])) + 1
    shown: list[str] = []
    for number, item in enumerate(items):
        room = limit - used - len(item) - 1
        if room < (reserve if number < len(items) - 1 else 0):
            break
        shown.append(item)
        used += len(item) + 1
    if len(shown) < len(items):
        shown.append(more.format(count=len(items) - len(shown)))
    return "\n".join([*head, *shown, *tail])


def split_message(blocks: list[str], limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Join blocks (cards) into as few messages as fit Telegram's limit.

    Blocks are split only between each other, so an HTML tag is never cut in half; a single
    block longer than the limit is cut at line breaks, which our renderers never put inside a
    tag.
    """
    pieces = (piece for block in blocks for piece in _cut_block(block, limit))
    return _pack(pieces, "\n\n", limit)


def _cut_block(block: str, limit: int) -> list[str]:
    if len(block) <= limit:
        return [block]
    lines: list[str] = []
    for line in block.split("\n"):
        while len(line) > limit:  # a pathological single line: cut hard, outside tags
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            lines.append(line[:cut])
            line = line[cut:].lstrip()
        lines.append(line)
    return _pack(lines, "\n", limit)


def _pack(pieces: Iterable[str], separator: str, limit: int) -> list[str]:
    """Join pieces (each within ``limit``) with ``separator``, as few chunks as fit."""
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}{separator}{piece}" if current else piece
        if len(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = piece
    if current:
        chunks.append(current)
    return chunks
