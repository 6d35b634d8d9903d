"""Prepare the event table, build the case table, run the rules.

``prepare`` gives every event its (process, step) by label, its roles and its
local date. ``case_table`` turns the step events into one row per declared step
of every case: the case's start, status and attributes, the step's count, first
occurrence and evidence, whether the step is required, and its deadline limit L
(SPEC-checker §3), all computed column-wise. ``run`` applies the rules.
"""

from __future__ import annotations

import weakref
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import polars as pl

from checker.context import Context
from checker.events import ATTR_PREFIX
from checker.finding import Finding, Text, text
from opsbook.calendar import WorkCalendar
from opsbook.model import Condition, Handbook, Step

CASE = ["process", "case_id"]
_SECONDS = {"minutes": 60, "hours": 3600, "days": 86_400, "weeks": 604_800}
_INSTANT = (
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?P<f>\.\d{1,9})?)?)?"
    r"\s*(?P<off>Z|[+-]\d{2}:?\d{2})?$"
)
_EMPTY = pl.lit([], dtype=pl.List(pl.Utf8))
_AT = "at:"  # a case attribute read as an instant


# -- prepare -----------------------------------------------------------------


def label_table(handbook: Handbook) -> pl.DataFrame:
    """Activity label → process, step (or obligation) id, kind."""
    rows = [
        (label, process.id, thing.id, "step" if isinstance(thing, Step) else "obligation")
        for label, (process, thing) in handbook.activity_index().items()
    ]
    schema = {"label": pl.Utf8, "process": pl.Utf8, "step": pl.Utf8, "kind": pl.Utf8}
    return pl.DataFrame(rows, schema=schema, orient="row")


def role_keys(handbook: Handbook) -> pl.DataFrame:
    """Every name a log may use for a role (id, title, alias) → the role id; ids win, then titles."""
    roles = handbook.roles
    rows = [(r.id, r.id) for r in roles] + [(r.title, r.id) for r in roles]
    rows += [(alias, r.id) for r in roles for alias in r.aliases]
    frame = pl.DataFrame(rows, schema={"key": pl.Utf8, "role_id": pl.Utf8}, orient="row")
    return frame.unique("key", keep="first", maintain_order=True)


def _as_role_id(frame: pl.DataFrame, column: str, keys: pl.DataFrame) -> pl.DataFrame:
    # An unknown name stays as given, so the authorisation rule can show it.
    mapped = frame.join(keys, left_on=column, right_on="key", how="left", maintain_order="left")
    return mapped.with_columns(pl.coalesce("role_id", column).alias(column)).drop("role_id")


def _roster_roles(frame: pl.DataFrame, roster: pl.DataFrame | None, keys: pl.DataFrame) -> pl.DataFrame:
    """(performer, local_date) → the role ids the roster gives the performer on that date."""
    schema = {"performer": pl.Utf8, "local_date": pl.Date, "_roster": pl.List(pl.Utf8)}
    if roster is None or roster.is_empty():
        return pl.DataFrame(schema=schema)
    roster = roster.with_columns(pl.lit(None, pl.Date).alias(c) for c in ("from", "to") if c not in roster.columns)
    # Per distinct person and day, not per event: a log has far fewer of those.
    days = frame.filter(pl.col("_given").is_null()).select("performer", "local_date").unique()
    held = days.join(roster.select(performer="person", role="role", valid_from="from", valid_to="to"), on="performer")
    day = pl.col("local_date")
    held = held.filter(
        (pl.col("valid_from").is_null() | (pl.col("valid_from") <= day))
        & (pl.col("valid_to").is_null() | (pl.col("valid_to") >= day))
    )
    held = _as_role_id(held, "role", keys)
    return held.group_by("performer", "local_date").agg(_roster=pl.col("role").drop_nulls().unique().sort())


def prepare(
    events: pl.DataFrame, handbook: Handbook, *, roster: pl.DataFrame | None, tz: ZoneInfo, sort: bool = True
) -> pl.DataFrame:
    """Add process, step, kind, roles and local_date (see checker.context); sort by (ts, seq) unless told not to."""
    if isinstance(events, pl.LazyFrame):
        events = events.collect()
    keys = role_keys(handbook)
    given = pl.col("role").str.strip_chars()
    frame = events.with_columns(
        _label=pl.col("activity").str.strip_chars(),
        local_date=pl.col("ts").dt.convert_time_zone(str(tz)).dt.date(),
        _given=pl.when(given != "").then(given),
    ).join(label_table(handbook), left_on="_label", right_on="label", how="left", maintain_order="left")
    frame = _as_role_id(frame, "_given", keys)
    frame = frame.join(
        _roster_roles(frame, roster, keys), on=["performer", "local_date"], how="left", maintain_order="left"
    )
    roles = pl.when(pl.col("_given").is_not_null()).then(pl.concat_list("_given")).otherwise(pl.col("_roster"))
    frame = frame.with_columns(roles=roles.fill_null(_EMPTY)).drop("_label", "_given", "_roster")
    return frame.sort("ts", "seq") if sort else frame


