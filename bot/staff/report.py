"""The staff's unmet-needs report: what people searched for and did not find, and what to fix.

The store answers with ids and counts (:class:`bot.store.queries.UsageReport`); this module joins
them with the catalogue (category and service names, entries nobody has checked for a year)
into one :class:`UnmetNeedsReport`. :mod:`bot.staff.report_formats` renders it for the places
staff read it: a terminal table, CSV or JSON (``python -m bot stats``) and Telegram (/stats).

Privacy stays with the store: it keeps no search text, only words that at least three
different chats typed (:mod:`bot.store.searchlog`), and returns a word only with at least
``UNMET_MIN_COUNT`` searches, so nothing here can show one person's words. Old log
rows are deleted before every report (:func:`apply_retention`), so staff never read a report
built on searches older than the retention period.

Staff read this in English, like every other CLI message; catalogue names stay in the
region's default language, as staff wrote them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from bot.catalogue.model import Catalogue
from bot.catalogue.status import is_stale
from bot.config import ConfigError, log_retention_from_env
from bot.i18n.translators import english_language_name
from bot.store.queries import UNMET_MIN_COUNT, UnmetWord, UsageReport
from bot.store.retention import SEARCH_LOG_RETENTION, RetentionError, search_log_retention
from bot.store.store import Store

TELEGRAM_DAYS = 7
"""/stats looks at one week: short enough to read on a phone, long enough to show a pattern."""


# --- The report -------------------------------------------------------------------------


@dataclass(frozen=True)
class Demand:
    """Searches that matched one category, or that were made in one language."""

    id: str
    name: str
    searches: int


@dataclass(frozen=True)
class ServiceFeedback:
    """Wrong-information reports about one service; ``name`` is None if it left the catalogue."""

    service_id: str
    name: str | None
    total: int
    by_kind: Mapping[str, int]


@dataclass(frozen=True)
class StaleEntry:
    """A service nobody has checked for ``STALE_AFTER`` (or ever): call them first."""

    service_id: str
    name: str
    last_verified: date | None


@dataclass(frozen=True)
class UnmetNeedsReport:
    """Everything one report shows, already joined with the catalogue and ready to render."""

    region: str
    since: datetime
    until: datetime
    days: int
    total_searches: int
    crisis_searches: int
    unmet_words: Sequence[UnmetWord]
    demand_by_category: Sequence[Demand]
    demand_by_language: Sequence[Demand]
    reports: Sequence[ServiceFeedback]
    stale_entries: Sequence[StaleEntry]
    searches_per_day: Sequence[tuple[date, int]]
    deleted_log_rows: int | None = None
    """How many old log rows the housekeeping before this report deleted (None: not run)."""
    retention_days: int = field(default=SEARCH_LOG_RETENTION.days)


def build_report(
    usage: UsageReport,
    catalogue: Catalogue,
    *,
    now: datetime,
    days: int,
    deleted_log_rows: int | None = None,
    retention: timedelta = SEARCH_LOG_RETENTION,
) -> UnmetNeedsReport:
    """Join the store's counts with the catalogue. Pure: the clock comes in as ``now``."""
    tz = catalogue.region.tz
    language = catalogue.region.default_language
    categories = catalogue.categories_by_id
    services = catalogue.services_by_id
    by_category = [
        Demand(
            category_id,
            catalogue.text(categories[category_id].name, language)
            if category_id in categories
            else category_id,
            count,
        )
        for category_id, count in usage.demand_by_category.items()
    ]
    by_language = [
        Demand(code, english_language_name(code), count)
        for code, count in usage.demand_by_language.items()
    ]
    reports = [
        ServiceFeedback(
            summary.service_id,
            catalogue.text(services[summary.service_id].name, language)
            if summary.service_id in services
            else None,
            summary.total,
            dict(summary.by_kind),
        )
        for summary in usage.reports_per_service
    ]
    today = now.astimezone(tz).date()
    stale = sorted(
        (
            StaleEntry(service.id, catalogue.text(service.name, language), service.last_verified)
            for service in catalogue.services
            if is_stale(service.last_verified, today)
        ),
        key=lambda entry: (entry.last_verified or date.min, entry.service_id),
    )
    first_day = usage.since.astimezone(tz).date()
    days_in_period = [first_day + timedelta(days=n) for n in range((today - first_day).days + 1)]
    per_day = [(day, usage.searches_per_day.get(day, 0)) for day in days_in_period]
    return UnmetNeedsReport(
        region=catalogue.region.name,
        since=usage.since,
        until=now,
        days=days,
        total_searches=sum(usage.searches_per_day.values()),
        crisis_searches=usage.crisis_count,
        unmet_words=list(usage.unmet_words),
        demand_by_category=by_category,
        demand_by_language=by_language,
        reports=reports,
        stale_entries=stale,
        searches_per_day=per_day,
        deleted_log_rows=deleted_log_rows,
        retention_days=retention.days,
    )


# --- Reading it from the store ----------------------------------------------------------


def retention_from(days: int | None, env: Mapping[str, str] | None = None) -> timedelta:
    """The retention period: ``--retention-days``, else ``LOG_RETENTION_DAYS`` (the bot's own
    setting, so the report and the bot's hourly housekeeping agree), else 180 days.

    :raises RetentionError: for a value that is not a whole number of days, 1 or more
    """
    if days is not None:
        return search_log_retention(days)
    try:
        return log_retention_from_env(env)
    except ConfigError as error:
        raise RetentionError(str(error)) from None


def apply_retention(store: Store, now: datetime, retention: timedelta) -> int:
    """Run the store's housekeeping with ``retention``; returns how many log rows went.

    Run before every report, so a report never shows searches that should already be gone.
    """
    return store.run_sync(store.housekeeping, now, search_log_retention=retention).search_log


def collect_report(
    store: Store,
    catalogue: Catalogue,
    *,
    days: int,
    now: datetime | None = None,
    retention: timedelta = SEARCH_LOG_RETENTION,
) -> UnmetNeedsReport:
    """Housekeeping, then the last ``days`` days of the log, joined with the catalogue."""
    now = now or datetime.now(UTC)
    deleted = apply_retention(store, now, retention)
    usage = store.run_sync(
        store.usage_report,
        now - timedelta(days=days),
        min_count=UNMET_MIN_COUNT,
        tz=catalogue.region.tz,
    )
    return build_report(
        usage, catalogue, now=now, days=days, deleted_log_rows=deleted, retention=retention
    )


async def weekly_report(
    store: Store, catalogue: Catalogue, now: datetime | None = None
) -> UnmetNeedsReport:
    """The last ``TELEGRAM_DAYS`` days for /stats (the bot's hourly housekeeping purges)."""
    now = now or datetime.now(UTC)
    usage = await store.usage_report(
        now - timedelta(days=TELEGRAM_DAYS), min_count=UNMET_MIN_COUNT, tz=catalogue.region.tz
    )
    return build_report(usage, catalogue, now=now, days=TELEGRAM_DAYS)
