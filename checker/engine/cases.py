"""The case table: one row per declared step of every case, computed column-wise.

Per case: its start, status and attributes; per step: its count, first
occurrence and evidence, whether it is required, and its deadline limit L
(SPEC-checker §3). The case rules (C101–C104, C108–C110) only filter it.
"""

from __future__ import annotations

import weakref
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import polars as pl

from checker.context import Context
from checker.events import ATTR_PREFIX
from opsbook.calendar import WorkCalendar
from opsbook.model import Condition, Handbook

from .instants import add_limits, parse_instant

CASE = ["process", "case_id"]
_EMPTY = pl.lit([], dtype=pl.List(pl.Utf8))
_AT = "at:"  # a case attribute read as an instant


_META = {
    **{"process": pl.Utf8, "step": pl.Utf8, "step_index": pl.Int64, "final": pl.Boolean, "optional": pl.Boolean},
    **{"sign": pl.Int64, "amount": pl.Int64, "unit": pl.Utf8},
    **{"anchor_kind": pl.Utf8, "anchor_step": pl.Utf8, "anchor_attr": pl.Utf8},
    **{"deadline_kind": pl.Utf8, "anchor_ref": pl.Utf8},
    **{"_sid": pl.Int32, "_anchor_sid": pl.Int32},  # the step's and its anchor step's number in this table
}


def step_meta(handbook: Handbook) -> pl.DataFrame:
    """One row per declared step: flags and the parts of its deadline (null without one)."""
    rows = []
    number = {(p.id, s.id): n for n, (p, s) in enumerate((p, s) for p in handbook.processes for s in p.steps)}
    for process in handbook.processes:
        for index, step in enumerate(process.steps):
            row = [
                process.id,
                step.id,
                index,
                step.final,
                step.optional,
                *[None] * 8,
                number[process.id, step.id],
                None,
            ]
            if dl := step.deadline:
                kind, ref = dl.anchor.kind, dl.anchor.ref
                step_ref, attr_ref = (ref if kind == "step" else None), (ref if kind == "attribute" else None)
                row[5:13] = [dl.sign, dl.duration.amount, dl.duration.unit, kind, step_ref, attr_ref, dl.kind, ref]
                row[14] = number.get((process.id, step_ref))
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


def _conditions(handbook: Handbook) -> dict[int, Condition]:
    """The ``when`` of each conditional step, by the step's number in ``step_meta`` (``_sid``)."""
    steps = [s for p in handbook.processes for s in p.steps]
    return {number: step.when for number, step in enumerate(steps) if step.when}


def _required(conditions: dict[int, Condition]) -> pl.Expr:
    """Whether a case step is required: not optional, and its condition (``_when<n>``: computed per case
    before the case's steps are made) holds."""
    holds = pl.lit(True)
    for number in conditions:
        holds = pl.when(pl.col("_sid") == number).then(pl.col(f"_when{number}")).otherwise(holds)
    return ~pl.col("optional") & holds


def _hash(case: pl.Expr, seed: int) -> pl.Expr:
    return case.hash(seed)


def case_keys(events: pl.DataFrame) -> pl.DataFrame:
    """``events`` with ``_ck``, an integer standing for its (process, case_id), so that cases are grouped and
    joined on one integer instead of two texts. A 64-bit hash, checked against a second one: should two
    cases share the first (never seen, but possible), the cases are numbered exactly instead."""
    case = pl.struct(CASE)
    keyed = events.with_columns(_ck=_hash(case, 11), _ck2=_hash(case, 29))
    clash = keyed.group_by("_ck").agg(pl.col("_ck2").n_unique() > 1)["_ck2"].any()
    if clash:
        keyed = keyed.with_columns(_ck=case.rank("dense").cast(pl.UInt64))
    return keyed.drop("_ck2")


def _cases(
    events: pl.DataFrame, declared: dict[str, list[str]], anchors: list[str], zone: str, conditions: dict
) -> pl.DataFrame:
    """Per case (``_ck``): process, case_id, start, complete, ``at:<name>``, the instant an attribute used as
    a deadline anchor gives (null when unreadable), and ``_when<n>``, whether conditional step n's condition
    holds for the case's attributes (each attribute's first non-empty value, where declared). The attributes
    themselves are dropped: they would be copied onto every declared step of the case."""
    columns = [ATTR_PREFIX + name for name in declared]
    first_value = [pl.when(pl.col(c).str.strip_chars() != "").then(pl.col(c)).first(ignore_nulls=True) for c in columns]
    cases = events.group_by("_ck").agg(
        pl.col("process").first(),
        pl.col("case_id").first(),
        *(expr.alias(c) for expr, c in zip(first_value, columns, strict=True)),
        start=pl.col("ts").min(),
        complete=pl.col("final").any(),
    )
    owned = [
        pl.when(pl.col("process").is_in(owners)).then(pl.col(ATTR_PREFIX + name)) for name, owners in declared.items()
    ]
    cases = cases.with_columns(expr.alias(c) for expr, c in zip(owned, columns, strict=True))
    for name in anchors:  # parsed once per distinct value: most cases have none
        column = ATTR_PREFIX + name
        values = cases.select(pl.col(column).drop_nulls().unique())
        parsed = values.with_columns(parse_instant(pl.col(column), zone).alias(_AT + name))
        cases = cases.join(parsed, on=column, how="left")
    flags = (condition_expr(condition).alias(f"_when{number}") for number, condition in conditions.items())
    return cases.with_columns(flags).drop(columns)


