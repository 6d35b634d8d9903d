"""The Spark side of each stage: which rows go where, and the functions the executors run.

Executors receive plain functions built here (no Spark objects in their
closures): the broadcast ``Setting``, the instants of the audit and the rule
codes. Polars frames cross to Spark as Arrow tables cast to the exact Arrow
schema Spark expects, and back with ``pl.from_arrow``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import polars as pl
import pyarrow as pa

from checker import engine
from checker.engine import FINDINGS_SCHEMA

from . import read

BUCKET = "_bucket"
TAG, PAYLOAD = "_tag", "_payload"
FINDING, WITNESSES, OBSERVED = "finding", "witnesses", "observed:"
# Per bucket: its findings (FINDINGS_SCHEMA rows), then one row holding its witness rows
# as Arrow IPC bytes, so one shuffle and one pass give both.
RESULT_SCHEMA = pl.Schema({**FINDINGS_SCHEMA, TAG: pl.Utf8, PAYLOAD: pl.Binary})


def arrow_schema(schema: pl.Schema) -> pa.Schema:
    """The Arrow schema Spark reads and writes for a Polars schema: plain (not large or view) strings and lists."""
    return pa.schema(pa.field(f.name, _plain(f.type)) for f in pl.DataFrame(schema=schema).to_arrow().schema)


def _plain(kind: pa.DataType) -> pa.DataType:
    if pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        return pa.string()
    if pa.types.is_large_binary(kind) or pa.types.is_binary_view(kind):
        return pa.binary()
    if pa.types.is_large_list(kind) or pa.types.is_list_view(kind) or pa.types.is_list(kind):
        return pa.list_(_plain(kind.value_type))
    return kind


def spark_schema(target: pa.Schema):
    """The Spark StructType of an Arrow schema."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(target)


def to_arrow(frame: pl.DataFrame, schema: pl.Schema, target: pa.Schema) -> pa.Table:
    """``frame`` with every column of ``schema`` (absent ones null), in order, as Spark's Arrow types."""
    full = frame.select(
        pl.col(name).cast(dtype) if name in frame.columns else pl.lit(None, dtype).alias(name)
        for name, dtype in schema.items()
    )
    return full.to_arrow().cast(target)


def read_stage(spark, found: list[read.Source], schema: pl.Schema, shared):
    """One partition, so one task, per file; each runs ``read.read_file`` through ``mapInArrow``."""
    target = arrow_schema(schema)
    struct = spark_schema(target)
    rows = [(s.number, s.path, s.label) for s in found]
    files = spark.sparkContext.parallelize(rows, len(rows)).toDF("number long, path string, label string")

    def read_files(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        reading: read.Reading = shared.value
        for batch in batches:
            for number, path, label in zip(*batch.to_pydict().values(), strict=True):
                for frame in read.read_file(read.Source(number, path, label), reading):
                    yield from to_arrow(frame, schema, target).to_batches()

    return files.mapInArrow(read_files, struct)


def events_of(table):
    from pyspark.sql import functions as F

    return table.filter(F.col(read.TAG) == read.EVENT).drop(read.TAG, read.NOTE)


def bucketed(steps, buckets: int):
    """Whole cases per bucket: a stable hash of the case id (xxhash64, the same on every executor and run)."""
    from pyspark.sql import functions as F

    return steps.withColumn(BUCKET, F.pmod(F.xxhash64("case_id"), F.lit(buckets)))


def check_buckets(steps, shared):
    """``groupBy(bucket).applyInArrow``: ``engine.check_cases`` and ``engine.case_witnesses`` per bucket.

    ``shared`` is the broadcast ``(engine.Setting, Observers or None)``: each bucket also returns its
    observers' partial tables (``checker.observe``). The identity values ``--redact`` needs come from
    the read stage, rejected rows included.
    """
    target = arrow_schema(RESULT_SCHEMA)

    def check(table: pa.Table) -> pa.Table:
        setting, observers = shared.value
        events = pl.from_arrow(table).drop(BUCKET)
        extra = [(WITNESSES, engine.case_witnesses(events, setting))]
        if observers is not None:  # a fresh copy per bucket: only its partial tables travel back
            mine = observers.fresh()
            mine(setting.context(events).events)
            extra += [(OBSERVED + address, frame) for address, frame in mine.frames()]
        parts = [engine.check_cases(events, setting).with_columns(pl.lit(FINDING).alias(TAG))]
        parts += [pl.DataFrame({TAG: [tag], PAYLOAD: [to_ipc(frame)]}) for tag, frame in extra]
        return to_arrow(pl.concat(parts, how="diagonal_relaxed"), RESULT_SCHEMA, target)

    return steps.groupBy(BUCKET).applyInArrow(check, spark_schema(target))


def to_ipc(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="lz4")
    return buffer.getvalue()


def from_ipc(payload: bytes) -> pl.DataFrame:
    return pl.read_ipc(io.BytesIO(payload))


def collect(frame) -> pl.DataFrame:
    """A (small) Spark DataFrame on the driver as Polars; timestamps stay aware UTC instants."""
    result = pl.from_arrow(frame.toArrow())
    return result if isinstance(result, pl.DataFrame) else result.to_frame()
