"""Live reload of the catalogue: notice a changed file, load it off the event loop, swap or refuse.

Why a module of its own, free of Telegram: the decisions (has the file changed? is the new one
good?) are what must be right, and they are tested on real files without a bot. What staff read
about an outcome is written by ``bot.staff.reload_messages``; the Telegram side (sending it,
/reload) is a thin caller in ``bot.chat.handlers.staff`` and ``bot.chat.app``.

How a change is noticed: one ``stat`` per check (modification time and size), cheap enough to
run every few seconds forever. Only when that changes is the file hashed, and only when the hash
differs from the active catalogue's (and from the last refused file's) is it loaded. Loading,
validating and indexing run in a worker thread (``asyncio.to_thread``); searches go on being
answered from the old directory until the new one replaces it in one assignment
(``DirectoryHolder.replace``). A refused file changes nothing, and its errors reach staff once.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from bot import heap
from bot.catalogue.validation import CatalogueError, Finding
from bot.directory import Directory

logger = logging.getLogger(__name__)

SETTLE_SECONDS = 2.0
"""A file modified less than this long ago is hashed on every check even if its stat looks the
same: file systems update mtime in coarse ticks (a few ms), so two saves of equal size inside one
tick would otherwise look identical ("racy git"). Two seconds covers even FAT's 2 s clock."""

MISSING = "missing"
"""The content key of a file that cannot be read (deleted, no permission)."""


class DirectorySlot(Protocol):
    """Where the bot keeps its current directory (``bot.chat.context.DirectoryHolder``)."""

    @property
    def current(self) -> Directory: ...

    def replace(self, directory: Directory) -> Directory: ...


@dataclass(frozen=True)
class FileStamp:
    """What one ``stat`` says about the file: enough to notice a save without reading it."""

    mtime_ns: int
    size: int
    mtime: float = field(compare=False)
    """The same time as the float ``Directory.load`` records, to compare the two exactly."""

    @classmethod
    def of(cls, path: Path) -> FileStamp | None:
        """The file's stamp, or None while it does not exist (or cannot be seen)."""
        try:
            stat = path.stat()
        except OSError:
            return None
        return cls(stat.st_mtime_ns, stat.st_size, stat.st_mtime)

    @property
    def modified_at(self) -> datetime:
        return datetime.fromtimestamp(self.mtime, tz=UTC)

    def settled(self, now: float) -> bool:
        """Whether a later save would show as a new stamp (see ``SETTLE_SECONDS``)."""
        return now - self.mtime >= SETTLE_SECONDS


