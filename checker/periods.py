"""Periods, scope members and occurrences of recurring obligations (SPEC-checker §4).

Everything here is a Polars table; the obligation rules (C201–C203) only filter
and render them.

| table | one row per | columns |
|---|---|---|
| ``period_table`` | evaluated period of a calendar cadence | period, start_date, last_date, due_date, start, due, end |
| ``appearances`` | scope member | member, ts, seq, ref, performer, local_date, until |
| ``occurrences`` | event of the obligation | member, ts, seq, ref, performer |
| ``calendar_status`` | period × member in scope | the period columns, member, status, at, ref, performer |

``start``/``end`` are the local midnights that open and close a period (end
exclusive) and ``due`` is the due point, all as UTC instants. Decisions the
spec leaves open:

- Only events at or before the as-of time count: the audit knows nothing later.
- An entity is in scope for the periods that start on or after the date of its
  first appearance in the log, just as the log's own start bounds the periods;
  for a filtered scope (e.g. key customers), its first event that meets the
  filter (SPEC-checker §4).
- A role holder is in scope when a roster row for the role covers the period's
  due *date* (``from``/``to`` inclusive). Without a roster nobody holds a role,
  so a per-role obligation has no members.
- ``due.weekday`` applies to weekly cadences only, ``due.day`` to monthly,
  quarterly and yearly ones; the other is ignored.
- A wall time that does not exist (a DST gap) is read as zoneinfo does (fold=0).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date
from typing import Literal

import polars as pl

from checker import engine
from checker.context import Context
from checker.engine.emit import Say, say
from checker.events import ATTR_PREFIX
from opsbook.model import Cadence, Handbook, Obligation, Process, Scope

ORGANISATION = "organisation"
STATUS_OK, STATUS_LATE, STATUS_MISSED = "ok", "late", "missed"
_EVERY = {"week": "1w", "month": "1mo", "quarter": "1q", "year": "1y"}
_TS = pl.Datetime("us", "UTC")
_MEMBER_SCHEMA = {"member": pl.Utf8, "ts": _TS, "seq": pl.Int64, "ref": pl.Utf8, "performer": pl.Utf8}


def obligations(
    handbook: Handbook, kind: Literal["calendar", "interval", "confirm"]
) -> Iterator[tuple[Process, Obligation]]:
    for process in handbook.processes:
        for ob in process.obligations:
            if ob.cadence.kind == kind:
                yield process, ob


def to_utc(local: pl.Expr, tz: str) -> pl.Expr:
    """Naive local wall time → UTC instant, as every local time of the checker (``engine.localize``)."""
    return engine.localize(local, tz)


def local_text(instant: pl.Expr, tz: str) -> pl.Expr:
    return instant.dt.convert_time_zone(tz).dt.strftime("%Y-%m-%d %H:%M:%S")


def _midnight(day: pl.Expr, tz: str) -> pl.Expr:
    return to_utc(day.cast(pl.Datetime("us")), tz)


def _label(every: str) -> pl.Expr:
    d = pl.col("start_date")
    if every == "quarter":
        return pl.format("{}-Q{}", d.dt.year(), d.dt.quarter())
    return d.dt.strftime(
        {"day": "%Y-%m-%d", "workday": "%Y-%m-%d", "week": "%G-W%V", "month": "%Y-%m", "year": "%Y"}[every]
    )


def _due_date(cadence: Cadence) -> pl.Expr:
    start, last = pl.col("start_date"), pl.col("last_date")
    if cadence.every == "week" and cadence.due_weekday:
        return start + pl.duration(days=cadence.due_weekday - 1)
    if cadence.every in ("month", "quarter", "year") and cadence.due_day:
        # The day of the period's first month, clamped to that month's end.
        return pl.min_horizontal(start + pl.duration(days=cadence.due_day - 1), start.dt.month_end())
    return last


def _days(ctx: Context, days: str, first: date, last: date) -> pl.DataFrame:
    """The periods of a daily cadence: the public working days, every day, or the office's opening days."""
    if days == "public":
        for day in (first, last):
            ctx.calendar.is_workday(day)  # a year outside the calendar is an input error
        dates = ctx.calendar.ordinal_table().filter(pl.col("is_workday") & pl.col("date").is_between(first, last))
        dates = dates["date"]
    else:
        dates = pl.date_range(first, last, "1d", eager=True)
        if days == "office":
            office = ctx.handbook.office
            open_days = [d for d in dates.to_list() if office.is_open(d)]
            dates = pl.Series("date", open_days, dtype=pl.Date)
    return pl.DataFrame({"start_date": dates}).with_columns(end_date=pl.col("start_date") + pl.duration(days=1))


def _starts(ctx: Context, cadence: Cadence, first: date, last: date) -> pl.DataFrame:
    every = cadence.every
    if cadence.daily:
        return _days(ctx, cadence.day_calendar, first, last)
    step = _EVERY[every]
    opening = pl.select(pl.lit(first).dt.truncate(step)).item()
    starts = pl.DataFrame({"start_date": pl.date_range(opening, last, step, eager=True)})
    return starts.filter(pl.col("start_date") >= first).with_columns(end_date=pl.col("start_date").dt.offset_by(step))


