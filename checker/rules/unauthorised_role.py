"""A step was performed by a role not responsible for it.

Only the roles listed as responsible in a step's RACI may perform it. An
event's role is the role the log gives (its id, Chinese title or alias), else
the roles the roster gives the performer on the event's local date. When none
of them is responsible, the event is a violation (one per event); a role name
the handbook does not know is reported as written. An event with no role at all
is the unknown-role check's business.

**Anti-pattern:** a sales clerk (内勤) approves a contract that only the
manager (经理) may approve.

**Best practice:** have the responsible role perform the step; record the
role, or keep the roster current.
"""

from __future__ import annotations

import polars as pl

from checker import engine
from checker.context import Context
from checker.engine.emit import emitter, one, say
from checker.finding import VIOLATION
from opsbook.model import Step

CODE = "C105"
NAME = "unauthorised-role"
TITLE = {"zh": "无权限角色执行", "en": "Unauthorised role"}
SEVERITY = VIOLATION
SCOPE = "case"  # reads only the step events of whole cases: may run case bucket by case bucket
EXAMPLE_FAIL = (
    "“审批合同”仅限经理，日志中由内勤执行。 / 'Approve contract' is for the manager; the log shows a clerk doing it."
)
EXAMPLE_PASS = (
    "“审批合同”由经理执行（日志角色或花名册）。 / The manager approves the contract (role in the log or the roster)."
)


def applies(step: Step) -> bool:
    """The rule checks every step (its RACI names who may perform it)."""
    return True


new = emitter(globals())


def check(ctx: Context) -> pl.DataFrame:
    responsible = pl.DataFrame(
        [(p.id, s.id, list(s.raci.responsible)) for p in ctx.handbook.processes for s in p.steps],
        schema={"process": pl.Utf8, "step": pl.Utf8, "responsible": pl.List(pl.Utf8)},
        orient="row",
    )
    events = ctx.events.filter((pl.col("kind") == "step") & (pl.col("roles").list.len() > 0))
    # Judged once per distinct (process, step, roles): a log repeats few of them.
    combos = events.select("process", "step", "roles").unique().join(responsible, on=["process", "step"])
    wrong = combos.filter(pl.col("roles").list.set_intersection("responsible").list.len() == 0)
    offending = events.join(wrong, on=["process", "step", "roles"], maintain_order="left")
    return new(
        ctx,
        engine.event_detail(offending),
        case_id=pl.col("case_id"),
        detail=pl.col("detail"),
        expected=say("expected.roles", roles=pl.col("responsible")),
        actual=say("actual.roles", roles=pl.col("roles")),
        event_refs=one("ref"),
        performers=one("performer"),
    )
