"""A required step of an open case is past its deadline and has not occurred.

In a case without a final step yet, a required step that has not occurred is
pending until its deadline limit has passed at the audit's as-of time; then it
is overdue. A step without a deadline, or whose anchor is absent (the anchor
step has not occurred, the attribute is empty or not a date), is never overdue.

**Anti-pattern:** contract H2 was drafted on Monday, must be approved within 3
workdays, and is still not approved the next Monday.

**Best practice:** perform the step before its limit, or escalate in time.
"""

from __future__ import annotations

from datetime import UTC

import polars as pl

from checker import engine
from checker.context import Context
from checker.engine.emit import deadline_words, emitter, say
from checker.finding import VIOLATION
from opsbook.model import Step

CODE = "C102"
NAME = "overdue-step"
TITLE = {"zh": "步骤逾期未办", "en": "Overdue step"}
SEVERITY = VIOLATION
SCOPE = "case"  # reads only the step events of whole cases: may run case bucket by case bucket
EXAMPLE_FAIL = (
    "合同 H2 于周二起草，应在3个工作日内审批；至下周一仍未审批。"
    " / Contract H2, drafted on Tuesday, is due for approval within 3 workdays and is still unapproved next Monday."
)
EXAMPLE_PASS = (
    "合同 H2 起草后次日审批；或审批期限尚未届满。"
    " / Contract H2 is approved the next day, or its approval limit has not yet passed."
)


def applies(step: Step) -> bool:
    """The rule checks a required step with a deadline."""
    return step.required and step.deadline is not None


new = emitter(globals())


def check(ctx: Context) -> pl.DataFrame:
    table = engine.case_steps(ctx)
    overdue = table.filter(~pl.col("complete") & pl.col("required") & (pl.col("count") == 0) & pl.col("passed"))
    return new(
        ctx,
        overdue,
        case_id=pl.col("case_id"),
        expected=deadline_words(ctx.tz),
        actual=say("actual.not-done-as-of", as_of=engine.local_text(ctx.as_of, ctx.tz)),
        lateness=(pl.lit(ctx.as_of.astimezone(UTC)) - pl.col("limit")).dt.total_seconds(),
    )
