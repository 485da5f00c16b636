"""One loaded catalogue with its search index: the unit that the bot swaps on reload.

Everything a handler needs to answer from the catalogue (the services, their search index,
their parsed opening hours) hangs off one immutable ``Directory``, so a reload replaces a
single reference and no reader ever sees half of an old and half of a new catalogue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from bot.catalogue.model import Catalogue
from bot.catalogue.validation import Finding, load_catalogue
from bot.geo import Coordinates
from bot.hours.schedule import Schedules
from bot.search.index import SearchIndex
from bot.search.opening import Opening
from bot.search.outcome import SearchOutcome


@dataclass(frozen=True, eq=False)
class Directory:
    """A validated catalogue, its search index and opening hours, and when and from where it
    was loaded.

    ``schedules`` are the services' parsed opening hours: parsed here once per load and
    handed to every renderer, so they are dropped with the catalogue on the next reload.
    """

    catalogue: Catalogue
    index: SearchIndex
    schedules: Schedules
    source: Path
    loaded_at: datetime
    modified_at: datetime
    findings: tuple[Finding, ...] = field(default=())

    @classmethod
    def load(
        cls, path: Path, *, ui_languages: Sequence[str] = (), today: date | None = None
    ) -> Directory:
        """Load, validate and index ``path``; raises CatalogueError when it is refused."""
        # The time before reading: a save during the load then looks newer than what was
        # loaded, and the reloader loads it, instead of taking it for the loaded version.
        try:
            modified: datetime | None = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
        except OSError:
            modified = None  # load_catalogue refuses the file with a finding that says why
        loaded = load_catalogue(path, today=today, ui_languages=ui_languages)
        return cls.from_catalogue(
            loaded.catalogue, source=path, modified_at=modified, findings=tuple(loaded.findings)
        )

    @classmethod
    def from_catalogue(
        cls,
        catalogue: Catalogue,
        *,
        source: Path,
        modified_at: datetime | None = None,
        findings: tuple[Finding, ...] = (),
    ) -> Directory:
        """Index an already validated catalogue and parse its opening hours; closed services
        are left out here, once, so no answer can show them."""
        now = datetime.now(UTC)
        catalogue = catalogue.without_closed()
        return cls(
            catalogue=catalogue,
            index=SearchIndex.build(catalogue),
            schedules=Schedules.of_catalogue(catalogue),
            source=source,
            loaded_at=now,
            modified_at=modified_at or now,
            findings=findings,
        )

    def opening(self, now: datetime) -> Opening:
        """The services' opening hours at ``now``, in the region's time zone."""
        return Opening(self.schedules, now, self.catalogue.region.timezone)

    def search(
        self,
        text: str,
        *,
        language: str,
        near: Coordinates | None,
        limit: int,
        now: datetime,
    ) -> SearchOutcome:
        """A message searched as the bot answers it: with the opening hours at ``now``, so
        "jetzt", "heute abend" or "am Sonntag" filter, and open services come first."""
        return self.index.search(
            text, language=language, near=near, limit=limit, opening=self.opening(now)
        )
