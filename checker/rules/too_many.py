"""A step occurred more often in a case than allowed.

A step with ``max_count: n`` may occur at most n times in a case (e.g. a
contract is signed once). More is a violation, with every occurrence as
evidence. It is checked in open and complete cases alike.

**Anti-pattern:** subscription S1 has two "sign the contract" events.

**Best practice:** correct a record by amending it, not by recording the step
again.
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from checker import engine
from checker.context import Context
from checker.finding import VIOLATION, Finding, factory, text
from opsbook import urls

CODE = "C109"
NAME = "too-many"
TITLE = {"zh": "步骤次数过多", "en": "Step repeated too often"}
SEVERITY = VIOLATION
SCOPE = "case"  # reads only the step events of whole cases: may run case bucket by case bucket
EXAMPLE_FAIL = (
    "“提交申请”每案至多1次；案件 L2 有2次。 / 'Submit application' is allowed once per case; L2 has it twice."
)
EXAMPLE_PASS = "案件 L2 只提交一次申请。 / L2 submits its application once."

new = factory(globals())


def check(ctx: Context) -> Iterator[Finding]:
    table = engine.case_steps(ctx)
    for process in ctx.handbook.processes:
        for step in process.steps:
            if step.max_count is None:
                continue
            over = table.filter(
                (pl.col("process") == process.id) & (pl.col("step") == step.id) & (pl.col("count") > step.max_count)
            )
            for row in over.iter_rows(named=True):
                yield new(
                    clause=urls.step(process.id, step.id),
                    process=process.id,
                    case_id=row["case_id"],
                    step=step.id,
                    expected=text("expected.at-most-times", step=step.id, max=step.max_count),
                    actual=text("actual.times", count=row["count"]),
                    event_refs=tuple(row["refs"]),
                    performers=tuple(row["performers"]),
                )
