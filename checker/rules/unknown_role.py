"""The role of a step's performer is unknown, so authorisation cannot be checked.

An event's role comes from the log's role column, else from the roster (the
performer's roles valid on the event's local date). When neither gives one, the
event gets a warning (one per event): nothing says whether the performer was
allowed to do the step.

**Anti-pattern:** the log has no role column, and the roster does not list
performer p7 on the day of the event.

**Best practice:** record the role in the log, or keep the roster complete,
with the dates each role was held.
"""

from __future__ import annotations

import polars as pl

from checker import engine
from checker.context import Context
from checker.engine.emit import emitter, one, say
from checker.finding import WARNING

CODE = "C106"
NAME = "unknown-role"
TITLE = {"zh": "执行人角色未知", "en": "Unknown role"}
SEVERITY = WARNING
SCOPE = "case"  # reads only the step events of whole cases: may run case bucket by case bucket
EXAMPLE_FAIL = (
    "日志无角色列，花名册中也没有 p7 在该日的角色。 / No role column, and the roster gives p7 no role on that day."
)
EXAMPLE_PASS = "花名册写明 p7 自 2024-01-01 起任内勤。 / The roster lists p7 as clerk from 2024-01-01."

new = emitter(globals())


def check(ctx: Context) -> pl.DataFrame:
    unknown = engine.event_detail(ctx.events.filter((pl.col("kind") == "step") & (pl.col("roles").list.len() == 0)))
    named = (pl.col("performer").is_not_null() & (pl.col("performer") != "")).alias("_named")
    parts = unknown.with_columns(named).partition_by("_named", as_dict=True, include_key=False)
    tables = []
    for (has_performer,), part in parts.items():
        actual = (
            say("actual.no-role-on", performer=pl.col("performer"), date=pl.col("local_date").cast(pl.Utf8))
            if has_performer
            else say("actual.no-role-no-performer")
        )
        tables.append(
            new(
                ctx,
                part,
                case_id=pl.col("case_id"),
                detail=pl.col("detail"),
                expected=say("expected.role-known"),
                actual=actual,
                event_refs=one("ref"),
                performers=one("performer"),
            )
        )
    return pl.concat(tables) if tables else new(ctx, unknown, expected=say("expected.role-known"))