def period_table(ctx: Context, cadence: Cadence) -> pl.DataFrame:
    """The periods that start on or after the date of ``ctx.start`` and are due by ``ctx.as_of``."""
    return ctx.derived(("periods", cadence), lambda: _period_table(ctx, cadence))


def _period_table(ctx: Context, cadence: Cadence) -> pl.DataFrame:
    tz = ctx.tz.key
    first, last = ctx.start.astimezone(ctx.tz).date(), ctx.as_of.astimezone(ctx.tz).date()
    frame = (
        _starts(ctx, cadence, first, last)
        if first <= last
        else pl.DataFrame(schema={"start_date": pl.Date, "end_date": pl.Date})
    )
    if cadence.due_time:
        hours, minutes = (int(x) for x in cadence.due_time.split(":"))
        due_local = pl.col("due_date").cast(pl.Datetime("us")) + pl.duration(hours=hours, minutes=minutes)
    else:
        due_local = (pl.col("due_date") + pl.duration(days=1)).cast(pl.Datetime("us"))
    return (
        frame.with_columns(last_date=pl.col("end_date") - pl.duration(days=1))
        .with_columns(period=_label(cadence.every), due_date=_due_date(cadence))
        .with_columns(
            start=_midnight(pl.col("start_date"), tz), due=to_utc(due_local, tz), end=_midnight(pl.col("end_date"), tz)
        )
        .filter(pl.col("due") <= ctx.as_of.astimezone(UTC))
        .select("period", "start_date", "last_date", "due_date", "start", "due", "end")
    )


def _text(column: str) -> pl.Expr:
    """An attribute's value, trimmed; null when empty."""
    value = pl.col(column).str.strip_chars()
    return pl.when(value != "").then(value)


def _known(ctx: Context) -> pl.DataFrame:
    """The events at or before the as-of time, still sorted by (ts, seq) as the context's are."""
    return ctx.derived(("known",), lambda: ctx.events.filter(pl.col("ts") <= ctx.as_of.astimezone(UTC)))


def _member(scope: Scope) -> pl.Expr:
    if scope.kind == "entity":
        return _text(ATTR_PREFIX + scope.entity)
    if scope.kind == "role":
        return pl.col("performer")
    return pl.lit(ORGANISATION)


def _has_column(ctx: Context, scope: Scope) -> bool:
    return scope.kind != "entity" or ATTR_PREFIX + scope.entity in ctx.events.columns


def occurrences(ctx: Context, process_id: str, ob: Obligation) -> pl.DataFrame:
    """The obligation's events known as of ``ctx.as_of``, keyed by the member they count for."""
    if not _has_column(ctx, ob.scope):
        return pl.DataFrame(schema=_MEMBER_SCHEMA)
    mine = (pl.col("kind") == "obligation") & (pl.col("process") == process_id) & (pl.col("step") == ob.id)
    events = _known(ctx).filter(mine).with_columns(member=_member(ob.scope))
    return events.filter(pl.col("member").is_not_null()).select(*_MEMBER_SCHEMA)


def _holders(ctx: Context, role: str) -> pl.DataFrame:
    """The roster rows of ``role``, named by id, title or alias as the engine reads them."""
    schema = {"member": pl.Utf8, "from": pl.Date, "to": pl.Date}
    if ctx.roster is None:
        return pl.DataFrame(schema=schema)
    names = engine.role_keys(ctx.handbook).filter(pl.col("role_id") == role)["key"]
    rows = ctx.roster.filter(pl.col("role").str.strip_chars().is_in(names.implode()))
    bounds = {c: pl.col(c) if c in rows.columns else pl.lit(None, pl.Date) for c in ("from", "to")}
    return rows.select(member=pl.col("person"), **bounds).cast(schema)


def _tenures(ctx: Context, role: str) -> pl.DataFrame:
    """Per role holder the span from the earliest ``from`` to the latest ``to`` (null = open)."""
    bound = {"from": pl.col("from").min(), "to": pl.col("to").max()}
    return (
        _holders(ctx, role)
        .group_by("member")
        .agg(pl.when(pl.col(c).is_null().any()).then(None).otherwise(agg).alias(c) for c, agg in bound.items())
    )


def _qualifying(ctx: Context, scope: Scope) -> pl.DataFrame | None:
    """The known events that name a member of ``scope`` and meet its filter (SPEC-checker §4), with
    ``member``; None when the log lacks a column the scope needs (then it has no member)."""
    if not _has_column(ctx, scope):
        return None
    keep = ["ts", "seq", "ref", "performer", "local_date"]  # grouping carries every column along
    columns = {ATTR_PREFIX + name for name in (scope.entity, scope.when and scope.when.attribute) if name}
    if not columns <= set(ctx.events.columns):
        return None
    events = _known(ctx).select(*keep, *columns).with_columns(member=_member(scope))
    named = pl.col("member").is_not_null()
    if scope.kind == "entity" and scope.when is not None:
        # Each event is judged on its own value: an entity joins at its first event that meets the
        # filter, whatever its earlier events said, and stays (a later value cannot take it out).
        named = named & engine.condition_expr(scope.when)
    return events.filter(named).select(*keep, "member")


