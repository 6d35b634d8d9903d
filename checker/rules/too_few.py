"""A step occurred in a case, but fewer times than required.

A step with ``min_count: n`` must occur at least n times in a case where it
occurs (e.g. two payment instalments). Fewer is a violation in a complete case,
and in an open case once the step's deadline limit has passed at the as-of
time; before that the case may still catch up. A step that never occurred is
the missing-step (or overdue-step) check's business.

**Anti-pattern:** loan L3 is closed after one of the two required payments.

**Best practice:** record every required occurrence before closing the case.
"""

from __future__ import annotations

import polars as pl

from checker import engine
from checker.context import Context
from checker.engine.emit import emitter, say
from checker.finding import VIOLATION
from opsbook.model import Step

CODE = "C110"
NAME = "too-few"
TITLE = {"zh": "步骤次数不足", "en": "Step performed too few times"}
SEVERITY = VIOLATION
SCOPE = "case"  # reads only the step events of whole cases: may run case bucket by case bucket
EXAMPLE_FAIL = "“放款”每案至少2次；案件 L3 只放款1次即结案。 / 'Pay out' needs 2 events per case; L3 is closed after 1."
EXAMPLE_PASS = (
    "案件 L3 放款2次后结案；或案件未结且期限未到。 / L3 pays out twice before closing, or is open and not yet due."
)


def applies(step: Step) -> bool:
    """The rule checks a step with ``min_count``."""
    return bool(step.min_count)


new = emitter(globals())


def check(ctx: Context) -> pl.DataFrame:
    bounds = engine.steps_with(ctx.handbook, "min_count")
    short = (
        engine.case_steps(ctx)
        .join(bounds, on=["process", "step"])
        .filter((pl.col("count") > 0) & (pl.col("count") < pl.col("bound")) & (pl.col("complete") | pl.col("passed")))
    )
    short = engine.with_evidence(ctx, short)
    return new(
        ctx,
        short,
        case_id=pl.col("case_id"),
        expected=say("expected.at-least-times", step=pl.col("step"), min=pl.col("bound")),
        actual=say("actual.times", count=pl.col("count")),
        event_refs=pl.col("refs"),
        performers=pl.col("performers"),
    )
