"""What staff read about a catalogue reload: "reloaded", "refused" or "unchanged", in Telegram HTML.

The decisions are :mod:`bot.reloader`'s; this module only words them, in English like every
staff text, each in one message: a refused file lists as many of its errors as fit (file,
line, service and fix), then how many more there are and how to go on.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.answers.fitting import fit_items, shorten
from bot.answers.texts import esc
from bot.catalogue.validation import Finding
from bot.directory import Directory
from bot.reloader import Refused, Reloaded, ReloadOutcome

MAX_FINDING_CHARS = 400
"""One finding is a sentence or two; longer means a huge value quoted back, which helps nobody."""


def staff_message(outcome: ReloadOutcome) -> str:
    """The outcome as one Telegram HTML message for the staff chats (≤ 4096 characters)."""
    if isinstance(outcome, Reloaded):
        return reloaded_message(outcome.directory, outcome.previous)
    if isinstance(outcome, Refused):
        return refused_message(outcome.path, outcome.findings, outcome.active)
    return unchanged_message(outcome.directory, restored=outcome.restored)


def _warnings(directory: Directory) -> int:
    """Warnings as ``python -m bot validate`` counts them (details of a summary left out)."""
    return sum(f.level == "warning" and not f.detail for f in directory.findings)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _loaded_at(directory: Directory) -> str:
    """When the active version was loaded, on the city's clock."""
    local = directory.loaded_at.astimezone(directory.catalogue.region.tz)
    return local.strftime("%Y-%m-%d %H:%M")


def reloaded_message(directory: Directory, previous: Directory) -> str:
    """Short: the new number of services, what came and went, the warnings."""
    new_ids = set(directory.catalogue.services_by_id)
    old_ids = set(previous.catalogue.services_by_id)
    warnings = _warnings(directory)
    hint = " (<code>python -m bot validate</code> lists them)" if warnings else ""
    return (
        f"✅ <b>{esc(directory.source.name)} reloaded</b>: "
        f"{_plural(len(new_ids), 'service')} ({len(new_ids - old_ids)} new, "
        f"{len(old_ids - new_ids)} removed), {_plural(warnings, 'warning')}{hint}."
    )


def unchanged_message(directory: Directory, *, restored: bool = False) -> str:
    """/reload on the active file, or a refused file put back as it was."""
    name = esc(directory.source.name)
    services = _plural(len(directory.catalogue.services), "service")
    if restored:
        return (
            f"↩️ <b>{name}</b> is back to the active version ({services}); "
            "the refused changes are gone."
        )
    return (
        f"<b>{name}</b> is unchanged: {services}, "
        f"{_plural(_warnings(directory), 'warning')}, active since {_loaded_at(directory)}."
    )


def refused_message(path: Path, findings: Sequence[Finding], active: Directory) -> str:
    """Every error with file, line, service and fix, as many as fit; then how to go on."""
    errors = [f for f in findings if f.level == "error"]
    shown = [f for f in findings if f.level in ("error", "note")]
    services = _plural(len(active.catalogue.services), "service")
    head = (
        f"❌ <b>{esc(path.name)} refused</b>: {_plural(len(errors), 'error')}. The bot keeps "
        f"answering from the last good version ({services}, loaded {_loaded_at(active)})."
    )
    tail = "Fix the file and save it again; the bot tries it within seconds (or send /reload)."
    lines = [f"• {esc(shorten(f.format(), MAX_FINDING_CHARS))}" for f in shown]
    return fit_items([head, ""], lines, ["", tail], more="… and {count} more")
