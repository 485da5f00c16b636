"""Every SQL statement the store runs, and the rows they return.

Statements run only on the store's database thread (see :class:`bot.store.store.Store`);
nothing here knows about threads or the event loop, so each query can be read, and tested,
as plain SQL over a connection.

The anonymous tables keep time only to the day, never a user or chat id, and rows with random
ids. The search log keeps no text: which words of unanswered searches may reach
``unmet_words`` is decided in memory first (:mod:`.searchlog`).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from sqlite_utils import Database

from bot.store.conversations import ConversationQueries
from bot.store.retention import CHAT_MESSAGE_LIFETIME, Cutoffs

UNMET_MIN_COUNT = 3
"""A word shows in the report only with three searches in its period; the report cannot go
lower (and no word reaches the disk before three different chats typed it, see
:mod:`.searchlog`)."""

WEAK_TOP_SCORE = 60.0
"""rapidfuzz's 0-100 scale: a best match under 60 is usually a different word (retune with
search)."""


# --- Rows -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ForgetResult:
    """How many rows /delete removed, per table, so the bot can say what it forgot."""

    users: int
    chat_messages: int
    conversations: int = 0

    @property
    def total(self) -> int:
        return self.users + self.chat_messages + self.conversations


@dataclass(frozen=True)
class HousekeepingResult:
    """How many expired rows one housekeeping run removed, per table."""

    chat_messages: int
    search_log: int
    users: int
    conversations: int = 0


@dataclass(frozen=True)
class Report:
    """One wrong-information report, as staff see it."""

    service_id: str
    kind: str
    created_at: datetime


@dataclass(frozen=True)
class UnmetWord:
    """A word of searches that found nothing good, typed in at least three different chats."""

    word: str
    count: int


@dataclass(frozen=True)
class ServiceReports:
    """The reports about one service, so staff fix the most-reported first."""

    service_id: str
    total: int
    by_kind: dict[str, int]


@dataclass(frozen=True)
class UsageReport:
    """Everything the staff's unmet-needs report shows, read in one trip to the database."""

    since: datetime
    unmet_words: list[UnmetWord]
    demand_by_category: dict[str, int]
    demand_by_language: dict[str, int]
    crisis_count: int
    reports_per_service: list[ServiceReports]
    searches_per_day: dict[date, int]


# --- Time -----------------------------------------------------------------------------
# Stored times are UTC ISO strings of one fixed shape, so text order is time order.


def utc(moment: datetime) -> datetime:
    """The moment in UTC; a naive moment is refused, since its zone would be a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got naive {moment!r}")
    return moment.astimezone(UTC)


def _day_text(moment: datetime) -> str:
    """The UTC day a moment falls in, as a moment: the reports' resolution."""
    return utc(moment).replace(hour=0, minute=0, second=0, microsecond=0).isoformat()


def _second_text(moment: datetime) -> str:
    return utc(moment).replace(microsecond=0).isoformat()


def _unordered_id() -> int:
    """A random row id for the anonymous tables (search log, reports).

    Counting ids would keep the order in which rows were written, and the quick-exit table
    (chat id, message id) keeps its own order: side by side, the two orders would tell
    whose search each log row was. Random ids keep no order; a clash is a 1 in 2**63 event.
    """
    return secrets.randbits(63)


