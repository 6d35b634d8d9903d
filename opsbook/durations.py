"""Durations in deadline limits, and the reference meaning of shifting by one.

``shift`` is the scalar reference for SPEC-checker §3; the checker's columnar
expressions must agree with it.

| unit             | meaning                                                   |
|------------------|-----------------------------------------------------------|
| minutes, hours   | elapsed time                                              |
| days, weeks      | elapsed multiples of 24 h / 168 h (not wall-clock days)   |
| months           | calendar months, same local clock time, day clamped       |
| workdays         | by local date; the limit ends at 24:00 of the N-th        |
|                  | working day strictly after (or before) the date of X      |
"""

from __future__ import annotations

import calendar as _gregorian
import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from opsbook.calendar import WorkCalendar

UNITS = ("minutes", "hours", "days", "weeks", "months", "workdays")
MAX_AMOUNT = 99_999

# Same as the schema's pattern; fullmatch, because "$" would also accept a trailing newline.
_PATTERN = re.compile(r"([1-9][0-9]{0,4}) (minute|hour|day|week|month|workday)s?")

_CHINESE = {
    "minutes": "分钟",
    "hours": "小时",
    "days": "天",
    "weeks": "周",
    "months": "个月",
    "workdays": "个工作日",
}

_ELAPSED = {
    "minutes": timedelta(minutes=1),
    "hours": timedelta(hours=1),
    "days": timedelta(days=1),
    "weeks": timedelta(weeks=1),
}


@dataclass(frozen=True)
class Duration:
    """A positive amount of one unit; ``unit`` is always the plural form."""

    amount: int
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unknown duration unit {self.unit!r}; use one of {', '.join(UNITS)}")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise ValueError(f"duration amount must be an integer, not {self.amount!r}")
        if not 1 <= self.amount <= MAX_AMOUNT:
            raise ValueError(f"duration amount must be 1–{MAX_AMOUNT}, not {self.amount}")

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Read ``"<amount> <unit>"``, e.g. ``"3 workdays"`` or ``"1 month"``."""
        match = _PATTERN.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise ValueError(
                f"invalid duration {text!r}: expected '<amount> <unit>' with amount"
                f" 1–{MAX_AMOUNT} and unit minute, hour, day, week, month or workday"
                " (optionally plural), e.g. '3 workdays'"
            )
        return cls(int(match[1]), match[2] + "s")

    def __str__(self) -> str:
        # Singular for one reads naturally and still parses back to the same value.
        return f"{self.amount} {self.unit[:-1] if self.amount == 1 else self.unit}"

    def to_chinese(self) -> str:
        return f"{self.amount}{_CHINESE[self.unit]}"


def _normalise(local: datetime, tz: ZoneInfo) -> datetime:
    # A wall time in a DST gap or fold has no single instant; the UTC round trip
    # settles it the way zoneinfo resolves fold=0 and gives a canonical value.
    return local.astimezone(UTC).astimezone(tz)


def shift(instant: datetime, duration: Duration, sign: int, *, calendar: WorkCalendar, tz: ZoneInfo) -> datetime:
    """The instant ``duration`` after (sign +1) or before (sign -1) ``instant``, in ``tz``.

    For workdays this is the *end* of the limit: 24:00 (the next local midnight)
    of the N-th working day strictly after / before the local date of ``instant``.
    """
    if sign not in (1, -1):
        raise ValueError(f"sign must be +1 or -1, not {sign!r}")
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"instant {instant.isoformat()} has no time zone; make it aware first")
    try:
        return _shifted(instant, duration, sign, calendar, tz)
    except OverflowError:  # found by fuzzing: Python's datetime ends at the year 9999
        direction = "after" if sign == 1 else "before"
        raise ValueError(f"{duration} {direction} {instant.isoformat()} is outside the years 1–9999") from None


def _shifted(instant: datetime, duration: Duration, sign: int, calendar: WorkCalendar, tz: ZoneInfo) -> datetime:
    if duration.unit in _ELAPSED:
        # Aware arithmetic within one tzinfo is wall-clock arithmetic in Python;
        # going through UTC makes it elapsed time, as the spec requires.
        moved = instant.astimezone(UTC) + sign * duration.amount * _ELAPSED[duration.unit]
        return moved.astimezone(tz)
    local = instant.astimezone(tz)
    if duration.unit == "months":
        year, month0 = divmod(local.year * 12 + local.month - 1 + sign * duration.amount, 12)
        day = min(local.day, _gregorian.monthrange(year, month0 + 1)[1])
        return _normalise(local.replace(year=year, month=month0 + 1, day=day), tz)
    # workdays
    last_day = calendar.add_workdays(local.date(), sign * duration.amount)
    return _normalise(datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=tz), tz)
