"""Findings as a table: the columnar form every engine returns, turned into ``Finding`` values on demand.

A rule's findings travel as a Polars (or Arrow) table with ``FINDINGS_SCHEMA``,
one row per finding, so that millions of them cost a few bytes each rather
than a few kilobytes of Python objects, and so that a Spark executor can hand
them back as Arrow batches. ``to_findings`` makes ``Finding`` values (what the
reports and the redactor read) from any slice of such a table.

| column | type | meaning (see ``checker.finding.Finding``) |
|---|---|---|
| key | Utf8 | the finding's stable key |
| code, rule, severity, clause | Utf8 | the rule's code, name, severity; the manual path of the clause |
| process, case_id, step, scope, period, detail | Utf8, nullable | what the finding is about |
| expected, actual | Utf8, nullable | catalogue message ids of the ``report`` domain |
| expected_params, actual_params | Utf8, nullable | their parameters as one JSON object (names in order; tuples as arrays) |
| lateness_seconds | Int64, nullable | how late, when the rule measures it |
| event_refs, performers | List(Utf8) | the evidence, in the rule's order |
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import lru_cache

import polars as pl

from checker.finding import Finding, Text

_LIST = pl.List(pl.Utf8)
FINDINGS_SCHEMA: dict[str, pl.DataType] = {
    **{name: pl.Utf8 for name in ("key", "code", "rule", "severity", "clause")},
    **{name: pl.Utf8 for name in ("process", "case_id", "step", "scope", "period", "detail")},
    **{name: pl.Utf8 for name in ("expected", "expected_params", "actual", "actual_params")},
    "lateness_seconds": pl.Int64,
    "event_refs": _LIST,
    "performers": _LIST,
}
# Finding.sort_key as columns: missing parts sort as "", then the evidence lists.
SORT_COLUMNS = ("process", "case_id", "scope", "period", "step", "code", "event_refs", "performers", "detail")
SORT_KEYS = [pl.col(c).fill_null("") if FINDINGS_SCHEMA[c] == pl.Utf8 else pl.col(c) for c in SORT_COLUMNS]


def ddl() -> str:
    """``FINDINGS_SCHEMA`` as a Spark DDL string, e.g. the return schema of ``applyInArrow``."""
    names = {pl.Utf8: "string", pl.Int64: "bigint", _LIST: "array<string>"}
    return ", ".join(f"{name} {names[dtype]}" for name, dtype in FINDINGS_SCHEMA.items())


def empty() -> pl.DataFrame:
    return pl.DataFrame(schema=FINDINGS_SCHEMA)


def _params(value: Text | None) -> str | None:
    if value is None:
        return None
    return json.dumps(dict(value.params), ensure_ascii=False, separators=(",", ":"))


def to_frame(findings: Iterable[Finding]) -> pl.DataFrame:
    """``Finding`` values → a findings table (for rules that still yield values)."""
    rows = [
        (
            f.key,
            f.code,
            f.rule,
            f.severity,
            f.clause,
            f.process,
            f.case_id,
            f.step,
            f.scope,
            f.period,
            f.detail,
            f.expected.id if f.expected else None,
            _params(f.expected),
            f.actual.id if f.actual else None,
            _params(f.actual),
            f.lateness_seconds,
            list(f.event_refs),
            list(f.performers),
        )
        for f in findings
    ]
    return pl.DataFrame(rows, schema=FINDINGS_SCHEMA, orient="row")


def conform(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with exactly the columns of ``FINDINGS_SCHEMA``, in order (missing ones null)."""
    have = set(frame.columns)
    columns = [
        (pl.col(name) if name in have else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in FINDINGS_SCHEMA.items()
    ]
    frame = frame.select(columns)
    return frame.with_columns(pl.col(c).fill_null(pl.lit([], dtype=_LIST)) for c in ("event_refs", "performers"))


def sort(frame: pl.DataFrame) -> pl.DataFrame:
    """In ``Finding.sort_key`` order: the report's deterministic order."""
    return frame.sort(SORT_KEYS, maintain_order=True)


@lru_cache(maxsize=1 << 16)
def _text(msgid: str | None, params: str | None) -> Text | None:
    # Cached: many findings share a text (a Text is immutable, so sharing one is safe).
    if msgid is None:
        return None
    values = json.loads(params) if params else {}
    return Text(msgid, tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in values.items()))


def to_findings(frame: pl.DataFrame) -> Iterator[Finding]:
    """``Finding`` values of the rows of a findings table, in its order, each with the table's key (made
    column-wise by ``emit.with_key`` exactly as ``Finding.key`` would, which is slow in Python)."""
    columns = list(FINDINGS_SCHEMA)
    for row in frame.select(columns).iter_rows():
        (key, code, rule, severity, clause, process, case_id, step, scope, period, detail) = row[:11]
        expected, expected_params, actual, actual_params, lateness, refs, performers = row[11:]
        finding = Finding(
            code=code,
            rule=rule,
            severity=severity,
            clause=clause,
            process=process,
            case_id=case_id,
            step=step,
            scope=scope,
            period=period,
            detail=detail,
            expected=_text(expected, expected_params),
            actual=_text(actual, actual_params),
            lateness_seconds=lateness,
            event_refs=tuple(refs),
            performers=tuple(performers),
        )
        if key is not None:
            object.__setattr__(finding, "_key", key)
        yield finding
