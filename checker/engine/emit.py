"""One helper that turns the failing rows of a rule into findings, column-wise.

A rule filters a table down to the rows that fail, then describes one finding
per row with Polars expressions::

    new = emitter(globals())        # the rule's CODE, NAME, SEVERITY
    return new(failing, clause=STEP, process=pl.col("process"), case_id=pl.col("case_id"),
               step=pl.col("step"), expected=say("expected.step-once", step=pl.col("step")), ...)

The result is a findings table (``FINDINGS_SCHEMA``): no Python object per
finding, keys and texts' parameters built by Polars. ``say`` is a ``Text``
whose parameters are expressions; they become the JSON object of
``expected_params``/``actual_params`` (lists become arrays, read back as tuples).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from zoneinfo import ZoneInfo

import polars as pl

from checker.context import Context
from checker.finding import _PLAIN as _FINDING_PLAIN
from checker.finding import _part
from opsbook import urls
from opsbook.model import Handbook

from .frames import FINDINGS_SCHEMA
from .frames import empty as no_findings

STEP, OBLIGATION = "step", "obligation"  # clause kinds: the (process, step) row's manual anchor
# What urllib's quote leaves alone with Finding's safe set (``finding._PLAIN``); the rest goes through _part.
_PLAIN = f"^(?:{_FINDING_PLAIN.pattern})$"


@dataclass(frozen=True)
class Say:
    """A catalogue text whose parameters are column expressions."""

    id: str | pl.Expr
    params: dict[str, pl.Expr]


def say(msgid: str | pl.Expr, **params: pl.Expr | str | int) -> Say:
    return Say(msgid, {k: v if isinstance(v, pl.Expr) else pl.lit(v) for k, v in params.items()})


def _expr(value) -> pl.Expr:
    return value if isinstance(value, pl.Expr) else pl.lit(value, pl.Utf8)


def _params(text: Say | None) -> tuple[pl.Expr, pl.Expr]:
    if text is None:
        return pl.lit(None, pl.Utf8), pl.lit(None, pl.Utf8)
    msgid = _expr(text.id)
    if not text.params:
        return msgid, pl.lit("{}")
    return msgid, pl.struct(**text.params).struct.json_encode()


def key_part(values: pl.Series) -> pl.Series:
    """``Finding._part`` of every value: most are plain ASCII and stay; the others are encoded once each."""
    values = values.fill_null("")
    plain = values.str.contains(_PLAIN)
    if plain.all():  # the common case, in one pass
        return values
    odd = values.filter(~plain).unique()
    return values.replace(odd, [_part(v) for v in odd.to_list()])


def with_key(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``key`` as ``Finding.key`` builds it, from the finding columns of ``frame``."""
    parts = [key_part(frame[c]) for c in ("code", "process", "_subject", "step", "_tail")]
    joined = pl.concat_str(parts, separator="/").str.strip_chars_end("/")
    return frame.with_columns(key=pl.select(joined).to_series())


def clauses(handbook: Handbook) -> pl.DataFrame:
    """(process, step, kind) → the manual path of the clause, for every step and obligation."""
    rows = [(p.id, s.id, STEP, urls.step(p.id, s.id)) for p in handbook.processes for s in p.steps]
    rows += [(p.id, o.id, OBLIGATION, urls.obligation(p.id, o.id)) for p in handbook.processes for o in p.obligations]
    schema = {"process": pl.Utf8, "step": pl.Utf8, "_kind": pl.Utf8, "clause": pl.Utf8}
    return pl.DataFrame(rows, schema=schema, orient="row")


_COLUMN = object()  # the default of process and step: the frame's column of that name


