"""What the anonymous search log may keep of a search's words, decided before they reach the disk.

The staff's unmet-needs report wants the words of searches that found nothing ("wohngeld",
"zahnarzt"), but a search is also where people type their name, their street or their bank
details. A list of common words cannot tell them apart: "maria" and "schmidt" are common German
words. What tells a need from a person is that several different people typed it. So:

1. Only words of searches that found nothing good are offered, and only from a message with
   no digit and no "@" in it (phone numbers, house numbers, postcodes, IBANs, e-mails and
   @usernames all have one), only letters, never a street name (``STREET_SUFFIXES``), never the
   words of a message that spoke of danger (the store keeps only the kind of danger).
2. :class:`SharedWords` counts, in memory only, how many different chats typed each word. A
   word reaches the disk only once ``SHARED_BY_CHATS`` chats typed it; from then on its
   searches are counted per day. Chats are held as keyed hashes under a random key made when
   the process starts, so not even a memory dump pairs them with Telegram ids after a restart;
   a word's chats are forgotten the moment it is released, after ``PENDING_DAYS``, and at
   /delete.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

SHARED_BY_CHATS = 3
"""k of k-anonymity: a word typed in three different chats shows a need, not a person. The
staff's report never shows fewer searches either (``UNMET_MIN_COUNT``)."""

PENDING_DAYS = timedelta(days=7)
"""A word that three chats did not type within a week is forgotten with its chats: a need that
rare is not what the weekly report is for, and memory stays bounded by a week's words."""

MAX_PENDING_WORDS = 20_000
"""A hard bound on words waiting for their third chat; the oldest go first. A city's week of
unanswered searches holds a few thousand distinct words."""

MIN_WORD_CHARS = 3
MAX_WORD_CHARS = 32
"""Shorter words are fragments ("de", "ab"); longer ones are pasted links or key mashing (the
search stage cuts terms at 32 letters too)."""

STREET_SUFFIXES = (
    "str",
    "strasse",
    "straße",
    "weg",
    "platz",
    "allee",
    "gasse",
    "damm",
    "ufer",
    "ring",
    "chaussee",
    "stieg",
    "pfad",
    "kamp",
    "hof",
    "markt",
)
"""German street names end so ("Limmerstraße", "Am Lindener Berge" has no number: its words
count like any other). A few search words end so as well ("hof" in "bahnhof", "friedhof"):
losing them from the report is the price of never keeping an address."""

_KEY_BYTES = 32
_CHAT_HASH_BYTES = 16


def words_to_offer(typed: str, normalized: str) -> tuple[str, ...]:
    """The words of one unanswered search that :class:`SharedWords` may count.

    ``typed`` is what the person wrote, only looked at here, never kept; ``normalized`` is the
    search stage's form of it (case-folded, filler words dropped), whose words are offered.
    """
    if any(char.isdigit() or char == "@" for char in typed):
        return ()
    words = []
    for word in normalized.split():
        if not (MIN_WORD_CHARS <= len(word) <= MAX_WORD_CHARS and word.isalpha()):
            continue
        if word.endswith(STREET_SUFFIXES):
            continue
        if word not in words:
            words.append(word)
    return tuple(words)


@dataclass
class _Pending:
    """A word waiting for its ``SHARED_BY_CHATS``-th chat: who typed it, how often."""

    first_day: date
    searches_by_chat: dict[bytes, int] = field(default_factory=dict)


class SharedWords:
    """Counts in memory which chats typed each word; lets a word out once enough did.

    Used on the event loop only (the store calls it before queueing its writes), so it needs
    no lock.
    """

    def __init__(self, shared_by: int = SHARED_BY_CHATS) -> None:
        self._shared_by = shared_by
        self._key = secrets.token_bytes(_KEY_BYTES)
        self._pending: dict[str, _Pending] = {}
        self._released: set[str] = set()

    def release(self, words: Iterable[str]) -> None:
        """Words already on disk (enough chats typed them before a restart)."""
        self._released.update(words)

    def offer(self, chat_id: int, words: Iterable[str], day: date) -> dict[str, int]:
        """Count one search's words; returns the searches each released word adds on ``day``.

        A word released by this search adds all its waiting searches at once.
        """
        self._expire(day)
        chat = self._chat(chat_id)
        out: dict[str, int] = {}
        for word in words:
            if word in self._released:
                out[word] = 1
                continue
            pending = self._pending.get(word)
            if pending is None:
                if len(self._pending) >= MAX_PENDING_WORDS:
                    del self._pending[next(iter(self._pending))]  # the oldest
                pending = self._pending[word] = _Pending(day)
            pending.searches_by_chat[chat] = pending.searches_by_chat.get(chat, 0) + 1
            if len(pending.searches_by_chat) >= self._shared_by:
                out[word] = sum(pending.searches_by_chat.values())
                del self._pending[word]
                self._released.add(word)
        return out

    def forget_chat(self, chat_id: int) -> None:
        """/delete: the chat's searches leave every word still waiting."""
        chat = self._chat(chat_id)
        for word in [w for w, p in self._pending.items() if chat in p.searches_by_chat]:
            del self._pending[word].searches_by_chat[chat]
            if not self._pending[word].searches_by_chat:
                del self._pending[word]

    def _chat(self, chat_id: int) -> bytes:
        """The chat as this process alone can recognise it: a keyed hash, never the id."""
        digest = hmac.new(self._key, str(chat_id).encode(), hashlib.sha256).digest()
        return digest[:_CHAT_HASH_BYTES]

    @property
    def pending_words(self) -> int:
        """How many words wait for more chats (for tests and the soak bench)."""
        return len(self._pending)

    def _expire(self, today: date) -> None:
        """Forget words (and their chats) that waited longer than ``PENDING_DAYS``."""
        cutoff = today - PENDING_DAYS
        while self._pending:
            oldest = next(iter(self._pending))
            if self._pending[oldest].first_day >= cutoff:
                break
            del self._pending[oldest]
