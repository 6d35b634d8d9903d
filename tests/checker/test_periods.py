from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import checker.context as context_module
from checker.context import Context
from checker.periods import due_words, period_table
from checker.rules.interval_exceeded import limits
from opsbook.calendar import CalendarRangeError, WorkCalendar
from opsbook.durations import Duration, shift
from opsbook.model import Cadence, Handbook

TZ = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar.china()
HANDBOOK = Handbook(organisation="t", version="t", timezone="Asia/Shanghai", roles=(), processes=())


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def ctx(start: str, as_of: str, tz: ZoneInfo = TZ) -> Context:
    empty = pl.DataFrame(schema={"ts": pl.Datetime("us", "UTC")})
    return Context(HANDBOOK, empty, as_of=local(as_of), start=local(start), calendar=CAL, tz=tz)


def periods(cadence: Cadence, start: str, as_of: str) -> list[tuple[str, str, str]]:
    """(label, due as local text, last day) per evaluated period."""
    table = period_table(ctx(start, as_of), cadence)
    due = table["due"].dt.convert_time_zone("Asia/Shanghai").dt.strftime("%Y-%m-%d %H:%M")
    return list(zip(table["period"], due, table["last_date"].cast(str), strict=True))


def labels(cadence: Cadence, start: str, as_of: str) -> list[str]:
    return [p[0] for p in periods(cadence, start, as_of)]


DAILY_18 = Cadence(every="workday", due_time="18:00")


def test_workdays_skip_national_day_and_keep_the_make_up_saturday():
    got = labels(DAILY_18, "2026-09-28 08:00", "2026-10-12 23:00")
    assert got == ["2026-09-28", "2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12"]


def test_workday_period_bounds_are_local_midnights_and_due_is_utc():
    table = period_table(ctx("2026-10-10 09:00", "2026-10-10 18:00"), DAILY_18)
    assert table.select("period", "start", "due", "end").rows() == [
        (
            "2026-10-10",
            datetime(2026, 10, 9, 16, tzinfo=UTC),
            datetime(2026, 10, 10, 10, tzinfo=UTC),
            datetime(2026, 10, 10, 16, tzinfo=UTC),
        )
    ]


@pytest.mark.parametrize(("as_of", "evaluated"), [("2026-10-12 18:00", True), ("2026-10-12 17:59", False)])
def test_a_period_is_evaluated_once_its_due_point_is_not_after_as_of(as_of, evaluated):
    assert ("2026-10-12" in labels(DAILY_18, "2026-10-09 08:00", as_of)) is evaluated


def test_end_of_day_due_is_the_next_local_midnight():
    got = periods(Cadence(every="workday"), "2026-10-09 08:00", "2026-10-11 00:00")
    assert got == [("2026-10-09", "2026-10-10 00:00", "2026-10-09"), ("2026-10-10", "2026-10-11 00:00", "2026-10-10")]


def test_weeks_run_monday_to_sunday_and_start_on_or_after_the_log_start():
    by_monday = Cadence(every="week", due_weekday=1)
    # 2024-03-06 is a Wednesday: week 10 started before the log and is not evaluated.
    assert periods(by_monday, "2024-03-06 10:00", "2024-03-26 00:00") == [
        ("2024-W11", "2024-03-12 00:00", "2024-03-17"),
        ("2024-W12", "2024-03-19 00:00", "2024-03-24"),
        ("2024-W13", "2024-03-26 00:00", "2024-03-31"),
    ]
    assert labels(by_monday, "2024-03-04 00:00", "2024-03-05 00:00") == ["2024-W10"]


def test_a_week_without_a_weekday_is_due_on_sunday():
    assert periods(Cadence(every="week"), "2024-03-04 00:00", "2024-03-11 00:00") == [
        ("2024-W10", "2024-03-11 00:00", "2024-03-10")
    ]


def test_iso_week_labels_at_year_boundaries():
    got = labels(Cadence(every="week"), "2020-12-28 00:00", "2021-01-11 00:00")
    assert got == ["2020-W53", "2021-W01"]
    assert labels(Cadence(every="week"), "2024-12-30 00:00", "2025-01-06 00:00") == ["2025-W01"]


def test_by_the_fifth_of_each_month():
    by_5th = Cadence(every="month", due_day=5, due_time="09:30")
    assert periods(by_5th, "2024-01-15 10:00", "2024-04-05 09:30") == [
        ("2024-02", "2024-02-05 09:30", "2024-02-29"),
        ("2024-03", "2024-03-05 09:30", "2024-03-31"),
        ("2024-04", "2024-04-05 09:30", "2024-04-30"),
    ]


def test_the_due_day_is_clamped_to_the_month_end():
    got = periods(Cadence(every="month", due_day=31), "2024-01-01 00:00", "2024-05-01 00:00")
    assert [p[1] for p in got] == ["2024-02-01 00:00", "2024-03-01 00:00", "2024-04-01 00:00", "2024-05-01 00:00"]


