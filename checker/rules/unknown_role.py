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

from collections.abc import Iterator

import polars as pl

from checker import engine
from checker.context import Context
from checker.finding import WARNING, Finding, factory, text
from opsbook import urls

CODE = "C106"
NAME = "unknown-role"
TITLE = {"zh": "执行人角色未知", "en": "Unknown role"}
SEVERITY = WARNING
SCOPE = "case"  # reads only the step events of whole cases: may run case bucket by case bucket
EXAMPLE_FAIL = (
    "日志无角色列，花名册中也没有 p7 在该日的角色。 / No role column, and the roster gives p7 no role on that day."
)
EXAMPLE_PASS = "花名册写明 p7 自 2024-01-01 起任内勤。 / The roster lists p7 as clerk from 2024-01-01."

new = factory(globals())


def check(ctx: Context) -> Iterator[Finding]:
    unknown = engine.event_detail(ctx.events.filter((pl.col("kind") == "step") & (pl.col("roles").list.len() == 0)))
    for row in unknown.iter_rows(named=True):
        performer = row["performer"]
        yield new(
            clause=urls.step(row["process"], row["step"]),
            process=row["process"],
            case_id=row["case_id"],
            step=row["step"],
            detail=row["detail"],
            expected=text("expected.role-known"),
            actual=(
                text("actual.no-role-on", performer=performer, date=str(row["local_date"]))
                if performer
                else text("actual.no-role-no-performer")
            ),
            event_refs=(row["ref"],),
            performers=(performer,) if performer else (),
        )
