"""Reject prepared rows that the rules cannot use (SPEC §5).

Readers reject rows with no activity or an unreadable timestamp; only after
labels are mapped do we know which rows are step events (they need a case id)
and which are obligation events (a per-role scope needs the performer, a
per-entity scope needs the entity attribute). Those are rejected here, with
their reference and reason, so rows read = rows checked + rows rejected.
"""

from __future__ import annotations

import polars as pl

from opsbook.model import Handbook

from .events import ATTR_PREFIX, Rejected


def _blank(column: str) -> pl.Expr:
    return pl.col(column).is_null() | (pl.col(column).str.strip_chars() == "")


def _obligation_needs(handbook: Handbook) -> pl.DataFrame:
    rows = []
    for process in handbook.processes:
        for ob in process.obligations:
            if ob.scope.kind in ("role", "every-role"):
                rows.append((process.id, ob.id, "performer", "performer"))
            elif ob.scope.kind == "entity":
                rows.append((process.id, ob.id, ATTR_PREFIX + ob.scope.entity, ob.scope.entity))
    # Typed even when empty: a handbook without per-role or per-entity obligations still joins.
    return pl.DataFrame(rows, schema={c: pl.Utf8 for c in ("process", "step", "_column", "_field")}, orient="row")


def admit(prepared: pl.DataFrame, handbook: Handbook) -> tuple[pl.DataFrame, list[Rejected]]:
    """The usable rows, and a Rejected value for each row that is not."""
    needs = _obligation_needs(handbook)
    reason = pl.when((pl.col("kind") == "step") & _blank("case_id")).then(pl.lit("case_id"))
    for column in sorted(set(needs["_column"])):
        present = _blank(column) if column in prepared.columns else pl.lit(True)
        reason = reason.when((pl.col("_column") == column) & present).then(pl.col("_field"))
    frame = prepared.join(needs, on=["process", "step"], how="left", maintain_order="left")
    frame = frame.with_columns(_reject=reason.otherwise(None))
    bad = frame.filter(pl.col("_reject").is_not_null()).sort("seq")
    rejected = [
        Rejected(
            ref,
            field,
            f"'{activity}' records {'a step of' if kind == 'step' else 'the obligation'} {process}/{step}, "
            f"which needs {'a case id' if field == 'case_id' else 'a value for ' + repr(field)}",
        )
        for ref, field, activity, kind, process, step in bad.select(
            "ref", "_reject", "activity", "kind", "process", "step"
        ).iter_rows()
    ]
    good = frame.filter(pl.col("_reject").is_null()).drop("_column", "_field", "_reject")
    return good, rejected
