"""A step that needs several people was performed by too few (two-person review).

A step with ``min_performers: k`` must be performed, in each case where it
occurs, by at least k distinct people among its events. Events without a
performer count for no one. A step that has not occurred is not checked here.

**Anti-pattern:** the loan review of case L1 needs two reviewers; p3 recorded
both review events.

**Best practice:** have a second, different person review and record it.
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from checker import engine
from checker.context import Context
from checker.finding import VIOLATION, Finding, factory, text
from opsbook import urls

CODE = "C108"
NAME = "two-person"
TITLE = {"zh": "双人复核不足", "en": "Two-person review"}
SEVERITY = VIOLATION
SCOPE = "case"  # reads only the step events of whole cases: may run case bucket by case bucket
EXAMPLE_FAIL = "审核须两人完成；案件 L1 的两条审核记录都由 p3 执行。 / The review needs two people; both review events of L1 are by p3."
EXAMPLE_PASS = "案件 L1 的审核由 p3 和 p4 各执行一次。 / The review of L1 is performed once by p3 and once by p4."

new = factory(globals())


def check(ctx: Context) -> Iterator[Finding]:
    table = engine.case_steps(ctx).filter(pl.col("count") > 0)
    for process in ctx.handbook.processes:
        for step in process.steps:
            if not step.min_performers:
                continue
            short = table.filter(
                (pl.col("process") == process.id)
                & (pl.col("step") == step.id)
                & (pl.col("performers").list.len() < step.min_performers)
            )
            for row in short.iter_rows(named=True):
                yield new(
                    clause=urls.step(process.id, step.id),
                    process=process.id,
                    case_id=row["case_id"],
                    step=step.id,
                    expected=text("expected.min-performers", min=step.min_performers),
                    actual=text("actual.performers", count=len(row["performers"]), people=tuple(row["performers"])),
                    event_refs=tuple(row["refs"]),
                    performers=tuple(row["performers"]),
                )
