"""Opening hours evaluated: state at fixed clocks, state holidays, staff syntax hints, and one
catalogue's schedules owned by its Directory."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import opening_hours
import pytest

from bot.catalogue.model import Service
from bot.catalogue.validation import load_catalogue
from bot.hours.schedule import OpeningSchedule, OpenState, OpenStatus, Schedules
from bot.hours.syntax import OpeningHoursError, opening_hours_error

BERLIN = ZoneInfo("Europe/Berlin")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def schedule(expression: str, subdivision: str | None = "NI") -> OpeningSchedule:
    return OpeningSchedule(expression, "Europe/Berlin", "DE", subdivision)


# --- State at a moment --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "now", "status", "moment"),
    [
        ("Mo-Fr 09:00-17:00", "2026-07-01 12:30", OpenStatus.OPEN, "2026-07-01 17:00"),
        ("Mo-Fr 09:00-17:00", "2026-07-01 07:00", OpenStatus.OPENS_TODAY, "2026-07-01 09:00"),
        ("Mo-Fr 09:00-17:00", "2026-07-01 17:00", OpenStatus.OPENS_LATER, "2026-07-02 09:00"),
        ("Mo-Fr 09:00-17:00", "2026-07-01 08:59", OpenStatus.OPENS_TODAY, "2026-07-01 09:00"),
        ("Mo-Fr 09:00-17:00", "2026-07-01 09:00", OpenStatus.OPEN, "2026-07-01 17:00"),
        # Midnight crossing, on both days.
        ("Mo-Su 17:00-09:00", "2026-07-01 08:00", OpenStatus.OPEN, "2026-07-01 09:00"),
        ("Mo-Su 17:00-09:00", "2026-07-01 12:00", OpenStatus.OPENS_TODAY, "2026-07-01 17:00"),
        ("Mo-Su 17:00-09:00", "2026-07-01 23:00", OpenStatus.OPEN, "2026-07-02 09:00"),
        ("Fr 22:00-02:00", "2026-07-03 23:00", OpenStatus.OPEN, "2026-07-04 02:00"),
        ("Fr 22:00-02:00", "2026-07-04 01:30", OpenStatus.OPEN, "2026-07-04 02:00"),
        ("Fr 22:00-02:00", "2026-07-04 02:00", OpenStatus.OPENS_LATER, "2026-07-10 22:00"),
        ("Fr 22:00-02:00", "2026-07-02 23:00", OpenStatus.OPENS_LATER, "2026-07-03 22:00"),
        # Seasonal: a winter shelter seen in July, and in its season.
        (
            "Nov 01-Mar 31: Mo-Su 17:00-09:00",
            "2026-07-15 12:00",
            OpenStatus.OPENS_LATER,
            "2026-11-01 17:00",
        ),
        (
            "Nov 01-Mar 31: Mo-Su 17:00-09:00",
            "2026-12-24 20:00",
            OpenStatus.OPEN,
            "2026-12-25 09:00",
        ),
        (
            "Nov 01-Mar 31: Mo-Su 17:00-09:00",
            "2027-02-10 10:00",
            OpenStatus.OPENS_TODAY,
            "2027-02-10 17:00",
        ),
        # A Saturday-night shift over the change from summer to winter time (25 Oct 2026).
        ("Sa 20:00-08:00", "2026-10-24 23:00", OpenStatus.OPEN, "2026-10-25 08:00"),
        ("off", "2026-07-01 12:00", OpenStatus.CLOSED, None),
        ("2025 Jan 01-2025 Dec 31 Mo-Fr 09:00-17:00", "2026-07-01 12:00", OpenStatus.CLOSED, None),
        ("Mo-Fr 09:00-17:00 unknown", "2026-07-01 12:00", OpenStatus.UNKNOWN, None),
    ],
)
def test_state_at(expression, now, status, moment):
    state = schedule(expression).state_at(at(now))
    assert state.status == status
    found = state.closes_at if status == OpenStatus.OPEN else state.opens_at
    assert found == (at(moment) if moment else None)


def test_24_7_is_always_open():
    state = schedule("24/7").state_at(at("2026-07-01 03:00"))
    assert state == OpenState(OpenStatus.ALWAYS_OPEN)
    assert state.is_open


def test_open_and_closed_states_say_is_open():
    assert schedule("Mo-Fr 09:00-17:00").state_at(at("2026-07-01 10:00")).is_open
    assert not schedule("Mo-Fr 09:00-17:00").state_at(at("2026-07-01 18:00")).is_open


def test_moments_in_other_time_zones_are_converted():
    # 08:30 UTC is 10:30 in Berlin (summer time).
    state = schedule("Mo-Fr 09:00-17:00").state_at(datetime(2026, 7, 1, 8, 30, tzinfo=UTC))
    assert state.closes_at == at("2026-07-01 17:00")


def test_naive_moments_are_local_time():
    state = schedule("Mo-Fr 09:00-17:00").state_at(datetime(2026, 7, 1, 8, 30))
    assert state.opens_at == at("2026-07-01 09:00")


# --- Public holidays of the state -----------------------------------------------------


@pytest.mark.parametrize(
    ("now", "subdivision", "status", "holiday"),
    [
        # Reformationstag: a holiday in Lower Saxony only (a Friday in 2025).
        ("2025-10-31 10:00", "NI", OpenStatus.OPENS_LATER, "Reformation Day"),
        # Tag der Deutschen Einheit: national (also a Friday in 2025).
        ("2025-10-03 10:00", "NI", OpenStatus.OPENS_LATER, "German Unity Day"),
        # Bavaria does not keep Reformationstag; without a state, national holidays only.
        ("2025-10-31 10:00", "BY", OpenStatus.OPEN, None),
        ("2025-10-31 10:00", None, OpenStatus.OPEN, None),
        ("2025-10-03 10:00", None, OpenStatus.OPENS_LATER, "German Unity Day"),
        ("2025-10-30 10:00", "NI", OpenStatus.OPEN, None),
    ],
)
def test_public_holidays_of_the_state_count_as_ph(now, subdivision, status, holiday):
    state = schedule("Mo-Fr 09:00-17:00; PH off", subdivision).state_at(at(now))
    assert (state.status, state.holiday) == (status, holiday)
    if status == OpenStatus.OPENS_LATER:
        assert state.opens_at == at(
            "2025-11-03 09:00" if now.startswith("2025-10-31") else "2025-10-06 09:00"
        )


def test_reformationstag_2026_is_a_saturday():
    # 31 Oct 2026 falls on a Saturday: "Mo-Fr" is closed anyway, "Mo-Sa" closes for the holiday.
    assert date(2026, 10, 31).weekday() == 5
    weekdays = schedule("Mo-Fr 09:00-17:00; PH off").state_at(at("2026-10-31 10:00"))
    assert (weekdays.status, weekdays.holiday) == (OpenStatus.OPENS_LATER, None)
    assert weekdays.opens_at == at("2026-11-02 09:00")
    saturdays = schedule("Mo-Sa 09:00-17:00; PH off").state_at(at("2026-10-31 10:00"))
    assert (saturdays.status, saturdays.holiday) == (OpenStatus.OPENS_LATER, "Reformation Day")
    assert schedule("Mo-Sa 09:00-17:00; PH off", "BY").state_at(at("2026-10-31 10:00")).is_open


def test_special_hours_on_a_state_holiday():
    expression = "Mo-Fr 09:00-17:00; PH 10:00-12:00"
    assert schedule(expression).state_at(at("2025-10-31 11:00")).closes_at == at("2025-10-31 12:00")
    assert schedule(expression).state_at(at("2025-10-31 13:00")).opens_at == at("2025-11-03 09:00")
    assert schedule(expression, "BY").state_at(at("2025-10-31 13:00")).closes_at == at(
        "2025-10-31 17:00"
    )


@pytest.mark.parametrize(
    "expression",
    [
        "Mo-Fr 09:00-17:00; PH off",
        "Mo-Su 17:00-09:00; PH off",
        "Mo-Su 17:00-09:00; PH 20:00-08:00",
        "Fr 22:00-02:00; PH off",
        "Mo-Sa 10:00-18:00; Su,PH off",
        "PH,Fr 08:00-10:00",
        "Mo-Fr 09:00-17:00; PH 10:00-12:00",
        "Mo-Su 10:00-16:00; PH off; Sa 10:00-12:00",
        "24/7; PH off",
    ],
)
def test_a_state_holiday_behaves_exactly_like_a_national_one(expression):
    """Reformationstag (NI, Fri 31 Oct 2025) gives the library's own PH result for
    German Unity Day (national, Fri 3 Oct 2025), four weeks earlier, day for day."""
    sched = schedule(expression)

    def wall_clock(start: str) -> list[tuple[timedelta, timedelta, str]]:
        begin = at(start)
        return [
            (
                a.replace(tzinfo=None) - begin.replace(tzinfo=None),
                b.replace(tzinfo=None) - begin.replace(tzinfo=None),
                str(state),
            )
            for a, b, state, _ in sched.intervals(begin, begin + timedelta(days=4))
        ]

    assert wall_clock("2025-10-29 00:00") == wall_clock("2025-10-01 00:00")


def test_christmas_days_in_a_row():
    expression = "Mo-Su 10:00-16:00; PH off"
    assert schedule(expression).state_at(at("2025-12-25 11:00")).opens_at == at("2025-12-27 10:00")
    assert schedule(expression).state_at(at("2025-12-26 11:00")).opens_at == at("2025-12-27 10:00")


def test_comments_mentioning_ph_are_not_rewritten():
    state = schedule('Mo-Fr 09:00-17:00 "PH: call first"').state_at(at("2025-10-31 10:00"))
    assert state.is_open


def test_intervals_are_continuous_across_holiday_patches():
    sched = schedule("Mo-Su 17:00-09:00; PH off")
    intervals = list(sched.intervals(at("2025-10-29 00:00"), at("2025-11-03 00:00")))
    assert all(a[1] == b[0] for a, b in itertools.pairwise(intervals))
    assert all(a[2] != b[2] for a, b in itertools.pairwise(intervals))
    open_ranges = [(a, b) for a, b, state, _ in intervals if state == opening_hours.State.OPEN]
    assert (at("2025-10-30 17:00"), at("2025-10-31 00:00")) in open_ranges
    assert not any(a.date() == date(2025, 10, 31) for a, _ in open_ranges)


# --- Errors for staff ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("Tu,Th 10:00-13:00", None),
        ("Nov 01-Mar 31: Mo-Su 17:00-09:00", None),
        ("Mo-Fr 09:00-17:00; PH off", None),
        ("", "is empty: write hours like Mo-Fr 09:00-17:00, or leave the field out"),
        (
            "Mo-Fr 9-17",
            "not valid opening_hours syntax at character 7 ('9-17'): "
            "write times with minutes, like 09:00-17:00",
        ),
        (
            "Mo-Fr 09:00–17:00",
            "not valid opening_hours syntax at character 12 ('–17:00'): "
            "use a plain hyphen '-' instead of a dash '–'",
        ),
        (
            "Di,Do 10:00-12:00",
            "not valid opening_hours syntax at character 1 ('Di,Do 10:0'): "
            "weekdays are English: Mo Tu We Th Fr Sa Su (not Di, Mi, Do, So)",
        ),
        (
            "Mo-Fx 09:00-17:00",
            "not valid opening_hours syntax at character 4 ('Fx 09:00-1'): "
            "expected a weekday: Mo Tu We Th Fr Sa Su",
        ),
        (
            "Mo-Fr 09:00-17:00 || unknown",
            "fallback rules with '||' are not supported: write the hours without '||'",
        ),
    ],
)
def test_opening_hours_error(expression, message):
    assert opening_hours_error(expression) == message


def test_invalid_expression_raises_a_named_error():
    with pytest.raises(OpeningHoursError, match="write times with minutes"):
        OpeningSchedule("Mo-Fr 9-17")
    with pytest.raises(OpeningHoursError, match="is empty"):
        OpeningSchedule(" ")


def test_fallback_rules_still_evaluate_when_they_reach_the_bot():
    # The validator refuses "||"; a schedule built anyway must not crash a handler.
    sched = schedule("Mo-Fr 09:00-17:00 || unknown")
    assert sched.state_at(at("2026-07-01 10:00")).closes_at == at("2026-07-01 17:00")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"timezone": "Europe/Hannover"}, "unknown time zone"),
        ({"country": "DE", "subdivision": "XX"}, "no public holiday calendar"),
    ],
)
def test_bad_region_settings_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        OpeningSchedule("24/7", **kwargs)


# --- One catalogue's schedules ------------------------------------------------------------

CATALOGUE = Path(__file__).parent / "catalogues" / "valid.yaml"


@pytest.fixture(scope="module")
def tafel() -> Service:
    """A catalogue service with opening hours ("Tu,Th 10:00-13:00; PH off")."""
    return load_catalogue(CATALOGUE).catalogue.services_by_id["tafel-linden"]


def test_a_catalogue_parses_each_expression_once(tafel: Service) -> None:
    twin = tafel.model_copy(update={"id": "tafel-twin"})
    catalogue = load_catalogue(CATALOGUE).catalogue
    catalogue = catalogue.model_copy(update={"services": (*catalogue.services, twin)})
    schedules = Schedules.of_catalogue(catalogue)
    first = schedules.of(tafel)
    assert first is not None and first.expression == "Tu,Th 10:00-13:00; PH off"
    assert schedules.of(twin) is first


def test_a_service_without_hours_has_no_schedule_and_no_state(tafel: Service) -> None:
    schedules = Schedules([tafel.opening_hours or ""])
    silent = tafel.model_copy(update={"opening_hours": None})
    assert schedules.of(silent) is None
    assert schedules.state_at(silent, at("2026-07-02 11:00")) is None


def test_states_are_those_of_the_minute(tafel: Service) -> None:
    schedules = Schedules([tafel.opening_hours or ""])
    for moment in ("2026-07-02 11:00:59", "2026-07-02 12:59:30", "2026-07-03 12:00:10"):
        expected = schedule(tafel.opening_hours or "").state_at(at(moment[:16]))
        assert schedules.state_at(tafel, at(moment)) == expected


def test_a_service_from_another_catalogue_is_answered_without_being_kept(tafel: Service) -> None:
    schedules = Schedules([tafel.opening_hours or ""])
    moved = tafel.model_copy(update={"opening_hours": "Mo-Fr 09:00-17:00"})
    state = schedules.state_at(moved, at("2026-07-01 16:00"))
    assert state == OpenState(OpenStatus.OPEN, closes_at=at("2026-07-01 17:00"))
    assert schedules.of(moved) is not schedules.of(moved)  # parsed on the spot, not stored


def test_state_is_cheap_enough_for_a_result_list():
    sched = schedule("Mo-Fr 09:00-17:00; PH off")
    start = at("2026-07-01 00:00")
    for minute in range(0, 7 * 24 * 60, 97):
        sched.state_at(start + timedelta(minutes=minute))