def _step_stats(events: pl.DataFrame) -> pl.DataFrame:
    # Counts and firsts only: the evidence lists are fetched for failing rows (``with_evidence``).
    return events.group_by("_ck", "_sid").agg(
        count=pl.len().cast(pl.Int64),
        first=pl.col("ts").first(),
        first_ref=pl.col("ref").first(),
        first_performer=pl.col("performer").first(),
        distinct_performers=pl.col("performer").n_unique() - pl.col("performer").null_count().clip(0, 1),
    )


def with_evidence(ctx: Context, rows: pl.DataFrame) -> pl.DataFrame:
    """``rows`` (of the case table) with ``refs`` (by ts, seq) and ``performers`` (distinct, by first
    appearance) of their case step: evidence fetched for the few rows that fail, not for every case step."""
    keys = rows.select(*CASE, "step").unique()
    events = ctx.events.filter(pl.col("kind") == "step").join(keys, on=[*CASE, "step"], maintain_order="left")
    lists = events.group_by([*CASE, "step"]).agg(
        refs=pl.col("ref"), performers=pl.col("performer").drop_nulls().unique(maintain_order=True)
    )
    joined = rows.join(lists, on=[*CASE, "step"], how="left", maintain_order="left")
    return joined.with_columns(pl.col(c).fill_null(_EMPTY) for c in ("refs", "performers"))


def steps_with(handbook: Handbook, attribute: str) -> pl.DataFrame:
    """(process, step, bound) of the steps that set ``attribute`` (e.g. max_count), for the count rules."""
    rows = [(p.id, s.id, getattr(s, attribute)) for p in handbook.processes for s in p.steps if getattr(s, attribute)]
    return pl.DataFrame(rows, schema={"process": pl.Utf8, "step": pl.Utf8, "bound": pl.Int64}, orient="row")


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

    Case: _ck (an integer that stands for process and case_id), start, complete (the attributes are read
    into ``required`` and ``anchor_at``, not copied onto the case's steps). Step: count, first, first_ref, first_performer, distinct_performers, required,
    anchor_at, limit (null = no deadline or no anchor), passed (limit < as_of), and the columns of
    ``step_meta``. ``with_evidence`` adds the step's event references and performers.
    """
    owners: dict[str, set[str]] = {}
    for process in handbook.processes:
        for attr in process.attributes:
            owners.setdefault(attr.name, set()).add(process.id)
    declared = {name: sorted(owners[name]) for name in sorted(owners)}
    meta = step_meta(handbook)
    anchors = sorted(set(meta["anchor_attr"].drop_nulls()) & set(declared))
    conditions = _conditions(handbook)
    events = prepared.filter((pl.col("kind") == "step") & pl.col("case_id").is_not_null())
    missing = [ATTR_PREFIX + n for n in declared if ATTR_PREFIX + n not in events.columns]
    events = events.with_columns(pl.lit(None, pl.Utf8).alias(c) for c in missing)
    numbers = meta.select("process", "step", "_sid", final="final")
    events = case_keys(events.join(numbers, on=["process", "step"], how="left", maintain_order="left"))
    stats = _step_stats(events)
    firsts = stats.select("_ck", _anchor_sid="_sid", anchor_first="first")
    # Cases × their process's declared steps, joined on integers, in no particular order: findings are
    # sorted in the end (``frames.sort``), and nothing in between depends on the rows' order.
    table = (
        _cases(events, declared, anchors, str(tz), conditions)
        .join(meta, on="process")
        .join(stats, on=["_ck", "_sid"], how="left")
        .join(firsts, on=["_ck", "_anchor_sid"], how="left")
        .with_columns(
            count=pl.col("count").fill_null(0),
            distinct_performers=pl.col("distinct_performers").fill_null(0),
            required=_required(conditions),
            anchor_at=_anchor_at(anchors),
        )
        .drop(*(_AT + name for name in anchors), *(f"_when{number}" for number in conditions))
        .drop("_sid", "_anchor_sid")  # ``_ck`` stays: rules join cases on it
    )
    table = table.with_columns(limit=_limits(table, tz, calendar))
    return table.with_columns(passed=(pl.col("limit") < as_of.astimezone(UTC)).fill_null(False))


def _limits(table: pl.DataFrame, tz: ZoneInfo, calendar: WorkCalendar) -> pl.Series:
    """``add_limits`` of the rows that have a deadline and an anchor, null elsewhere: most rows have none,
    and every branch of a when/then is computed for every row it is given."""
    due = pl.col("unit").is_not_null() & pl.col("anchor_at").is_not_null()
    rows = table.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"), "unit", "amount", "sign", "anchor_at")
    limited = add_limits(rows.filter(due), tz, calendar)
    limit = pl.repeat(None, table.height, dtype=pl.Datetime("us", "UTC"), eager=True).alias("limit")
    return limit.scatter(limited["_row"], limited["limit"]) if limited.height else limit


_TABLES: dict[int, pl.DataFrame] = {}


def case_steps(ctx: Context) -> pl.DataFrame:
    """``case_table`` for ``ctx``, built once and shared by the rules."""
    key = id(ctx)
    if key not in _TABLES:
        _TABLES[key] = case_table(ctx.events, ctx.handbook, ctx.as_of, ctx.tz, ctx.calendar)
        weakref.finalize(ctx, _TABLES.pop, key, None)
    return _TABLES[key]
