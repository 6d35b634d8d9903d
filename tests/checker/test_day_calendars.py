"""Daily obligations on the three calendars: every day, the public working days, the office's opening days.

The fixture's office is open every day but Thursday, closed on 2026-10-01 and
open on Thursday 2026-10-08. The log runs from Monday 2026-09-28 to Monday
2026-10-12 over the National Day holiday (10-01 to 10-07, make-up Saturday 10-10).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from opsbook.loader import load
from opsbook.model import Cadence
from tests.checker.test_obligations import CAL, TZ, findings, make_context, summary
from tests.reference import spec_reference

FIXTURE = Path(__file__).parent / "fixtures" / "day-calendars"
AS_OF = "2026-10-12 23:00"
# One event on the first and the last day bounds the log; nothing else happens.
ROWS = [("其他", "2026-09-28 08:00", "u1", {}), ("其他", "2026-10-12 08:00", "u1", {})]


@pytest.fixture(scope="module")
def handbook():
    result = load(FIXTURE)
    assert not result.problems, [str(p) for p in result.problems]
    return result.handbook


def missed(handbook, obligation, rows=ROWS):
    ctx = make_context(handbook, rows, as_of=AS_OF)
    return [f.period for f in findings(ctx, obligation=obligation) if f.code == "C201"]


def test_every_day_has_a_period_on_every_calendar_day(handbook):
    got = missed(handbook, "every-day")
    # Due at 24:00: the last day (10-12) is not yet due at the as-of time.
    assert got == [f"2026-09-{d}" for d in (28, 29, 30)] + [f"2026-10-{d:02d}" for d in range(1, 12)]


def test_the_public_calendar_skips_weekends_and_holidays_and_keeps_the_make_up_saturday(handbook):
    got = missed(handbook, "public-day")
    assert got == ["2026-09-28", "2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12"]


def test_the_office_calendar_follows_its_weekdays_and_exceptions(handbook):
    got = missed(handbook, "office-day")
    # Thursday 10-01 is closed (weekday and exception); Thursday 10-08 is opened by its exception.
    assert got == [f"2026-09-{d}" for d in (28, 29, 30)] + [f"2026-10-{d:02d}" for d in range(2, 13)]


def test_an_office_day_met_on_time_and_late(handbook):
    rows = [*ROWS, ("召开晚会", "2026-10-03 20:30", "u1", {}), ("召开晚会", "2026-10-04 21:30", "u1", {})]
    ctx = make_context(handbook, rows, as_of=AS_OF)
    found = summary(findings(ctx, obligation="office-day"))
    assert ("C202", "organisation", "2026-10-04", ("log.csv:4",)) in found
    assert not any(period == "2026-10-03" for _, _, period, _ in found)


def test_every_workday_is_the_public_day_calendar():
    assert Cadence(every="workday").day_calendar == "public"
    assert Cadence(every="day").day_calendar == "all"
    assert Cadence(every="day", calendar="office").day_calendar == "office"
    assert Cadence(every="week").day_calendar is None


@pytest.mark.parametrize("obligation", ["every-day", "public-day", "office-day"])
def test_the_spec_reference_agrees(handbook, obligation):
    ctx = make_context(handbook, ROWS, as_of=AS_OF)
    ob = handbook.process("reporting")
    duty = next(o for o in ob.obligations if o.id == obligation)
    ref = spec_reference.periods(duty.cadence, ctx.start, ctx.as_of, ctx.calendar, ctx.tz, handbook.office)
    assert [p.label for p in ref] == missed(handbook, obligation)


@pytest.mark.parametrize("obligation", ["every-day", "public-day", "office-day"])
def test_the_simulator_agrees(handbook, obligation):
    from datetime import date

    from simulator.clock import Clock
    from simulator.periods import periods

    clock = Clock(CAL, TZ, date(2026, 9, 1), date(2026, 11, 30), date(2026, 11, 1), date(2026, 10, 31))
    duty = next(o for o in handbook.process("reporting").obligations if o.id == obligation)
    first, last = clock.day_of(date(2026, 9, 28)), clock.day_of(date(2026, 10, 11))
    got = [p.label for p in periods(duty.cadence, first, last, clock, handbook.office)]
    assert got == [label for label in missed(handbook, obligation) if label <= "2026-10-11"]
