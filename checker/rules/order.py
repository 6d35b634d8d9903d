"""A step first occurred before a step it must come after.

A step lists its predecessors in ``after``. When both the step S and a
predecessor A occur in a case, the first A must be no later than the first S;
equal timestamps are in order. One violation per (case, S, A) pair. Repeats do
not matter, only first occurrences; an absent predecessor is the business of
the missing-step check.

**Anti-pattern:** contract H3 was approved at 09:00 and drafted at 10:00.

**Best practice:** record the steps in the order the process prescribes.
"""

from __future__ import annotations

import polars as pl

from checker import engine
from checker.context import Context
from checker.engine.emit import emitter, local_text, present, say
from checker.finding import VIOLATION
from opsbook.model import Step

CODE = "C103"
NAME = "order"
TITLE = {"zh": "步骤顺序错误", "en": "Steps out of order"}
SEVERITY = VIOLATION
SCOPE = "case"  # reads only the step events of whole cases: may run case bucket by case bucket
EXAMPLE_FAIL = "合同 H3 于 09:00 审批、10:00 才起草。 / Contract H3 is approved at 09:00 and drafted at 10:00."
EXAMPLE_PASS = (
    "合同 H3 于 09:00 起草、同一时刻或之后审批。 / Contract H3 is drafted at 09:00 and approved then or later."
)

_FIRST = ["_ck", "process", "case_id", "step", "first", "first_ref", "first_performer"]


def applies(step: Step) -> bool:
    """The rule checks a step that names predecessors (``after``)."""
    return bool(step.after)


new = emitter(globals())


def check(ctx: Context) -> pl.DataFrame:
    pairs = pl.DataFrame(
        [(p.id, s.id, pred) for p in ctx.handbook.processes for s in p.steps for pred in s.after],
        schema={"process": pl.Utf8, "step": pl.Utf8, "pred": pl.Utf8},
        orient="row",
    )
    involved = pl.concat([pairs.select("process", "step"), pairs.select("process", step="pred")]).unique()
    firsts = engine.case_steps(ctx).filter(pl.col("count") > 0).select(_FIRST)
    firsts = firsts.join(involved, on=["process", "step"], how="semi")
    earlier = firsts.select("_ck", pred="step", **{f"{c}_pred": c for c in _FIRST[4:]})
    late = (
        firsts.join(pairs, on=["process", "step"])
        .join(earlier, on=["_ck", "pred"])
        .filter(pl.col("first_pred") > pl.col("first"))
    )
    return new(
        ctx,
        late,
        case_id=pl.col("case_id"),
        detail=pl.col("pred"),
        expected=say("expected.after", step=pl.col("step"), pred=pl.col("pred")),
        actual=say(
            "actual.order",
            step=pl.col("step"),
            at=local_text(pl.col("first"), ctx.tz),
            pred=pl.col("pred"),
            pred_at=local_text(pl.col("first_pred"), ctx.tz),
        ),
        event_refs=pl.concat_list("first_ref", "first_ref_pred"),
        performers=present("first_performer", "first_performer_pred"),
    )
