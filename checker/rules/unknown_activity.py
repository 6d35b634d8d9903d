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

import polars as pl

from checker.context import Context
from checker.engine.emit import emitter, say
from checker.finding import WARNING
from opsbook import urls

CODE = "C111"
NAME = "unknown-activity"
TITLE = {"zh": "未知活动", "en": "Unknown activity"}
SEVERITY = WARNING
SCOPE = "log"  # reads the obligation and unknown-label events of the whole log
EXAMPLE_FAIL = "日志中有3条“审批合同书”，手册中无此活动名。 / The log has 3 events '审批合同书', a label the handbook does not know."
EXAMPLE_PASS = "日志中的每个活动名都对应手册中的步骤或定期事项。 / Every label in the log records a step or obligation."
SAMPLES = 5

new = emitter(globals())


def check(ctx: Context) -> pl.DataFrame:
    unknown = (
        ctx.events.filter(pl.col("kind").is_null())
        .group_by("activity", maintain_order=True)
        .agg(count=pl.len(), refs=pl.col("ref").head(SAMPLES))
    )
    return new(
        ctx,
        unknown,
        clause=urls.rule(CODE),
        process=None,
        step=None,
        detail=pl.col("activity"),
        expected=say("expected.known-label"),
        actual=say("actual.unknown-label", label=pl.col("activity"), count=pl.col("count")),
        event_refs=pl.col("refs"),
    )
