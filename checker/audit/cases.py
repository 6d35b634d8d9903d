"""Which cases a run checked, seen as the pipeline checks them (``pipeline.audit(observe=...)``).

The baseline comparison needs the cases of this run ("resolved" only for cases
still in the log), the trend needs each case's start month, and a sample needs
the population of cases and the events of the ones drawn. All three come from
one pass over the step events, bucket by bucket, so memory stays about one
bucket plus one small row per case (and the events of the processes sampled).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import polars as pl

from checker.events import ATTR_PREFIX

CASE_SCHEMA = {"process": pl.Utf8, "case_id": pl.Utf8, "start": pl.Datetime("us", "UTC"), "events": pl.UInt32}
EVENT_COLUMNS = ("process", "case_id", "ts", "seq", "ref", "activity", "step", "performer", "roles")


class CaseLog:
    """An observer for ``pipeline.audit``: one row per checked case; the events of ``keep`` processes."""

    STATE = ("_cases", "_events")  # partial tables (checker.observe)

    def __init__(self, keep: set[str] | None = None):
        self.keep = keep  # process ids whose events are kept (for samples); None: none
        self._cases: list[pl.DataFrame] = []
        self._events: list[pl.DataFrame] = []

    def __call__(self, events: pl.DataFrame) -> None:
        steps = events.filter(pl.col("case_id").is_not_null() & pl.col("process").is_not_null())
        self._cases.append(
            steps.group_by("process", "case_id").agg(start=pl.col("ts").min(), events=pl.len().cast(pl.UInt32))
        )
        if self.keep:
            kept = steps.filter(pl.col("process").is_in(sorted(self.keep)))
            wanted = [c for c in kept.columns if c in EVENT_COLUMNS or c.startswith(ATTR_PREFIX)]
            self._events.append(kept.select(wanted))

    def table(self) -> pl.DataFrame:
        """process, case_id, start (UTC), events; sorted by process and case id (made once per state, and
        kept instead of the buckets' parts: a row per case, millions of them)."""
        if not self._cases:
            return pl.DataFrame(schema=CASE_SCHEMA)
        made = getattr(self, "_table", None)
        if len(self._cases) != 1 or self._cases[0] is not made:
            made = pl.concat(self._cases).cast(CASE_SCHEMA).sort("process", "case_id")  # type: ignore[arg-type]
            self._table, self._cases = made, [made]
        return made

    def events(self) -> pl.DataFrame:
        """The kept events, in time order (ts, seq)."""
        if not self._events:
            return pl.DataFrame(schema={c: pl.Utf8 for c in EVENT_COLUMNS})
        return pl.concat(self._events, how="diagonal_relaxed").sort("ts", "seq")

    def checked(self) -> dict[str, list[str]]:
        """Case ids per process, sorted: what a later comparison needs to tell resolved from out of scope."""
        grouped = self.table().group_by("process", maintain_order=True).agg(pl.col("case_id"))
        return dict(zip(grouped["process"].to_list(), grouped["case_id"].to_list(), strict=True))


def months(table: pl.DataFrame, tz: ZoneInfo) -> pl.DataFrame:
    """The case table with the local month ("2026-06") its case started in."""
    return table.with_columns(month=pl.col("start").dt.convert_time_zone(tz.key).dt.strftime("%Y-%m"))
