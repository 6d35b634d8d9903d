"""Clean cases: steps in order, within their deadlines, done by people allowed to do them.

A case starts at a given instant ``t0``. Its attributes are drawn first (a
mortgage case is a 按揭 case; a handover date lies far enough ahead for the
"at least 1 month before" steps; a contract was signed shortly before the
filing case starts). Then the steps it will have: the required ones, optional
ones by their usual share, one closing step. Their first times are scheduled in
dependency order, each one a working-time gap after its predecessors and
before its own limit and the limits of the steps that must follow it. Repeats
(progress notes), ``min_count`` and ``min_performers`` add events. Performers
come from the roster: a holder of a responsible role on that day, preferably
the one already handling the case, never one who did a step it must be kept
apart from.

A case still running at the as-of time is cut there. If its closing step falls
before the cut but a required step after it, those steps are moved in before
the cut, so that a complete case is never missing a step; every step left out
by the cut was planned before its limit, and that limit is after the cut, so
an open case is never overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

from .clock import DAY, DAY_WORK, Clock
from .evaluate import Context, Ev, holds, required
from .labels import Typos
from .plan import FINAL_WEIGHTS, OPTIONAL_DEFAULT, OPTIONAL_SHARE, REPEAT_DEFAULT, REPEATS, VALUE_WEIGHTS, ProcessPlan
from .rand import Stream, cumulate
from .roster import Roster

GAP_MEDIAN = 0.5 * DAY_WORK  # working seconds between a step and the next, typically
MIN_GAP = 120
ROLE_IN_LOG = 0.5  # share of events whose log row names the role itself


@dataclass
class World:
    """What every case of a run shares."""

    clock: Clock
    roster: Roster
    role_names: dict[str, tuple[str, ...]]
    ctx: Context
    start: int  # 00:00 of the first day of the log
    as_of: int
    typos: Typos


@dataclass(slots=True)
class Case:
    plan: ProcessPlan
    case_id: str
    attrs: dict[str, str]
    attr_t: dict[str, int]
    events: list[Ev]
    cut: bool = False

    def complete(self) -> bool:
        return any(e.step is not None and self.plan.by_id[e.step].final for e in self.events)


class NoSchedule(Exception):
    """The drawn gaps did not fit the deadlines; the case is drawn again with shorter gaps."""


class CaseMaker:
    def __init__(self, world: World, rs: Stream, serial: count) -> None:
        self.w, self.rs, self.serial = world, rs, serial
        self.clock: Clock = world.clock

    # -- attributes -------------------------------------------------------------------

    def attributes(self, plan: ProcessPlan, case_id: str, t0: int) -> tuple[dict[str, str], dict[str, int]]:
        rs, attrs, instants = self.rs, {}, {}
        for a in plan.attrs:
            if a.kind == "choice":
                shares = VALUE_WEIGHTS.get(a.name, {})
                weights = [shares.get(v, 1.0 / len(a.values)) for v in a.values]
                attrs[a.name] = str(a.values[rs.weighted(cumulate(weights))])
            elif a.kind == "free":
                attrs[a.name] = case_id if a.name == "customer_id" else f"{a.name}-{case_id}"
            else:
                if a.kind == "past":
                    reach = int(0.4 * min(a.within, default=30 * DAY))
                    t = t0 - int(rs.random() * reach)
                else:
                    t = t0 + max(a.before) + (7 + rs.below(38)) * DAY
                if a.type == "date":
                    t = t // DAY * DAY
                    attrs[a.name] = self.clock.day_text(t // DAY)
                else:
                    t -= t % 60
                    day, tod = divmod(t, DAY)
                    attrs[a.name] = f"{self.clock.day_text(day)} {tod // 3600:02d}:{tod // 60 % 60:02d}"
                instants[a.name] = t
        finals = [s for s in plan.steps if s.final]
        if finals and all(s.when is not None and not holds(s.when, attrs) for s in finals):
            attrs[finals[0].when.attribute] = str(finals[0].when.values[0])  # e.g. a mortgage case is 按揭
        return attrs, instants

    # -- which steps ----------------------------------------------------------------------

    def steps_present(self, plan: ProcessPlan, attrs: dict[str, str]) -> set[str]:
        rs = self.rs
        applies = {s.id for s in plan.steps if s.when is None or holds(s.when, attrs)}
        finals = [s for s in plan.steps if s.final and s.id in applies]
        present = {s.id for s in finals if not s.optional}
        if not present and finals:
            present.add(finals[rs.weighted(cumulate([FINAL_WEIGHTS.get(s.id, 1.0) for s in finals]))].id)
        for sid in plan.topo:
            s = plan.by_id[sid]
            if s.final or sid not in applies:
                continue
            if (
                not s.optional
                or all(p in present for p in s.after)
                and rs.chance(OPTIONAL_SHARE.get(sid, OPTIONAL_DEFAULT))
            ):
                present.add(sid)
        return present

    # -- when -------------------------------------------------------------------------------

    def _pick(self, early: int, late: int | None, scale: float) -> int:
        clock, rs = self.clock, self.rs
        natural = max(MIN_GAP, int(min(rs.lognormal(GAP_MEDIAN, 1.0), 12 * DAY_WORK) * scale))
        if late is None:
            return clock.at_work(clock.work(early) + natural)
        if late < early:
            raise NoSchedule
        room = clock.work(late) - clock.work(early)
        if room > 1:
            t = clock.at_work(clock.work(early) + max(1, min(natural, int(room * (0.1 + 0.8 * rs.random())))))
            if early <= t <= late:
                return t
        return early + int((late - early) * rs.random())

    def schedule(self, plan: ProcessPlan, present: set[str], t0: int, attr_t: dict[str, int], scale: float):
        """First time of every present step."""
        clock, by_id, times, limits = self.clock, plan.by_id, {}, {}
        for sid in present:  # limits known from the start: from the case start or an attribute
            s = by_id[sid]
            if s.anchor_kind == "case_start":
                limits[sid] = clock.limit(t0, s.duration, s.sign, strict=False)
            elif s.anchor_kind == "attribute" and s.anchor_ref in attr_t:
                limits[sid] = clock.limit(attr_t[s.anchor_ref], s.duration, s.sign)
        for sid in plan.topo:
            if sid not in present:
                continue
            s = by_id[sid]
            if not times:
                t = t0
            else:
                early = t0
                for p in s.after:
                    if p in times and times[p] > early:
                        early = times[p]
                if s.anchor_kind == "step" and s.sign > 0 and s.anchor_ref in times:
                    early = max(early, times[s.anchor_ref])
                early += MIN_GAP
                for other in s.before_here:  # "at least D before <this step>": come D after the other
                    if other in times:
                        early = max(early, clock.limit(times[other], by_id[other].duration, 1, strict=False) + DAY)
                late, later = limits.get(sid), 0
                for d in s.descendants:
                    if d in present:
                        later += 1
                        bound = limits.get(d)
                        if bound is not None and (late is None or bound < late):
                            late = bound
                if late is not None:
                    late -= MIN_GAP * (later + 1)
                t = self._pick(early, late, scale)
            times[sid] = t
            for y in s.anchored_here:
                if y in present:
                    limits[y] = clock.limit(t, by_id[y].duration, 1, strict=False)
        return times

    # -- who ----------------------------------------------------------------------------------

    def performer(self, roles: tuple[str, ...], day: int, forbidden, prefs: dict[str, int]):
        rs, roster = self.rs, self.w.roster
        if rs.random() < 0.8:
            for role in roles:
                p = prefs.get(role)
                if p is not None and p not in forbidden and roster.holds(p, role, day):
                    return p, role
        k = len(roles)
        first = rs.below(k)
        for i in range(k):
            role = roles[(first + i) % k]
            holders = roster.holders(role, day)
            if not holders:
                continue
            p = holders[rs.below(len(holders))]
            if p in forbidden:
                free = [h for h in holders if h not in forbidden]
                if not free:
                    continue
                p = free[rs.below(len(free))]
            prefs.setdefault(role, p)
            return p, role
        raise NoSchedule

    def role_text(self, role: str) -> str:
        rs = self.rs
        if not rs.chance(ROLE_IN_LOG):
            return ""
        names = self.w.role_names.get(role) or (role,)
        u = rs.random()
        return (
            names[0] if u < 0.75 or len(names) == 1 else names[1] if u < 0.9 or len(names) == 2 else rs.pick(names[2:])
        )

    def staff(self, plan: ProcessPlan, events: list[Ev]) -> None:
        """Give every event a performer and a log role, in time order."""
        prefs: dict[str, int] = {}
        done: dict[str, set[int]] = {}
        empty: frozenset[int] = frozenset()
        by_id = plan.by_id
        for e in sorted(events, key=lambda e: (e.t, e.n)):
            s = by_id[e.step]
            forbidden = empty
            if s.separate:
                forbidden = set()
                for other in s.separate:
                    forbidden |= done.get(other, empty)
            mine = done.get(s.id)
            if mine is None:
                mine = done[s.id] = set()
            elif len(mine) < s.min_performers:
                forbidden = forbidden | mine
            e.person, role = self.performer(s.responsible, e.t // DAY, forbidden, prefs)
            e.role = self.role_text(role)
            mine.add(e.person)

    # -- the case ------------------------------------------------------------------------------

    def events_for(self, plan: ProcessPlan, times: dict[str, int], case_id: str, attrs: dict) -> list[Ev]:
        rs, clock, events = self.rs, self.clock, []
        for sid in plan.topo:
            if sid not in times:
                continue
            s = plan.by_id[sid]
            t = times[sid]
            n = max(s.min_count, s.min_performers)
            share, most = REPEATS.get(sid, REPEAT_DEFAULT)
            extra = rs.between(1, most) if rs.chance(share) else 0
            if s.max_count is not None:
                extra = max(0, min(extra, s.max_count - n))
            for k in range(n + extra):
                label = s.labels[0] if len(s.labels) == 1 or k == 0 else rs.pick(s.labels)
                events.append(Ev(t, sid, label, 0, "", next(self.serial), case_id, attrs))
                if k + 1 < n:
                    t += 300 + rs.below(3300)  # the same session: a second inspector, a second signature
                else:
                    t = clock.at_work(clock.work(t) + max(MIN_GAP, int(rs.lognormal(DAY_WORK, 1.0))))
        return events

    def make(self, plan: ProcessPlan, case_id: str, t0: int) -> Case:
        attrs, attr_t = self.attributes(plan, case_id, t0)
        present = self.steps_present(plan, attrs)
        for scale in (1.0, 0.2, 0.02, 0.0):
            try:
                times = self.schedule(plan, present, t0, attr_t, scale)
                break
            except NoSchedule:
                continue
        else:
            raise NoSchedule(f"{plan.id}: no schedule fits the deadlines")
        if max(times.values()) > self.w.as_of:
            times = self.squeeze(plan, times, attrs)
        events = self.events_for(plan, times, case_id, attrs)
        cut = max(e.t for e in events) > self.w.as_of
        if cut:
            events = self.clip(plan, events)
        self.staff(plan, events)
        return Case(plan, case_id, attrs, attr_t, events, cut)

    def squeeze(self, plan: ProcessPlan, times: dict[str, int], attrs: dict) -> dict[str, int]:
        """A closing step before the cut brings its required successors in before the cut too."""
        as_of = self.w.as_of
        if not any(plan.by_id[s].final and t <= as_of for s, t in times.items()):
            return times
        times = dict(times)
        for sid in plan.topo:
            if sid in times and times[sid] > as_of and required(plan.by_id[sid], attrs):
                s = plan.by_id[sid]
                after = [times[p] for p in s.after if p in times and times[p] <= as_of]
                if s.anchor_kind == "step" and s.anchor_ref in times and times[s.anchor_ref] <= as_of:
                    after.append(times[s.anchor_ref])
                low = max(after) if after else min(times.values())
                times[sid] = low + max(1, int((as_of - low) * (0.2 + 0.6 * self.rs.random())))
        return times

    def clip(self, plan: ProcessPlan, events: list[Ev]) -> list[Ev]:
        """Drop what happens after the cut; a step of several people is recorded whole or not at all."""
        as_of = self.w.as_of
        kept = []
        firsts: dict[str, int] = {}
        for e in sorted(events, key=lambda e: (e.t, e.n)):
            s = plan.by_id[e.step]
            first = firsts.setdefault(e.step, e.t)
            if e.t <= as_of:
                kept.append(e)
            elif first <= as_of and max(s.min_count, s.min_performers) > 1:
                e.t = first + max(1, (as_of - first) // 2)
                kept.append(e)
        return kept
