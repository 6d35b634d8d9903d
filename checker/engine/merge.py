"""Findings tables put together: from the buckets' tables (in memory or in files) to the run's one table.

Every engine checks cases in buckets and gets a findings table per bucket
(``checker.engine.frames``), each in ``sort`` order, no case in two. The run's
table is those rows in order, case by case (``merged``), made a column at a
time so that memory holds the result and one column of the inputs. A run with
millions of findings writes it to Arrow IPC files instead (``merged_into``),
a few hundred thousand findings each, never splitting a case, so that memory
holds one file's rows (``checker.findingset.FindingFiles`` reads them).
Tables that share a case are sorted on every key (``sorted_from``).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from .frames import FINDINGS_SCHEMA, SORT_COLUMNS, SORT_KEYS, empty

PART_ROWS = 262_144  # findings in one file of a table written to disk (``merged_into``): some tens of MB
BATCH_ROWS = 65_536  # rows of one record batch in such a file: a slice reads only its own batches


def sorted_from(tables: list[pl.DataFrame]) -> pl.DataFrame:
    """``tables`` (emptied: they are consumed) as one findings table in ``sort`` order, made a column at a time.

    Sorting a whole table holds it twice; here the order is computed from the
    key columns, then each column is put in order and its unsorted self dropped,
    so memory holds the table and one column more (a log where one event in six is
    a finding has half a gigabyte of findings at 10⁷ events).
    """
    if not tables:
        return empty()
    whole = [pl.concat(tables)]  # held only in this list, which ``_gathered`` empties column by column
    tables.clear()
    order = whole[0].select(pl.int_range(pl.len(), dtype=pl.UInt32).sort_by(SORT_KEYS, maintain_order=True))
    return _gathered(whole, order.to_series())


def merged(tables: list[pl.DataFrame | Path]) -> pl.DataFrame:
    """``sorted_from`` for tables that are each in ``sort`` order already and share no case: the findings
    tables of case buckets and of the log rules. Their rows are put in order case by case (the first two
    sort keys); inside a case a table's own order stands. Sorting millions of findings again on every key,
    evidence lists included, took seconds and a gigabyte more than the table; ordering the cases takes a
    fraction. Tables that share a case are sorted as ``sorted_from`` does.

    A table may also be the path of an Arrow IPC file that holds one (a spilled bucket's findings,
    ``checker.store``): the result is then made a column at a time from the files, so that memory holds
    the result and one column of the inputs, not the inputs besides. ``tables`` is emptied.
    """
    if not tables:
        return empty()
    runs, heights = _runs(tables)
    if runs is None:
        return sorted_from([_columns(t, list(FINDINGS_SCHEMA)) for t in _emptied(tables)])
    offsets = pl.DataFrame({"t": range(len(heights)), "at": [0, *heights[:-1]]}, schema=_OFFSETS)
    runs = runs.join(offsets.with_columns(pl.col("at").cum_sum()), on="t", maintain_order="left")
    order = _order(runs, pl.col("at"))
    del runs
    return _gathered(_emptied(tables), order)


def merged_into(tables: list[pl.DataFrame | Path], folder: Path, rows: int | None = None) -> list[tuple[Path, int]]:
    """``merged`` written to Arrow IPC files in ``folder``, in order, with their heights: each file about
    ``rows`` (``PART_ROWS``) findings (a case is never split), so that memory holds one file's rows.

    A file's rows come from a range of rows of each input (inputs are in order, so the cases of one
    file are a slice of each), read, put in order and written. ``tables`` is emptied.
    """
    runs, _ = _runs(tables)
    tables = _emptied(tables)
    if runs is None:
        tables = [sorted_from([_columns(t, list(FINDINGS_SCHEMA)) for t in tables])]
        runs, _ = _runs(tables)
    lengths = pl.col("end") - pl.col("start")
    runs = runs.with_columns(part=((lengths.cum_sum() - lengths) // (rows or PART_ROWS)).cast(pl.UInt32))
    sources = [_Forward(t) if isinstance(t, Path) else t for t in tables]
    written = []
    try:
        for (part,), chosen in runs.partition_by("part", as_dict=True, maintain_order=True).items():
            spans = chosen.group_by("t").agg(lo=pl.col("start").min(), hi=pl.col("end").max()).sort("t")
            spans = spans.with_columns(base=(pl.col("hi") - pl.col("lo")).cum_sum() - (pl.col("hi") - pl.col("lo")))
            taken = [sources[t].slice(lo, hi - lo) for t, lo, hi, _ in spans.iter_rows()]
            order = _order(chosen.join(spans, on="t", maintain_order="left"), pl.col("base") - pl.col("lo"))
            path = folder / f"part-{part:05d}.arrow"
            rows_in = pl.concat(taken, rechunk=True).select(pl.all().gather(order))
            rows_in.write_ipc(path, compression="zstd", record_batch_size=BATCH_ROWS)
            written.append((path, order.len()))
    finally:
        for source in sources:
            if isinstance(source, _Forward):
                source.close()
    return written


_RUNS = {"t": pl.UInt32, "start": pl.UInt32, "end": pl.UInt32}
_OFFSETS = {"t": pl.UInt32, "at": pl.UInt32}


def _order(runs: pl.DataFrame, shift: pl.Expr) -> pl.Series:
    """The row numbers of ``runs`` (start, end) in their order, each moved by ``shift``."""
    rows = pl.int_ranges(pl.col("start") + shift, pl.col("end") + shift, dtype=pl.UInt32).alias("row")
    return runs.select(rows).explode("row").to_series()


def _runs(tables: list[pl.DataFrame | Path]) -> tuple[pl.DataFrame | None, list[int]]:
    """The runs of rows of one case in ``tables`` (t: the table's number; start, end: its rows), in the
    cases' order (None when two tables share a case), and the tables' heights."""
    case = [pl.col(c).fill_null("") for c in SORT_COLUMNS[:2]]
    runs, heights = [], []
    for number, table in enumerate(tables):
        keys = _columns(table, SORT_COLUMNS[:2]).select(*case).with_row_index("start")
        heights.append(keys.height)
        first = pl.any_horizontal(pl.col(c) != pl.col(c).shift(1) for c in SORT_COLUMNS[:2]).fill_null(True)
        starts = keys.filter(first)  # where a case's rows begin
        ends = starts["start"].shift(-1, fill_value=keys.height)
        runs.append(starts.with_columns(t=pl.lit(number, dtype=pl.UInt32), end=ends))
    if not runs:
        return pl.DataFrame(schema=_RUNS), heights
    runs = pl.concat(runs)
    if runs.select(pl.struct(SORT_COLUMNS[:2]).is_duplicated().any()).item():
        return None, heights
    return runs.sort(SORT_COLUMNS[:2]).select(list(_RUNS)), heights


class _Forward:
    """The rows of an Arrow IPC file, read forward a record batch at a time: each batch is read once."""

    def __init__(self, path: Path) -> None:
        import pyarrow.ipc  # late: a tenth of a second at start-up, for runs with findings on disk only

        self.file = pyarrow.OSFile(str(path))
        self.reader = pyarrow.ipc.open_file(self.file)
        self.batch = 0
        self.rows: pl.DataFrame | None = None  # read, not yet taken
        self.at = 0  # the row number of the first of ``rows``

    def slice(self, offset: int, length: int) -> pl.DataFrame:
        """Rows ``offset`` to ``offset + length``: ``offset`` is where the last slice ended (or later)."""
        end = offset + length
        while self.at + (self.rows.height if self.rows is not None else 0) < end:
            read = pl.from_arrow(self.reader.get_batch(self.batch))
            self.batch += 1
            self.rows = read if self.rows is None else pl.concat([self.rows, read])
        taken = self.rows.slice(offset - self.at, length)
        self.rows, self.at = self.rows.slice(end - self.at), end
        return taken

    def close(self) -> None:
        self.file.close()


def _columns(table: pl.DataFrame | Path, names) -> pl.DataFrame:
    if isinstance(table, pl.DataFrame):
        return table.select(names)
    return pl.read_ipc(table, columns=list(names))  # compressed: read into memory, not mapped


def _emptied(tables: list) -> list:
    taken = list(tables)
    tables.clear()
    return taken


def _gathered(tables: list[pl.DataFrame | Path], order: pl.Series) -> pl.DataFrame:
    """The rows of ``tables`` (concatenated) in ``order``, a column at a time: each column's inputs are
    read from their file, or dropped from ``tables`` (which the caller must not hold) as its copy is made."""
    columns = []
    for name in FINDINGS_SCHEMA:
        columns.append(_column(tables, name).rechunk().gather(order))  # a gather across chunks is slow
        tables[:] = [t.drop(name) if isinstance(t, pl.DataFrame) else t for t in tables]
    return pl.DataFrame(columns)


def _column(tables: list[pl.DataFrame | Path], name: str) -> pl.Series:
    """The column ``name`` of ``tables``, concatenated; files next to each other are read in one scan
    (one read per file and column cost seconds with tens of buckets)."""
    parts, files = [], []
    for table in [*tables, None]:
        if isinstance(table, Path):
            files.append(table)
            continue
        if files:
            parts.append(pl.scan_ipc(files).select(name).collect().to_series())
            files = []
        if table is not None:
            parts.append(table.get_column(name))
    return pl.concat(parts)
