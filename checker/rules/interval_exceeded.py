"""A recurring obligation went longer than its interval without an occurrence.

Obligations with an interval cadence ("visit each key customer at least every
6 months") are checked per scope member from its first appearance in the log:
the first event of any kind that names the entity, the organisation's first
event, or a role holder's first event on or after the start of their role.

The gaps are: first appearance → first occurrence, each occurrence → the next,
and the last occurrence (or the first appearance, when there is none) → the
as-of time (for a role holder whose role has ended: the end of its last day).
A gap is too long when its end comes after its start shifted by the interval
(months are calendar months, the day clamped to the month end: 31 August + 6
months is 28/29 February); ending exactly at that limit is allowed. One
violation per gap that is too long, naming the event(s) that bound it. Gaps
that end before the audit's start (``--from``) are outside the audit.

**Anti-pattern:** key customer K1 was last visited on 31 March and not again by
the as-of date 15 October.

**Best practice:** plan the next occurrence before the interval runs out, and
record it with the entity's id.
"""

from __future__ import annotations

from datetime import UTC

import polars as pl

from checker.context import Context
from checker.engine.emit import OBLIGATION, emitter, present, say
from checker.engine.frames import empty
from checker.finding import VIOLATION
from checker.periods import appearances, local_text, obligations, occurrences, to_utc
from opsbook.durations import Duration
from opsbook.model import Obligation

CODE = "C203"
NAME = "interval-exceeded"
TITLE = {"zh": "定期事项间隔超限", "en": "Recurring obligation interval exceeded"}
SEVERITY = VIOLATION
SCOPE = "log"  # reads the obligation and unknown-label events of the whole log
EXAMPLE_FAIL = (
    "重点客户须至少每6个月回访一次；客户 K1 于 2024-03-31 回访后，至 2024-10-15 未再回访（期限 2024-09-30）。"
    " / Key customers need a visit at least every 6 months; K1, visited on 2024-03-31, has none by 2024-10-15 (limit 2024-09-30)."
)
EXAMPLE_PASS = (
    "客户 K1 于 2024-08-31 与 2025-02-28 各回访一次（月末对齐），间隔未超过6个月。"
    " / K1 is visited on 2024-08-31 and 2025-02-28 (month end clamped): within 6 months."
)


def limits(ts: pl.Series, duration: Duration, ctx: Context) -> pl.Series:
    """``opsbook.durations.shift(t, duration, +1)`` for a column of UTC instants."""
    tz = ctx.tz.key
    frame = pl.DataFrame({"ts": ts})
    if duration.unit in ("minutes", "hours", "days", "weeks"):  # elapsed time
        expr = pl.col("ts") + pl.duration(**{duration.unit: duration.amount})
    elif duration.unit == "months":
        wall = pl.col("ts").dt.convert_time_zone(tz).dt.replace_time_zone(None)
        expr = to_utc(wall.dt.offset_by(f"{duration.amount}mo"), tz)
    else:  # workdays: 24:00 of the N-th working day after the local date
        dates = frame.select(pl.col("ts").dt.convert_time_zone(tz).dt.date())["ts"]
        last = ctx.calendar.shift_workdays(dates, duration.amount)
        frame = pl.DataFrame({"ts": last})
        expr = to_utc((pl.col("ts") + pl.duration(days=1)).cast(pl.Datetime("us")), tz)
    return frame.select(expr.dt.cast_time_unit("us").alias("limit"))["limit"]


def gaps(ctx: Context, process_id: str, ob: Obligation) -> pl.DataFrame:
    """Every gap of every member: member, ts/ref/performer (its start), next_* (null: until), end, limit."""
    members = appearances(ctx, ob.scope)
    points = ["member", "ts", "seq", "ref", "performer"]
    occ = (
        occurrences(ctx, process_id, ob)
        .join(members.select("member", since="ts", until="until"), on="member")
        .filter(pl.col("ts").is_between(pl.col("since"), pl.col("until")))
    )
    ordered = (
        pl.concat([members.select(points), occ.select(points)])
        .unique(["member", "seq"], maintain_order=True)
        .sort("member", "ts", "seq")
    )
    following = {f"next_{c}": pl.col(c).shift(-1).over("member") for c in ("ts", "ref", "performer")}
    table = ordered.with_columns(**following).join(members.select("member", "until"), on="member")
    table = table.with_columns(end=pl.coalesce("next_ts", "until"), limit=limits(table["ts"], ob.cadence.interval, ctx))
    return table.filter(pl.col("end") > ctx.start.astimezone(UTC))


def applies(obligation: Obligation) -> bool:
    """The rule checks an obligation with an interval cadence."""
    return obligation.cadence.kind == "interval"


new = emitter(globals())


def check(ctx: Context) -> pl.DataFrame:
    tz = ctx.tz.key
    tables = [empty()]
    for process, ob in obligations(ctx.handbook, "interval"):
        interval = ob.cadence.interval
        exceeded = (
            gaps(ctx, process.id, ob)
            .filter(pl.col("end") > pl.col("limit"))
            .with_columns(
                process=pl.lit(process.id),
                step=pl.lit(ob.id),
                trailing=pl.col("next_ref").is_null(),
                **{f"{c}_text": local_text(pl.col(c), tz) for c in ("ts", "end", "limit")},
            )
        )
        tables.append(
            new(
                ctx,
                exceeded,
                clause=OBLIGATION,
                scope=pl.col("member"),
                period=pl.format("{}/{}", pl.col("ts_text").str.slice(0, 10), pl.col("end_text").str.slice(0, 10)),
                detail=pl.col("ts_text"),  # the gap's start: the period's end moves with the as-of time
                expected=say(
                    "expected.interval",
                    amount=interval.amount,
                    unit=interval.unit,
                    since=pl.col("ts_text"),
                    limit=pl.col("limit_text"),
                ),
                actual=say(
                    pl.when(pl.col("trailing")).then(pl.lit("actual.none-by")).otherwise(pl.lit("actual.next-at")),
                    at=pl.col("end_text"),
                ),
                lateness=(pl.col("end") - pl.col("limit")).dt.total_seconds(),
                event_refs=pl.concat_list("ref", "next_ref").list.drop_nulls(),
                performers=present("performer", "next_performer"),
            )
        )
    return pl.concat(tables)
