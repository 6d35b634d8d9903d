"""Time for the simulator: local wall-clock seconds, working time, deadline limits.

Every instant is an ``int``: seconds since 1970-01-01 00:00 *local* wall time.
The simulator needs a zone whose UTC offset is fixed over the simulated years
(Asia/Shanghai is), so that local arithmetic is elapsed time; ``Clock`` refuses
any other zone with one clear error.

Working time is 09:00–18:00 on the working days of the handbook's calendar.
``work(t)`` maps an instant to a working-seconds coordinate and ``at_work(w)``
maps one back, so "two working days later" is ``at_work(work(t) + 2 * DAY_WORK)``.

Deadline limits go through ``opsbook.durations.shift``, the reference the
checker is tested against (workday limits cached by local date).
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from opsbook.calendar import CalendarRangeError, WorkCalendar
from opsbook.durations import Duration, shift

DAY = 86_400
OPEN, CLOSE = 9 * 3600, 18 * 3600
DAY_WORK = CLOSE - OPEN
EPOCH = date(1970, 1, 1)
_ELAPSED = {"minutes": 60, "hours": 3600, "days": DAY, "weeks": 7 * DAY}


class SimulationError(ValueError):
    """The simulation cannot be run as asked: one line for the user."""


class Clock:
    def __init__(
        self, calendar: WorkCalendar, tz: ZoneInfo, first: date, last: date, horizon: date, audit: date
    ) -> None:
        """Days ``first``..``last``; the audit (ending on day ``audit``) needs the calendar up to ``horizon``.

        Days after the calendar's last year (reached only by the plans of cases
        still open at the as-of time, never by a logged event) count Monday–Friday.
        """
        years = calendar.covered_years
        if first.year not in years or horizon.year not in years:
            raise SimulationError(
                f"the working-day calendar covers {years[0]}–{years[-1]}; the simulation needs {first} to {horizon}"
                " (choose an earlier --start or fewer --days)"
            )
        offsets = {tz.utcoffset(datetime(first.year, m, 1)) for m in range(1, 13)}
        offsets |= {tz.utcoffset(datetime(horizon.year, m, 1)) for m in range(1, 13)}
        if len(offsets) != 1:
            raise SimulationError(f"time zone {tz.key} changes its UTC offset; the simulator needs a fixed offset")
        self.calendar, self.tz = calendar, tz
        self.offset = int(offsets.pop().total_seconds())
        self.first_day = (first - EPOCH).days
        self.workday: list[bool] = []
        self.cum: list[int] = []  # working seconds before each day of the domain
        total, day = 0, first
        while day <= last:
            working = calendar.is_workday(day) if day.year in years else day.weekday() < 5
            self.workday.append(working)
            self.cum.append(total)
            total += DAY_WORK if working else 0
            day += timedelta(days=1)
        self.cum.append(total)
        self.audit_day = (audit - EPOCH).days
        self._workday_limits: dict[tuple[int, int, int], int] = {}
        self._dates: dict[int, str] = {}

    # -- days ---------------------------------------------------------------------

    def is_workday(self, day: int) -> bool:
        index = day - self.first_day
        if 0 <= index < len(self.workday):
            return self.workday[index]
        # A period due after the simulated days (a monthly report of a short run): the same rule as above.
        d = self.date_of(day)
        return self.calendar.is_workday(d) if d.year in self.calendar.covered_years else d.weekday() < 5

    def date_of(self, day: int) -> date:
        return EPOCH + timedelta(days=day)

    def day_of(self, d: date) -> int:
        return (d - EPOCH).days

    def day_text(self, day: int) -> str:
        text = self._dates.get(day)
        if text is None:
            text = self._dates[day] = (EPOCH + timedelta(days=day)).isoformat()
        return text

    # -- working time -------------------------------------------------------------

    def work(self, t: int) -> int:
        day, tod = divmod(t, DAY)
        i = day - self.first_day
        if i < 0:
            return 0
        if i >= len(self.workday):
            return self.cum[-1]
        if not self.workday[i]:
            return self.cum[i]
        return self.cum[i] + min(max(tod - OPEN, 0), DAY_WORK)

    def at_work(self, w: int) -> int:
        """The instant at working coordinate ``w`` (the start of the next working day at a day's boundary)."""
        i = bisect_right(self.cum, w) - 1
        if i >= len(self.workday):
            raise SimulationError("the simulation ran past the end of its calendar domain")
        return (self.first_day + i) * DAY + OPEN + (w - self.cum[i])

    def next_work(self, t: int) -> int:
        """``t`` itself in working time, else the next opening time."""
        return self.at_work(self.work(t)) if not self.in_work(t) else t

    def in_work(self, t: int) -> bool:
        day, tod = divmod(t, DAY)
        i = day - self.first_day
        return 0 <= i < len(self.workday) and self.workday[i] and OPEN <= tod < CLOSE

    # -- conversions ----------------------------------------------------------------

    def aware(self, t: int) -> datetime:
        return datetime.fromtimestamp(t - self.offset, UTC).astimezone(self.tz)

    def from_aware(self, instant: datetime) -> int:
        return int(instant.timestamp()) + self.offset

    def iso(self, t: int) -> str:
        """Local text with the offset, e.g. '2026-03-05T14:30:00+08:00' (for meta and --as-of)."""
        return self.aware(t).isoformat()

    # -- limits -----------------------------------------------------------------------

    def limit(self, anchor: int, duration: Duration, sign: int, *, strict: bool = True) -> int:
        """``opsbook.durations.shift`` on local seconds.

        ``strict=False`` is for planning steps that may never be logged: a
        workday limit beyond the calendar is then estimated (Monday–Friday)
        when its anchor lies after the audit's last day, where no event is logged.
        """
        unit = duration.unit
        if unit in _ELAPSED:
            return anchor + sign * duration.amount * _ELAPSED[unit]
        if unit == "workdays":
            key = (anchor // DAY, duration.amount, sign)
            cached = self._workday_limits.get(key)
            if cached is None:
                try:
                    cached = self.from_aware(
                        shift(self.aware(key[0] * DAY), duration, sign, calendar=self.calendar, tz=self.tz)
                    )
                except CalendarRangeError:
                    if strict or key[0] <= self.audit_day:
                        raise SimulationError(
                            f"a deadline from {self.day_text(key[0])} leaves the working-day calendar"
                            " (choose an earlier --start or fewer --days)"
                        ) from None
                    return key[0] * DAY + sign * (duration.amount * 7 // 5 + 3) * DAY  # never logged
                self._workday_limits[key] = cached
            return cached
        return self.from_aware(shift(self.aware(anchor), duration, sign, calendar=self.calendar, tz=self.tz))


def rough_seconds(duration: Duration) -> int:
    """A lower bound of the duration's length in seconds, for planning windows."""
    per = {"workdays": DAY, "months": 28 * DAY, **_ELAPSED}
    return duration.amount * per[duration.unit]
