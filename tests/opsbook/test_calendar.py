import pickle
from datetime import date, datetime, timedelta

import chinese_calendar
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsbook.calendar import CalendarRangeError, WorkCalendar

CAL = WorkCalendar.china()


def test_covered_years_come_from_the_package():
    known = chinese_calendar.holidays.keys() | chinese_calendar.workdays.keys()
    assert CAL.covered_years == range(min(d.year for d in known), max(d.year for d in known) + 1)
    assert CAL.covered_years[0] == 2004
    assert 2026 in CAL.covered_years


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 10, 10), True),  # Saturday, make-up day for National Day
        (date(2026, 9, 20), True),  # Sunday, make-up day for National Day
        (date(2024, 2, 4), True),  # Sunday, make-up day for Spring Festival
        (date(2024, 2, 12), False),  # Monday in the Spring Festival break
        (date(2024, 3, 9), False),  # an ordinary Saturday
        (date(2024, 3, 10), False),  # an ordinary Sunday
        (date(2024, 3, 11), True),  # an ordinary Monday
        (date(2026, 10, 8), True),  # the package ends the 2026 break on 10-07
    ],
)
def test_known_days(day, working):
    assert chinese_calendar.is_workday(day) is working  # the package agrees
    assert CAL.is_workday(day) is working


def test_national_day_week_2026_is_off():
    for offset in range(7):
        assert not CAL.is_workday(date(2026, 10, 1) + timedelta(days=offset))


def test_agrees_with_the_package_on_every_covered_date():
    table = CAL.ordinal_table()
    expected = [chinese_calendar.is_workday(d) for d in table["date"]]
    assert table["is_workday"].to_list() == expected


def test_overrides_turn_days_on_and_off():
    workday, saturday = date(2024, 3, 11), date(2024, 3, 9)
    cal = WorkCalendar.china({workday: False, saturday: True})
    assert not cal.is_workday(workday)
    assert cal.is_workday(saturday)
    assert CAL.is_workday(workday) and not CAL.is_workday(saturday)  # the default is untouched
    assert cal.add_workdays(date(2024, 3, 8), 1) == saturday
    assert cal.add_workdays(saturday, 1) == date(2024, 3, 12)


def test_override_keys_must_be_dates():
    with pytest.raises(TypeError):
        WorkCalendar.china({datetime(2024, 3, 9, 12, 0): True})
    with pytest.raises(TypeError):
        WorkCalendar.china({"2024-03-09": True})


def test_override_outside_coverage_is_rejected():
    with pytest.raises(CalendarRangeError) as info:
        WorkCalendar.china({date(2030, 1, 2): False})
    assert info.value.year == 2030


@pytest.mark.parametrize("year", [2003, 2027])
def test_out_of_range_year_names_the_year(year):
    with pytest.raises(CalendarRangeError, match=str(year)) as info:
        CAL.is_workday(date(year, 6, 1))
    assert info.value.year == year
    assert "2004–2026" in str(info.value)
    assert isinstance(info.value, ValueError)
    assert pickle.loads(pickle.dumps(info.value)).year == year


def test_add_workdays_across_national_day():
    assert CAL.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert CAL.add_workdays(date(2026, 9, 30), 3) == date(2026, 10, 10)  # make-up Saturday
    assert CAL.add_workdays(date(2026, 10, 3), 1) == date(2026, 10, 8)  # from inside the break
    assert CAL.add_workdays(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert CAL.add_workdays(date(2026, 10, 5), -1) == date(2026, 9, 30)


def test_add_workdays_is_strict_and_rejects_zero():
    assert CAL.add_workdays(date(2024, 3, 11), 1) == date(2024, 3, 12)
    assert CAL.add_workdays(date(2024, 3, 11), -1) == date(2024, 3, 8)
    with pytest.raises(ValueError, match="non-zero"):
        CAL.add_workdays(date(2024, 3, 11), 0)


def test_add_workdays_leaving_the_range():
    with pytest.raises(CalendarRangeError) as info:
        CAL.add_workdays(date(2026, 12, 30), 5)
    assert info.value.year == 2027
    with pytest.raises(CalendarRangeError) as info:
        CAL.add_workdays(date(2004, 1, 5), -5)
    assert info.value.year == 2003


def test_workdays_between_counts_the_half_open_interval():
    assert CAL.workdays_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert CAL.workdays_between(date(2026, 9, 29), date(2026, 9, 30)) == 1
    assert CAL.workdays_between(date(2024, 3, 11), date(2024, 3, 11)) == 0
    assert CAL.workdays_between(date(2026, 10, 10), date(2026, 9, 30)) == -3


def test_ordinal_table_shape():
    table = CAL.ordinal_table()
    assert table.schema == pl.Schema({"date": pl.Date, "is_workday": pl.Boolean, "workday_ordinal": pl.Int64})
    assert table["date"][0] == date(2004, 1, 1)
    assert table["date"][-1] == date(2026, 12, 31)
    assert table["workday_ordinal"].to_list() == table["is_workday"].cast(pl.Int64).cum_sum().to_list()


def test_shift_workdays_keeps_nulls_and_name():
    dates = pl.Series("due", [date(2026, 9, 30), None, date(2024, 2, 2)], dtype=pl.Date)
    shifted = CAL.shift_workdays(dates, pl.Series([3, 1, None]))
    assert shifted.name == "due"
    assert shifted.to_list() == [date(2026, 10, 10), None, None]
    assert CAL.shift_workdays(dates, 1).to_list() == [date(2026, 10, 8), None, date(2024, 2, 4)]


def test_shift_workdays_names_the_first_bad_year():
    dates = pl.Series([date(2024, 1, 2), date(2030, 1, 1), date(2001, 1, 1)])
    with pytest.raises(CalendarRangeError) as info:
        CAL.shift_workdays(dates, 1)
    assert info.value.year == 2030
    with pytest.raises(CalendarRangeError) as info:
        CAL.shift_workdays(pl.Series([date(2024, 1, 2), date(2026, 12, 30)]), 5)
    assert info.value.year == 2027


def test_shift_workdays_rejects_zero_and_bad_input():
    with pytest.raises(ValueError, match="non-zero"):
        CAL.shift_workdays(pl.Series([date(2024, 1, 2)]), pl.Series([0]))
    with pytest.raises(ValueError):
        CAL.shift_workdays(pl.Series([date(2024, 1, 2)]), pl.Series([1, 2]))
    with pytest.raises(TypeError):
        CAL.shift_workdays(pl.Series(["2024-01-02"]), 1)


_dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2025, 12, 31))
_steps = st.integers(1, 30).flatmap(lambda k: st.sampled_from([k, -k]))


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.tuples(_dates, _steps), min_size=1, max_size=25),
    per_row=st.booleans(),
)
def test_shift_workdays_matches_add_workdays(rows, per_row):
    dates = pl.Series([d for d, _ in rows], dtype=pl.Date)
    if per_row:
        steps = [n for _, n in rows]
        shifted = CAL.shift_workdays(dates, pl.Series(steps))
    else:
        steps = [rows[0][1]] * len(rows)
        shifted = CAL.shift_workdays(dates, steps[0])
    assert shifted.to_list() == [CAL.add_workdays(d, n) for d, n in zip(dates, steps, strict=True)]
