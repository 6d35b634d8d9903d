"""The findings a correct checker must report for one case: SPEC-checker §2, read independently.

This is the simulator's own reading of the per-case checks (C101–C110), written
from the SPEC rather than from the checker's code, so that comparing the two
finds the mistakes of either. It runs on plain Python values of one case:

- a step is required unless optional, and a step with a condition only when the
  case attribute (its first non-empty value) is one of the listed values;
- the case is complete once a final step occurred; its start is its earliest
  step event; ``first(S)`` is the earliest event of S (ties by log position);
- limits are ``opsbook.durations.shift`` of the anchor (case start, first of a
  step, or an attribute's instant) and pass when ``L < as_of``.
"""

from __future__ import annotations

from dataclasses import dataclass

from opsbook.model import Condition

from .clock import DAY, Clock
from .plan import ProcessPlan, StepPlan
from .roster import Roster


@dataclass(slots=True)
class Ev:
    """One event of the log while it is being generated."""

    t: int  # local wall seconds
    step: str | None  # step or obligation id; None for a label the handbook does not know
    label: str
    person: int  # index into the roster's people; negative: -1 - index into its externals
    role: str  # the log's role text, or "" (the roster then tells)
    n: int  # generation order: the tie-breaker after t, as the log's row order is
    case_id: str | None = None
    attrs: dict | None = None  # attribute columns (shared with the case's other events)
    row: int = 0  # 1-based position in the written log, set by the layout


@dataclass(slots=True)
class Expected:
    code: str
    step: str | None
    refs: tuple[Ev, ...] = ()
    lateness: int | None = None


class Context:
    """What evaluating a case needs beyond the case itself."""

    def __init__(self, clock: Clock, roster: Roster, role_ids: dict[str, str], as_of: int) -> None:
        self.clock, self.roster, self.role_ids, self.as_of = clock, roster, role_ids, as_of

    def roles(self, ev: Ev) -> tuple[str, ...]:
        given = ev.role.strip()
        if given:
            return (self.role_ids.get(given, given),)
        if ev.person < 0:
            return ()
        return self.roster.roles_on(ev.person, ev.t // DAY)


def holds(when: Condition, attrs: dict[str, str]) -> bool:
    value = (attrs.get(when.attribute) or "").strip()
    if not value:
        return False
    for wanted in when.values:
        if isinstance(wanted, bool):
            if value.lower() == str(wanted).lower():
                return True
        elif isinstance(wanted, int | float):
            try:
                if float(value) == float(wanted):
                    return True
            except ValueError:
                pass
        elif value == wanted:
            return True
    return False


def required(step: StepPlan, attrs: dict[str, str]) -> bool:
    return not step.optional and (step.when is None or holds(step.when, attrs))


def limit_of(step: StepPlan, start: int, firsts: dict[str, int], attr_t: dict[str, int], clock: Clock) -> int | None:
    """Step's deadline limit L, or None without a deadline or an anchor; ``firsts``: step → first time."""
    if step.duration is None:
        return None
    if step.anchor_kind == "case_start":
        anchor = start
    elif step.anchor_kind == "step":
        anchor = firsts.get(step.anchor_ref)
    else:
        anchor = attr_t.get(step.anchor_ref)
    return None if anchor is None else clock.limit(anchor, step.duration, step.sign)


def evaluate(
    plan: ProcessPlan, events: list[Ev], attrs: dict[str, str], attr_t: dict[str, int], ctx: Context
) -> list[Expected]:
    """The expected findings C101–C110 of one case, in step order."""
    evs = sorted((e for e in events if e.step is not None), key=lambda e: (e.t, e.n))
    if not evs:
        return []
    by_step: dict[str, list[Ev]] = {}
    for e in evs:
        by_step.setdefault(e.step, []).append(e)
    firsts = {sid: group[0].t for sid, group in by_step.items()}
    start = evs[0].t
    complete = any(plan.by_id[sid].final for sid in by_step)
    as_of = ctx.as_of
    found: list[Expected] = []
    for step in plan.steps:
        group = by_step.get(step.id, ())
        limit = limit_of(step, start, firsts, attr_t, ctx.clock)
        if not group:
            if required(step, attrs):
                if complete:
                    found.append(Expected("C101", step.id))
                elif limit is not None and limit < as_of:
                    found.append(Expected("C102", step.id, (), as_of - limit))
            continue
        first = group[0]
        for pred in step.after:
            other = by_step.get(pred)
            if other is not None and other[0].t > first.t:
                found.append(Expected("C103", step.id, (first, other[0])))
        if limit is not None and first.t > limit:
            found.append(Expected("C104", step.id, (first,), first.t - limit))
        for e in group:
            roles = ctx.roles(e)
            if not roles:
                found.append(Expected("C106", step.id, (e,)))
            elif not set(roles) & set(step.responsible):
                found.append(Expected("C105", step.id, (e,)))
        for other_id in step.step.separate_from:
            others = by_step.get(other_id, ())
            for person in sorted({e.person for e in group} & {e.person for e in others}):
                refs = sorted((e for e in (*group, *others) if e.person == person), key=lambda e: (e.t, e.n))
                found.append(Expected("C107", step.id, tuple(refs)))
        if step.step.min_performers and len({e.person for e in group}) < step.step.min_performers:
            found.append(Expected("C108", step.id, tuple(group)))
        if step.max_count is not None and len(group) > step.max_count:
            found.append(Expected("C109", step.id, tuple(group)))
        short = step.step.min_count and len(group) < step.step.min_count
        if short and (complete or (limit is not None and limit < as_of)):
            found.append(Expected("C110", step.id, tuple(group)))
    return found