def content_key(path: Path) -> str:
    """A hash of the file's bytes, or ``MISSING``: equal keys mean the same catalogue text."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return MISSING


# --- Outcomes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reloaded:
    """A new valid file is now the active directory."""

    directory: Directory
    previous: Directory

    @property
    def announce(self) -> bool:
        return True


@dataclass(frozen=True)
class Refused:
    """The file has errors; ``active`` (the last good directory) keeps answering."""

    path: Path
    findings: tuple[Finding, ...]
    active: Directory
    repeated: bool = False
    """The same file was refused before: only someone who asks (/reload) hears it again."""

    @property
    def announce(self) -> bool:
        return not self.repeated


@dataclass(frozen=True)
class Unchanged:
    """The file holds what the active directory was loaded from."""

    directory: Directory
    restored: bool = False
    """The file had been refused and is now back to the active version: staff want to know."""

    @property
    def announce(self) -> bool:
        return self.restored


ReloadOutcome = Reloaded | Refused | Unchanged


# --- The decision ------------------------------------------------------------------------


class CatalogueReloader:
    """Decides, check by check, whether the catalogue file is new, good, and swapped in.

    One lock serialises the watcher's checks and /reload, so two loads never race to swap.
    The file watched is the one the current directory was loaded from (``Directory.source``),
    which is SERVICES_FILE in production.
    """

    def __init__(
        self,
        slot: DirectorySlot,
        *,
        ui_languages: Sequence[str] = (),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._slot = slot
        self._ui_languages = tuple(ui_languages)
        self._clock = clock
        self._lock = asyncio.Lock()
        self._looked = False
        self._seen: FileStamp | None = None
        self._active_key: str | None = None
        self._refused_key: str | None = None

    @property
    def path(self) -> Path:
        return self._slot.current.source

    async def check(self, *, force: bool = False) -> ReloadOutcome | None:
        """Look at the file once; swap in a good new version, refuse a bad one.

        Without ``force`` (the watcher) only news is returned: a reload, a newly refused
        file, or a refused file put back as it was; None otherwise. ``force`` (/reload)
        skips the cheap stat shortcut and always returns what it found, so the person who
        asked gets an answer.
        """
        async with self._lock:
            path = self.path
            stamp = await asyncio.to_thread(FileStamp.of, path)
            if not self._looked:
                self._looked = True
                await self._adopt_loaded_file(path, stamp)
            elif (
                not force
                and stamp == self._seen
                and (stamp is None or stamp.settled(self._clock()))
            ):
                return None
            self._seen = stamp
            key = await asyncio.to_thread(content_key, path)
            if key == self._active_key:
                restored, self._refused_key = self._refused_key is not None, None
                outcome = Unchanged(self._slot.current, restored=restored)
                return outcome if force or outcome.announce else None
            if key == self._refused_key and not force:
                return None
            return await self._load(path, stamp, key, force=force)

    async def _adopt_loaded_file(self, path: Path, stamp: FileStamp | None) -> None:
        """First look: if the file is still the one loaded at start, remember its key.

        Comparing modification times (not loading again) keeps the start cheap; a file saved
        between loading and this first look has another time and is loaded by this check.
        """
        self._seen = stamp
        current = self._slot.current
        if stamp is not None and stamp.modified_at == current.modified_at:
            self._active_key = await asyncio.to_thread(content_key, path)

    async def _load(
        self, path: Path, stamp: FileStamp | None, key: str, *, force: bool
    ) -> ReloadOutcome | None:
        try:
            directory = await asyncio.to_thread(
                Directory.load, path, ui_languages=self._ui_languages
            )
        except CatalogueError as error:
            findings: tuple[Finding, ...] = tuple(error.findings)
        except Exception as error:  # a loader bug must not end reloading for good
            logger.exception("Loading %s failed unexpectedly", path)
            findings = (_internal_error(path, error),)
        else:
            changed_meanwhile = await asyncio.to_thread(FileStamp.of, path) != stamp
            previous = self._slot.replace(directory)
            heap.settle()
            # Saved again while loading: the key may belong to neither version; look again.
            self._active_key = None if changed_meanwhile else key
            self._refused_key = None
            logger.info("Reloaded %s: %d services", path, len(directory.catalogue.services))
            return Reloaded(directory, previous)
        if await asyncio.to_thread(FileStamp.of, path) != stamp and not force:
            return None  # saved again while loading (a half-written file?): judge the next one
        repeated, self._refused_key = key == self._refused_key, key
        errors = sum(f.level == "error" for f in findings)
        logger.warning("Refused %s: %d error(s)", path, errors)
        return Refused(path, findings, self._slot.current, repeated=repeated)


def _internal_error(path: Path, error: Exception) -> Finding:
    return Finding(
        level="error",
        file=str(path),
        line=1,
        message=(
            f"the bot could not load this file because of an internal error "
            f"({type(error).__name__}); the log has the details. Please tell the developers."
        ),
    )


async def watch(
    reloader: CatalogueReloader,
    interval: float,
    report: Callable[[ReloadOutcome], Awaitable[None]],
) -> None:
    """Check every ``interval`` seconds until cancelled; hand every piece of news to ``report``.

    Nothing that goes wrong in one round may end the watching: the next save must still be
    seen, so an unexpected error is logged and the loop goes on.
    """
    while True:
        await asyncio.sleep(interval)
        try:
            outcome = await reloader.check()
            if outcome is not None:
                await report(outcome)
        except Exception:  # see the docstring; CancelledError is not caught
            logger.exception("Checking %s for changes failed", reloader.path)
