from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from opsbook.calendar import CalendarRangeError, WorkCalendar
from opsbook.durations import Duration, shift

CAL = WorkCalendar.china()
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args: int, tz=SHANGHAI) -> datetime:
    return datetime(*args, tzinfo=tz)


def after(instant: datetime, text: str, tz=SHANGHAI) -> datetime:
    return shift(instant, Duration.parse(text), 1, calendar=CAL, tz=tz)


def before(instant: datetime, text: str, tz=SHANGHAI) -> datetime:
    return shift(instant, Duration.parse(text), -1, calendar=CAL, tz=tz)


# -- Duration ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "unit", "canonical", "chinese"),
    [
        ("3 workdays", 3, "workdays", "3 workdays", "3个工作日"),
        ("1 workday", 1, "workdays", "1 workday", "1个工作日"),
        ("2 hours", 2, "hours", "2 hours", "2小时"),
        ("30 minute", 30, "minutes", "30 minutes", "30分钟"),
        ("5 days", 5, "days", "5 days", "5天"),
        ("2 weeks", 2, "weeks", "2 weeks", "2周"),
        ("1 months", 1, "months", "1 month", "1个月"),
        ("6 months", 6, "months", "6 months", "6个月"),
        ("99999 days", 99999, "days", "99999 days", "99999天"),
    ],
)
def test_parse(text, amount, unit, canonical, chinese):
    duration = Duration.parse(text)
    assert duration == Duration(amount, unit)
    assert str(duration) == canonical
    assert Duration.parse(str(duration)) == duration
    assert duration.to_chinese() == chinese


@pytest.mark.parametrize(
    "text",
    [
        "",
        "3",
        "workdays",
        "0 days",
        "03 days",
        "-1 days",
        "100000 days",
        "3  days",
        " 3 days",
        "3 days\n",
        "3 Days",
        "3 years",
        "3 workdayss",
        "1.5 hours",
        "３ days",
    ],
)
def test_parse_rejects(text):
    with pytest.raises(ValueError, match="invalid duration"):
        Duration.parse(text)


def test_parse_rejects_non_text():
    with pytest.raises(ValueError, match="invalid duration"):
        Duration.parse(3)  # type: ignore[arg-type]


@pytest.mark.parametrize(("amount", "unit"), [(0, "days"), (100_000, "days"), (True, "days"), (3, "day"), (3, "years")])
def test_constructor_validates(amount, unit):
    with pytest.raises(ValueError):
        Duration(amount, unit)


def test_duration_is_immutable():
    duration = Duration(3, "days")
    with pytest.raises(AttributeError):
        duration.amount = 4  # type: ignore[misc]


# -- shift: elapsed units ---------------------------------------------------


def test_hours_across_midnight():
    assert after(at(2024, 3, 5, 22, 30), "3 hours") == at(2024, 3, 6, 1, 30)
    assert before(at(2024, 3, 6, 0, 10), "20 minutes") == at(2024, 3, 5, 23, 50)


def test_result_is_in_the_requested_zone():
    result = after(datetime(2024, 3, 5, 14, 30, tzinfo=UTC), "3 hours")
    assert result == at(2024, 3, 6, 1, 30)
    assert result.tzinfo == SHANGHAI


def test_at_least_two_weeks_before():
    assert before(at(2024, 3, 15, 9, 0), "2 weeks") == at(2024, 3, 1, 9, 0)
    assert after(at(2024, 2, 28, 12, 0), "2 days") == at(2024, 3, 1, 12, 0)


def test_days_and_weeks_are_elapsed_not_wall_clock():
    berlin = ZoneInfo("Europe/Berlin")  # clocks went forward on 2024-03-31
    start = at(2024, 4, 5, 12, 0, tz=berlin)
    assert before(start, "1 week", tz=berlin) == at(2024, 3, 29, 11, 0, tz=berlin)
    # Python's own aware arithmetic within one zone is wall-clock: 12:00, an hour too late.
    assert before(start, "1 week", tz=berlin) != start - timedelta(hours=168)
    elapsed = before(start, "1 week", tz=berlin).astimezone(UTC)
    assert elapsed == start.astimezone(UTC) - timedelta(hours=168)
    assert after(at(2024, 3, 30, 12, 0, tz=berlin), "1 day", tz=berlin) == at(2024, 3, 31, 13, 0, tz=berlin)


