"""A recurring obligation happened in its period, but only after the due point.

Periods, scope members and the due point are read as for C201
(obligation-missed). When the member's first occurrence in the period comes
after the due point (e.g. the 18:00 daily report arrives at 18:01), the
obligation was done late: one finding per member and period, with the
lateness in seconds and the event that came first in the period.

An occurrence exactly at the due point is on time. The severity is
*violation*: the handbook sets the due point, so missing it breaks the rule
even though the work was done; the lateness lets a reader judge how far.

**Anti-pattern:** the monthly summary due by the 5th is filed on the 9th.

**Best practice:** do it by the due point; when that cannot be met, record the
occurrence anyway, so the report shows a late obligation rather than a missed one.
"""

from __future__ import annotations

import polars as pl

from checker.context import Context
from checker.engine.emit import OBLIGATION, emitter, one, say
from checker.engine.frames import empty
from checker.finding import VIOLATION
from checker.periods import STATUS_LATE, calendar_status, due_words, local_text, obligations
from opsbook.model import Obligation

CODE = "C202"
NAME = "obligation-late"
TITLE = {"zh": "定期事项逾期履行", "en": "Recurring obligation done late"}
SEVERITY = VIOLATION
SCOPE = "log"  # reads the obligation and unknown-label events of the whole log
EXAMPLE_FAIL = (
    "日报须在18:00前提交；内勤 u1 在 2026-10-09 18:01 才提交，逾期60秒。"
    " / The daily report is due by 18:00; clerk u1 files it at 18:01 on 2026-10-09, 60 seconds late."
)
EXAMPLE_PASS = (
    "内勤 u1 在 2026-10-09 18:00 整提交日报，恰好在截止时刻，按时。"
    " / Clerk u1 files the report at exactly 18:00 on 2026-10-09: on time."
)


def applies(obligation: Obligation) -> bool:
    """The rule checks an obligation with a calendar cadence (not a confirmation)."""
    return obligation.cadence.kind == "calendar"


new = emitter(globals())


def check(ctx: Context) -> pl.DataFrame:
    tz = ctx.tz.key
    tables = [empty()]
    for process, ob in obligations(ctx.handbook, "calendar"):
        late = calendar_status(ctx, process.id, ob).filter(pl.col("status") == STATUS_LATE)
        tables.append(
            new(
                ctx,
                late.with_columns(process=pl.lit(process.id), step=pl.lit(ob.id)),
                clause=OBLIGATION,
                scope=pl.col("member"),
                period=pl.col("period"),
                expected=due_words(ob.cadence),
                actual=say("actual.at", at=local_text(pl.col("at"), tz)),
                lateness=(pl.col("at") - pl.col("due")).dt.total_seconds(),
                event_refs=one("ref"),
                performers=one("performer"),
            )
        )
    return pl.concat(tables)
