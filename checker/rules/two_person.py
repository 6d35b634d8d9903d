"""A step that needs several people was performed by too few (two-person review).

A step with ``min_performers: k`` must be performed, in each case where it
occurs, by at least k distinct people among its events. Events without a
performer count for no one. A step that has not occurred is not checked here.

**Anti-pattern:** the loan review of case L1 needs two reviewers; p3 recorded
both review events.

**Best practice:** have a second, different person review and record it.
"""

from __future__ import annotations

import polars as pl

from checker import engine
from checker.context import Context
from checker.engine.emit import emitter, say
from checker.finding import VIOLATION
from opsbook.model import Step

CODE = "C108"
NAME = "two-person"
TITLE = {"zh": "双人复核不足", "en": "Two-person review"}
SEVERITY = VIOLATION
SCOPE = "case"  # reads only the step events of whole cases: may run case bucket by case bucket
EXAMPLE_FAIL = "审核须两人完成；案件 L1 的两条审核记录都由 p3 执行。 / The review needs two people; both review events of L1 are by p3."
EXAMPLE_PASS = "案件 L1 的审核由 p3 和 p4 各执行一次。 / The review of L1 is performed once by p3 and once by p4."


def applies(step: Step) -> bool:
    """The rule checks a step with ``min_performers``."""
    return bool(step.min_performers)


new = emitter(globals())


def check(ctx: Context) -> pl.DataFrame:
    bounds = engine.steps_with(ctx.handbook, "min_performers")
    short = (
        engine.case_steps(ctx)
        .join(bounds, on=["process", "step"])
        .filter((pl.col("count") > 0) & (pl.col("distinct_performers") < pl.col("bound")))
    )
    short = engine.with_evidence(ctx, short)
    return new(
        ctx,
        short,
        case_id=pl.col("case_id"),
        expected=say("expected.min-performers", min=pl.col("bound")),
        actual=say("actual.performers", count=pl.col("performers").list.len(), people=pl.col("performers")),
        event_refs=pl.col("refs"),
        performers=pl.col("performers"),
    )
