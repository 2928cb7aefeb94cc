"""Properties of weekly hours that hold for every opening time, checked with hypothesis."""

import datetime as dt
import zoneinfo

from hypothesis import given
from hypothesis import strategies as st

from directory.models import ServiceSchedule
from directory.querysets import effective_open_state

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
QUARTER = dt.timedelta(minutes=15)
A_MONDAY = dt.datetime(2026, 11, 23)
quarter_hours = st.integers(min_value=0, max_value=95).map(lambda q: dt.time(q // 4, (q % 4) * 15))


def week_of_quarters():
    """Every quarter hour of one week, plus the following Monday morning."""
    t = A_MONDAY
    while t < A_MONDAY + dt.timedelta(days=8):
        yield t
        t += QUARTER


@given(weekday=st.integers(1, 7), opens=quarter_hours, closes=quarter_hours)
def test_a_weekly_row_is_open_for_exactly_its_length_each_week(weekday, opens, closes):
    row = ServiceSchedule(weekday=weekday, opens_at=opens, closes_at=closes)
    # Equal times are a full day ("0:00–0:00" is open 24 hours).
    minutes = (
        dt.datetime.combine(A_MONDAY, closes) - dt.datetime.combine(A_MONDAY, opens)
    ).seconds // 60 or 24 * 60
    # Count over 8 days so an overnight Sunday opening is seen ending on Monday; the
    # first Monday morning may hold the tail of the previous Sunday, so count from the
    # opening day on.
    start = A_MONDAY + dt.timedelta(days=weekday - 1)
    open_quarters = sum(
        1
        for t in week_of_quarters()
        if start <= t < start + dt.timedelta(days=1, hours=24) and row.covers(t)
    )
    assert open_quarters * 15 == minutes


@given(weekday=st.integers(1, 7), opens=quarter_hours, closes=quarter_hours)
def test_a_row_is_open_at_its_opening_minute_and_closed_at_its_closing_minute(
    weekday, opens, closes
):
    row = ServiceSchedule(weekday=weekday, opens_at=opens, closes_at=closes)
    day = A_MONDAY + dt.timedelta(days=weekday - 1)
    opening = dt.datetime.combine(day.date(), opens)
    closing = dt.datetime.combine(day.date(), closes)
    if closing <= opening:
        closing += dt.timedelta(days=1)
    assert row.covers(opening)
    assert not row.covers(closing)
    assert row.is_overnight == (closes <= opens)


@given(opens=quarter_hours, closes=quarter_hours, at=quarter_hours)
def test_a_closed_exception_today_always_wins_over_weekly_hours(opens, closes, at):
    day = A_MONDAY.date()
    weekly = [ServiceSchedule(weekday=d, opens_at=opens, closes_at=closes) for d in range(1, 8)]
    closure = ServiceSchedule(valid_from=day, valid_to=day, closed=True)

    rows = [(row, "America/Chicago", None) for row in [*weekly, closure]]
    now = dt.datetime.combine(day, at, tzinfo=CHICAGO)
    assert effective_open_state(rows, now) is False


def test_without_weekly_hours_open_now_is_unknown():
    assert effective_open_state([], A_MONDAY.replace(tzinfo=CHICAGO)) is None


def test_midnight_to_midnight_is_open_all_day_every_minute():
    row = ServiceSchedule(weekday=2, opens_at=dt.time(0), closes_at=dt.time(0))
    tuesday = A_MONDAY + dt.timedelta(days=1)
    assert row.covers(tuesday.replace(hour=23, minute=59, second=59))
    assert row.covers(tuesday)
    assert not row.covers(tuesday + dt.timedelta(days=1))
