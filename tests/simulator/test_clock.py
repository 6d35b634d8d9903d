"""Working time and deadline limits of the simulator agree with the reference ``opsbook.durations.shift``."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsbook.calendar import WorkCalendar
from opsbook.durations import Duration, shift
from simulator.clock import CLOSE, DAY, OPEN, Clock, SimulationError

TZ = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar.china()
CLOCK = Clock(CAL, TZ, date(2025, 11, 1), date(2026, 12, 31), date(2026, 12, 1), date(2026, 10, 31))
T0 = CLOCK.day_of(date(2026, 1, 1)) * DAY


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 280 * DAY),
    st.sampled_from(["minutes", "hours", "days", "weeks", "months", "workdays"]),
    st.integers(1, 20),
    st.sampled_from([1, -1]),
)
def test_limit_is_shift(offset, unit, amount, sign):
    t = T0 + offset
    duration = Duration(amount, unit)
    reference = shift(CLOCK.aware(t), duration, sign, calendar=CAL, tz=TZ)
    assert CLOCK.aware(CLOCK.limit(t, duration, sign)) == reference


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 280 * DAY), st.integers(1, 40 * 9 * 3600))
def test_working_time_moves_forward_through_opening_hours(offset, gap):
    t = T0 + offset
    later = CLOCK.at_work(CLOCK.work(t) + gap)
    assert later > t
    assert CLOCK.is_workday(later // DAY) and OPEN <= later % DAY < CLOSE
    assert CLOCK.work(later) - CLOCK.work(t) == gap


def test_the_national_day_holidays_are_not_working_time():
    oct_1 = date(2026, 10, 1)
    assert not any(CLOCK.is_workday(CLOCK.day_of(oct_1) + i) for i in range(7))
    reopening = next(oct_1 + timedelta(days=i) for i in range(1, 20) if CAL.is_workday(oct_1 + timedelta(days=i)))
    at = CLOCK.aware(CLOCK.at_work(CLOCK.work(CLOCK.day_of(oct_1) * DAY + 10 * 3600)))
    assert at == datetime.combine(reopening, datetime.min.time(), TZ) + timedelta(hours=9)


def test_a_period_outside_the_calendar_is_refused():
    with pytest.raises(SimulationError, match="calendar covers"):
        Clock(CAL, TZ, date(2026, 6, 1), date(2027, 6, 1), date(2027, 1, 30), date(2026, 12, 31))


def test_limits_from_logged_anchors_must_stay_in_the_calendar():
    end = CLOCK.day_of(date(2026, 12, 31)) * DAY
    with pytest.raises(SimulationError, match="leaves the working-day calendar"):
        CLOCK.limit(end - 3 * DAY, Duration(10, "workdays"), 1)
    # a plan for a step after the audit's last day, never logged, may be estimated
    assert CLOCK.limit(end - 3 * DAY, Duration(10, "workdays"), 1, strict=False) > end