def appearances(ctx: Context, scope: Scope) -> pl.DataFrame:
    """Each scope member's first appearance in the log and the end of its watch (``until``).

    An entity appears in its first event that names it and, for a filtered
    scope, meets the filter on that event (an entity first seen as a normal
    customer and later as a key one joins at that later event); a role holder
    appears in their first event on or after their role's start and is watched
    until the role ends.
    """
    as_of = pl.lit(ctx.as_of.astimezone(UTC))
    columns = [*_MEMBER_SCHEMA, "local_date"]
    events = _qualifying(ctx, scope)
    if events is None:
        return pl.DataFrame(schema={**_MEMBER_SCHEMA, "local_date": pl.Date, "until": _TS})
    if scope.kind == "role":
        tenures = _tenures(ctx, scope.role)
        events = events.join(tenures, on="member", maintain_order="left").filter(
            pl.col("from").is_null() | (pl.col("local_date") >= pl.col("from")),
            pl.col("to").is_null() | (pl.col("local_date") <= pl.col("to")),
        )
        ends = _midnight(pl.col("to") + pl.duration(days=1), ctx.tz.key)
        firsts = events.group_by("member", maintain_order=True).first()
        return firsts.select(*columns, until=pl.min_horizontal(as_of, ends))
    return events.group_by("member", maintain_order=True).first().select(*columns, until=as_of)


def witnesses(ctx: Context) -> pl.DataFrame:
    """The rows of ``ctx.events`` that decide ``appearances`` for every scope of the handbook.

    For each member of an entity or role scope: its first event (for a role
    holder, its first event within the role's tenure; for a filtered entity
    scope, its first event that meets the filter). ``appearances`` over any
    rows that include these gives the same answer as over all of
    ``ctx.events``, which lets the pipeline check the step events bucket by
    bucket and keep only these rows for the obligation rules.
    """
    seqs: list[pl.Series] = []
    scopes = {
        ob.scope: None for _, ob in (*obligations(ctx.handbook, "calendar"), *obligations(ctx.handbook, "interval"))
    }
    for scope in scopes:
        if scope.kind != "organisation":
            seqs.append(appearances(ctx, scope)["seq"])
    if not seqs:
        return ctx.events.clear()
    return ctx.events.filter(pl.col("seq").is_in(pl.concat(seqs).implode()))


def _in_scope(ctx: Context, scope: Scope, periods: pl.DataFrame) -> pl.DataFrame:
    if scope.kind == "organisation":
        return periods.with_columns(member=pl.lit(ORGANISATION))
    if scope.kind == "role":
        covers = (pl.col("from").is_null() | (pl.col("from") <= pl.col("due_date"))) & (
            pl.col("to").is_null() | (pl.col("due_date") <= pl.col("to"))
        )
        rows = periods.join(_holders(ctx, scope.role), how="cross").filter(covers)
        return rows.drop("from", "to").unique(["member", "period"], maintain_order=True)
    members = appearances(ctx, scope).select("member", joined="local_date")
    return periods.join(members, how="cross").filter(pl.col("start_date") >= pl.col("joined")).drop("joined")


def calendar_status(ctx: Context, process_id: str, ob: Obligation) -> pl.DataFrame:
    """Every evaluated period × member with its status and first occurrence in the period (if any)."""
    return ctx.derived(("status", process_id, ob.id), lambda: _calendar_status(ctx, process_id, ob))


def _calendar_status(ctx: Context, process_id: str, ob: Obligation) -> pl.DataFrame:
    rows = _in_scope(ctx, ob.scope, period_table(ctx, ob.cadence)).sort("start")
    # One candidate per (member, instant): the first by seq, so ties resolve by input order.
    occ = occurrences(ctx, process_id, ob).unique(["member", "ts"], keep="first", maintain_order=True)
    found = rows.join_asof(
        occ.rename({"ts": "at"}).select("member", "at", "ref", "performer").sort("at"),
        left_on="start",
        right_on="at",
        by="member",
        strategy="forward",
        check_sortedness=False,
        coalesce=False,
    ).with_columns(pl.when(pl.col("at") < pl.col("end")).then(pl.col(c)).alias(c) for c in ("at", "ref", "performer"))
    status = (
        pl.when(pl.col("at").is_null())
        .then(pl.lit(STATUS_MISSED))
        .when(pl.col("at") > pl.col("due"))
        .then(pl.lit(STATUS_LATE))
        .otherwise(pl.lit(STATUS_OK))
    )
    return found.with_columns(status=status).sort("member", "start")


def due_words(cadence: Cadence) -> Say:
    """The due point of each row's period as people write it: "by 2024-03-05 18:00", end of day as 24:00."""
    clock = " " + (cadence.due_time or "24:00")
    return say("expected.due", due=pl.concat_str(pl.col("due_date").dt.strftime("%Y-%m-%d"), pl.lit(clock)))
