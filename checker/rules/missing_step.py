"""A required step did not occur in a complete case.

A step is required unless it is marked optional; a step with a condition
(``when``) is required only in cases whose attribute meets the condition, and a
case without a value for that attribute does not meet it. Once a final step has
occurred the case is complete, and every required step that never occurred in
it is a violation. Open cases are the business of the overdue-step check.

**Anti-pattern:** contract H1 was handed over (final step) but never approved.

**Best practice:** perform and record every required step before the final one.
"""

from __future__ import annotations

import polars as pl

from checker import engine
from checker.context import Context
from checker.engine.emit import emitter, say
from checker.finding import VIOLATION
from opsbook.model import Step

CODE = "C101"
NAME = "missing-step"
TITLE = {"zh": "缺少必经步骤", "en": "Missing step"}
SEVERITY = VIOLATION
SCOPE = "case"  # reads only the step events of whole cases: may run case bucket by case bucket
EXAMPLE_FAIL = (
    "合同 H1 已通知交房（结案），但日志中没有“审批合同”。"
    " / Contract H1 reached its final step, but the log has no 'approve contract' event."
)
EXAMPLE_PASS = "合同 H1 依次起草、审批、通知交房。 / Contract H1 is drafted, approved and then closed."


def applies(step: Step) -> bool:
    """The rule checks a required step (every step not marked optional; a conditional one where its condition holds)."""
    return step.required


new = emitter(globals())


def check(ctx: Context) -> pl.DataFrame:
    missing = engine.case_steps(ctx).filter(pl.col("complete") & pl.col("required") & (pl.col("count") == 0))
    return new(
        ctx,
        missing,
        case_id=pl.col("case_id"),
        expected=say("expected.step-once", step=pl.col("step")),
        actual=say("actual.not-in-log"),
    )
