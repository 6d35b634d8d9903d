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

from collections.abc import Iterator

import polars as pl

from checker import engine
from checker.context import Context
from checker.finding import VIOLATION, Finding, factory, text
from opsbook import urls

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

new = factory(globals())


def check(ctx: Context) -> Iterator[Finding]:
    missing = engine.case_steps(ctx).filter(pl.col("complete") & pl.col("required") & (pl.col("count") == 0))
    for row in missing.iter_rows(named=True):
        step = ctx.handbook.process(row["process"]).step(row["step"])
        yield new(
            clause=urls.step(row["process"], step.id),
            process=row["process"],
            case_id=row["case_id"],
            step=step.id,
            expected=text("expected.step-once", step=step.id),
            actual=text("actual.not-in-log"),
        )
