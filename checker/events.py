"""The normalised event table: what every reader produces and every rule reads.

One row per usable log row, as a Polars (Lazy)DataFrame with these columns:

| column | type | meaning |
|---|---|---|
| ref | Utf8 | stable event reference: "<file name>:<1-based data row>" (CSV/JSONL/XLSX/Parquet row, XES event index), or the id column when mapped |
| seq | Int64 | global input order (file order, then row), the tie-breaker after ts |
| case_id | Utf8, nullable | case id (obligation rows may have none) |
| activity | Utf8 | activity label as written |
| ts | Datetime(us, UTC) | the event's instant (local times read in the handbook's time zone) |
| performer | Utf8, nullable | person id |
| role | Utf8, nullable | role id or title given by the log itself |
| attr:<name> | Utf8, nullable | every other mapped column, as text (case and event attributes) |

Rows that cannot be used (no activity, unreadable timestamp, ...) never enter
the table: readers return them as ``Rejected`` values, so that
rows read = rows checked + rows rejected.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

ATTR_PREFIX = "attr:"

BASE_SCHEMA: dict[str, pl.DataType] = {
    "ref": pl.Utf8,
    "seq": pl.Int64,
    "case_id": pl.Utf8,
    "activity": pl.Utf8,
    "ts": pl.Datetime("us", "UTC"),
    "performer": pl.Utf8,
    "role": pl.Utf8,
}


@dataclass(frozen=True, slots=True)
class Rejected:
    """A log row that could not be used, with why."""

    ref: str
    field: str  # the field that made it unusable, e.g. "timestamp"
    reason: str

    def to_dict(self) -> dict:
        return {"ref": self.ref, "field": self.field, "reason": self.reason}