# -- instants and limits ------------------------------------------------------


def _localize(naive: pl.Expr, zone: str) -> pl.Expr:
    """Local wall time → UTC instant, resolved as zoneinfo does (fold=0), like durations.shift."""
    exact = naive.dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
    # In a gap, fold=0 reads the wall time with the offset in force before the gap.
    day_before = naive - pl.duration(days=1)
    before_utc = day_before.dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
    offset = day_before - before_utc.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    fallback = (naive - offset).dt.replace_time_zone("UTC")
    return pl.coalesce(exact.dt.convert_time_zone("UTC"), fallback)


def parse_instant(text: pl.Expr, zone: str) -> pl.Expr:
    """A date or date-time text → UTC instant; no offset = local time, a date alone = 00:00; else null."""
    part = text.str.strip_chars().str.replace_all("/", "-").str.extract_groups(_INSTANT).struct.field
    naive = pl.format(
        "{}-{}-{} {}:{}:{}{}",
        part("y"),
        part("m").str.zfill(2),
        part("d").str.zfill(2),
        part("H").fill_null("0").str.zfill(2),
        part("M").fill_null("00"),
        part("S").fill_null("00"),
        part("f").fill_null(""),
    ).str.to_datetime("%Y-%m-%d %H:%M:%S%.f", strict=False, time_unit="us")
    off = part("off").str.replace(":", "")
    sign = pl.when(off.str.starts_with("-")).then(-1).otherwise(1)
    hhmm = off.str.slice(1, 2).cast(pl.Int64) * 3600 + off.str.slice(3, 2).cast(pl.Int64) * 60
    offset = pl.when(off == "Z").then(0).otherwise(sign * hhmm)
    fixed = (naive - pl.duration(seconds=offset)).dt.replace_time_zone("UTC")
    return pl.when(off.is_null()).then(_localize(naive, zone)).otherwise(fixed)


def add_limits(frame: pl.DataFrame, tz: ZoneInfo, calendar: WorkCalendar) -> pl.DataFrame:
    """Add ``limit`` = anchor_at shifted by sign × amount unit (columns of ``frame``), as durations.shift.

    Raises CalendarRangeError when a workday limit leaves the calendar's years.
    """
    zone, unit, anchor = str(tz), pl.col("unit"), pl.col("anchor_at")
    signed = pl.col("amount") * pl.col("sign")
    local = anchor.dt.convert_time_zone(zone).dt.replace_time_zone(None)
    workday = (unit == "workdays") & anchor.is_not_null()
    picked = frame.select(date=pl.when(workday).then(local.dt.date()), n=pl.when(workday).then(signed))
    frame = frame.with_columns(_last=calendar.shift_workdays(picked["date"], picked["n"]))
    seconds = unit.replace_strict(_SECONDS, default=None, return_dtype=pl.Int64)
    limit = (
        pl.when(unit.is_in(list(_SECONDS)))
        .then(anchor + pl.duration(seconds=seconds * signed))
        .when(unit == "months")
        .then(_localize(local.dt.offset_by(pl.format("{}mo", signed)), zone))
        .when(unit == "workdays")  # 24:00 of the last working day is 00:00 of the next day
        .then(_localize((pl.col("_last") + pl.duration(days=1)).cast(pl.Datetime("us")), zone))
    )
    return frame.with_columns(limit=limit).drop("_last")


# -- the case table -------------------------------------------------------------


_META = {
    **{"process": pl.Utf8, "step": pl.Utf8, "step_index": pl.Int64, "final": pl.Boolean, "optional": pl.Boolean},
    **{"sign": pl.Int64, "amount": pl.Int64, "unit": pl.Utf8},
    **{"anchor_kind": pl.Utf8, "anchor_step": pl.Utf8, "anchor_attr": pl.Utf8},
}


