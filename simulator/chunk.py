"""One chunk of a run: its cases, their deviations, the obligations of its stretch of time, rendered.

``produce(scenario, k)`` needs nothing from other chunks: its random numbers
come from the seed and ``k``, its rows are numbered from 1 and its findings
refer to those rows, so chunks can be made in parallel and appended in order.

Case i gets a deviation with probability ``rate`` (case 0, which opens the
log, never does). Its kind is drawn among those the case can take, the rarer
kinds weighing more, and tried until one fits (see ``inject``). A key
customer's deviation may instead be a return visit too late (C203). Every case
is then evaluated (``evaluate``): its findings are the ground truth, whether
injected or not. Calendar obligations deviate per period and scope member,
with the same rate. One case in ten (``TIER_CHANGE``) of a process with a
filtered entity scope changes the customer's tier midway (an upgrade to a key
customer, a downgrade, ...): its later events carry the new tier, and the
scope's ground truth starts at the first event that meets the filter.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import count

import numpy as np

from opsbook.model import Obligation, Process

from .cases import Case, CaseMaker
from .clock import DAY, OPEN, SimulationError
from .evaluate import Ev, evaluate, holds
from .inject import INJECTORS, deviate
from .obligations import ObligationMaker
from .rand import Stream, generator
from .scenario import Scenario
from .truth import Truth
from .writers import Renderer, order

RARE = {"C107": 3, "C108": 4, "C110": 4, "C203": 20}  # weights of the kinds only some cases can take
TIER_CHANGE = 0.1  # share of cases whose scope-filtering attribute (the customer's tier) changes midway


@dataclass
class Tally:
    events: int = 0
    obligation_events: int = 0
    cases: Counter = field(default_factory=Counter)
    open_cases: int = 0
    injected: Counter = field(default_factory=Counter)
    tier_changes: Counter = field(default_factory=Counter)  # "upgrade" / "downgrade" / "other"

    def add(self, other: Tally) -> None:
        self.events += other.events
        self.obligation_events += other.obligation_events
        self.cases.update(other.cases)
        self.open_cases += other.open_cases
        self.injected.update(other.injected)
        self.tier_changes.update(other.tier_changes)


@dataclass
class ChunkOut:
    data: object  # bytes, or a pyarrow Table for Parquet
    rows: int
    truths: list[dict]  # event_refs as chunk rows
    unknown: list[tuple[str, int, int]]  # (label, t, chunk row) of events whose label records nothing
    tally: Tally


class Chunk:
    def __init__(self, sc: Scenario, k: int) -> None:
        self.sc, self.k = sc, k
        self.rs = Stream(generator(sc.s.seed, 2, k))
        serial = count()
        self.mk = CaseMaker(sc.world, self.rs, serial)
        self.om = ObligationMaker(sc.clock, self.rs, serial, sc.log_start, sc.as_of)
        self.tally = Tally()

    def produce(self) -> ChunkOut:
        sc, rs, s = self.sc, self.rs, self.sc.s
        lo, hi = self.k * s.chunk, min(s.cases, (self.k + 1) * s.chunk)
        cases: list[list[Ev]] = []
        loose: list[Ev] = []
        truths: list[Truth] = []
        if hi > lo:
            starts = sc.arrivals.times(lo, hi, rs.gen.random(hi - lo))
            picks = np.searchsorted(sc.weights, rs.gen.random(hi - lo) * sc.weights[-1], side="right").tolist()
            for i, t0, pick in zip(range(lo, hi), starts, picks, strict=True):
                if i == 0:
                    t0 = sc.log_start + OPEN + rs.below(2 * 3600)
                plan = sc.plans[min(pick, len(sc.plans) - 1)]
                case = self.mk.make(plan, sc.case_id(plan, i), t0)
                loose.extend(self.one_case(case, i, truths))
                cases.append(case.events)
        loose.extend(self.global_obligations(truths))
        groups = order(s.fmt, cases, loose)
        renderer = Renderer(s.fmt, sc.attributes(), sc.clock, sc.roster)
        data = renderer.render(groups, Stream(generator(s.seed, 3, self.k)))
        rows = sum(len(g) for g in groups)
        self.tally.events += rows
        self.tally.obligation_events += len(loose)
        unknown = [(e.label, e.t, e.row) for g in groups for e in g if e.step is None]
        return ChunkOut(data, rows, [t.to_doc() for t in truths], unknown, self.tally)

    # -- cases ------------------------------------------------------------------------------

    def one_case(self, case: Case, i: int, truths: list[Truth]) -> list[Ev]:
        sc, rs, plan, tally = self.sc, self.rs, case.plan, self.tally
        entity_obs = sc.entity_obligations(plan)
        for _, ob in entity_obs:
            case.attrs.setdefault(ob.scope.entity, case.case_id)  # a customer's number is the case id
        change = self.tier_change(case, entity_obs)
        found, code = None, None
        if i and rs.chance(sc.s.rate):
            for code in dict.fromkeys(rs.sample(self.applicable(case, entity_obs, change), 4)):
                if code == "C203":
                    break
                found = deviate(case, code, self.mk, sc.world)
                if found is not None:
                    break
            else:
                code = None
        injected = found is not None
        if found is None:
            found = evaluate(plan, case.events, case.attrs, case.attr_t, sc.world.ctx)
        for f in found:
            truths.append(
                Truth(
                    f.code,
                    plan.id,
                    f.step,
                    case_id=case.case_id,
                    refs=f.refs,
                    lateness=f.lateness,
                    ordered=f.code == "C103",
                    injected=injected,
                )
            )
        if injected:
            tally.injected[code] += 1
        tally.cases[plan.id] += 1
        tally.open_cases += not case.complete()
        if change is not None:
            self.change_tier(case, entity_obs, change)
        events: list[Ev] = []
        for process, ob in entity_obs:
            more, made = self.entity(case, process, ob, deviate=code == "C203")
            events.extend(more)
            truths.extend(made)
            if code == "C203" and any(t.code == "C203" for t in made):
                tally.injected["C203"] += 1
                code = None
        return events

    def tier_change(self, case: Case, entity_obs) -> dict | None:
        """Now and then, a customer's tier changes during the case: the case's attributes after it
        (a normal customer upgraded to a key one, or a key customer downgraded); None, mostly."""
        filters = [ob.scope.when for _, ob in entity_obs if ob.scope.when is not None]
        if not filters or not self.rs.chance(TIER_CHANGE):
            return None
        name = filters[0].attribute
        spec = next((a for a in case.plan.attrs if a.name == name and a.values), None)
        others = [str(v) for v in spec.values if str(v) != case.attrs.get(name)] if spec else []
        return {**case.attrs, name: others[self.rs.below(len(others))]} if others else None

    def change_tier(self, case: Case, entity_obs, changed: dict) -> None:
        """From one of the case's events on (never its first), its events carry the ``changed`` attributes.

        The case's attribute (its first value) stays, so the case rules' truth, already made, stands;
        an entity scope's member joins at its first event that meets the filter (SPEC §4), which
        ``entity`` reads from the events themselves.
        """
        events = sorted(case.events, key=lambda e: (e.t, e.n))
        cuts = [i for i in range(1, len(events)) if events[i].t > events[i - 1].t]  # a strict instant order
        if not cuts:
            return
        for e in events[cuts[self.rs.below(len(cuts))] :]:
            e.attrs = changed
        filters = [ob.scope.when for _, ob in entity_obs if ob.scope.when is not None]
        was, now = (any(holds(w, attrs) for w in filters) for attrs in (case.attrs, changed))
        self.tally.tier_changes["upgrade" if now and not was else "downgrade" if was and not now else "other"] += 1

    def applicable(self, case: Case, entity_obs, change: dict | None = None) -> list[str]:
        """The deviation kinds this case can take, each as often as its weight says."""
        plan, steps = case.plan, {e.step for e in case.events if e.step is not None}
        present = [plan.by_id[s] for s in steps]
        complete = case.complete()
        has = {
            "C101": complete,
            "C102": any(s.duration is not None for s in present),
            "C103": any(a in steps for s in present for a in s.after),
            "C104": any(s.duration is not None for s in present),
            "C107": any(a in steps for s in present for a in s.step.separate_from),
            "C108": any(s.min_performers > 1 for s in present),
            "C109": any(s.max_count is not None for s in present),
            "C110": any(s.min_count > 1 for s in present),
        }
        codes = [c for c in INJECTORS if has.get(c, True)]
        first = min(e.t for e in case.events)
        clock, as_of = self.sc.clock, self.sc.as_of
        if any(
            ob.cadence.interval
            and (ob.scope.when is None or any(holds(ob.scope.when, a) for a in (case.attrs, change or {})))
            and clock.limit(first, ob.cadence.interval, 1) < as_of
            for _, ob in entity_obs
        ):
            codes.append("C203")
        return [c for c in codes for _ in range(RARE.get(c, 1))]

    def entity(self, case: Case, process: Process, ob: Obligation, *, deviate: bool):
        """The obligation's occurrences for the entity ``case`` introduces (e.g. visits to a key customer)."""
        sc, when = self.sc, ob.scope.when
        member = case.attrs[ob.scope.entity]
        # The member joins at its first event that meets the scope's filter (the first event, unfiltered).
        meeting = [e for e in case.events if when is None or holds(when, e.attrs or {})]
        if not meeting:
            return [], []
        first = min(meeting, key=lambda e: (e.t, e.n))
        attrs = {ob.scope.entity: member}
        if when is not None:
            attrs[when.attribute] = first.attrs[when.attribute]
        staff = self.staff(ob)
        if ob.cadence.interval:
            return self.om.interval(
                process, ob, member, staff, since=first.t, until=sc.as_of, anchor=first, deviate=deviate, attrs=attrs
            )
        events, truths = [], []
        for period in sc.periods[ob.id]:
            if period.start >= first.t // DAY:
                more, made = self.om.calendar(
                    process,
                    ob,
                    period,
                    member,
                    staff,
                    low=first.t,
                    high=sc.as_of,
                    evaluated=period.due <= sc.as_of,
                    deviate=self.rs.chance(sc.s.rate),
                    attrs=attrs,
                )
                events.extend(more)
                truths.extend(made)
        return events, truths

    # -- obligations of the organisation and of role holders -------------------------------------

    def staff(self, ob: Obligation):
        roster, rs, mk = self.sc.roster, self.rs, self.mk

        def pick(t: int) -> tuple[int, str]:
            for role in rs.sample(ob.responsible, len(ob.responsible)):
                holders = roster.holders(role, t // DAY)
                if holders:
                    return rs.pick(holders), mk.role_text(role)
            raise SimulationError(f"nobody holds a role responsible for {ob.id} on {self.sc.clock.day_text(t // DAY)}")

        return pick

    def global_obligations(self, truths: list[Truth]) -> list[Ev]:
        sc, rs, events = self.sc, self.rs, []
        for process, ob in sc.calendar_obs:
            if ob.scope.kind == "entity":
                continue
            for period in sc.periods[ob.id]:
                if not sc.in_chunk(self.k, period.start):
                    continue
                evaluated = period.start >= sc.first_day and period.due <= sc.as_of
                for member, staff, low, high in self.members(ob, period):
                    more, made = self.om.calendar(
                        process,
                        ob,
                        period,
                        member,
                        staff,
                        low=low,
                        high=high,
                        evaluated=evaluated,
                        deviate=rs.chance(sc.s.rate),
                    )
                    events.extend(more)
                    truths.extend(made)
                    for t in made:
                        self.tally.injected[t.code] += t.injected
        if self.k == 0:
            for process, ob in sc.interval_obs:
                if ob.scope.kind == "entity":
                    continue
                for member, staff, low, high in self.members(ob, None):
                    more, made = self.om.interval(
                        process, ob, member, staff, since=low, until=min(high, sc.as_of), anchor=None, deviate=False
                    )
                    events.extend(more)
                    truths.extend(made)
        return events

    def members(self, ob: Obligation, period):
        """(member, staff, low, high) of an organisation or role scope; for a period, those in scope on its due day."""
        sc = self.sc
        if ob.scope.kind == "organisation":
            yield "organisation", self.staff(ob), sc.log_start, sc.as_of
            return
        roster = sc.roster
        for t in roster.tenures:
            if t.role != ob.scope.role:
                continue
            start = t.start if t.start is not None else -(1 << 30)
            end = t.end if t.end is not None else 1 << 30
            if period is not None and not start <= period.due_day <= end:
                continue
            person, text = t.person, self.mk.role_text(t.role)
            low, high = max(start * DAY, sc.log_start), (end + 1) * DAY - 1
            yield roster.people[person].id, (lambda _t, p=person, r=text: (p, r)), low, high


_SCENARIO: Scenario | None = None


def init_worker(settings, handbook) -> None:
    """Build the scenario once per worker process."""
    global _SCENARIO
    _SCENARIO = Scenario(settings, handbook)


def produce_in_worker(k: int) -> ChunkOut:
    return Chunk(_SCENARIO, k).produce()
