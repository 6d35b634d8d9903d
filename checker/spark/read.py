"""Stage 1 of a Spark run: every log file read by the local engine's own readers, one task per file.

A task runs, on the executor that holds it, exactly what ``checker.pipeline``
runs per batch: ``raw_batches`` → ``normalise`` → ``engine.prepare`` →
``admit``. So references, rejections, encodings and error messages are the
local engine's. The task's output is one table with a ``_tag`` column:

| _tag | row |
|---|---|
| event | an admitted event (the prepared columns of ``checker.context``) |
| read, admit | a rejected row; ``_note`` is its ``Rejected.to_dict()`` as JSON |
| file | the file's ``FileInfo.to_dict()`` as JSON, once per file |
| error | the ``LogError`` that stopped the file (path, message, line) |

A file given as a plain local path is read where it lies (every executor must
see that path). Any other file (``hdfs://``, ``s3a://``, ``file://``, found in a
folder or by a glob: ``checker.spark.inputs``) reaches its task as the bytes
Spark's ``binaryFile`` source read, written to a private temporary file on the
executor and read from there by the same readers; messages name the file as
given, never the temporary copy.

``seq`` is the file's number × 2⁴⁰ + the row's position in the file: not the
local engine's numbers, but in the same order (file order, then row), which is
all the rules use it for (ties after ``ts``, and as an identity). Non-event
rows use it to keep their reading order.

The column set is decided on the driver from each file's header (an empty
prepared frame per file, unioned), because Spark wants the schema up front; it
also reports a mapping that names an absent column before any task starts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

import polars as pl

from checker import engine
from checker.admit import admit
from checker.events import Rejected
from checker.mapping import Mapping
from checker.personal import identity_values
from checker.readers import FileInfo, LogError, detect_format, file_sha256, raw_batches
from checker.readers import _numbered as numbered
from checker.readers.normalise import normalise
from opsbook.model import Handbook

TAG, NOTE = "_tag", "_note"
EVENT, READ, ADMIT, FILE, ERROR, NAMES = "event", "read", "admit", "file", "error", "names"
FILE_SEQ = 1 << 40


@dataclass(frozen=True)
class Reading:
    """What every reading task needs, broadcast once: the handbook and how to read the logs."""

    handbook: Handbook
    tz: ZoneInfo
    roster: pl.DataFrame | None
    mapping: Mapping | None
    encoding: str | None
    rows: int  # rows per reading batch
    names: bool = False  # --redact: send the identity values of every row read (rejected ones too)


@dataclass(frozen=True)
class Source:
    number: int  # 1-based position among the inputs
    path: str  # as the report names it: the path given, or the file's URI (a file: URI as its local path)
    label: str  # the file as references name it
    uri: str | None = None  # set: Spark fetches the file (binaryFile) for the task that reads it


def sources(paths: Sequence[str | Path], uris: Sequence[str | None] | None = None) -> list[Source]:
    """The inputs in order; as in ``LogReader``, two inputs of one name are labelled by their path."""
    uris = list(uris) if uris is not None else [None] * len(paths)
    # a local path as pathlib writes it (as LogReader); a URI as it is (pathlib would fold its "//")
    shown = [str(p) if uri else str(Path(p)) for p, uri in zip(paths, uris, strict=True)]
    names = [PurePosixPath(p).name for p in shown]
    return [
        Source(n, p, name if names.count(name) == 1 else p, uri)
        for n, (p, name, uri) in enumerate(zip(shown, names, uris, strict=True), 1)
    ]


@contextmanager
def named(source: Source, local: Path) -> Iterator[None]:
    """LogErrors about the fetched copy ``local`` name ``source`` instead."""
    try:
        yield
    except LogError as error:
        if source.uri is None:
            raise
        copy = str(local)
        where = source.path if error.path == copy else error.path
        raise LogError(where, error.message.replace(copy, source.path), error.line) from None


def _prepared(events: pl.DataFrame, reading: Reading) -> tuple[pl.DataFrame, list[Rejected]]:
    prepared = engine.prepare(events, reading.handbook, roster=reading.roster, tz=reading.tz, sort=False)
    return admit(prepared, reading.handbook)


def header(source: Source, reading: Reading, local: Path | None = None) -> pl.DataFrame:
    """The file's events as prepared, empty: its columns. ``local``: where a fetched file's copy lies."""
    local = local or Path(source.path)
    with named(source, local):
        fmt = detect_format(local)
        file_sha256(local)  # a missing or empty file: the local engine's message
        with closing(raw_batches(local, fmt, reading.encoding, 1)) as batches:
            head = next(batches).head(0)
        part = normalise(head, path=local, label=source.label, mapping=reading.mapping, tz=reading.tz.key)
        return _prepared(numbered(part.events, 0), reading)[0]


def columns(found: list[Source], reading: Reading, fetched: dict[int, pl.DataFrame | LogError] | None = None):
    """The event table's columns over all files: each file's header, read, normalised and prepared empty.

    Local files are read here, on the driver; ``fetched`` holds the fetched files' headers (or errors) by
    number, as their executors found them. The first bad file in input order raises its LogError.
    """
    frames = []
    for source in found:
        got = header(source, reading) if source.uri is None else fetched[source.number]
        if isinstance(got, LogError):
            raise got
        frames.append(got)
    events = pl.concat(frames, how="diagonal_relaxed")
    return pl.Schema({**events.schema, TAG: pl.Utf8, NOTE: pl.Utf8})


def read_file(source: Source, reading: Reading, local: Path | None = None) -> Iterator[pl.DataFrame]:
    """The file's admitted events and notes, batch by batch (see the module's table).

    ``local``: where the fetched copy of a file lies (default: ``source.path`` itself).
    """
    local = local or Path(source.path)
    base = source.number * FILE_SEQ
    try:
        with named(source, local):
            yield from _read(source, reading, local, base)
    except LogError as error:
        note = {"path": error.path, "message": error.message, "line": error.line}
        yield _notes(ERROR, [json.dumps(note, ensure_ascii=False)], base)


def _read(source: Source, reading: Reading, local: Path, base: int) -> Iterator[pl.DataFrame]:
    fmt = detect_format(local)
    digest = file_sha256(local)
    rows = rejected = usable = 0
    order = 0
    for raw in raw_batches(local, fmt, reading.encoding, reading.rows):
        part = normalise(raw, path=local, label=source.label, mapping=reading.mapping, tz=reading.tz.key)
        events = numbered(part.events, usable).with_columns(pl.col("seq") + base)  # row index: 32 bits
        usable += events.height
        rows += part.rows_read
        rejected += len(part.rejected)
        if reading.names:
            found = [identity_values(f, reading.handbook) for f in (part.events, part.unusable) if f is not None]
            pairs = pl.concat(found).unique().rows() if found else []
            if pairs:
                yield _notes(NAMES, [json.dumps(pairs, ensure_ascii=False)], base + order)
                order += 1
        good, late = _prepared(events, reading)
        yield good.with_columns(pl.lit(EVENT).alias(TAG))
        for tag, items in ((READ, part.rejected), (ADMIT, late)):
            if items:
                yield _notes(tag, [json.dumps(r.to_dict(), ensure_ascii=False) for r in items], base + order)
                order += len(items)
    info = FileInfo(source.path, fmt, digest, rows, rejected)
    yield _notes(FILE, [json.dumps(info.to_dict(), ensure_ascii=False)], base)


def _notes(tag: str, notes: list[str], first: int) -> pl.DataFrame:
    return pl.DataFrame(
        {TAG: [tag] * len(notes), NOTE: notes, "seq": list(range(first, first + len(notes)))},
        schema={TAG: pl.Utf8, NOTE: pl.Utf8, "seq": pl.Int64},
    )


@dataclass
class Notes:
    """What the read stage says besides events, in reading order."""

    files: list[FileInfo]
    read_rejected: list[Rejected]
    admit_rejected: list[Rejected]
    names: list[tuple[str, str]] = field(default_factory=list)  # (kind, value) for --redact


def notes(frame: pl.DataFrame) -> Notes:
    """From the collected non-event rows; the first file's error (in input order) is raised as LogError."""
    frame = frame.sort("seq")
    out = Notes([], [], [])
    for tag, note in frame.select(TAG, NOTE).iter_rows():
        value = json.loads(note)
        if tag == ERROR:
            raise LogError(value["path"], value["message"], value["line"])
        if tag == FILE:
            out.files.append(FileInfo(**value))
        elif tag == NAMES:
            out.names.extend(map(tuple, value))
        else:
            (out.read_rejected if tag == READ else out.admit_rejected).append(Rejected(**value))
    return out
