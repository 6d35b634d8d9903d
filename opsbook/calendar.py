"""The mainland-China working-day calendar.

Working days are Monday–Friday, minus public holidays, plus make-up working
days (调休), as published by the State Council and packaged in
``chinese_calendar``; the organisation's own overrides come on top. Only the
years the package covers are known: any other date is a ``CalendarRangeError``,
never a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import NamedTuple

import chinese_calendar
import polars as pl


class CalendarRangeError(ValueError):
    """A date falls in a year the calendar has no data for."""

    def __init__(self, year: int, covered: range) -> None:
        self.year = year
        self.covered = covered
        super().__init__(f"no working-day calendar for {year} (covered: {covered[0]}–{covered[-1]})")

    def __reduce__(self):  # so the error survives pickling (e.g. from worker processes)
        return type(self), (self.year, self.covered)


class _Table(NamedTuple):
    start: date
    flags: list[bool]  # is_workday, indexed by days since start
    ordinals: list[int]  # working days on or before each date
    workdays: list[date]  # the k-th working day (0-based) of the covered years
    frame: pl.DataFrame


@dataclass(frozen=True)
class WorkCalendar:
    """Working days over ``covered_years``; ``exceptions`` beat the Mon–Fri rule."""

    covered_years: range
    exceptions: tuple[tuple[date, bool], ...] = ()

    def __post_init__(self) -> None:
        if len(self.covered_years) == 0 or self.covered_years.step != 1:
            raise ValueError("covered_years must be a non-empty range of consecutive years")
        for day, _ in self.exceptions:
            self._check(day)

    @classmethod
    def china(cls, overrides: Mapping[date, bool] | None = None) -> WorkCalendar:
        """The package's calendar, with ``overrides`` (date → working or not) on top."""
        known = chinese_calendar.holidays.keys() | chinese_calendar.workdays.keys()
        years = range(min(d.year for d in known), max(d.year for d in known) + 1)
        # Later entries win: the package itself lets a make-up day beat a holiday,
        # and the organisation's word beats both.
        merged: dict[date, bool] = dict.fromkeys(chinese_calendar.holidays, False)
        merged.update(dict.fromkeys(chinese_calendar.workdays, True))
        for day, working in (overrides or {}).items():
            if not isinstance(day, date) or isinstance(day, datetime):
                raise TypeError(f"override key {day!r} is not a date")
            if not (years.start <= day.year < years.stop):
                raise CalendarRangeError(day.year, years)
            merged[day] = bool(working)
        return cls(years, tuple(sorted(merged.items())))

    @cached_property
    def _table(self) -> _Table:
        start = date(self.covered_years[0], 1, 1)
        end = date(self.covered_years[-1], 12, 31)
        special = dict(self.exceptions)
        flags: list[bool] = []
        ordinals: list[int] = []
        workdays: list[date] = []
        day = start
        while day <= end:
            working = special.get(day, day.weekday() < 5)
            flags.append(working)
            if working:
                workdays.append(day)
            ordinals.append(len(workdays))
            day += timedelta(days=1)
        frame = pl.DataFrame(
            {
                "date": pl.date_range(start, end, "1d", eager=True),
                "is_workday": pl.Series(flags, dtype=pl.Boolean),
                "workday_ordinal": pl.Series(ordinals, dtype=pl.Int64),
            }
        )
        return _Table(start, flags, ordinals, workdays, frame)

    def _check(self, day: date) -> None:
        if day.year not in self.covered_years:
            raise CalendarRangeError(day.year, self.covered_years)

    def _index(self, day: date) -> int:
        self._check(day)
        return (day - self._table.start).days

    def is_workday(self, day: date) -> bool:
        return self._table.flags[self._index(day)]

    def workdays_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; negative when b is before a."""
        ordinals = self._table.ordinals
        return ordinals[self._index(b)] - ordinals[self._index(a)]

    def add_workdays(self, day: date, n: int) -> date:
        """The n-th working day strictly after ``day`` (n > 0) or strictly before it (n < 0)."""
        if n == 0:
            raise ValueError("n must be non-zero: 'the 0th working day after' is undefined")
        i = self._index(day)
        table = self._table
        k = table.ordinals[i] + n - 1 if n > 0 else table.ordinals[i] - table.flags[i] + n
        if k < 0:
            raise CalendarRangeError(self.covered_years[0] - 1, self.covered_years)
        if k >= len(table.workdays):
            raise CalendarRangeError(self.covered_years[-1] + 1, self.covered_years)
        return table.workdays[k]

    def ordinal_table(self) -> pl.DataFrame:
        """One row per covered date: date, is_workday, workday_ordinal (on or before)."""
        return self._table.frame.clone()  # cheap, and keeps the cached table untouched

    def shift_workdays(self, dates: pl.Series, n: int | pl.Series) -> pl.Series:
        """``add_workdays`` for a whole column; nulls in ``dates`` or ``n`` stay null.

        Raises the error ``add_workdays`` would raise for the first failing row.
        """
        if dates.dtype != pl.Date:
            raise TypeError(f"dates must be a pl.Date series, not {dates.dtype}")
        if isinstance(n, pl.Series) and len(n) != len(dates):
            raise ValueError(f"n has {len(n)} values for {len(dates)} dates")
        steps = n.cast(pl.Int64) if isinstance(n, pl.Series) else pl.repeat(n, len(dates), dtype=pl.Int64, eager=True)
        if (steps == 0).any():
            raise ValueError("n must be non-zero: 'the 0th working day after' is undefined")
        table = self._table
        first, last = self.covered_years[0], self.covered_years[-1]
        offset = (pl.col("date") - pl.lit(table.start)).dt.total_days()
        inside = offset.is_between(0, len(table.flags) - 1)
        rows = pl.DataFrame({"date": dates, "n": steps}).with_columns(i=pl.when(inside).then(offset))
        # Gather by position: the ordinal table is dense, so a date's row is its offset.
        ordinal = table.frame["workday_ordinal"].gather(rows["i"])
        working = table.frame["is_workday"].gather(rows["i"]).cast(pl.Int64)
        rows = rows.with_columns(ordinal=ordinal, working=working).with_columns(
            k=pl.when(pl.col("n") > 0)
            .then(pl.col("ordinal") + pl.col("n") - 1)
            .otherwise(pl.col("ordinal") - pl.col("working") + pl.col("n"))
        )
        bad_year = rows.select(
            pl.when(pl.col("date").is_not_null() & ~inside)
            .then(pl.col("date").dt.year().cast(pl.Int64))
            .when(pl.col("k") < 0)
            .then(pl.lit(first - 1))
            .when(pl.col("k") >= len(table.workdays))
            .then(pl.lit(last + 1))
        ).to_series()
        if bad_year.null_count() < len(bad_year):
            raise CalendarRangeError(int(bad_year.drop_nulls()[0]), self.covered_years)
        result = pl.Series(table.workdays, dtype=pl.Date).gather(rows["k"])
        return result.alias(dates.name)
