"""The Spark side of each stage: which rows go where, and the functions the executors run.

Executors receive plain functions built here (no Spark objects in their
closures): the broadcast ``Setting``, the instants of the audit and the rule
codes. Polars frames cross to Spark as Arrow tables cast to the exact Arrow
schema Spark expects, and back with ``pl.from_arrow``.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import polars as pl
import pyarrow as pa

from checker import engine
from checker.engine import FINDINGS_SCHEMA
from checker.readers import LogError

from . import inputs, read

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
    """Each file read by ``read.read_file`` in a ``mapInArrow`` task.

    Local files: one partition, so one task, per file. Fetched files: the tasks Spark's ``binaryFile``
    source makes (small files packed together, up to ``spark.sql.files.maxPartitionBytes`` each).
    """
    target = arrow_schema(schema)
    struct = spark_schema(target)

    def read_files(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        reading: read.Reading = shared.value
        for source, local in _sources(batches):
            for frame in read.read_file(source, reading, local):
                yield from to_arrow(frame, schema, target).to_batches()

    return _union([frames.mapInArrow(read_files, struct) for frames in _files(spark, found)])


def header_stage(spark, found: list[read.Source], shared) -> dict:
    """The fetched files' headers (``read.header``) as their executors read them: number → frame or LogError."""
    fetched = [s for s in found if s.uri]
    if not fetched:
        return {}

    def headers(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        reading: read.Reading = shared.value
        for source, local in _sources(batches):
            try:
                head, error = to_ipc(read.header(source, reading, local)), None
            except LogError as problem:
                head, error = None, json.dumps([problem.path, problem.message, problem.line], ensure_ascii=False)
            yield pa.RecordBatch.from_pydict({"number": [source.number], "head": [head], "error": [error]})

    rows = collect(_fetch(spark, fetched).mapInArrow(headers, "number long, head binary, error string"))
    return {
        number: LogError(*json.loads(error)) if error else from_ipc(head) for number, head, error in rows.iter_rows()
    }


def _files(spark, found: list[read.Source]) -> list:
    """The DataFrames the reading tasks start from: local files by path, fetched files with their bytes."""
    frames = []
    local = [(s.number, s.path, s.label, None, None) for s in found if s.uri is None]
    if local:
        schema = "number long, path string, label string, uri string, content binary"
        frames.append(spark.sparkContext.parallelize(local, len(local)).toDF(schema))
    fetched = [s for s in found if s.uri]
    if fetched:
        frames.append(_fetch(spark, fetched))
    return frames


def _fetch(spark, fetched: list[read.Source]):
    """The fetched files as rows of (number, path, label, uri, content), read by ``binaryFile``."""
    from pyspark.sql import functions as F

    known = spark.createDataFrame([(s.number, s.path, s.label, s.uri) for s in fetched], _SOURCE)
    files = spark.read.format("binaryFile").load([inputs.escaped(s.uri) for s in fetched])
    content = files.select(F.col("path").alias("uri"), "content")  # Spark's partitions of files: kept
    return content.join(F.broadcast(known), "uri").select("number", "path", "label", "uri", "content")


_SOURCE = "number long, path string, label string, uri string"


def _sources(batches: Iterator[pa.RecordBatch]) -> Iterator[tuple[read.Source, Path | None]]:
    """Each row's file, and for a fetched one its bytes written to a private temporary copy (removed after).

    The copy lies in Spark's local directory for the executor (``spark.local.dir``, where it spills
    shuffles; a folder Spark removes with the application), else in the system's temporary folder.
    """
    for batch in batches:
        columns = [batch.column(name) for name in ("number", "path", "label", "uri", "content")]
        for row in range(batch.num_rows):
            number, path, label, uri = (column[row].as_py() for column in columns[:4])
            source = read.Source(number, path, label, uri)
            if uri is None:
                yield source, None
                continue
            with tempfile.TemporaryDirectory(prefix="opsbook-spark-", dir=_scratch()) as folder:
                local = Path(folder) / PurePosixPath(uri).name
                with local.open("wb") as handle:
                    handle.write(columns[4][row].as_buffer())
                yield source, local


def _scratch() -> str | None:
    """The executor's first Spark local directory (its scratch space, removed with the application), if set."""
    folders = [f for f in os.environ.get("SPARK_LOCAL_DIRS", "").split(",") if f]
    return folders[0] if folders else None


def _union(frames: list):
    result = frames[0]
    for frame in frames[1:]:
        result = result.unionByName(frame)
    return result


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
