"""Deviations injected into clean cases, one per case, each meant to produce one kind of finding.

Each injector edits a copy of a case's events the way such slips happen in
practice (a step left out, a review signed before the document it reviews, a
clerk signing for the manager, an entry by temporary staff missing from the
roster, a duplicate record, a typo in an activity label ...) and says which
finding codes it is after. ``deviate`` evaluates the edited case with the
simulator's reading of the SPEC (``evaluate``) and keeps the first variant
whose findings are exactly those codes, so an injection never brings along
findings of other kinds unrecorded; the findings are then recorded as
evaluated, never as assumed.
"""

from __future__ import annotations

from collections.abc import Callable

from .cases import Case, CaseMaker, World
from .clock import DAY, DAY_WORK
from .evaluate import Ev, Expected, evaluate, limit_of, required

TRIES = 3
Injector = Callable[[Case, list[Ev], CaseMaker, World], set[str] | None]


def _clone(events: list[Ev]) -> list[Ev]:
    return [Ev(e.t, e.step, e.label, e.person, e.role, e.n, e.case_id, e.attrs) for e in events]


def _by_step(events: list[Ev]) -> dict[str, list[Ev]]:
    out: dict[str, list[Ev]] = {}
    for e in sorted(events, key=lambda e: (e.t, e.n)):
        if e.step is not None:
            out.setdefault(e.step, []).append(e)
    return out


def _firsts(groups: dict[str, list[Ev]]) -> dict[str, int]:
    return {sid: g[0].t for sid, g in groups.items()}


def missing(case: Case, events: list[Ev], mk: CaseMaker, w: World):
    """C101: a required step of a complete case is never recorded."""
    if not case.complete():
        return None
    groups = _by_step(events)
    plan = case.plan
    options = [s for s in groups if required(plan.by_id[s], case.attrs) and not plan.by_id[s].final]
    if not options:
        return None
    gone = mk.rs.pick(options)
    events[:] = [e for e in events if e.step != gone]
    return {"C101"}


def overdue(case: Case, events: list[Ev], mk: CaseMaker, w: World):
    """C102: the case stalls before a required step with a deadline; it stays open past the limit."""
    plan = case.plan
    groups = _by_step(events)
    options = [
        s
        for s in groups
        if plan.by_id[s].duration is not None and required(plan.by_id[s], case.attrs) and s != plan.topo[0]
    ]
    if not options:
        return None
    stuck = plan.by_id[mk.rs.pick(options)]
    gone = {stuck.id, *stuck.descendants} | {s.id for s in plan.steps if s.final}
    events[:] = [e for e in events if e.step not in gone]
    return {"C102"} if any(e.step is not None for e in events) else None


def order(case: Case, events: list[Ev], mk: CaseMaker, w: World):
    """C103: a step is recorded before a step it must follow (e.g. reviewed before it was prepared)."""
    groups = _by_step(events)
    pairs = [(s, a) for s in groups for a in case.plan.by_id[s].after if a in groups]
    if not pairs:
        return None
    step, pred = mk.rs.pick(pairs)
    first = groups[step][0]
    if mk.rs.chance(0.5):
        first.t = groups[pred][0].t - 60 - mk.rs.below(1800)
    else:
        target = groups[pred][0]
        target.t = first.t + 60 + mk.rs.below(1800)
    return {"C103"}


def late(case: Case, events: list[Ev], mk: CaseMaker, w: World):
    """C104: a step with a deadline is done after its limit (its successors move along)."""
    plan, clock = case.plan, mk.clock
    groups = _by_step(events)
    step_times = _firsts(groups)
    start = min(e.t for e in events if e.step is not None)
    options = []
    for sid in groups:
        s = plan.by_id[sid]
        limit = limit_of(s, start, step_times, case.attr_t, clock)
        if limit is not None and sid != plan.topo[0]:
            options.append((sid, limit))
    if not options:
        return None
    sid, limit = mk.rs.pick(options)
    by = mk.rs.pick((600, 3 * 3600, DAY_WORK, 3 * DAY_WORK))
    new = clock.at_work(clock.work(limit) + 1 + mk.rs.below(by))
    delta = new - groups[sid][0].t
    if delta <= 0:
        return None
    moving = {sid, *plan.by_id[sid].descendants}
    for e in events:
        if e.step in moving:
            e.t += delta
    if max(e.t for e in events) > w.as_of:
        return None
    return {"C104"}


def _outsider(case: Case, events: list[Ev], mk: CaseMaker, day: int, allowed: tuple[str, ...]):
    """Someone on duty on ``day`` who holds none of the ``allowed`` roles and is not in the case yet."""
    roster = mk.w.roster
    busy = {e.person for e in events}
    roles = [r for r in mk.w.role_names if r not in allowed]
    for role in mk.rs.sample(roles, len(roles)):
        holders = [p for p in roster.holders(role, day) if p not in busy]
        holders = [p for p in holders if not set(roster.roles_on(p, day)) & set(allowed)]
        if holders:
            return mk.rs.pick(holders), role
    return None


