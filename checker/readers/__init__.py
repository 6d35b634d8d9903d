"""Activity logs → the event table (``checker.events``), with row accounting.

``read_logs(paths, mapping=..., tz=...)`` reads one or more files in the order
given (e.g. one per month) and returns a ``ReadResult``: the events, the
rejected rows, and per-file digests and counts, with
``rows_read == events.height + len(rejected)``.

Formats by extension: ``.csv`` (UTF-8, UTF-8 with BOM, GB18030/GBK),
``.jsonl``/``.ndjson``, ``.parquet``, ``.xlsx`` (first sheet), ``.xes`` and
``.xes.gz`` (streamed). CSV and Parquet go through Polars ``scan_*``; very large
logs should be Parquet. XLSX and JSON Lines are read whole into memory.

References: ``<file name>:<row>`` with the 1-based data row (header not
counted; XES: the 1-based event index in the file), or the mapped id column.
When two inputs share a file name, their refs use the path as given instead.
``seq`` is the event's position in the returned table (file order, then row).

Bad input (missing, empty, corrupt or truncated file, unknown extension, a
mapped column that is absent) raises ``LogError`` naming the file; see
``normalise`` for what is rejected row by row and what is not.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import polars as pl

from checker.events import BASE_SCHEMA, Rejected

from .errors import LogError
from .normalise import normalise
from .tabular import read_csv_raw, read_jsonl_raw, read_parquet_raw, read_xlsx_raw, stream_csv_raw, stream_parquet_raw
from .timestamps import parse_timestamps
from .xes import read_xes_raw

if TYPE_CHECKING:
    from checker.mapping import Mapping

__all__ = [
    "FileInfo",
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


def read_logs(
    paths: Sequence[str | Path], *, mapping: Mapping | None, tz: ZoneInfo, encoding: str | None = None
) -> ReadResult:
    """Read the logs in order; ``encoding`` applies to CSV files (default: detect)."""
    paths = [Path(p) for p in paths]
    names = [p.name for p in paths]
    frames: list[pl.DataFrame] = []
    rejected: list[Rejected] = []
    files: list[FileInfo] = []
    for path in paths:
        label = path.name if names.count(path.name) == 1 else str(path)
        fmt = detect_format(path)
        digest = file_sha256(path)
        part = normalise(_read_raw(path, fmt, encoding), path=path, label=label, mapping=mapping, tz=tz.key)
        frames.append(part.events)
        rejected.extend(part.rejected)
        files.append(FileInfo(str(path), fmt, digest, part.rows_read, len(part.rejected)))
    events = _assemble(frames)
    return ReadResult(events=events, rejected=rejected, rows_read=sum(f.rows_read for f in files), files=tuple(files))


def _read_raw(path: Path, fmt: str, encoding: str | None) -> pl.DataFrame:
    if fmt == "csv":
        return read_csv_raw(path, encoding)
    if fmt == "jsonl":
        return read_jsonl_raw(path)
    if fmt == "parquet":
        return read_parquet_raw(path)
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


def file_sha256(path: Path) -> str:
    """The file's SHA-256; a missing, unreadable or empty file raises LogError."""
    try:
        if not path.is_file():
            raise LogError(path, "no such file")
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        raise LogError(path, f"cannot read: {exc.strerror or exc}") from None
    if path.stat().st_size == 0:
        raise LogError(path, "empty file")
    return digest


def _assemble(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """One table: base columns in contract order, then attributes in order of first appearance."""
    empty = pl.DataFrame(schema={k: v for k, v in BASE_SCHEMA.items() if k != "seq"})
    events = pl.concat([empty, *frames], how="diagonal")
    events = events.with_row_index("seq").with_columns(pl.col("seq").cast(pl.Int64))
    attrs = [c for c in events.columns if c not in BASE_SCHEMA]
    return events.select(*BASE_SCHEMA, *attrs)
