"""The findings of a run as a sequence backed by their table: ``Finding`` values made a chunk at a time.

An engine hands back its findings as one sorted findings table
(``checker.engine.frames``: a few hundred bytes a finding). The reports read
them as ``Finding`` values, which cost kilobytes each in Python; a log where one
event in six is a finding has millions of them. ``FindingTable`` is a
``Sequence[Finding]`` over the table that makes the values only while they are
read, ``CHUNK`` rows at a time, so memory holds the table and one chunk, never
every finding as an object. Counting and filtering go to the table itself
(``FindingTable.lazy``, ``gather``, ``where``), column-wise: the scope, the rates, the summary, the exit code.

A run with findings spilled to disk (``checker.store``) keeps its table there
too (``FindingFiles``: Arrow IPC files of some hundred thousand findings, in
order, in a private folder), so memory holds one file's findings at a time:
the counts scan the files, a column or two at a time, and the writers read
them file by file.

Anything that needs the values all at once (dispositions, --redact) makes a
list of them, as before; those runs are about findings people look at.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import polars as pl

from checker.engine import frames, merge
from checker.finding import Finding

CHUNK = 16_384
Query = Callable[[pl.LazyFrame], pl.LazyFrame]


class Folder:
    """A private folder (0700) for findings files, removed by ``close``, when no longer referenced, or at
    the latest when the interpreter exits (also after Ctrl-C)."""

    def __init__(self, parent: str | Path | None = None) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="opsbook-findings-", dir=parent))
        self.close = weakref.finalize(self, shutil.rmtree, self.path, ignore_errors=True)
        self._files = 0

    def file(self, prefix: str) -> Path:
        self._files += 1
        return self.path / f"{prefix}-{self._files:05d}.arrow"


class FindingFiles:
    """A findings table in Arrow IPC files (``engine.merge.merged_into``), in order, with their heights; the
    findings of a case are all in one file."""

    def __init__(self, folder: Folder, parts: list[tuple[Path, int]]) -> None:
        self.folder = folder  # held: the folder lives while any table over its files does
        self.parts = [(path, height) for path, height in parts if height]
        self.height = sum(height for _, height in self.parts)

    def lazy(self) -> pl.LazyFrame:
        if not self.parts:
            return frames.empty().lazy()
        return pl.scan_ipc([path for path, _ in self.parts])

    def gather(self, query: Query) -> pl.DataFrame:
        if not self.parts:
            return query(frames.empty().lazy()).collect()
        return pl.concat([query(pl.scan_ipc(path)).collect() for path, _ in self.parts])

    def frames(self) -> Iterator[pl.DataFrame]:
        for path, _ in self.parts:
            yield pl.read_ipc(path)

    def rows(self, start: int, length: int) -> pl.DataFrame:
        """Rows ``start`` to ``start + length`` (fewer at the end)."""
        pieces, at = [], 0
        for path, height in self.parts:
            if at + height > start and at < start + length:
                offset = max(start - at, 0)
                pieces.append(pl.scan_ipc(path).slice(offset, start + length - at - offset).collect())
            at += height
        return pl.concat(pieces) if pieces else frames.empty()

    def where(self, keep: pl.Expr) -> pl.DataFrame:
        found = [pl.scan_ipc(path).filter(keep).collect() for path, _ in self.parts if _holds(path, keep)]
        return pl.concat(found) if found else frames.empty()

    def filter(self, keep: pl.Expr) -> FindingFiles:
        """The rows ``keep`` holds for, in new files in the same folder (written a file at a time, so a case
        is still in one file)."""
        parts = []
        for frame in self.frames():
            kept = frame.filter(keep)
            path = self.folder.file("kept")
            kept.write_ipc(path, compression="zstd", record_batch_size=merge.BATCH_ROWS)
            parts.append((path, kept.height))
        return FindingFiles(self.folder, parts)


def _holds(path: Path, keep: pl.Expr) -> bool:
    """Whether ``keep`` holds for a row of the file (read only the columns it names)."""
    return pl.scan_ipc(path).select(keep.fill_null(False).any()).collect().item()


class FindingTable(Sequence[Finding]):
    """Findings in the table's (sorted) order; iterating or indexing makes ``Finding`` values on demand.
    The table is a ``pl.DataFrame`` or, for a run with many findings, ``FindingFiles`` on disk."""

    __slots__ = ("source", "_start", "_chunk")

    def __init__(self, table: pl.DataFrame | FindingFiles) -> None:
        self.source = table
        self._start = -1  # the first row of the chunk in ``_chunk``: index access is mostly in order
        self._chunk: list[Finding] = []

    @property
    def table(self) -> pl.DataFrame:
        """The whole table in memory (for findings on disk: read, so only where they are few)."""
        if isinstance(self.source, pl.DataFrame):
            return self.source
        return self.source.lazy().collect()

    def lazy(self) -> pl.LazyFrame:
        """The table as a query: over findings on disk, it reads only the columns it needs, in batches
        (for counts over few groups: severities, codes, steps)."""
        return self.source.lazy()

    def gather(self, query: Query) -> pl.DataFrame:
        """``query`` of the table, run on each file of findings on disk and the results concatenated in
        order: the same answer for row filters and for groups within a case, since a case is never split
        between files, and memory for one file's rows (one query over all files holds several at a time)."""
        if isinstance(self.source, pl.DataFrame):
            return query(self.source.lazy()).collect()
        return self.source.gather(query)

    def frames(self, rows: int = CHUNK) -> Iterator[pl.DataFrame]:
        """The table in order, as tables of at most ``rows`` rows."""
        whole = [self.source] if isinstance(self.source, pl.DataFrame) else self.source.frames()
        for frame in whole:
            for offset in range(0, frame.height, rows):
                yield frame.slice(offset, rows)

    def where(self, keep: pl.Expr) -> pl.DataFrame:
        """The rows ``keep`` holds for, in memory: for a few rows of many (a file is read whole only when
        the columns ``keep`` names show it has one)."""
        if isinstance(self.source, pl.DataFrame):
            return self.source.filter(keep)
        return self.source.where(keep)

    def _rows(self, start: int, length: int) -> pl.DataFrame:
        if isinstance(self.source, pl.DataFrame):
            return self.source.slice(start, length)
        return self.source.rows(start, length)

    def __len__(self) -> int:
        return self.source.height

    def __iter__(self) -> Iterator[Finding]:
        for frame in self.frames():
            yield from frames.to_findings(frame)

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            return FindingTable(self._rows(start, max(stop - start, 0)))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("finding index out of range")
        start = index - index % CHUNK
        if start != self._start:
            self._chunk, self._start = list(frames.to_findings(self._rows(start, CHUNK))), start
        return self._chunk[index - start]

    def __bool__(self) -> bool:
        return len(self) > 0

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FindingTable):
            return self.table.equals(other.table)
        return isinstance(other, Sequence) and len(other) == len(self) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # compares by content, like a list

    def __repr__(self) -> str:
        return f"FindingTable({len(self)} findings)"

    def filter(self, keep: pl.Expr) -> FindingTable:
        return FindingTable(self.source.filter(keep))


def tabled(findings: Iterable[Finding]) -> FindingTable:
    """``findings`` as a ``FindingTable``: itself when it is one, else over a table made from the values."""
    return findings if isinstance(findings, FindingTable) else FindingTable(frames.to_frame(findings))