def step_meta(handbook: Handbook) -> pl.DataFrame:
    """One row per declared step: flags and the parts of its deadline (null without one)."""
    rows = []
    for process in handbook.processes:
        for index, step in enumerate(process.steps):
            row = [process.id, step.id, index, step.final, step.optional, None, None, None, None, None, None]
            if dl := step.deadline:
                kind, ref = dl.anchor.kind, dl.anchor.ref
                step_ref, attr_ref = (ref if kind == "step" else None), (ref if kind == "attribute" else None)
                row[5:] = [dl.sign, dl.duration.amount, dl.duration.unit, kind, step_ref, attr_ref]
            rows.append(row)
    return pl.DataFrame(rows, schema=_META, orient="row")


def condition_expr(condition: Condition) -> pl.Expr:
    """True when the case attribute holds one of the values; no value → False."""
    value = pl.col(ATTR_PREFIX + condition.attribute).str.strip_chars()
    tests = []
    for wanted in condition.values:
        if isinstance(wanted, bool):
            tests.append(value.str.to_lowercase() == str(wanted).lower())
        elif isinstance(wanted, int | float):
            tests.append(value.cast(pl.Float64, strict=False) == float(wanted))
        else:
            tests.append(value == wanted)
    return pl.any_horizontal(tests).fill_null(False)


def _required(handbook: Handbook) -> pl.Expr:
    holds = pl.lit(True)
    for process in handbook.processes:
        for step in process.steps:
            if step.when:
                here = (pl.col("process") == process.id) & (pl.col("step") == step.id)
                holds = pl.when(here).then(condition_expr(step.when)).otherwise(holds)
    return ~pl.col("optional") & holds


def _cases(events: pl.DataFrame, declared: dict[str, list[str]], anchors: list[str], zone: str) -> pl.DataFrame:
    """Per case, sorted: start, complete, each attribute's first non-empty value (where declared), and
    ``at:<name>``, the instant an attribute used as a deadline anchor gives (null when unreadable)."""
    columns = [ATTR_PREFIX + name for name in declared]
    events = events.with_columns(pl.when(pl.col(c).str.strip_chars() != "").then(pl.col(c)).alias(c) for c in columns)
    first_value = [pl.col(c).first(ignore_nulls=True) for c in columns]
    cases = events.group_by(CASE).agg(*first_value, start=pl.col("ts").min(), complete=pl.col("final").any())
    owned = [
        pl.when(pl.col("process").is_in(owners)).then(pl.col(ATTR_PREFIX + name)) for name, owners in declared.items()
    ]
    cases = cases.with_columns(expr.alias(c) for expr, c in zip(owned, columns, strict=True))
    for name in anchors:  # parsed once per distinct value: most cases have none
        column = ATTR_PREFIX + name
        values = cases.select(pl.col(column).drop_nulls().unique())
        parsed = values.with_columns(parse_instant(pl.col(column), zone).alias(_AT + name))
        cases = cases.join(parsed, on=column, how="left", maintain_order="left")
    return cases.sort(CASE)


def _step_stats(events: pl.DataFrame) -> pl.DataFrame:
    return events.group_by([*CASE, "step"]).agg(
        count=pl.len().cast(pl.Int64),
        first=pl.col("ts").first(),
        first_ref=pl.col("ref").first(),
        first_performer=pl.col("performer").first(),
        refs=pl.col("ref"),
        performers=pl.col("performer").drop_nulls().unique(maintain_order=True),
    )


def _anchor_at(names: list[str]) -> pl.Expr:
    value = pl.lit(None, pl.Datetime("us", "UTC"))
    for name in names:
        value = pl.when(pl.col("anchor_attr") == name).then(pl.col(_AT + name)).otherwise(value)
    kind = pl.col("anchor_kind")
    return (
        pl.when(kind == "case_start")
        .then(pl.col("start"))
        .when(kind == "step")
        .then(pl.col("anchor_first"))
        .when(kind == "attribute")
        .then(value)
    )