class Queries:
    """Every statement the store runs; called only on the store's executor thread."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.conversations = ConversationQueries(db)

    # users

    def get_language(self, user_id: int) -> str | None:
        row = self.db.execute("SELECT language FROM users WHERE user_id = ?", [user_id]).fetchone()
        return None if row is None else row[0]

    def language_choices(self) -> dict[int, str]:
        return dict(
            self.db.execute("SELECT user_id, language FROM users WHERE language IS NOT NULL")
        )

    def set_language(self, user_id: int, code: str | None) -> None:
        self.db.table("users").upsert({"user_id": user_id, "language": code}, pk="user_id")

    def touch(self, user_id: int, day: date) -> None:
        # Never move the day backwards when calls arrive out of order.
        self.db.execute(
            "INSERT INTO users (user_id, last_seen_day) VALUES (?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET last_seen_day = excluded.last_seen_day "
            "WHERE last_seen_day IS NULL OR last_seen_day < excluded.last_seen_day",
            [user_id, day.isoformat()],
        )

    def forget_user(self, user_id: int) -> ForgetResult:
        with self.db.atomic():
            users = self.db.execute("DELETE FROM users WHERE user_id = ?", [user_id]).rowcount
            # In a private chat the chat id is the user id.
            messages = self.db.execute(
                "DELETE FROM chat_messages WHERE chat_id = ?", [user_id]
            ).rowcount
            conversations = self.conversations.forget_chat(user_id)
        # Copy the zeroed pages into the file and empty the WAL, which still holds old copies.
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return ForgetResult(users=users, chat_messages=messages, conversations=conversations)

    # search log and reports

    def log_search(
        self,
        language: str,
        categories: Sequence[str],
        result_count: int,
        top_score: float | None,
        danger: str | None,
        day: date,
        words: Mapping[str, int],
    ) -> None:
        # Plain SQL rather than Table.insert: this runs for every search, and insert()
        # looks up the table's columns and opens a savepoint each time. A message that spoke
        # of danger keeps only its kind and language: never its words.
        self.db.execute(
            "INSERT INTO search_log "
            "(id, language, categories, result_count, top_score, crisis, danger, day) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                _unordered_id(),
                language,
                json.dumps(sorted(set(categories))),
                result_count,
                top_score,
                int(danger is not None),
                danger,
                day.isoformat(),
            ],
        )
        # Words that enough different chats typed (see .searchlog), counted per day.
        self.db.conn.executemany(
            "INSERT INTO unmet_words (day, word, searches) VALUES (?, ?, ?) "
            "ON CONFLICT (day, word) DO UPDATE SET searches = searches + excluded.searches",
            [(day.isoformat(), word, count) for word, count in words.items()],
        )

    def unmet_vocabulary(self) -> set[str]:
        """Every word on disk: enough chats typed each, so it needs no counting again."""
        return {word for (word,) in self.db.execute("SELECT DISTINCT word FROM unmet_words")}

    def add_report(self, service_id: str, kind: str, when: datetime, update_id: int | None) -> bool:
        """False when the update that files it was already recorded (handled again)."""
        with self.db.atomic():
            return bool(
                self.db.execute(
                    "INSERT OR IGNORE INTO reports (id, service_id, kind, created_at, update_id) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [_unordered_id(), service_id, kind, _day_text(when), update_id],
                ).rowcount
            )

    def recent_reports(self, limit: int) -> list[Report]:
        rows = self.db.query(
            "SELECT service_id, kind, created_at FROM reports "
            "ORDER BY created_at DESC, service_id, kind "
            "LIMIT ?",
            [limit],
        )
        return [
            Report(row["service_id"], row["kind"], datetime.fromisoformat(row["created_at"]))
            for row in rows
        ]

    # chat messages for /clear

    def track_messages(self, chat_id: int, message_ids: Sequence[int], when: datetime) -> None:
        sent_at = _second_text(when)
        # Forget expired ids now rather than at the hourly housekeeping: the second a message
        # was sent is a trace of the chat's activity, kept only as long as /clear needs it.
        self.db.execute(
            "DELETE FROM chat_messages WHERE sent_at <= ?",
            [_second_text(utc(when) - CHAT_MESSAGE_LIFETIME)],
        )
        for message_id in message_ids:  # one to three per answer
            self.db.execute(
                "INSERT OR IGNORE INTO chat_messages (chat_id, message_id, sent_at) "
                "VALUES (?, ?, ?)",
                [chat_id, message_id, sent_at],
            )

    def messages_to_clear(self, chat_id: int, now: datetime) -> list[int]:
        rows = self.db.execute(
            "SELECT message_id FROM chat_messages WHERE chat_id = ? AND sent_at > ? "
            "ORDER BY message_id",
            [chat_id, _second_text(now - CHAT_MESSAGE_LIFETIME)],
        )
        return [message_id for (message_id,) in rows]

    def forget_messages(self, chat_id: int, message_ids: Sequence[int]) -> int:
        with self.db.atomic():
            return sum(
                self.db.execute(
                    "DELETE FROM chat_messages WHERE chat_id = ? AND message_id = ?",
                    [chat_id, message_id],
                ).rowcount
                for message_id in message_ids
            )

    def housekeeping(self, cutoffs: Cutoffs) -> HousekeepingResult:
        with self.db.atomic():
            messages = self.db.execute(
                "DELETE FROM chat_messages WHERE sent_at <= ?",
                [_second_text(cutoffs.chat_messages)],
            ).rowcount
            oldest_day = utc(cutoffs.search_log).date().isoformat()
            searches = self.db.execute(
                "DELETE FROM search_log WHERE day < ?", [oldest_day]
            ).rowcount
            self.db.execute("DELETE FROM unmet_words WHERE day < ?", [oldest_day])
            users = self.db.execute(
                "DELETE FROM users WHERE last_seen_day < ?", [cutoffs.users_day.isoformat()]
            ).rowcount
            ended = self.conversations.expire(cutoffs.conversations, cutoffs.now)
        if ended:  # the ended rows' freed pages are zeroed; push them out of the WAL too
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return HousekeepingResult(
            chat_messages=messages, search_log=searches, users=users, conversations=ended
        )

    # staff statistics

    def unmet_words(self, since: date, min_count: int) -> list[UnmetWord]:
        if min_count < UNMET_MIN_COUNT:
            raise ValueError(
                f"min_count must be at least {UNMET_MIN_COUNT}, so that no single person's "
                f"words are shown (got {min_count})"
            )
        rows = self.db.execute(
            "SELECT word, sum(searches) AS total FROM unmet_words WHERE day >= ? "
            "GROUP BY word HAVING total >= ? ORDER BY total DESC, word",
            [since.isoformat(), min_count],
        )
        return [UnmetWord(word, total) for word, total in rows]

    def demand_by_category(self, since: date) -> dict[str, int]:
        rows = self.db.execute(
            "SELECT category.value, count(*) AS searches "
            "FROM search_log, json_each(search_log.categories) AS category "
            "WHERE day >= ? GROUP BY category.value ORDER BY searches DESC, category.value",
            [since.isoformat()],
        )
        return dict(rows.fetchall())

    def demand_by_language(self, since: date) -> dict[str, int]:
        rows = self.db.execute(
            "SELECT language, count(*) AS searches FROM search_log WHERE day >= ? "
            "GROUP BY language ORDER BY searches DESC, language",
            [since.isoformat()],
        )
        return dict(rows.fetchall())

    def crisis_count(self, since: date) -> int:
        return self.db.table("search_log").count_where(
            "day >= ? AND crisis = 1", [since.isoformat()]
        )

    def reports_per_service(self, since: datetime) -> list[ServiceReports]:
        rows = self.db.execute(
            "SELECT service_id, kind, count(*) FROM reports WHERE created_at >= ? "
            "GROUP BY service_id, kind",
            [_day_text(since)],
        )
        by_service: dict[str, dict[str, int]] = {}
        for service_id, kind, count in rows:
            by_service.setdefault(service_id, {})[kind] = count
        summaries = [
            ServiceReports(service_id, sum(kinds.values()), dict(sorted(kinds.items())))
            for service_id, kinds in by_service.items()
        ]
        return sorted(summaries, key=lambda s: (-s.total, s.service_id))

    def searches_per_day(self, since: date) -> dict[date, int]:
        rows = self.db.execute(
            "SELECT day, count(*) FROM search_log WHERE day >= ? GROUP BY day ORDER BY day",
            [since.isoformat()],
        )
        return {date.fromisoformat(day): count for day, count in rows}

    def usage_report(self, since: datetime, min_count: int, tz: tzinfo) -> UsageReport:
        # The log's days are the city's calendar days (the bot passes them in).
        first_day = since.astimezone(tz).date()
        return UsageReport(
            since=since,
            unmet_words=self.unmet_words(first_day, min_count),
            demand_by_category=self.demand_by_category(first_day),
            demand_by_language=self.demand_by_language(first_day),
            crisis_count=self.crisis_count(first_day),
            reports_per_service=self.reports_per_service(since),
            searches_per_day=self.searches_per_day(first_day),
        )
