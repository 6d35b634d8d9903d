"""A step occurred more often in a case than allowed.

A step with ``max_count: n`` may occur at most n times in a case (e.g. a
contract is signed once). More is a violation, with every occurrence as
evidence. It is checked in open and complete cases alike.

**Anti-pattern:** subscription S1 has two "sign the contract" events.

**Best practice:** correct a record by amending it, not by recording the step
again.
"""

from __future__ import annotations

import polars as pl

from checker import engine
from checker.context import Context
from checker.engine.emit import emitter, say
from checker.finding import VIOLATION
from opsbook.model import Step

CODE = "C109"
NAME = "too-many"
TITLE = {"zh": "步骤次数过多", "en": "Step repeated too often"}
SEVERITY = VIOLATION
SCOPE = "case"  # reads only the step events of whole cases: may run case bucket by case bucket
EXAMPLE_FAIL = (
    "“提交申请”每案至多1次；案件 L2 有2次。 / 'Submit application' is allowed once per case; L2 has it twice."
)
EXAMPLE_PASS = "案件 L2 只提交一次申请。 / L2 submits its application once."


def applies(step: Step) -> bool:
    """The rule checks a step with ``max_count``."""
    return bool(step.max_count)


new = emitter(globals())


def check(ctx: Context) -> pl.DataFrame:
    bounds = engine.steps_with(ctx.handbook, "max_count")
    over = engine.case_steps(ctx).join(bounds, on=["process", "step"]).filter(pl.col("count") > pl.col("bound"))
    over = engine.with_evidence(ctx, over)
    return new(
        ctx,
        over,
        case_id=pl.col("case_id"),
        expected=say("expected.at-most-times", step=pl.col("step"), max=pl.col("bound")),
        actual=say("actual.times", count=pl.col("count")),
        event_refs=pl.col("refs"),
        performers=pl.col("performers"),
    )