# -- shift: months ----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "sign", "text", "end"),
    [
        (at(2024, 1, 31, 9, 15), 1, "1 month", at(2024, 2, 29, 9, 15)),
        (at(2023, 1, 31, 9, 15), 1, "1 month", at(2023, 2, 28, 9, 15)),
        (at(2024, 3, 31, 18, 0), -1, "1 month", at(2024, 2, 29, 18, 0)),
        (at(2024, 1, 15, 8, 0), 1, "12 months", at(2025, 1, 15, 8, 0)),
        (at(2024, 11, 30, 8, 0), 1, "3 months", at(2025, 2, 28, 8, 0)),
        (at(2024, 2, 10, 8, 0), -1, "14 months", at(2022, 12, 10, 8, 0)),
    ],
)
def test_months_keep_the_clock_and_clamp_the_day(start, sign, text, end):
    assert shift(start, Duration.parse(text), sign, calendar=CAL, tz=SHANGHAI) == end


def test_months_use_the_local_date():
    # 2024-01-31 17:00 UTC is already 2024-02-01 01:00 in Shanghai.
    start = datetime(2024, 1, 31, 17, 0, tzinfo=UTC)
    assert after(start, "1 month") == at(2024, 3, 1, 1, 0)


# -- shift: workdays --------------------------------------------------------


def test_workdays_end_at_midnight_after_the_nth_working_day():
    # Monday 2024-03-11 -> the 2nd working day after is Wednesday; ends at its 24:00.
    assert after(at(2024, 3, 11, 16, 45), "2 workdays") == at(2024, 3, 14, 0, 0)


def test_workdays_cross_national_day_and_a_make_up_saturday():
    assert after(at(2026, 9, 30, 10, 0), "1 workday") == at(2026, 10, 9, 0, 0)
    # Oct 8, Oct 9, then the make-up Saturday Oct 10.
    assert after(at(2026, 9, 30, 10, 0), "3 workdays") == at(2026, 10, 11, 0, 0)
    assert after(at(2026, 10, 9, 15, 0), "1 workday") == at(2026, 10, 11, 0, 0)


def test_workdays_cross_a_spring_festival_make_up_sunday():
    assert after(at(2024, 2, 2, 9, 0), "1 workday") == at(2024, 2, 5, 0, 0)


def test_workdays_use_the_local_date_of_the_instant():
    # 17:00 UTC on Friday 2026-10-09 is 01:00 on the make-up Saturday in Shanghai.
    start = datetime(2026, 10, 9, 17, 0, tzinfo=UTC)
    assert after(start, "1 workday") == at(2026, 10, 13, 0, 0)


def test_at_least_n_workdays_before():
    assert before(at(2026, 10, 9, 10, 0), "1 workday") == at(2026, 10, 9, 0, 0)
    assert before(at(2026, 10, 9, 10, 0), "2 workdays") == at(2026, 10, 1, 0, 0)
    assert before(at(2024, 2, 5, 10, 0), "1 workday") == at(2024, 2, 5, 0, 0)


def test_workdays_outside_the_calendar_are_an_error():
    with pytest.raises(CalendarRangeError, match="2027"):
        after(at(2026, 12, 30, 9, 0), "5 workdays")
    with pytest.raises(CalendarRangeError, match="2030"):
        after(at(2030, 1, 2, 9, 0), "1 workday")


# -- shift: arguments -------------------------------------------------------


def test_naive_instant_is_rejected():
    with pytest.raises(ValueError, match="no time zone"):
        shift(datetime(2024, 3, 5, 9, 0), Duration(1, "hours"), 1, calendar=CAL, tz=SHANGHAI)


@pytest.mark.parametrize("sign", [0, 2, -2])
def test_sign_must_be_one(sign):
    with pytest.raises(ValueError, match="sign"):
        shift(at(2024, 3, 5, 9, 0), Duration(1, "hours"), sign, calendar=CAL, tz=SHANGHAI)


def test_fixed_offset_input_is_accepted():
    start = datetime(2024, 3, 5, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    assert after(start, "1 workday") == at(2024, 3, 7, 0, 0)
