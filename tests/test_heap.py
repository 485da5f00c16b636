"""bot.heap: long-lived objects are frozen, garbage cycles are not kept."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from bot import heap


class Node:
    """Something that can sit in a reference cycle and be watched through a weak reference."""

    def __init__(self) -> None:
        self.partner: Node | None = None


def cycle() -> tuple[Node, weakref.ref[Node]]:
    node = Node()
    node.partner = node
    return node, weakref.ref(node)


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    """Give the rest of the test session a normal collector again."""
    yield
    gc.unfreeze()


def in_collected_generations(target: object) -> bool:
    return any(obj is target for generation in range(3) for obj in gc.get_objects(generation))


def test_settle_freezes_what_is_alive() -> None:
    alive, watch = cycle()
    assert in_collected_generations(alive)
    assert heap.settle() == gc.get_freeze_count() > 0
    assert not in_collected_generations(alive)  # skipped by every collection
    gc.collect()
    assert watch() is alive


def test_garbage_before_settle_is_collected_not_frozen() -> None:
    node, watch = cycle()
    del node
    heap.settle()
    assert watch() is None


def test_a_cycle_dropped_after_settle_is_released_by_the_next_settle() -> None:
    node, watch = cycle()
    heap.settle()
    del node
    gc.collect()
    assert watch() is not None  # frozen: the collector skips it, the price of freezing
    heap.settle()
    assert watch() is None


def test_reference_counting_still_frees_frozen_objects() -> None:
    node = Node()
    watch = weakref.ref(node)
    heap.settle()
    del node
    assert watch() is None
