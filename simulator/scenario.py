"""What every chunk of a run shares: the period, the calendar, the staff, the plans, the arrivals.

A ``Scenario`` is built from the settings and the handbook alone (every random
choice in it comes from the seed), so each worker process builds the same one
and chunks can be made anywhere, in any order.

Cases arrive over the working hours of the period's working days, busier on
some days than others (a weekday pattern and a random factor per day). Case i
of N arrives at the i-th N-quantile of that arrival curve plus a jitter, so a
chunk of cases covers a stretch of time and needs nothing from other chunks.
The log opens on the first working day from ``--start`` (case 0 starts then)
and the audit's as-of time is 20:00 of the last day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from opsbook.calendar import WorkCalendar
from opsbook.model import Handbook, Obligation, Process

from .cases import World
from .clock import DAY, DAY_WORK, OPEN, Clock, SimulationError
from .evaluate import Context
from .labels import Typos
from .periods import Period, periods
from .plan import CASE_PREFIX, PROCESS_WEIGHTS, ProcessPlan, process_plan
from .rand import Stream, generator
from .roster import build_roster, role_names

AS_OF_TIME = 20 * 3600
WEEKDAY_FACTOR = (1.1, 1.0, 0.95, 1.0, 1.15, 1.2, 1.2)


@dataclass(frozen=True)
class Settings:
    cases: int
    rate: float
    seed: int
    out: Path
    fmt: str = "csv"
    start: date = date(2026, 3, 2)
    days: int = 270
    chunk: int = 10_000
    jobs: int = 1


class Arrivals:
    """Case start instants: quantiles of the period's working-time arrival curve."""

    def __init__(self, clock: Clock, first: int, last: int, n: int, gen: np.random.Generator) -> None:
        factors = gen.lognormal(0.0, 0.25, size=last - first + 1)
        weights = [
            factors[i] * WEEKDAY_FACTOR[clock.date_of(d).weekday()] if clock.is_workday(d) else 0.0
            for i, d in enumerate(range(first, last + 1))
        ]
        self.first, self.n, self.weights = first, n, np.array(weights)
        self.cum = np.cumsum(self.weights)

    def times(self, lo: int, hi: int, jitter: np.ndarray) -> list[int]:
        x = (np.arange(lo, hi) + jitter) / self.n * self.cum[-1]
        day = np.minimum(np.searchsorted(self.cum, x, side="right"), len(self.cum) - 1)
        before = np.where(day > 0, self.cum[day - 1], 0.0)
        frac = np.clip((x - before) / self.weights[day], 0.0, 0.999)
        return ((self.first + day) * DAY + OPEN + (frac * DAY_WORK).astype(np.int64)).tolist()

    def day_of_case(self, i: int) -> int:
        x = i / self.n * self.cum[-1]
        return self.first + int(min(np.searchsorted(self.cum, x, side="right"), len(self.cum) - 1))


class Scenario:
    def __init__(self, settings: Settings, handbook: Handbook) -> None:
        self.s, self.handbook = settings, handbook
        overrides = {datetime.fromisoformat(d).date(): w for d, w, _ in handbook.calendar_overrides}
        calendar = WorkCalendar.china(overrides)
        start = settings.start
        while start.year in calendar.covered_years and not calendar.is_workday(start):
            start += timedelta(days=1)  # the log opens on a working day
        end = start + timedelta(days=settings.days - 1)
        # Cases still open at the as-of time are planned up to 8 months on; the audit
        # computes workday limits up to about 30 days after its last day.
        clock = Clock(
            calendar,
            ZoneInfo(handbook.timezone),
            start - timedelta(days=120),
            end + timedelta(days=240),
            end + timedelta(days=30),
            end,
        )
        self.clock = clock
        self.first_day, self.last_day = clock.day_of(start), clock.day_of(end)
        self.log_start, self.as_of = self.first_day * DAY, self.last_day * DAY + AS_OF_TIME
        scale = min(max(settings.cases / 20_000, 1.0), 25.0)
        self.roster = build_roster(handbook, Stream(generator(settings.seed, 0)), self.first_day, self.last_day, scale)
        names = role_names(handbook)
        ctx = Context(clock, self.roster, {n: rid for rid, ns in names.items() for n in ns}, self.as_of)
        self.world = World(clock, self.roster, names, ctx, self.log_start, self.as_of, Typos(handbook))
        self.plans: list[ProcessPlan] = [process_plan(p) for p in handbook.processes if p.steps]
        if not self.plans and settings.cases:
            raise SimulationError("the handbook has no process with steps to simulate cases of")
        self.weights = np.cumsum([PROCESS_WEIGHTS.get(p.id, 3) for p in self.plans]) if self.plans else None
        self.arrivals = Arrivals(
            clock, self.first_day, self.last_day, max(settings.cases, 1), generator(settings.seed, 1)
        )
        obligations = [(p, o) for p in handbook.processes for o in p.obligations]
        self.calendar_obs = [(p, o) for p, o in obligations if o.cadence.every]
        self.interval_obs = [(p, o) for p, o in obligations if o.cadence.interval]
        self.entity_obs = [(p, o) for p, o in obligations if o.scope.kind == "entity"]
        self.periods: dict[str, list[Period]] = {
            o.id: periods(o.cadence, self.first_day, self.last_day, clock, handbook.office)
            for _, o in self.calendar_obs
        }
        self.chunks = max(1, -(-settings.cases // settings.chunk))
        self.bounds = [self.arrivals.day_of_case(k * settings.chunk) for k in range(1, self.chunks)]
        self._entity_by_plan = {
            plan.id: [(p, o) for p, o in self.entity_obs if plan.id in self._sources(o)] for plan in self.plans
        }
        self.year = start.year

    def _sources(self, ob: Obligation) -> set[str]:
        """Processes whose cases introduce the entities of ``ob``: they carry its entity or condition attribute."""
        names = {ob.scope.entity} | ({ob.scope.when.attribute} if ob.scope.when else set())
        return {p.id for p in self.plans if names & {a.name for a in p.process.attributes}}

    def entity_obligations(self, plan: ProcessPlan) -> list[tuple[Process, Obligation]]:
        return self._entity_by_plan[plan.id]

    def attributes(self) -> list[str]:
        """The log's attribute columns."""
        names = {a.name for p in self.plans for a in p.attrs}
        for _, ob in self.entity_obs:
            names.add(ob.scope.entity)
            if ob.scope.when:
                names.add(ob.scope.when.attribute)
        return sorted(names)

    def case_id(self, plan: ProcessPlan, i: int) -> str:
        prefix = CASE_PREFIX.get(plan.id) or "".join(w[0] for w in plan.id.split("-")).upper()
        return f"{prefix}{self.year}{i + 1:07d}"

    def in_chunk(self, k: int, day: int) -> bool:
        """Whether a period starting on ``day`` belongs to chunk ``k`` (by the chunks' stretches of time)."""
        bounds = self.bounds
        return (k == 0 or bounds[k - 1] <= day) and (k >= len(bounds) or day < bounds[k])
