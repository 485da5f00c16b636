"""The unmet-needs report as staff read it: a terminal table, CSV, JSON and Telegram HTML.

Every format walks the same list of sections (:func:`_sections`), so a table added to the
report shows up everywhere at once. :mod:`bot.staff.report` gathers the numbers; this module
only lays them out. Staff read English here, like every other CLI message.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.answers.fitting import first_that_fits, shorten
from bot.answers.texts import esc
from bot.catalogue.model import Catalogue
from bot.catalogue.status import STALE_AFTER_WORDS
from bot.staff.report import UnmetNeedsReport
from bot.store.conversations import Waiting
from bot.store.queries import UNMET_MIN_COUNT, Report
from bot.store.searchlog import SHARED_BY_CHATS

TELEGRAM_TOP = 8
"""Rows per section in /stats; the full lists are in ``python -m bot stats``."""

RECENT_REPORTS_SHOWN = 20
"""/reports lists the newest 20: what staff can work through in one sitting; /stats has the
counts per service for the whole week."""

NAME_WIDTH = 48
"""Names longer than this are cut in the terminal table, so a row fits 100 columns."""

TELEGRAM_NAME_CHARS = 60
"""Names and searches longer than this are cut in /stats and /reports: one line on a phone."""

BAR_WIDTH = 30
"""Characters of the longest bar in the searches-per-day chart."""


# --- Shared rows -----------------------------------------------------------------------

Row = Sequence[str | int]


@dataclass(frozen=True)
class _Section:
    key: str
    title: str
    headers: Sequence[str]
    rows: Sequence[Row]
    numeric: frozenset[int]
    """Column indexes aligned to the right in the terminal."""
    empty: str


def _kinds_text(by_kind: Mapping[str, int]) -> str:
    return ", ".join(f"{kind} {count}" for kind, count in sorted(by_kind.items()))


def _sections(report: UnmetNeedsReport) -> list[_Section]:
    """The report's tables, in reading order; every renderer walks the same list."""
    return [
        _Section(
            "unmet_searches",
            f"Words of searches with no or weak results (each typed in {SHARED_BY_CHATS} or "
            "more chats)",
            ("searches", "word"),
            [(w.count, w.word) for w in report.unmet_words],
            frozenset({0}),
            f"none: every search found something, or no word was typed in {SHARED_BY_CHATS} "
            "different chats",
        ),
        _Section(
            "demand_by_category",
            "Searches per category",
            ("searches", "category", "name"),
            [(d.searches, d.id, d.name) for d in report.demand_by_category],
            frozenset({0}),
            "no searches",
        ),
        _Section(
            "demand_by_language",
            "Searches per language",
            ("searches", "language", "name"),
            [(d.searches, d.id, d.name) for d in report.demand_by_language],
            frozenset({0}),
            "no searches",
        ),
        _Section(
            "wrong_information_reports",
            "Wrong-information reports per service",
            ("reports", "service", "name", "kinds"),
            [
                (r.total, r.service_id, r.name or "(not in the catalogue)", _kinds_text(r.by_kind))
                for r in report.reports
            ],
            frozenset({0}),
            "no reports",
        ),
        _Section(
            "stale_entries",
            f"Entries not checked for {STALE_AFTER_WORDS} (or never): call them and update "
            "last_verified",
            ("last_verified", "service", "name"),
            [
                (e.last_verified.isoformat() if e.last_verified else "never", e.service_id, e.name)
                for e in report.stale_entries
            ],
            frozenset(),
            f"none: every entry was checked within {STALE_AFTER_WORDS}",
        ),
        _Section(
            "searches_per_day",
            "Searches per day",
            ("date", "searches"),
            [(day.isoformat(), count) for day, count in report.searches_per_day],
            frozenset({1}),
            "no days",
        ),
    ]


def _period(report: UnmetNeedsReport) -> str:
    """First and last day of the report, in the city's time zone."""
    first, last = report.searches_per_day[0][0], report.searches_per_day[-1][0]
    return f"{first.isoformat()} – {last.isoformat()}"


def _summary_lines(report: UnmetNeedsReport) -> list[str]:
    lines = [
        f"Wegweiser {report.region}: unmet-needs report, last {report.days} day(s) "
        f"({_period(report)})",
        f"Searches: {report.total_searches}. Crisis help shown: {report.crisis_searches}.",
    ]
    if report.deleted_log_rows is not None:
        lines.append(
            f"Search log kept for {report.retention_days} days; "
            f"{report.deleted_log_rows} older row(s) deleted now."
        )
    return lines


