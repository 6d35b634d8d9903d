"""Activity logs → the event table (``checker.events``), with row accounting.

``LogReader(paths, mapping=..., tz=...)`` reads one or more files in the order
given (e.g. one per month), batch by batch, and records per-file digests and
counts; checker.pipeline checks logs of any size with it. ``read_logs`` reads
the same way into one ``ReadResult``: the events, the rejected rows, and the
files, with ``rows_read == events.height + len(rejected)``.

Formats by extension: ``.csv`` (UTF-8, UTF-8 with BOM, GB18030/GBK),
``.jsonl``/``.ndjson``, ``.parquet``, ``.xlsx`` (first sheet), ``.xes`` and
``.xes.gz``. CSV and Parquet are streamed with Polars; XES (parsed
incrementally), XLSX and JSON Lines are read one whole file at a time, so very
large logs should be CSV or Parquet.

References: ``<file name>:<row>`` with the 1-based data row (header not
counted; XES: the 1-based event index in the file), or the mapped id column.
When two inputs share a file name, their refs use the path as given instead.
``seq`` is the event's position among the usable rows (file order, then row).

Bad input (missing, empty, corrupt or truncated file, unknown extension, a
mapped column that is absent) raises ``LogError`` naming the file; see
``normalise`` for what is rejected row by row and what is not.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import polars as pl

from checker.events import BASE_SCHEMA, Rejected

from .errors import LogError
from .normalise import normalise
from .tabular import read_csv_raw, read_jsonl_raw, read_xlsx_raw, stream_csv_raw, stream_parquet_raw
from .timestamps import parse_timestamps
from .xes import read_xes_raw

if TYPE_CHECKING:
    from checker.mapping import Mapping

__all__ = [
    "Batch",
    "FileInfo",
    "LogReader",
    "LogError",
    "ReadResult",
    "detect_format",
    "file_sha256",
    "parse_timestamps",
    "raw_batches",
    "read_logs",
]

FORMATS = {
    ".xes.gz": "xes.gz",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".xlsx": "xlsx",
    ".xes": "xes",
}


@dataclass(frozen=True, slots=True)
class FileInfo:
    path: str
    format: str
    sha256: str
    rows_read: int
    rows_rejected: int

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "format": self.format,
            "sha256": self.sha256,
            "rows_read": self.rows_read,
            "rows_rejected": self.rows_rejected,
        }


@dataclass(frozen=True)
class ReadResult:
    events: pl.DataFrame
    rejected: list[Rejected]
    rows_read: int
    files: tuple[FileInfo, ...]


def detect_format(path: Path) -> str:
    name = path.name.lower()
    for suffix, fmt in FORMATS.items():
        if name.endswith(suffix):
            return fmt
    raise LogError(path, f"unknown log format {path.suffix or '(no extension)'!r}: expected {', '.join(FORMATS)}")


BATCH_ROWS = 500_000


@dataclass(frozen=True)
class Batch:
    """Up to ``rows`` rows of one file, normalised; ``seq`` continues across batches and files."""

    events: pl.DataFrame  # the columns of checker.events, base columns first
    rejected: list[Rejected]
    rows_read: int
    label: str  # the file as references name it
    number: int  # the file's 1-based position among the paths
    file_rows: int  # rows of this file read so far, this batch included
    unusable: pl.DataFrame | None = None  # the rows rejected, as read (see normalise.Normalised)


class LogReader:
    """Iterate over the logs in order, batch by batch; ``files`` grows by one FileInfo per file read.

    CSV and Parquet are streamed (see ``raw_batches``); ``workdir`` takes the UTF-8
    copy of a CSV file in another encoding.
    """

    def __init__(
        self,
        paths: Sequence[str | Path],
        *,
        mapping: Mapping | None,
        tz: ZoneInfo,
        encoding: str | None = None,
        rows: int = BATCH_ROWS,
        workdir: str | None = None,
    ):
        self.paths = [Path(p) for p in paths]
        self.mapping, self.tz, self.encoding, self.rows, self.workdir = mapping, tz, encoding, rows, workdir
        self.files: list[FileInfo] = []

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    def __iter__(self) -> Iterator[Batch]:
        names = [p.name for p in self.paths]
        seq = 0
        for number, path in enumerate(self.paths, 1):
            label = path.name if names.count(path.name) == 1 else str(path)
            fmt = detect_format(path)
            check_file(path)
            digest = _HASHER.submit(file_sha256, path)  # beside the reading: a large file takes seconds
            rows = rejected = 0
            for raw in raw_batches(path, fmt, self.encoding, self.rows, self.workdir):
                part = normalise(raw, path=path, label=label, mapping=self.mapping, tz=self.tz.key)
                events = _numbered(part.events, seq)
                seq += events.height
                rows += part.rows_read
                rejected += len(part.rejected)
                yield Batch(events, part.rejected, part.rows_read, label, number, rows, part.unusable)
            self.files.append(FileInfo(str(path), fmt, digest.result(), rows, rejected))


def read_logs(
    paths: Sequence[str | Path], *, mapping: Mapping | None, tz: ZoneInfo, encoding: str | None = None
) -> ReadResult:
    """Read the logs in order into one table; ``encoding`` applies to CSV files (default: detect)."""
    reader = LogReader(paths, mapping=mapping, tz=tz, encoding=encoding)
    frames: list[pl.DataFrame] = []
    rejected: list[Rejected] = []
    for batch in reader:
        frames.append(batch.events)
        rejected.extend(batch.rejected)
    events = pl.concat(frames, how="diagonal") if frames else pl.DataFrame(schema=BASE_SCHEMA)
    return ReadResult(events=events, rejected=rejected, rows_read=reader.rows_read, files=tuple(reader.files))


def _read_raw(path: Path, fmt: str, encoding: str | None) -> pl.DataFrame:
    if fmt == "csv":
        return read_csv_raw(path, encoding)
    if fmt == "jsonl":
        return read_jsonl_raw(path)
    if fmt == "xlsx":
        return read_xlsx_raw(path)
    return read_xes_raw(path)


def raw_batches(
    path: Path, fmt: str, encoding: str | None, rows: int, workdir: str | None = None
) -> Iterator[pl.DataFrame]:
    """The file's raw frame in batches of about ``rows`` rows (at least one batch, maybe empty).

    CSV and Parquet are streamed and never held whole; XES, JSON Lines and XLSX
    are read whole, then sliced. ``workdir`` takes the UTF-8 copy of a CSV file
    in another encoding.
    """
    if fmt == "csv":
        yield from stream_csv_raw(path, encoding, rows, workdir)
    elif fmt == "parquet":
        yield from stream_parquet_raw(path, rows)
    else:
        frame = _read_raw(path, fmt, encoding)
        yield from frame.iter_slices(rows) if frame.height else (frame,)


def check_file(path: Path) -> None:
    """A missing, unreadable or empty file raises LogError."""
    try:
        if not path.is_file():
            raise LogError(path, "no such file")
        with path.open("rb"):
            pass
        if path.stat().st_size == 0:
            raise LogError(path, "empty file")
    except OSError as exc:
        raise LogError(path, f"cannot read: {exc.strerror or exc}") from None


def file_sha256(path: Path) -> str:
    """The file's SHA-256; a missing, unreadable or empty file raises LogError."""
    check_file(path)
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        raise LogError(path, f"cannot read: {exc.strerror or exc}") from None


_HASHER = ThreadPoolExecutor(1, thread_name_prefix="opsbook-sha256")  # hashlib lets go of the interpreter lock


def _numbered(events: pl.DataFrame, offset: int) -> pl.DataFrame:
    """The base columns in contract order, then the attributes, with ``seq`` continuing from ``offset``."""
    events = events.with_row_index("seq", offset=offset).with_columns(pl.col("seq").cast(pl.Int64))
    missing = [pl.lit(None, dtype).alias(name) for name, dtype in BASE_SCHEMA.items() if name not in events.columns]
    attrs = [c for c in events.columns if c not in BASE_SCHEMA]
    return events.with_columns(missing).select(*BASE_SCHEMA, *attrs)
