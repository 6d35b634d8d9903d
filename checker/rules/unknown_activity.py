"""Events whose activity label records no step or obligation of the handbook.

Every step and obligation names the activity labels that record it. Events with
any other label cannot be checked; each distinct label gets one warning with
its number of events and up to five sample event references (the earliest). A
typo in the log, a renamed label or a step missing from the handbook are the
usual causes.

**Anti-pattern:** the log says "审批合同书" where the handbook's label is
"审批合同".

**Best practice:** use the handbook's labels in the system that writes the log,
or add the label to the step it records.
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from checker.context import Context
from checker.finding import WARNING, Finding, factory, text
from opsbook import urls

CODE = "C111"
NAME = "unknown-activity"
TITLE = {"zh": "未知活动", "en": "Unknown activity"}
SEVERITY = WARNING
SCOPE = "log"  # reads the obligation and unknown-label events of the whole log
EXAMPLE_FAIL = "日志中有3条“审批合同书”，手册中无此活动名。 / The log has 3 events '审批合同书', a label the handbook does not know."
EXAMPLE_PASS = "日志中的每个活动名都对应手册中的步骤或定期事项。 / Every label in the log records a step or obligation."
SAMPLES = 5

new = factory(globals())


def check(ctx: Context) -> Iterator[Finding]:
    unknown = (
        ctx.events.filter(pl.col("kind").is_null())
        .group_by("activity", maintain_order=True)
        .agg(count=pl.len(), refs=pl.col("ref").head(SAMPLES))
    )
    for row in unknown.iter_rows(named=True):
        label, count = row["activity"], row["count"]
        yield new(
            clause=urls.rule(CODE),
            detail=label,
            expected=text("expected.known-label"),
            actual=text("actual.unknown-label", label=label, count=count),
            event_refs=tuple(row["refs"]),
        )