# --- Terminal table ---------------------------------------------------------------------


def _format_rows(section: _Section) -> list[str]:
    cells = [[str(cell) for cell in row] for row in section.rows]
    cells = [
        [
            shorten(cell, NAME_WIDTH) if index not in section.numeric else cell
            for index, cell in enumerate(row)
        ]
        for row in cells
    ]
    widths = [
        max(len(header), *(len(row[index]) for row in cells))
        for index, header in enumerate(section.headers)
    ]

    def line(values: Sequence[str]) -> str:
        parts = [
            value.rjust(widths[index]) if index in section.numeric else value.ljust(widths[index])
            for index, value in enumerate(values)
        ]
        return ("  " + "  ".join(parts)).rstrip()

    return [
        line(section.headers),
        line(["-" * width for width in widths]),
        *(line(row) for row in cells),
    ]


def render_table(report: UnmetNeedsReport) -> str:
    """The report for a terminal: a summary, then one aligned table per section."""
    lines = _summary_lines(report)
    for section in _sections(report):
        lines.append("")
        lines.append(section.title)
        if not section.rows:
            lines.append(f"  ({section.empty})")
            continue
        if section.key == "searches_per_day":
            lines.extend(_day_chart(report.searches_per_day))
        else:
            lines.extend(_format_rows(section))
    return "\n".join(lines) + "\n"


def _day_chart(per_day: Sequence[tuple[date, int]]) -> list[str]:
    """One line per day with a bar, so a quiet week or a busy Monday stands out at a glance."""
    top = max((count for _, count in per_day), default=0)
    width = len(str(top))
    lines = []
    for day, count in per_day:
        bar = "█" * round(BAR_WIDTH * count / top) if top else ""
        lines.append(f"  {day.isoformat()} {day.strftime('%a')}  {count:>{width}}  {bar}".rstrip())
    return lines


# --- CSV and JSON -----------------------------------------------------------------------


