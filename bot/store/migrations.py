"""The database schema, as migrations that run once per database file.

sqlite-utils records each migration in ``_sqlite_migrations`` atomically with its changes, so
opening an old file brings it up to date and opening a current one changes nothing.

Privacy is a feature, so every table keeps the least that its feature needs:

- ``users``: the Telegram user id, the explicit language choice and the last day
  (date only) the person wrote. We keep the id because a language choice must be
  found again on the next message, and because /delete must find every row that
  belongs to a person; the day lets housekeeping forget people who stopped coming.
- ``search_log``: one row per search: the categories it matched, its language, how many
  results, the kind of danger if any, and the day. Never its text, never by whom.
- ``unmet_words``: per day, words of searches that found nothing good, only once three
  different chats typed them (decided in memory first: :mod:`.searchlog`).
- ``reports``: which service has wrong information and what kind, and the day; never who.
- ``chat_messages``: chat id and message id of messages that /clear ("quick exit")
  may delete, for the 48 hours Telegram allows deleting them, then purged. No text.
- ``inbox``: raw updates (which hold what a person wrote) from the moment Telegram hands them
  over until they are handled, then deleted; ``inbox_done`` keeps only handled update ids
  for 25 hours (see :mod:`.inbox`).
- ``conversations``: a conversation with the counsellors: its random code, the person's chat,
  the forum topic, the language (the topic's name shows it too), its state, the time of the
  last message and since when the person waits, a block's end. Never a message's content.
- ``relayed``: the bare ids of updates whose message was relayed to the other side of a
  conversation, only until the inbox marks the update handled (see :mod:`.inbox`).
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

# Each migration runs once per database, atomically with the record that it ran.
# To change the schema, add a function below the last one, e.g.
#     @MIGRATIONS(name="m002_search_log_language")
#     def m002_search_log_language(db: Database) -> None:
#         db["search_log"].create_index(["language"])
# and never edit a migration that has shipped.

MIGRATIONS = Migrations("wegweiser")


@MIGRATIONS(name="m001_initial")
def m001_initial(db: Database) -> None:
    """Create the four tables and the indexes that the purges and reports filter on."""
    users = db.table("users")
    users.create(
        {"user_id": int, "language": str, "last_seen_day": str},
        pk="user_id",
        strict=True,
    )
    users.create_index(["last_seen_day"])

    search_log = db.table("search_log")
    search_log.create(
        {
            "id": int,
            "query": str,
            "language": str,
            "categories": str,
            "result_count": int,
            "top_score": float,
            "crisis": int,
            "hour": str,
        },
        pk="id",
        not_null=["language", "categories", "result_count", "crisis", "hour"],
        strict=True,
    )
    search_log.create_index(["hour"])

    reports = db.table("reports")
    reports.create(
        {"id": int, "service_id": str, "kind": str, "created_at": str},
        pk="id",
        not_null=["service_id", "kind", "created_at"],
        strict=True,
    )
    reports.create_index(["created_at"])

    chat_messages = db.table("chat_messages")
    chat_messages.create(
        {"chat_id": int, "message_id": int, "sent_at": str},
        pk=("chat_id", "message_id"),
        not_null=["sent_at"],
        strict=True,
    )
    chat_messages.create_index(["sent_at"])


@MIGRATIONS(name="m002_search_log_danger")
def m002_search_log_danger(db: Database) -> None:
    """The kind of danger a search spoke of (suicide, violence …); its words are never kept."""
    db["search_log"].add_column("danger", str)


@MIGRATIONS(name="m003_inbox")
def m003_inbox(db: Database) -> None:
    """The durable inbox (:mod:`.inbox`): raw updates only until they are handled, then only
    the bare update id for Telegram's 24-hour redelivery window. A report keeps the id of the
    update that filed it, so a report handled again after a crash is not counted twice."""
    db.table("inbox").create({"update_id": int, "payload": str}, pk="update_id", strict=True)
    db.table("inbox_done").create(
        {"update_id": int, "done_at": str}, pk="update_id", not_null=["done_at"], strict=True
    )
    db["inbox_done"].create_index(["done_at"])
    db["reports"].add_column("update_id", int)
    db["reports"].create_index(["update_id"], unique=True)


@MIGRATIONS(name="m004_private_search_log")
def m004_private_search_log(db: Database) -> None:
    """The search log forgets its texts and hours; unanswered words wait for several chats.

    The old log kept each search's normalised text, which held names, IBANs and streets,
    and the hour, which a quiet night pairs with one person. The texts are dropped, not
    sifted: nothing in them says how many different people typed a word. Hours become UTC
    days, in the search log and the reports. ``unmet_words`` holds only words that
    ``bot.store.searchlog.SHARED_BY_CHATS`` different chats typed, counted per day.
    """
    search_log = db.table("search_log")
    db.execute("DROP INDEX IF EXISTS idx_search_log_hour")
    search_log.transform(drop={"query"}, rename={"hour": "day"})
    db.execute("UPDATE search_log SET day = substr(day, 1, 10)")
    search_log.create_index(["day"])
    db.execute("UPDATE reports SET created_at = substr(created_at, 1, 10) || 'T00:00:00+00:00'")
    db.table("unmet_words").create(
        {"day": str, "word": str, "searches": int},
        pk=("day", "word"),
        not_null=["searches"],
        strict=True,
    )


@MIGRATIONS(name="m005_conversations")
def m005_conversations(db: Database) -> None:
    """Conversations with the counsellors (:mod:`.conversations`): only the link code ↔ chat ↔
    topic and what the rules need; the messages themselves go through Telegram only."""
    conversations = db.table("conversations")
    conversations.create(
        {
            "code": str,
            "chat_id": int,
            "topic_id": int,
            "language": str,
            "state": str,
            "last_message_at": str,
            "waiting_since": str,
            "closed_at": str,
            "blocked_until": str,
            "marked": int,
        },
        pk="code",
        not_null=["chat_id", "topic_id", "language", "state", "last_message_at", "marked"],
        strict=True,
    )
    conversations.create_index(["chat_id"])
    conversations.create_index(["closed_at"])


@MIGRATIONS(name="m006_relayed")
def m006_relayed(db: Database) -> None:
    """Which updates were already relayed between a person and the counsellors: the bare update
    id, kept only until the inbox marks that update handled. The inbox may hand an update again
    after a crash; this key keeps the copy from reaching the other side twice."""
    db.table("relayed").create({"update_id": int}, pk="update_id", strict=True)