def case_table(
    prepared: pl.DataFrame, handbook: Handbook, as_of: datetime, tz: ZoneInfo, calendar: WorkCalendar
) -> pl.DataFrame:
    """One row per (process, case_id, declared step); the case's columns repeat on each of its steps.

    Case: start, complete, attr:<name> (each attribute any process declares; null where the case's
    process does not). Step: count, first, first_ref, first_performer, refs (by ts, seq), performers
    (distinct, first appearance), required, anchor_at, limit (null = no deadline or no anchor),
    passed (limit < as_of), and the columns of ``step_meta``.
    """
    owners: dict[str, set[str]] = {}
    for process in handbook.processes:
        for attr in process.attributes:
            owners.setdefault(attr.name, set()).add(process.id)
    declared = {name: sorted(owners[name]) for name in sorted(owners)}
    meta = step_meta(handbook)
    anchors = sorted(set(meta["anchor_attr"].drop_nulls()) & set(declared))
    events = prepared.filter((pl.col("kind") == "step") & pl.col("case_id").is_not_null())
    missing = [ATTR_PREFIX + n for n in declared if ATTR_PREFIX + n not in events.columns]
    events = events.with_columns(pl.lit(None, pl.Utf8).alias(c) for c in missing)
    finals = meta.filter("final").select(pl.format("{}\0{}", "process", "step"))
    events = events.with_columns(final=pl.format("{}\0{}", "process", "step").is_in(finals.to_series().implode()))
    stats = _step_stats(events)
    firsts = stats.select(*CASE, anchor_step="step", anchor_first="first")
    # Sorted cases × the declared steps in order; left joins keep that order.
    table = (
        _cases(events, declared, anchors, str(tz))
        .join(meta, on="process", maintain_order="left_right")
        .join(stats, on=[*CASE, "step"], how="left", maintain_order="left")
        .join(firsts, on=[*CASE, "anchor_step"], how="left", maintain_order="left")
        .with_columns(
            count=pl.col("count").fill_null(0),
            refs=pl.col("refs").fill_null(_EMPTY),
            performers=pl.col("performers").fill_null(_EMPTY),
            required=_required(handbook),
            anchor_at=_anchor_at(anchors),
        )
        .drop(_AT + name for name in anchors)
    )
    table = add_limits(table, tz, calendar)
    return table.with_columns(passed=(pl.col("limit") < as_of.astimezone(UTC)).fill_null(False))


_TABLES: dict[int, pl.DataFrame] = {}


def case_steps(ctx: Context) -> pl.DataFrame:
    """``case_table`` for ``ctx``, built once and shared by the rules."""
    key = id(ctx)
    if key not in _TABLES:
        _TABLES[key] = case_table(ctx.events, ctx.handbook, ctx.as_of, ctx.tz, ctx.calendar)
        weakref.finalize(ctx, _TABLES.pop, key, None)
    return _TABLES[key]


# -- text for findings -----------------------------------------------------------


def event_detail(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``detail``: an event's key part, its instant (UTC) and performer, "#n" for the n-th twin.

    Row numbers and row order are not part of it, so the key survives a re-export of the log.
    """
    base = pl.format("{}/{}", pl.col("ts").dt.strftime("%Y-%m-%dT%H:%M:%S%.fZ"), pl.col("performer").fill_null(""))
    twin = pl.int_range(pl.len()).over("process", "case_id", "step", base)
    return frame.with_columns(detail=pl.when(twin > 0).then(pl.format("{}#{}", base, twin + 1)).otherwise(base))


def local_text(instant: datetime, tz: ZoneInfo, *, end_of_day: bool = False) -> str:
    """'2024-03-05 14:30' in ``tz``; with end_of_day, midnight reads as '24:00' of the day before."""
    local = instant.astimezone(tz)
    if end_of_day and local.time() == time(0):
        return f"{local.date() - timedelta(days=1)} 24:00"
    return local.strftime("%Y-%m-%d %H:%M:%S" if local.second else "%Y-%m-%d %H:%M")


def deadline_text(step: Step, limit: datetime, tz: ZoneInfo) -> Text:
    """E.g. 'by 2024-03-08 24:00 (3 workdays from 起草合同)', as a catalogue text."""
    deadline = step.deadline
    when = local_text(limit, tz, end_of_day=deadline.duration.unit == "workdays")
    return text(
        f"expected.deadline-{deadline.kind}",
        limit=when,
        amount=deadline.duration.amount,
        unit=deadline.duration.unit,
        anchor_kind=deadline.anchor.kind,
        anchor=deadline.anchor.ref,
    )


# -- run -------------------------------------------------------------------------


def run(ctx: Context, codes: set[str] | None = None) -> list[Finding]:
    """Every registered rule (or those in ``codes``) over ``ctx``, findings in report order."""
    from checker.rules import REGISTRY  # the rules import this module

    unknown = sorted((codes or set()) - REGISTRY.keys())
    if unknown:
        raise ValueError(f"unknown rule code(s): {', '.join(unknown)}; known: {', '.join(REGISTRY)}")
    findings = [f for code, rule in REGISTRY.items() if codes is None or code in codes for f in rule.check(ctx)]
    return sorted(findings, key=Finding.sort_key)