def render_csv(report: UnmetNeedsReport) -> str:
    """One CSV block per table: a row with the section's name, the header row, the rows,
    then an empty line. Spreadsheets open it as is; a script splits it at the empty lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["summary"])
    writer.writerow(["since", "until", "days", "searches", "crisis_searches", "deleted_log_rows"])
    writer.writerow(
        [
            report.since.isoformat(),
            report.until.isoformat(),
            report.days,
            report.total_searches,
            report.crisis_searches,
            "" if report.deleted_log_rows is None else report.deleted_log_rows,
        ]
    )
    for section in _sections(report):
        writer.writerow([])
        writer.writerow([section.key])
        writer.writerow(section.headers)
        writer.writerows(section.rows)
    return buffer.getvalue()


def report_as_json(report: UnmetNeedsReport) -> dict[str, Any]:
    """The report as one JSON object, for tools that read it."""
    return {
        "region": report.region,
        "since": report.since.isoformat(),
        "until": report.until.isoformat(),
        "days": report.days,
        "retention_days": report.retention_days,
        "deleted_log_rows": report.deleted_log_rows,
        "searches": report.total_searches,
        "crisis_searches": report.crisis_searches,
        "unmet_searches": [{"word": w.word, "searches": w.count} for w in report.unmet_words],
        "demand_by_category": [
            {"category": d.id, "name": d.name, "searches": d.searches}
            for d in report.demand_by_category
        ],
        "demand_by_language": [
            {"language": d.id, "name": d.name, "searches": d.searches}
            for d in report.demand_by_language
        ],
        "wrong_information_reports": [
            {"service": r.service_id, "name": r.name, "reports": r.total, "kinds": dict(r.by_kind)}
            for r in report.reports
        ],
        "stale_entries": [
            {
                "service": e.service_id,
                "name": e.name,
                "last_verified": e.last_verified.isoformat() if e.last_verified else None,
            }
            for e in report.stale_entries
        ],
        "searches_per_day": [
            {"date": day.isoformat(), "searches": count} for day, count in report.searches_per_day
        ],
    }


def render_json(report: UnmetNeedsReport) -> str:
    """:func:`report_as_json` as text."""
    return json.dumps(report_as_json(report), ensure_ascii=False, indent=2) + "\n"


# --- Telegram ---------------------------------------------------------------------------


def render_stats_html(report: UnmetNeedsReport, waiting: Waiting | None = None) -> str:
    """The report as one short Telegram HTML message (at most 4096 characters) for /stats,
    with the conversations with the counsellors when they are set up (``waiting``).

    Each list shows its first ``TELEGRAM_TOP`` rows; if the message would still be too long
    (very long names), the lists get shorter until it fits.
    """
    tail = "" if waiting is None else "\n\n" + render_waiting_html(waiting)
    longest_first = (_stats_html(report, top) + tail for top in range(TELEGRAM_TOP, 0, -1))
    # Failing that, headings and counts only: a few hundred characters.
    return first_that_fits(longest_first) or _stats_html(report, 0) + tail


def render_waiting_html(waiting: Waiting) -> str:
    """Counts only: open conversations, how many wait for an answer, the longest wait."""
    line = f"Open: {waiting.open} · waiting for an answer: {waiting.waiting}"
    if waiting.longest is not None:
        minutes = int(waiting.longest.total_seconds() // 60)
        line += f" · longest wait: {minutes // 60} h {minutes % 60:02d} min"
    return "<b>Conversations with the counsellors</b>\n" + line


def _phone_line(text: str) -> str:
    """A name or search for Telegram: escaped, and cut to ``TELEGRAM_NAME_CHARS``."""
    return esc(shorten(text, TELEGRAM_NAME_CHARS))


def _stats_html(report: UnmetNeedsReport, top: int) -> str:
    lines = [
        f"<b>{esc(report.region)}: last {report.days} days</b> ({esc(_period(report))})",
        f"Searches: {report.total_searches} · crisis help shown: {report.crisis_searches}",
    ]

    def section(title: str, items: Sequence[str], total: int, empty: str) -> None:
        lines.append("")
        lines.append(f"<b>{esc(title)}</b>")
        if not items:
            lines.append(esc(empty))
            return
        lines.extend(f"• {item}" for item in items[:top])
        if total > top:
            lines.append(f"… and {total - top} more")

    section(
        f"Not found ({UNMET_MIN_COUNT} or more searches each)",
        [f"{_phone_line(w.word)}: {w.count}" for w in report.unmet_words],
        len(report.unmet_words),
        f"nothing that {UNMET_MIN_COUNT} or more searches shared",
    )
    section(
        "Most asked",
        [f"{_phone_line(d.name)}: {d.searches}" for d in report.demand_by_category],
        len(report.demand_by_category),
        "no searches",
    )
    if report.demand_by_language:
        lines.append("")
        lines.append("<b>Languages</b>")
        lines.append(
            esc(" · ".join(f"{d.id} {d.searches}" for d in report.demand_by_language[: top * 2]))
        )
    section(
        "Wrong information reported",
        [
            f"{_phone_line(r.name or r.service_id)}: {r.total} ({esc(_kinds_text(r.by_kind))})"
            for r in report.reports
        ],
        len(report.reports),
        "no reports",
    )
    section(
        f"Not checked for {STALE_AFTER_WORDS}: {len(report.stale_entries)}",
        [
            f"{_phone_line(e.name)} ({e.last_verified.isoformat() if e.last_verified else 'never'})"
            for e in report.stale_entries
        ],
        len(report.stale_entries),
        "none",
    )
    lines.append("")
    lines.append("<i>Full report: python -m bot stats</i>")
    return "\n".join(lines)


def render_recent_reports_html(reports: Sequence[Report], catalogue: Catalogue) -> str:
    """The newest wrong-information reports for /reports, one line each, newest first.

    A report keeps only the service id, so the name comes from the current catalogue (or says
    that the service has left it). The store keeps the day a report came (UTC), not the hour.
    """
    if not reports:
        return "No wrong-information reports yet."
    language = catalogue.region.default_language
    lines = []
    for report in reports:
        service = catalogue.services_by_id.get(report.service_id)
        name = catalogue.text(service.name, language) if service else "(not in the catalogue)"
        when = report.created_at.date().isoformat()
        lines.append(
            f"• {when} · <b>{_phone_line(name)}</b> (<code>{esc(report.service_id)}</code>): "
            f"{esc(report.kind)}"
        )
    head = f"<b>Wrong-information reports</b>, newest first ({len(reports)}):"

    def newest(shown: int) -> str:
        more = [f"… and {len(lines) - shown} more"] if shown < len(lines) else []
        return "\n".join([head, *lines[:shown], *more])

    return first_that_fits(newest(shown) for shown in range(len(lines), 0, -1)) or head
