"""What a process asks of a case, precomputed once per process.

``StepPlan`` holds a step's rules in the shape the per-case loop needs;
``ProcessPlan`` adds the order in which steps can be scheduled (``after``
predecessors and deadline anchors first), each step's descendants, and how
each case attribute is drawn: from its listed values, or as a date/time before
the case starts ("past", for "within D from X") or after it ("future", for "at
least D before X").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opsbook.durations import Duration
from opsbook.model import Condition, Process, Step

# How many cases of each process a sales office sees, relative to each other; others weigh 3.
PROCESS_WEIGHTS = {
    "customer-reception": 30,
    "customer-follow-up": 22,
    "subscription-signing": 12,
    "contract-filing": 9,
    "complaint-handling": 8,
    "mortgage": 6,
    "handover": 4,
    "property-certificate": 4,
    "new-hire-onboarding": 1,
}
# Case id prefixes (来访, 客户, 认购, 合同, 投诉, 按揭, 入伙, 产权, 入职); others use the id's initials.
CASE_PREFIX = {
    "customer-reception": "LF",
    "customer-follow-up": "KH",
    "subscription-signing": "RG",
    "contract-filing": "HT",
    "complaint-handling": "TS",
    "mortgage": "AJ",
    "handover": "RH",
    "property-certificate": "CQ",
    "new-hire-onboarding": "RZ",
}
# Realistic shares of the listed values; values not named here share what is left.
VALUE_WEIGHTS = {
    "payment_method": {"按揭": 0.6, "一次性付款": 0.25, "分期付款": 0.15},
    "customer_tier": {"重点客户": 0.25, "长期客户": 0.25, "普通客户": 0.5},
}
# How often an optional (non-final) step is done, by step id; others use the default.
OPTIONAL_SHARE = {"follow-up": 0.7, "greet-and-assign": 0.8, "track-certificate-progress": 0.6, "approve": 0.15}
OPTIONAL_DEFAULT = 0.4
# Steps recorded more than once in a clean case (progress notes), by step id: (share, most extra).
REPEATS = {
    "follow-up": (0.6, 4),
    "track": (0.5, 2),
    "track-mortgage-progress": (0.6, 3),
    "track-certificate-progress": (0.5, 2),
    "follow-payment": (0.4, 2),
    "update-customer-info": (0.3, 2),
}
REPEAT_DEFAULT = (0.05, 1)
# Among several optional final steps, which one closes the case (weights by step id).
FINAL_WEIGHTS = {"convert-to-subscription": 0.3, "analyze-lost-customer": 0.7}


@dataclass(slots=True)
class StepPlan:
    step: Step
    index: int
    id: str
    labels: tuple[str, ...]
    responsible: tuple[str, ...]
    after: tuple[str, ...]
    optional: bool
    final: bool
    when: Condition | None
    anchor_kind: str | None  # case_start | step | attribute | None
    anchor_ref: str | None
    sign: int
    duration: Duration | None
    separate: frozenset[str]  # steps it must not share a performer with (either side declares it)
    min_performers: int
    min_count: int
    max_count: int | None
    descendants: frozenset[str] = frozenset()
    anchored_here: tuple[str, ...] = ()  # steps with "within D from <this step>"
    before_here: tuple[str, ...] = ()  # steps with "at least D before <this step>"


@dataclass
class AttrPlan:
    name: str
    type: str
    values: tuple
    kind: str  # "choice" | "past" | "future" | "free"
    within: list[int] = field(default_factory=list)  # rough seconds of "within" deadlines from it
    before: list[int] = field(default_factory=list)  # rough seconds of "before" deadlines from it


@dataclass
class ProcessPlan:
    process: Process
    steps: list[StepPlan]
    by_id: dict[str, StepPlan]
    topo: list[str]
    attrs: list[AttrPlan]

    @property
    def id(self) -> str:
        return self.process.id


def step_plans(process: Process) -> list[StepPlan]:
    separate: dict[str, set[str]] = {s.id: set(s.separate_from) for s in process.steps}
    for s in process.steps:
        for other in s.separate_from:
            separate.setdefault(other, set()).add(s.id)
    plans = []
    for index, s in enumerate(process.steps):
        dl = s.deadline
        plans.append(
            StepPlan(
                step=s,
                index=index,
                id=s.id,
                labels=s.activities,
                responsible=s.raci.responsible,
                after=s.after,
                optional=s.optional,
                final=s.final,
                when=s.when,
                anchor_kind=dl.anchor.kind if dl else None,
                anchor_ref=dl.anchor.ref if dl else None,
                sign=dl.sign if dl else 0,
                duration=dl.duration if dl else None,
                separate=frozenset(separate[s.id]),
                min_performers=s.min_performers or 1,
                min_count=s.min_count or 1,
                max_count=s.max_count,
            )
        )
    return plans


def _edges(plans: list[StepPlan]) -> dict[str, list[str]]:
    """Step → the steps that must be scheduled before it."""
    before: dict[str, list[str]] = {p.id: list(p.after) for p in plans}
    for p in plans:
        if p.anchor_kind == "step" and p.anchor_ref in before:
            if p.sign > 0:
                before[p.id].append(p.anchor_ref)
            else:  # "at least D before X": this step comes first
                before[p.anchor_ref].append(p.id)
    return before


def _topological(plans: list[StepPlan], before: dict[str, list[str]]) -> list[str]:
    order: list[str] = []
    done: set[str] = set()
    while len(order) < len(plans):
        ready = [p.id for p in plans if p.id not in done and all(b in done or b not in before for b in before[p.id])]
        if not ready:
            raise ValueError("cycle in step order")
        order.append(ready[0])
        done.add(ready[0])
    return order


def _descendants(plans: list[StepPlan], before: dict[str, list[str]]) -> dict[str, set[str]]:
    children: dict[str, set[str]] = {p.id: set() for p in plans}
    for sid, preds in before.items():
        for pred in preds:
            if pred in children:
                children[pred].add(sid)
    result: dict[str, set[str]] = {}

    def walk(sid: str) -> set[str]:
        if sid not in result:
            found: set[str] = set()
            for child in children[sid]:
                found |= {child, *walk(child)}
            result[sid] = found
        return result[sid]

    for p in plans:
        walk(p.id)
    return result


def _attr_plans(process: Process, plans: list[StepPlan]) -> list[AttrPlan]:
    from .clock import rough_seconds

    attrs = [AttrPlan(a.name, a.type, a.values, "free") for a in process.attributes]
    by_name = {a.name: a for a in attrs}
    for p in plans:
        if p.when and p.when.attribute not in by_name:
            by_name[p.when.attribute] = AttrPlan(p.when.attribute, "string", p.when.values, "choice")
            attrs.append(by_name[p.when.attribute])
        if p.anchor_kind == "attribute":
            a = by_name.setdefault(p.anchor_ref, AttrPlan(p.anchor_ref, "datetime", (), "free"))
            if a not in attrs:
                attrs.append(a)
            (a.within if p.sign > 0 else a.before).append(rough_seconds(p.duration))
    for a in attrs:
        if a.values:
            a.kind = "choice"
        elif a.before:
            a.kind = "future"
        elif a.within or a.type in ("date", "datetime"):
            a.kind = "past"
    return attrs


def process_plan(process: Process) -> ProcessPlan:
    plans = step_plans(process)
    before = _edges(plans)
    down = _descendants(plans, before)
    for p in plans:
        p.descendants = frozenset(down[p.id])
        p.anchored_here = tuple(q.id for q in plans if q.anchor_kind == "step" and q.anchor_ref == p.id and q.sign > 0)
        p.before_here = tuple(q.id for q in plans if q.anchor_kind == "step" and q.anchor_ref == p.id and q.sign < 0)
    return ProcessPlan(
        process, plans, {p.id: p for p in plans}, _topological(plans, before), _attr_plans(process, plans)
    )
