"""Periods of a calendar cadence and their due points (SPEC-checker §4), on day numbers.

A period runs from 00:00 of its first day to 00:00 after its last. Its due
point is the due day at the due time, or the end (24:00) of the due day. The
due day is the period's last day unless the cadence names one: a weekday for
weekly cadences (1 = Monday), a day of the month, clamped to the month's end,
for monthly ones, and for quarters and years a day of their first month, as
the checker reads it. Periods are labelled as the checker labels them:
``2026-03-05``, ``2026-W10``, ``2026-03``, ``2026-Q1``, ``2026``.
"""

from __future__ import annotations

import calendar as gregorian
from dataclasses import dataclass
from datetime import date, timedelta

from opsbook.model import Cadence, OfficeCalendar

from .clock import DAY, Clock

_MONTHS = {"month": 1, "quarter": 3, "year": 12}
EVERY_DAY = OfficeCalendar()  # the office calendar when handbook.yaml defines none


@dataclass(frozen=True, slots=True)
class Period:
    label: str
    start: int  # first day
    end: int  # the day after the last
    due_day: int
    due: int  # the due instant

    @property
    def start_t(self) -> int:
        return self.start * DAY

    @property
    def end_t(self) -> int:
        return self.end * DAY


def _add_months(d: date, months: int) -> date:
    year, month0 = divmod(d.year * 12 + d.month - 1 + months, 12)
    return date(year, month0 + 1, 1)


def _label(every: str, d: date) -> str:
    if every in ("day", "workday"):
        return d.isoformat()
    if every == "week":
        year, week, _ = d.isocalendar()
        return f"{year}-W{week:02d}"
    if every == "month":
        return f"{d.year}-{d.month:02d}"
    if every == "quarter":
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    return str(d.year)


def _due(cadence: Cadence, start: date, end: date) -> date:
    if cadence.every == "week" and cadence.due_weekday:
        return start + timedelta(days=cadence.due_weekday - 1)
    if cadence.every in _MONTHS and cadence.due_day:
        month_end = date(start.year, start.month, gregorian.monthrange(start.year, start.month)[1])
        return min(start + timedelta(days=cadence.due_day - 1), month_end)
    return end - timedelta(days=1)


def _is_day(cadence: Cadence, clock: Clock, office: OfficeCalendar, day: int) -> bool:
    """Whether ``day`` is a period of a daily cadence: a public working day, any day, or an office opening day."""
    days = cadence.day_calendar
    if days == "public":
        return clock.is_workday(day)
    return days == "all" or office.is_open(clock.date_of(day))


def periods(cadence: Cadence, first: int, last: int, clock: Clock, office: OfficeCalendar = EVERY_DAY) -> list[Period]:
    """Every period of ``cadence`` that overlaps days ``first``..``last``, in order."""
    every = cadence.every
    lo = clock.date_of(first)
    if cadence.daily:
        starts = [clock.date_of(d) for d in range(first, last + 1) if _is_day(cadence, clock, office, d)]
        bounds = [(s, s + timedelta(days=1)) for s in starts]
    else:
        if every == "week":
            start = lo - timedelta(days=lo.weekday())
        else:
            months = _MONTHS[every]
            start = date(lo.year, (lo.month - 1) // months * months + 1 if months < 12 else 1, 1)
        bounds = []
        hi = clock.date_of(last)
        while start <= hi:
            end = start + timedelta(days=7) if every == "week" else _add_months(start, _MONTHS[every])
            bounds.append((start, end))
            start = end
    out = []
    for start, end in bounds:
        due_day = clock.day_of(_due(cadence, start, end))
        if cadence.due_time:
            hours, minutes = (int(x) for x in cadence.due_time.split(":"))
            due = due_day * DAY + hours * 3600 + minutes * 60
        else:
            due = (due_day + 1) * DAY
        out.append(Period(_label(every, start), clock.day_of(start), clock.day_of(end), due_day, due))
    return out