def emit(
    rule: dict,
    ctx: Context,
    frame: pl.DataFrame,
    *,
    clause: str | pl.Expr = STEP,
    process=_COLUMN,
    case_id=None,
    step=_COLUMN,
    scope=None,
    period=None,
    detail=None,
    expected: Say | None = None,
    actual: Say | None = None,
    lateness: pl.Expr | None = None,
    event_refs: pl.Expr | None = None,
    performers: pl.Expr | None = None,
) -> pl.DataFrame:
    """One finding per row of ``frame``; ``clause`` is STEP or OBLIGATION (the row's (process, step)
    anchor in the manual) or an expression; strings are literals, expressions are evaluated on ``frame``."""
    if frame.height == 0:  # nothing failed (most rules in most buckets): no columns to build
        return no_findings()
    expected_id, expected_params = _params(expected)
    actual_id, actual_params = _params(actual)
    empty = pl.lit([], pl.List(pl.Utf8))
    anchored = isinstance(clause, str) and clause in (STEP, OBLIGATION)
    out = frame.select(
        code=pl.lit(rule["CODE"]),
        rule=pl.lit(rule["NAME"]),
        severity=pl.lit(rule["SEVERITY"]),
        clause=pl.lit(None, pl.Utf8) if anchored else _expr(clause),
        _kind=pl.lit(clause if anchored else None, pl.Utf8),
        process=pl.col("process") if process is _COLUMN else _expr(process),
        case_id=_expr(case_id),
        step=pl.col("step") if step is _COLUMN else _expr(step),
        scope=_expr(scope),
        period=_expr(period),
        detail=_expr(detail),
        expected=expected_id,
        expected_params=expected_params,
        actual=actual_id,
        actual_params=actual_params,
        lateness_seconds=pl.lit(None, pl.Int64) if lateness is None else lateness.cast(pl.Int64),
        event_refs=empty if event_refs is None else event_refs.cast(pl.List(pl.Utf8)).fill_null(empty),
        performers=empty if performers is None else performers.cast(pl.List(pl.Utf8)).fill_null(empty),
    )
    if anchored:
        out = out.drop("clause").join(
            clauses(ctx.handbook), on=["process", "step", "_kind"], how="left", maintain_order="left"
        )
    out = out.with_columns(
        _subject=pl.coalesce(pl.col("case_id").replace("", None), pl.col("scope")),
        _tail=pl.coalesce(pl.col("detail").replace("", None), pl.col("period")),
    )
    return with_key(out).select(list(FINDINGS_SCHEMA)).cast(FINDINGS_SCHEMA)


def one(column: str) -> pl.Expr:
    """A one-item list of the column's value; empty when it is null or empty (as the rules' ``(x,) if x``)."""
    value = pl.col(column)
    return (
        pl.when(value.is_not_null() & (value != "")).then(pl.concat_list(value)).otherwise(pl.lit([], pl.List(pl.Utf8)))
    )


def present(*columns: str) -> pl.Expr:
    """The columns' values as a list without nulls, empties and repeats, in order (``dict.fromkeys``)."""
    items = pl.concat_list(*columns).list.eval(pl.element().filter(pl.element() != "").unique(maintain_order=True))
    return items


def emitter(module_globals: dict):
    """``new = emitter(globals())`` in a rule module: ``new(frame, ...)`` builds its findings table."""
    return partial(emit, module_globals)


def local_text(instant: pl.Expr, tz: ZoneInfo, *, end_of_day: bool | pl.Expr = False) -> pl.Expr:
    """``wording.local_text`` column-wise: '2024-03-05 14:30', seconds only when there are some;
    with ``end_of_day`` (where true), midnight reads as '24:00' of the day before."""
    local = instant.dt.convert_time_zone(str(tz))
    plain = (
        pl.when(local.dt.second() != 0)
        .then(local.dt.strftime("%Y-%m-%d %H:%M:%S"))
        .otherwise(local.dt.strftime("%Y-%m-%d %H:%M"))
    )
    if end_of_day is False:
        return plain
    midnight = (local.dt.time() == pl.time(0)) & end_of_day
    day_before = (local.dt.date() - pl.duration(days=1)).dt.strftime("%Y-%m-%d")
    return pl.when(midnight).then(pl.format("{} 24:00", day_before)).otherwise(plain)


def deadline_words(tz: ZoneInfo) -> Say:
    """``wording.deadline_text`` of the case table's rows (their step's deadline and ``limit``)."""
    return say(
        pl.format("expected.deadline-{}", pl.col("deadline_kind")),
        limit=local_text(pl.col("limit"), tz, end_of_day=pl.col("unit") == "workdays"),
        amount=pl.col("amount"),
        unit=pl.col("unit"),
        anchor_kind=pl.col("anchor_kind"),
        anchor=pl.col("anchor_ref"),
    )