def test_quarter_and_year_due_day_is_in_the_first_month():
    quarterly = periods(Cadence(every="quarter", due_day=31), "2024-01-01 00:00", "2024-12-31 00:00")
    assert quarterly == [
        ("2024-Q1", "2024-02-01 00:00", "2024-03-31"),
        ("2024-Q2", "2024-05-01 00:00", "2024-06-30"),  # April has 30 days
        ("2024-Q3", "2024-08-01 00:00", "2024-09-30"),
        ("2024-Q4", "2024-11-01 00:00", "2024-12-31"),
    ]
    assert periods(Cadence(every="year", due_day=10), "2024-01-01 00:00", "2025-06-01 00:00") == [
        ("2024", "2024-01-11 00:00", "2024-12-31"),
        ("2025", "2025-01-11 00:00", "2025-12-31"),
    ]


def test_quarter_and_year_without_a_day_are_due_at_their_end():
    assert periods(Cadence(every="quarter"), "2024-04-01 00:00", "2024-07-01 00:00") == [
        ("2024-Q2", "2024-07-01 00:00", "2024-06-30")
    ]
    assert labels(Cadence(every="year"), "2024-01-01 00:00", "2024-12-31 23:59") == []


def test_the_log_start_is_compared_as_a_local_date():
    # 00:30 local on 1 March is still 29 February in UTC; March starts on the log's date.
    assert labels(Cadence(every="month"), "2024-03-01 00:30", "2024-04-01 00:00") == ["2024-03"]
    assert labels(Cadence(every="month"), "2024-02-29 23:59", "2024-04-01 00:00") == ["2024-03"]


def test_nothing_is_evaluated_when_as_of_precedes_the_start():
    assert labels(Cadence(every="month"), "2024-03-01 00:00", "2024-02-01 00:00") == []


def test_workdays_outside_the_calendar_are_an_error_naming_the_year():
    with pytest.raises(CalendarRangeError, match="2027"):
        period_table(ctx("2026-12-28 00:00", "2027-01-05 00:00"), DAILY_18)


def test_due_words():
    days = pl.DataFrame({"due_date": [date(2024, 3, 5)]})
    words = due_words(Cadence(every="month", due_day=5, due_time="18:00"))
    assert words.id == "expected.due"
    assert days.select(words.params["due"]).item() == "2024-03-05 18:00"
    assert days.select(due_words(Cadence(every="month", due_day=5)).params["due"]).item() == "2024-03-05 24:00"


def test_month_limits_clamp_to_the_month_end():
    starts = pl.Series([local("2024-08-31 10:00"), local("2024-03-31 10:00")]).dt.convert_time_zone("UTC")
    got = limits(starts, Duration(6, "months"), ctx("2024-01-01 00:00", "2025-12-31 00:00"))
    assert got.to_list() == [local("2025-02-28 10:00"), local("2024-09-30 10:00")]


INSTANTS = st.datetimes(min_value=datetime(2005, 1, 1), max_value=datetime(2025, 12, 1), timezones=st.just(TZ))
DURATIONS = st.builds(
    Duration, st.integers(1, 40), st.sampled_from(["minutes", "hours", "days", "weeks", "months", "workdays"])
)


@settings(max_examples=200, deadline=None)
@given(st.lists(INSTANTS, min_size=1, max_size=5), DURATIONS)
def test_limits_agree_with_the_reference_shift(instants, duration):
    column = pl.Series("ts", [t.astimezone(UTC) for t in instants], dtype=pl.Datetime("us", "UTC"))
    got = limits(column, duration, ctx("2005-01-01 00:00", "2025-12-31 00:00"))
    want = [shift(t, duration, 1, calendar=CAL, tz=TZ) for t in instants]
    assert got.to_list() == [w.astimezone(UTC) for w in want]


def test_a_context_computes_each_period_table_once_and_another_context_its_own():
    first = ctx("2026-09-28 08:00", "2026-10-12 23:00")
    assert period_table(first, DAILY_18) is period_table(first, DAILY_18)  # C201 and C202 share it
    later = ctx("2026-09-28 08:00", "2026-10-20 23:00")
    assert period_table(later, DAILY_18).height > period_table(first, DAILY_18).height
    assert replace(first, as_of=local("2026-10-20 23:00")).tables == {}  # a new context starts afresh


def test_a_large_table_is_made_again_rather_than_kept(monkeypatch):
    monkeypatch.setattr(context_module, "KEEP_ROWS", 5)
    first = ctx("2026-09-28 08:00", "2026-10-12 23:00")
    again = period_table(first, DAILY_18)
    assert again is not period_table(first, DAILY_18) and again.equals(period_table(first, DAILY_18))
    assert first.tables == {}