def unauthorised(case: Case, events: list[Ev], mk: CaseMaker, w: World):
    """C105: a step is done by someone whose role may not do it (a clerk signs for the manager)."""
    steps = [e for e in events if e.step is not None]
    e = mk.rs.pick(steps)
    found = _outsider(case, events, mk, e.t // DAY, case.plan.by_id[e.step].responsible)
    if found is None:
        return None
    e.person, role = found
    e.role = mk.role_text(role)
    return {"C105"}


def unknown_role(case: Case, events: list[Ev], mk: CaseMaker, w: World):
    """C106: no role in the log and none in the roster that day (temporary staff, or someone who had left)."""
    steps = [e for e in events if e.step is not None]
    e = mk.rs.pick(steps)
    busy = {x.person for x in events}
    if mk.rs.chance(0.5):
        e.person = -1 - mk.rs.below(len(w.roster.externals))
    else:
        former = [p for p in w.roster.former(e.t // DAY) if p not in busy]
        if not former:
            return None
        e.person = mk.rs.pick(former)
    e.role = ""
    return {"C106"}


def segregation(case: Case, events: list[Ev], mk: CaseMaker, w: World):
    """C107: the same person does two steps that must be kept apart (prepares and reviews)."""
    plan, roster = case.plan, w.roster
    groups = _by_step(events)
    pairs = [(s, a) for s in groups for a in plan.by_id[s].step.separate_from if a in groups]
    if not pairs:
        return None
    sid, other = mk.rs.pick(pairs)
    moved, kept = (groups[sid], groups[other]) if mk.rs.chance(0.5) else (groups[other], groups[sid])
    person = kept[0].person
    target = moved[0]
    allowed = plan.by_id[target.step].responsible
    if person < 0 or not set(roster.roles_on(person, target.t // DAY)) & set(allowed):
        return None
    target.person, target.role = person, ""
    return {"C107"}


def two_person(case: Case, events: list[Ev], mk: CaseMaker, w: World):
    """C108: a step that needs two people is recorded by one person only."""
    groups = _by_step(events)
    options = [s for s in groups if (case.plan.by_id[s].step.min_performers or 0) > 1]
    if not options:
        return None
    group = groups[mk.rs.pick(options)]
    for e in group[1:]:
        e.person, e.role = group[0].person, group[0].role
    return {"C108"}


def too_many(case: Case, events: list[Ev], mk: CaseMaker, w: World):
    """C109: a step allowed once is recorded twice (a contract signed again instead of amended)."""
    groups = _by_step(events)
    options = [s for s in groups if case.plan.by_id[s].max_count is not None]
    if not options:
        return None
    group = groups[mk.rs.pick(options)]
    last = group[-1]
    t = last.t + 600 + mk.rs.below(2 * DAY)
    if t > w.as_of:
        return None
    events.append(Ev(t, last.step, last.label, last.person, last.role, next(mk.serial), last.case_id, last.attrs))
    return {"C109"}


def too_few(case: Case, events: list[Ev], mk: CaseMaker, w: World):
    """C110: a step needed n times is recorded fewer times (in a complete case, or an open one past the limit)."""
    groups = _by_step(events)
    options = [s for s in groups if (case.plan.by_id[s].step.min_count or 0) > 1]
    if not options:
        return None
    group = groups[mk.rs.pick(options)]
    dropped = {id(e) for e in group[1:]}
    events[:] = [e for e in events if id(e) not in dropped]
    codes = {"C110"}
    if (case.plan.by_id[group[0].step].step.min_performers or 0) > 1:
        codes.add("C108")  # one event is one person: the two-person rule fails too
    return codes


def unknown_activity(case: Case, events: list[Ev], mk: CaseMaker, w: World):
    """C111: an extra entry under a misspelt activity label."""
    steps = sorted((e for e in events if e.step is not None), key=lambda e: (e.t, e.n))
    if len(steps) < 2:
        return None
    model = mk.rs.pick(steps[1:])
    label = mk.w.typos.pick(model.label, mk.rs)
    if label is None:
        return None
    t = model.t + 60 + mk.rs.below(3600)
    if t > w.as_of:
        return None
    events.append(Ev(t, None, label, model.person, model.role, next(mk.serial), model.case_id, model.attrs))
    return set()


INJECTORS: dict[str, Injector] = {
    "C101": missing,
    "C102": overdue,
    "C103": order,
    "C104": late,
    "C105": unauthorised,
    "C106": unknown_role,
    "C107": segregation,
    "C108": two_person,
    "C109": too_many,
    "C110": too_few,
    "C111": unknown_activity,
}


def deviate(case: Case, code: str, mk: CaseMaker, w: World) -> list[Expected] | None:
    """Inject a deviation of kind ``code`` into ``case``; its expected findings, or None when none fits."""
    for _ in range(TRIES):
        events = _clone(case.events)
        wanted = INJECTORS[code](case, events, mk, w)
        if wanted is None:
            continue
        if min(e.t for e in events) < w.start or max(e.t for e in events) > w.as_of:
            continue
        found = evaluate(case.plan, events, case.attrs, case.attr_t, w.ctx)
        if {f.code for f in found} == wanted:
            case.events = events
            return found
    return None
