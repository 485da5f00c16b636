"""Conversations with the counsellors in the store: only the link, and it goes when it must.

The checks read the real SQLite file (and its WAL) through a second connection: after /delete
at once, and after the retention period past /close, nothing links the chat to the topic.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.counsel.codes import new_code
from bot.store.conversations import State
from bot.store.retention import COUNSEL_RETENTION
from bot.store.store import Store
from store.storage_helpers import ALICE, BOB, NOW, opened, rows, sqlite_varint

TOPIC = 4_242_424


def _link_bytes(path: Path) -> list[str]:
    """Which of the chat id's and the topic id's stored forms the file, WAL or SHM holds."""
    found = []
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if not file.exists():
            continue
        data = file.read_bytes()
        for name, number in (("chat", ALICE), ("topic", TOPIC)):
            stored = number.to_bytes((number.bit_length() + 8) // 8, "big")
            if stored in data or sqlite_varint(number) in data:
                found.append(f"{file.name}: {name}")
    return found


async def test_a_conversation_keeps_only_the_link_and_its_times(db_path: Path) -> None:
    async with opened(db_path) as store:
        talk = await store.conversations.start("K7F2", ALICE, TOPIC, "ar", NOW)
        talk = await store.conversations.person_wrote(talk, NOW)
        later = await store.conversations.person_wrote(talk, NOW + timedelta(minutes=5))
        assert later.waiting_since == NOW  # since the oldest unanswered message
        assert store.conversations.waiting(NOW + timedelta(minutes=10)).waiting == 1

    (row,) = rows(db_path, "SELECT * FROM conversations")
    columns = [c[1] for c in rows(db_path, "PRAGMA table_info(conversations)")]
    assert columns == [
        "code",
        "chat_id",
        "topic_id",
        "language",
        "state",
        "last_message_at",
        "waiting_since",
        "closed_at",
        "blocked_until",
        "marked",
    ]
    assert row[:5] == ("K7F2", ALICE, TOPIC, "ar", "open")


async def test_open_conversations_are_known_again_after_a_restart(db_path: Path) -> None:
    async with opened(db_path) as store:
        await store.conversations.start("K7F2", ALICE, TOPIC, "uk", NOW)
        ended = await store.conversations.start("AC34", BOB, TOPIC + 1, "de", NOW)
        await store.conversations.end(ended, NOW)
    async with opened(db_path) as store:
        talk = store.conversations.of_topic(TOPIC)
        assert talk is not None and talk.chat_id == ALICE and talk.state is State.OPEN
        assert store.conversations.of_chat(BOB) is None
        # The ended one's code stays taken while its row is kept: the code is the row's key.
        assert await store.conversations.codes_in_use() == {"K7F2", "AC34"}


async def test_a_new_conversation_never_takes_the_code_of_a_kept_block(db_path: Path) -> None:
    """Drawn again, a kept code would overwrite the ended row: a running block would vanish."""
    async with opened(db_path) as store:
        talk = await store.conversations.start("K7F2", ALICE, TOPIC, "de", NOW)
        await store.conversations.end(talk, NOW, blocked_until=NOW + timedelta(days=7))
        draws = iter("K7F2" + "AC34")
        used = await store.conversations.codes_in_use()
        code = new_code(used.__contains__, lambda _: next(draws))
        assert code == "AC34"
        await store.conversations.start(code, BOB, TOPIC + 1, "de", NOW)
        assert await store.conversations.blocked_until(ALICE, NOW) is not None
        await store.housekeeping(NOW + timedelta(days=40))
        assert "K7F2" not in await store.conversations.codes_in_use()


async def test_delete_removes_the_link_at_once(db_path: Path) -> None:
    async with opened(db_path) as store:
        talk = await store.conversations.start("K7F2", ALICE, TOPIC, "ar", NOW)
        await store.conversations.person_wrote(talk, NOW)
        assert _link_bytes(db_path)  # the check sees the link while it is there
        result = await store.forget_user(ALICE)
        assert result.conversations == 1
        assert not store.conversations.is_open(ALICE)
        assert rows(db_path, "SELECT count(*) FROM conversations") == [(0,)]
    assert _link_bytes(db_path) == []


async def test_retention_removes_an_ended_conversation_after_its_period(db_path: Path) -> None:
    async with opened(db_path) as store:
        talk = await store.conversations.start("K7F2", ALICE, TOPIC, "de", NOW)
        await store.conversations.end(talk, NOW)
        before = await store.housekeeping(NOW + COUNSEL_RETENTION - timedelta(hours=1))
        assert before.conversations == 0
        after = await store.housekeeping(NOW + COUNSEL_RETENTION + timedelta(hours=1))
        assert after.conversations == 1
    assert rows(db_path, "SELECT count(*) FROM conversations") == [(0,)]
    assert _link_bytes(db_path) == []


async def test_a_running_block_outlives_the_retention_period(db_path: Path) -> None:
    async with opened(db_path) as store:
        talk = await store.conversations.start("K7F2", ALICE, TOPIC, "de", NOW)
        until = NOW + timedelta(days=60)
        await store.conversations.end(talk, NOW, blocked_until=until)
        assert await store.conversations.blocked_until(ALICE, NOW) is not None
        kept = await store.housekeeping(NOW + COUNSEL_RETENTION + timedelta(days=1))
        assert kept.conversations == 0
        gone = await store.housekeeping(until + timedelta(hours=1))
        assert gone.conversations == 1
        assert await store.conversations.blocked_until(ALICE, until) is None


def test_the_open_ones_are_read_from_the_file_at_start(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert store.conversations.waiting(NOW).open == 0


async def test_a_late_message_never_reopens_an_ended_conversation(db_path: Path) -> None:
    """The person's side and the team's side run in parallel: a message handled with the
    conversation as it was before /close must not bring it back."""
    async with opened(db_path) as store:
        seen = await store.conversations.start("K7F2", ALICE, TOPIC, "de", NOW)
        assert await store.conversations.end(seen, NOW) is not None
        assert await store.conversations.person_wrote(seen, NOW) is None
        assert await store.conversations.mark(seen) is None
        assert await store.conversations.end(seen, NOW) is None
        assert not store.conversations.is_open(ALICE)
    assert rows(db_path, "SELECT state FROM conversations") == [("closed",)]
