"""Recurring obligations: reports, meetings and return visits, with their expected findings.

Calendar cadences (SPEC-checker §4): for every period and scope member (the
organisation; each person the roster gives the role on the due day; each
entity from the first period starting on or after its first appearance) the
first occurrence is usually a little before the due point (the 18:00 daily
report at about 17:35, the monthly report on one of the last working days
before the 5th). A deviation either moves it after the due point but inside
the period (C202, when the period leaves room: not for a due point at the
period's end) or leaves the period without one (C201). Only periods that start
on or after the log's first day and are due by the as-of time are evaluated;
the others get occurrences too, as far as they lie before the as-of time.

Interval cadences: occurrences follow each other within the interval from the
member's first appearance up to the as-of time. A deviation makes one gap too
long (C203): a late occurrence, or none after the last one.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count

from opsbook.model import Obligation, Process

from .clock import DAY, DAY_WORK, OPEN, Clock
from .evaluate import Ev
from .periods import Period
from .rand import Stream
from .truth import Truth

Staff = Callable[[int], tuple[int, str]]  # instant → (person, log role text)
DUPLICATE = 0.02  # a correction recorded after the first occurrence


class ObligationMaker:
    def __init__(self, clock: Clock, rs: Stream, serial: count, log_start: int, as_of: int) -> None:
        self.clock, self.rs, self.serial = clock, rs, serial
        self.log_start, self.as_of = log_start, as_of

    def _event(self, ob: Obligation, t: int, staff: Staff, attrs: dict | None) -> Ev:
        person, role = staff(t)
        label = ob.activities[0] if len(ob.activities) == 1 else self.rs.pick(ob.activities)
        return Ev(t, ob.id, label, person, role, next(self.serial), None, attrs)

    # -- calendar cadence -------------------------------------------------------------

    def _usual(self, ob: Obligation, period: Period) -> int:
        """A typical on-time instant: shortly before a due time, else on a working day before the due day."""
        rs, clock, cadence = self.rs, self.clock, ob.cadence
        if cadence.due_time and (cadence.daily or rs.chance(0.5)):
            return period.due - int(min(rs.lognormal(1500, 0.8), 6 * 3600))
        if cadence.daily:
            return period.start_t + 17 * 3600 + rs.below(4 * 3600)
        reach = 0 if cadence.every == "week" else 2 if cadence.due_day and cadence.due_day < 10 else 6
        days = [d for d in range(max(period.start, period.due_day - reach), period.due_day + 1) if clock.is_workday(d)]
        day = rs.pick(days) if days else period.due_day
        return day * DAY + OPEN + 1800 + rs.below(8 * 3600)

    def _late(self, period: Period, high: int) -> int | None:
        rs, clock = self.rs, self.clock
        if high <= period.due:
            return None
        t = clock.at_work(clock.work(period.due) + max(60, int(rs.lognormal(0.3 * DAY_WORK, 1.0))))
        if not period.due < t <= high:
            t = period.due + 1 + int((high - period.due - 1) * rs.random())
        return t

    def calendar(
        self,
        process: Process,
        ob: Obligation,
        period: Period,
        member: str,
        staff: Staff,
        *,
        low: int,
        high: int,
        evaluated: bool,
        deviate: bool,
        attrs: dict | None = None,
    ) -> tuple[list[Ev], list[Truth]]:
        """One member's occurrences in one period, within [low, high] (the member's time in it, to the as-of)."""
        low, high = max(low, period.start_t, self.log_start), min(high, period.end_t - 1, self.as_of)
        if high < low:
            return [], []
        status = "ok"
        if evaluated and deviate:
            status = "late" if high > period.due and self.rs.chance(0.5) else "missed"
        if status == "missed":
            return [], [Truth("C201", process.id, ob.id, scope=member, period=period.label)]
        if status == "late":
            t = self._late(period, high)
            truths = [Truth("C202", process.id, ob.id, scope=member, period=period.label, lateness=t - period.due)]
        elif period.due < low:  # the member's time in the period starts after the due point
            missed = Truth("C201", process.id, ob.id, scope=member, period=period.label, injected=False)
            return [], [missed] if evaluated else []
        else:
            t = min(max(self._usual(ob, period), low), high, period.due)
            truths = []
        events = [self._event(ob, t, staff, attrs)]
        if truths:
            truths[0].refs = (events[0],)
        if self.rs.chance(DUPLICATE) and t + 600 < high:
            events.append(self._event(ob, t + 600 + self.rs.below(min(high - t - 600, 6 * 3600)), staff, attrs))
        return events, truths

    # -- interval cadence ----------------------------------------------------------------

    def interval(
        self,
        process: Process,
        ob: Obligation,
        member: str,
        staff: Staff,
        *,
        since: int,
        until: int,
        anchor: Ev | None,
        deviate: bool,
        attrs: dict | None = None,
    ) -> tuple[list[Ev], list[Truth]]:
        """Occurrences from ``since`` (the member's first appearance, event ``anchor``) to ``until``.

        With ``deviate``, one gap is too long: the next occurrence comes after
        the limit, or there is none after the last one.
        """
        rs, clock, interval = self.rs, self.clock, ob.cadence.interval
        events: list[Ev] = []
        truths: list[Truth] = []
        t_prev, prev = since, anchor
        while True:
            limit = clock.limit(t_prev, interval, 1)
            if limit >= until:
                if not deviate and rs.chance(0.3) and until - t_prev > 7 * DAY:
                    events.append(self._event(ob, self._between(t_prev + DAY, until - DAY), staff, attrs))
                break
            if deviate and (rs.chance(0.5) or clock.limit(limit, interval, 1) >= until):
                deviate = False
                if rs.chance(0.5) and until - limit > DAY:  # a late occurrence
                    t = self._between(limit + 1, until)
                    ev = self._event(ob, t, staff, attrs)
                    events.append(ev)
                    truths.append(self._gap(process, ob, member, prev, t_prev, ev, t, t - limit))
                    t_prev, prev = t, ev
                    continue
                truths.append(self._gap(process, ob, member, prev, t_prev, None, until, until - limit))
                break
            t = self._between(t_prev + int((limit - t_prev) * 0.4), min(limit, until) - 1)
            ev = self._event(ob, t, staff, attrs)
            events.append(ev)
            t_prev, prev = t, ev
        return events, truths

    def _between(self, low: int, high: int) -> int:
        """An instant in [low, high], in working hours when there are some."""
        clock = self.clock
        room = clock.work(high) - clock.work(low)
        if room > 60:
            t = clock.at_work(clock.work(low) + 1 + self.rs.below(room - 1))
            if low <= t <= high:
                return t
        return low + self.rs.below(max(high - low, 1))

    def _gap(self, process, ob, member, prev, t_prev, nxt, end, lateness) -> Truth:
        clock = self.clock
        refs = (prev,) if nxt is None else (prev, nxt)
        if prev is None:
            raise ValueError("an interval gap needs the event that opens it")
        period = f"{clock.day_text(t_prev // DAY)}/{clock.day_text(end // DAY)}"
        return Truth("C203", process.id, ob.id, scope=member, period=period, refs=refs, lateness=lateness, ordered=True)
