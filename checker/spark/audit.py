"""``audit`` on Spark: the same arguments and the same ``pipeline.Audit`` as the local engine.

See the package docstring for the stages. The read stage's output is persisted
(memory, then disk) because the events, the notes, the counts and the case
buckets are all taken from it; it is released at the end.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from checker import engine
from checker.events import Rejected
from checker.mapping import Mapping
from checker.pipeline import BATCH_ROWS, BUCKET_EVENTS, Audit, NoEvents, Progress
from opsbook.calendar import WorkCalendar
from opsbook.model import Handbook

from . import inputs, read, stages


def audit(
    paths: Sequence[str | Path],
    handbook: Handbook,
    *,
    mapping: Mapping | None,
    tz: ZoneInfo,
    calendar: WorkCalendar,
    roster: pl.DataFrame | None = None,
    encoding: str | None = None,
    as_of: datetime | None = None,
    start: datetime | None = None,
    codes: set[str] | None = None,
    batch_rows: int = BATCH_ROWS,
    bucket_events: int = BUCKET_EVENTS,
    names: bool = False,
    progress: Progress = lambda message, done=None: None,
    observe=None,
    releases=None,
    spark=None,
) -> Audit:
    """Read ``paths`` in order and run the rules on ``spark`` (default: ``session.session()``)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from .session import session

    given = ", ".join(str(p) for p in paths)
    reading = read.Reading(handbook, tz, roster, mapping, encoding, batch_rows, names)
    if all(inputs.plain(p) for p in paths):  # bad files and mappings fail here, before Spark starts
        found = read.sources(paths)
        schema = read.columns(found, reading)
        spark = spark or session()
        shared = [spark.sparkContext.broadcast(reading)]
    else:  # Spark lists the files, and its executors read their headers
        spark = spark or session()
        found = inputs.expand(spark, list(paths))
        shared = [spark.sparkContext.broadcast(reading)]
        try:
            schema = read.columns(found, reading, stages.header_stage(spark, found, shared[0]))
        except BaseException:
            shared[0].unpersist()
            raise
    table = stages.read_stage(spark, found, schema, shared[0]).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        clock = time.perf_counter()
        progress(f"reading {len(found)} log file(s) on Spark", None)
        notes = read.notes(
            stages.collect(table.filter(F.col(read.TAG) != read.EVENT).select(read.TAG, read.NOTE, "seq"))
        )
        events = stages.events_of(table)
        first, last, admitted = stages.collect(events.agg(F.min("ts"), F.max("ts"), F.count("*"))).row(0)
        read_seconds = time.perf_counter() - clock
        if admitted == 0:
            rejected = len(notes.read_rejected) + len(notes.admit_rejected)
            raise NoEvents(f"no usable event in {given} ({rejected} row(s) rejected)")
        as_of = as_of or last
        if first > as_of:
            raise NoEvents(
                f"no event at or before the as-of time {as_of.astimezone(tz).isoformat()} in {given} "
                f"({admitted} row(s) after it)"
            )
        start = start or first
        setting = engine.Setting(
            handbook, as_of, start, calendar, tz, roster, frozenset(codes) if codes is not None else None, releases
        )
        fresh = observe.fresh() if observe is not None else None
        shared.append(spark.sparkContext.broadcast((setting, fresh)))

        clock = time.perf_counter()
        progress("checking cases on Spark", None)
        current = events.filter(F.col("ts") <= F.lit(as_of))
        is_step = F.coalesce(F.col("kind") == "step", F.lit(False))
        buckets = max(spark.sparkContext.defaultParallelism, math.ceil(admitted / bucket_events))
        steps = stages.bucketed(current.filter(is_step), buckets)
        results = stages.collect(stages.check_buckets(steps, shared[1]))
        tag = pl.col(stages.TAG)
        tables = [results.filter(tag == stages.FINDING).select(list(engine.FINDINGS_SCHEMA))]
        witnesses = [stages.from_ipc(p) for p in results.filter(tag == stages.WITNESSES)[stages.PAYLOAD]]
        if observe is not None:
            observed = results.filter(tag.str.starts_with(stages.OBSERVED))
            addresses = [t.removeprefix(stages.OBSERVED) for t in observed[stages.TAG]]
            observe.absorb(list(zip(addresses, map(stages.from_ipc, observed[stages.PAYLOAD]), strict=True)))
        cases_seconds = time.perf_counter() - clock

        clock = time.perf_counter()
        progress("checking recurring obligations and labels", None)
        aside = stages.collect(current.filter(~is_step))
        tables.append(engine.check_log(_concat([aside, *witnesses]), setting))
        later = stages.collect(events.filter(F.col("ts") > F.lit(as_of)).select("seq", "ref")).sort("seq")
        log_seconds = time.perf_counter() - clock
    finally:
        table.unpersist()
        for value in shared:
            value.unpersist()
    reason = f"after the as-of time {as_of.isoformat()}: not part of this audit"
    rejected = (
        *notes.read_rejected,
        *notes.admit_rejected,
        *(Rejected(ref, "timestamp", reason) for ref in later["ref"]),
    )
    return Audit(
        table=engine.merge.sorted_from(tables),
        rejected=rejected,
        rows_read_rejected=len(notes.read_rejected),
        files=tuple(notes.files),
        rows_read=sum(f.rows_read for f in notes.files),
        rows_checked=admitted - later.height,
        as_of=as_of,
        start=start,
        buckets=buckets,
        spilled=False,
        names=pl.DataFrame(notes.names, schema={"kind": pl.Utf8, "value": pl.Utf8}, orient="row") if names else None,
        seconds={"read": read_seconds, "cases": cases_seconds, "log": log_seconds},
    )


def _concat(frames: list[pl.DataFrame]) -> pl.DataFrame:
    frames = [f for f in frames if f.height] or frames[:1]
    return pl.concat(frames, how="diagonal_relaxed") if len(frames) > 1 else frames[0]
