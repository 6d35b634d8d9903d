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

from collections.abc import Iterator

import polars as pl

from checker import engine
from checker.context import Context
from checker.finding import VIOLATION, Finding, factory, text
from opsbook import urls

CODE = "C110"
NAME = "too-few"
TITLE = {"zh": "步骤次数不足", "en": "Step performed too few times"}
SEVERITY = VIOLATION
SCOPE = "case"  # reads only the step events of whole cases: may run case bucket by case bucket
EXAMPLE_FAIL = "“放款”每案至少2次；案件 L3 只放款1次即结案。 / 'Pay out' needs 2 events per case; L3 is closed after 1."
EXAMPLE_PASS = (
    "案件 L3 放款2次后结案；或案件未结且期限未到。 / L3 pays out twice before closing, or is open and not yet due."
)

new = factory(globals())


def check(ctx: Context) -> Iterator[Finding]:
    table = engine.case_steps(ctx).filter(pl.col("count") > 0)
    for process in ctx.handbook.processes:
        for step in process.steps:
            if step.min_count is None:
                continue
            short = table.filter(
                (pl.col("process") == process.id)
                & (pl.col("step") == step.id)
                & (pl.col("count") < step.min_count)
                & (pl.col("complete") | pl.col("passed"))
            )
            for row in short.iter_rows(named=True):
                yield new(
                    clause=urls.step(process.id, step.id),
                    process=process.id,
                    case_id=row["case_id"],
                    step=step.id,
                    expected=text("expected.at-least-times", step=step.id, min=step.min_count),
                    actual=text("actual.times", count=row["count"]),
                    event_refs=tuple(row["refs"]),
                    performers=tuple(row["performers"]),
                )
