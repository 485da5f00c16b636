"""The staff hear of each distinct bug at most once an hour, told apart by type and our line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.chat.bugs import MAX_REMEMBERED_BUGS, BugNotices, bug_location

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _raise(text: str) -> BaseException:
    try:
        int(text)
    except ValueError as error:
        return error
    raise AssertionError("int() took the text")


def test_the_same_bug_is_due_again_after_an_hour() -> None:
    notices = BugNotices()
    assert notices.due("KeyError in bot/x.py:1", NOW)
    assert not notices.due("KeyError in bot/x.py:1", NOW + timedelta(minutes=59))
    assert notices.due("KeyError in bot/x.py:2", NOW + timedelta(minutes=59))  # another bug
    assert notices.due("KeyError in bot/x.py:1", NOW + timedelta(minutes=61))


def test_memory_is_bounded() -> None:
    notices = BugNotices()
    for number in range(MAX_REMEMBERED_BUGS + 10):
        notices.due(f"bug {number}", NOW)
    assert len(notices._told) == MAX_REMEMBERED_BUGS


def test_the_location_never_carries_the_message() -> None:
    error = _raise("Maria Schmidt")
    location = bug_location(error)
    assert location.startswith("ValueError in ")
    assert "Maria" not in location
