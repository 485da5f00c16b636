"""bot.texts.split_message: long answers become several messages, nothing lost or reordered."""

from __future__ import annotations

import pytest

from bot.texts import MAX_MESSAGE_CHARS, split_message


def test_short_blocks_share_one_message() -> None:
    assert split_message(["<b>1</b>\nA", "<b>2</b>\nB"]) == ["<b>1</b>\nA\n\n<b>2</b>\nB"]


def test_blocks_are_split_between_each_other_never_inside() -> None:
    cards = [f"<b>{n}</b>\n" + "x" * 1500 for n in range(6)]
    messages = split_message(cards)
    assert len(messages) == 3
    assert all(len(message) <= MAX_MESSAGE_CHARS for message in messages)
    assert "\n\n".join(messages) == "\n\n".join(cards)


@pytest.mark.parametrize("limit", [40, 100])
def test_a_block_longer_than_the_limit_is_cut_at_lines_in_order(limit: int) -> None:
    long_line = " ".join(f"word{n}" for n in range(60))
    block = "\n".join(["first line", "second line", long_line, "last line"])
    messages = split_message([block], limit=limit)
    assert all(len(message) <= limit for message in messages)
    assert " ".join(" ".join(messages).split()) == " ".join(block.split())
