"""A recurring obligation has no occurrence at all in one of its periods.

Obligations with a calendar cadence ("a daily report every working day by
18:00", "a weekly meeting by Monday", "a monthly summary by the 5th") are
checked period by period, for every member of their scope: the organisation,
each person the roster gives the role on the period's due date, or each entity
(e.g. each key customer) from the first period that starts after it first
appears in the log.

A period is evaluated when it starts on or after the date of the log's first
event (or ``--from``) and its due point has passed at the as-of time. When the
period holds no event of the obligation's activities for the member, the
obligation was missed in that period: one violation per member and period.
Events after the as-of time are not known to the audit.

An occurrence after the due point but still inside the period is not a miss;
C202 (obligation-late) reports it.

**Anti-pattern:** the weekly stock count is skipped in week 2024-W10.

**Best practice:** record every occurrence, on time, with the person who did it
(for a per-role obligation) or the entity it concerns (for a per-entity one).
"""

from __future__ import annotations

import polars as pl

from checker.context import Context
from checker.engine.emit import OBLIGATION, emitter, say
from checker.engine.frames import empty
from checker.finding import VIOLATION
from checker.periods import STATUS_MISSED, calendar_status, due_words, obligations
from opsbook.model import Obligation

CODE = "C201"
NAME = "obligation-missed"
TITLE = {"zh": "定期事项未履行", "en": "Recurring obligation missed"}
SEVERITY = VIOLATION
SCOPE = "log"  # reads the obligation and unknown-label events of the whole log
EXAMPLE_FAIL = (
    "每个工作日18:00前提交日报；2026-10-09（工作日）内勤 u1 没有任何“提交日报”记录。"
    " / A daily report is due by 18:00 every working day; clerk u1 has no report at all on 2026-10-09."
)
EXAMPLE_PASS = (
    "2026-10-09 17:30 内勤 u1 提交日报；国庆假期 10-01 至 10-07 不是工作日，不要求日报。"
    " / Clerk u1 reports at 17:30 on 2026-10-09; no report is due on the National Day holidays 10-01 to 10-07."
)


def applies(obligation: Obligation) -> bool:
    """The rule checks an obligation with a calendar cadence (not a confirmation)."""
    return obligation.cadence.kind == "calendar"


new = emitter(globals())


def check(ctx: Context) -> pl.DataFrame:
    tables = [empty()]
    for process, ob in obligations(ctx.handbook, "calendar"):
        missed = calendar_status(ctx, process.id, ob).filter(pl.col("status") == STATUS_MISSED)
        tables.append(
            new(
                ctx,
                missed.with_columns(process=pl.lit(process.id), step=pl.lit(ob.id)),
                clause=OBLIGATION,
                scope=pl.col("member"),
                period=pl.col("period"),
                expected=due_words(ob.cadence),
                actual=say(
                    "actual.none-between",
                    start=pl.col("start_date").cast(pl.Utf8),
                    end=pl.col("last_date").cast(pl.Utf8),
                ),
            )
        )
    return pl.concat(tables)
