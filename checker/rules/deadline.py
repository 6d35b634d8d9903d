"""A step first occurred after its deadline limit.

A deadline is "within D from X" (limit = X + D) or "at least D before X"
(limit = X − D), where X is the case start, the first occurrence of another
step, or a case attribute holding a date or date-time (a date alone means 00:00
local). Workdays end at 24:00 of the N-th working day of the handbook's
calendar. The first occurrence of the step must be no later than the limit;
later is a violation reporting the lateness. No finding when the step has not
occurred (see missing-step and overdue-step) or the anchor is absent.

**Anti-pattern:** drafted on Tuesday 5 March, due for approval within 3
workdays (by Friday 24:00), approved on Monday 11 March.

**Best practice:** perform the step by its limit; a repeat after the limit does
not make the first one late.
"""

from __future__ import annotations

import polars as pl

from checker import engine
from checker.context import Context
from checker.engine.emit import deadline_words, emitter, local_text, one, say
from checker.finding import VIOLATION
from opsbook.model import Step

CODE = "C104"
NAME = "deadline"
TITLE = {"zh": "步骤超过时限", "en": "Step after its deadline"}
SEVERITY = VIOLATION
SCOPE = "case"  # reads only the step events of whole cases: may run case bucket by case bucket
EXAMPLE_FAIL = (
    "3月5日（周二）起草，应在3个工作日内（3月8日24:00前）审批，实际3月11日审批。"
    " / Drafted Tue 5 March, due for approval within 3 workdays (by 8 March 24:00), approved 11 March."
)
EXAMPLE_PASS = "3月5日起草，3月8日审批。 / Drafted 5 March, approved 8 March."


def applies(step: Step) -> bool:
    """The rule checks a step with a deadline."""
    return step.deadline is not None


new = emitter(globals())


def check(ctx: Context) -> pl.DataFrame:
    late = engine.case_steps(ctx).filter((pl.col("count") > 0) & (pl.col("first") > pl.col("limit")))
    return new(
        ctx,
        late,
        case_id=pl.col("case_id"),
        expected=deadline_words(ctx.tz),
        actual=say("actual.at", at=local_text(pl.col("first"), ctx.tz)),
        lateness=(pl.col("first") - pl.col("limit")).dt.total_seconds(),
        event_refs=one("first_ref"),
        performers=one("first_performer"),
    )
