"""The findings of a run as a sequence backed by their table: ``Finding`` values made a chunk at a time.

An engine hands back its findings as one sorted findings table
(``checker.engine.frames``: a few hundred bytes a finding). The reports read
them as ``Finding`` values, which cost kilobytes each in Python; a log where one
event in six is a finding has millions of them. ``FindingTable`` is a
``Sequence[Finding]`` over the table that makes the values only while they are
read, ``CHUNK`` rows at a time, so memory holds the table and one chunk, never
every finding as an object. Counting and filtering go to the table itself
(``table_of``), column-wise: the scope, the rates, the summary, the exit code.

Anything that needs the values all at once (dispositions, --redact) makes a
list of them, as before; those runs are about findings people look at.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import polars as pl

from checker.engine import frames
from checker.finding import Finding

CHUNK = 16_384


class FindingTable(Sequence[Finding]):
    """Findings in the table's (sorted) order; iterating or indexing makes ``Finding`` values on demand."""

    __slots__ = ("table", "_start", "_chunk")

    def __init__(self, table: pl.DataFrame) -> None:
        self.table = table
        self._start = -1  # the first row of the chunk in ``_chunk``: index access is mostly in order
        self._chunk: list[Finding] = []

    def __len__(self) -> int:
        return self.table.height

    def __iter__(self) -> Iterator[Finding]:
        for offset in range(0, self.table.height, CHUNK):
            yield from frames.to_findings(self.table.slice(offset, CHUNK))

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            return FindingTable(self.table.slice(start, max(stop - start, 0)))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("finding index out of range")
        start = index - index % CHUNK
        if start != self._start:
            self._chunk, self._start = list(frames.to_findings(self.table.slice(start, CHUNK))), start
        return self._chunk[index - start]

    def __bool__(self) -> bool:
        return self.table.height > 0

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FindingTable):
            return self.table.equals(other.table)
        return isinstance(other, Sequence) and len(other) == len(self) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # compares by content, like a list

    def __repr__(self) -> str:
        return f"FindingTable({self.table.height} findings)"

    def filter(self, keep: pl.Expr) -> FindingTable:
        return FindingTable(self.table.filter(keep))


def table_of(findings: Iterable[Finding]) -> pl.DataFrame:
    """The findings table of ``findings``: its own table when it has one, else made from the values."""
    if isinstance(findings, FindingTable):
        return findings.table
    return frames.to_frame(findings)
