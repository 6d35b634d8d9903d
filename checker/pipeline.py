"""Read and check logs of any size with bounded memory: the whole ``opsbook check`` run.

Two passes (see docs/checker-semantics.md, "Large logs"):

1. **Read.** Every file is read in batches of ``batch_rows`` rows (Parquet one
   slice at a time, CSV streamed by Polars or, from 64 MB, in pieces cut at
   record boundaries; XES, JSON Lines and XLSX are read one file at a time),
   the next batch in a background thread (``ahead``). Each batch is normalised,
   prepared (``engine.prepare``) and admitted (``admit``) on its own: all three
   work row by row. Step events are
   sorted into hash slots of their case id; the other events (recurring
   obligations, unknown labels) are kept aside. While the step events fit in
   one bucket of ``bucket_events`` they stay in memory; beyond that every batch
   is written to Parquet files per slot in a private temporary folder (0700,
   under ``spill_dir`` or the system's temporary folder) that also takes the
   UTF-8 copy of a transcoded CSV. The folder holds raw events (case ids,
   performers, phone columns), so it is removed at the end, also on an error
   or Ctrl-C/SIGTERM (the CLI turns those into KeyboardInterrupt).
2. **Check.** Slots are grouped into buckets of at most ``bucket_events`` step
   events divided by the buckets checked at a time (``workers``, in threads:
   Polars works outside the interpreter lock). Every case lies wholly in one
   bucket, so the case rules (``SCOPE = "case"``, C101–C110) run bucket by
   bucket. Each bucket also yields its
   witness rows (``periods.witnesses``: the first appearances of obligation
   scope members), which join the kept-aside events for the log rules
   (``SCOPE = "log"``, C111 and C201–C203).

The rules run through the engine's entry points (``checker.engine.api``), the
same functions a Spark job calls per case bucket, and return findings tables.
When the events are spilled, each bucket's findings table is written to the private
folder too (``Store.keep``, from 20,000 findings). The run's table is then made from
those files into files of its own, in report order, a few hundred thousand findings
each, in a private folder that lives as long as the ``Audit`` (``engine.merge.merged_into``,
``findingset.FindingFiles``); else it is made in memory a column at a time
(``engine.merge.merged``). Peak memory is therefore about one bucket, plus one batch,
plus the events that are not step events, plus one file of findings. Answers do not
depend on the batch or bucket sizes: the tests check the same findings with tiny and
with default ones.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from opsbook.calendar import WorkCalendar
from opsbook.diff.editions import RoleReleases
from opsbook.model import Handbook

from . import engine
from .admit import admit
from .ahead import ahead
from .events import Rejected
from .findingset import FindingFiles, FindingTable, Folder
from .mapping import Mapping
from .personal import identity_values
from .readers import FileInfo, LogReader, detect_format
from .store import Store, concat, own, slot_count

BATCH_ROWS = 250_000
BUCKET_EVENTS = 1_000_000
_BYTES_PER_ROW = {"csv": 60, "parquet": 8, "jsonl": 120, "xlsx": 30, "xes": 300, "xes.gz": 30}

Progress = Callable[[str, float | None], None]  # message, share of the phase done (None: unknown)
Observer = Callable[[pl.DataFrame], None]  # sees each bucket's checked step events (checker.audit: cases, samples)


class NoEvents(ValueError):
    """Nothing left to check: no usable event, or none at or before the as-of time."""


@dataclass
class Audit:
    """What a run found and what it read: the CLI turns this into a report.

    ``table`` holds the findings as a findings table (``engine.FINDINGS_SCHEMA``,
    sorted), a few hundred bytes each, in memory or, for a run with many findings,
    in files (``FindingFiles``, removed by ``close``); ``findings`` reads it as
    ``Finding`` values, made a chunk at a time while a report reads them
    (``checker.findingset``).
    """

    table: pl.DataFrame | FindingFiles
    rejected: tuple[Rejected, ...]  # rejected by the readers, then by admit, then after the as-of time
    rows_read_rejected: int  # how many of ``rejected`` the readers rejected (they come first)
    files: tuple[FileInfo, ...]
    rows_read: int
    rows_checked: int
    as_of: datetime
    start: datetime
    buckets: int
    spilled: bool
    names: pl.DataFrame | None = None  # (kind, value) of every identity column of every row read, for --redact
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each phase: read, cases, log

    @property
    def findings(self) -> FindingTable:
        return FindingTable(self.table)

    def close(self) -> None:
        """Remove the findings' files, if any (else done when the run is no longer referenced, or at exit)."""
        if isinstance(self.table, FindingFiles):
            self.table.folder.close()


def _estimate_rows(paths: Sequence[Path]) -> int:
    total = 0
    for path in paths:
        fmt = detect_format(path)
        if fmt == "parquet":
            try:
                total += pl.scan_parquet(path).select(pl.len()).collect().item()
                continue
            except (pl.exceptions.PolarsError, OSError):
                pass  # reported, with the file's name, when it is read
        total += path.stat().st_size // _BYTES_PER_ROW[fmt] if path.is_file() else 0
    return total


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
    spill_dir: str | None = None,
    names: bool = False,
    progress: Progress = lambda message, done=None: None,
    observe: Observer | None = None,
    releases: RoleReleases | None = None,
) -> Audit:
    """Read ``paths`` in order and run the rules (all, or ``codes``); raises LogError or NoEvents."""
    given = ", ".join(str(p) for p in paths)
    paths = [Path(p) for p in paths]
    expected = _estimate_rows(paths)
    store = Store(slot_count(expected, bucket_events), bucket_events, spill_dir)
    try:
        clock = time.perf_counter()
        read = _read(paths, handbook, store, mapping, tz, encoding, roster, batch_rows, progress, expected, names)
        read.seconds = time.perf_counter() - clock
        given_setting = {"calendar": calendar, "tz": tz, "roster": roster, "releases": releases}
        return _check(read, store, handbook, given_setting, as_of, start, codes, names, progress, given, observe)
    finally:
        store.close()


@dataclass
class _Read:
    files: list[FileInfo]
    read_rejected: list[Rejected]
    admit_rejected: list[Rejected]
    rows_read: int
    admitted: int
    first: datetime | None
    last: datetime | None
    seconds: float = 0.0
    names: list[pl.DataFrame] = field(default_factory=list)  # identity values of every row read, for --redact


def _read(paths, handbook, store, mapping, tz, encoding, roster, batch_rows, progress, expected, names) -> _Read:
    out = _Read([], [], [], 0, 0, None, None)
    reader = LogReader(paths, mapping=mapping, tz=tz, encoding=encoding, rows=batch_rows, workdir=str(store.private))
    for batch in ahead(iter(reader), name="opsbook-read"):  # the next batch is read while this one is stored
        if names:  # every row, rejected ones too, before anything is checked or reported
            out.names.extend(own(identity_values(f, handbook)) for f in (batch.events, batch.unusable) if f is not None)
            if len(out.names) > 64:
                out.names = [concat(out.names).unique()]
        out.read_rejected.extend(batch.rejected)
        out.rows_read += batch.rows_read
        good, late = admit(engine.prepare(batch.events, handbook, roster=roster, tz=tz, sort=False), handbook)
        out.admit_rejected.extend(late)
        if good.height:
            low, high = good.select(low=pl.col("ts").min(), high=pl.col("ts").max()).row(0)
            out.first = low if out.first is None else min(out.first, low)
            out.last = high if out.last is None else max(out.last, high)
            out.admitted += good.height
            store.add(good)
        share = out.rows_read / expected if expected else None  # estimated for CSV
        progress(
            f"reading {batch.label} ({batch.number}/{len(paths)}): {batch.file_rows:,} rows", share and min(share, 0.99)
        )
    out.files = reader.files
    return out


def _check(read: _Read, store, handbook, given_setting, as_of, start, codes, names, progress, given, observe) -> Audit:
    """Run the rules through the engine's entry points; ``given_setting`` holds the rest of their ``Setting``."""
    tz = given_setting["tz"]
    if read.admitted == 0:
        rejected = len(read.read_rejected) + len(read.admit_rejected)
        raise NoEvents(f"no usable event in {given} ({rejected} row(s) rejected)")
    as_of = as_of or read.last
    if read.first > as_of:
        raise NoEvents(
            f"no event at or before the as-of time {as_of.astimezone(tz).isoformat()} in {given} "
            f"({read.admitted} row(s) after it)"
        )
    start = start or read.first
    chosen = frozenset(codes) if codes is not None else None
    setting = engine.Setting(handbook, as_of, start, codes=chosen, **given_setting)
    tables: list[pl.DataFrame | Path] = []  # findings: tables, or files of them when the events are spilled
    after: list[pl.DataFrame] = []
    witnesses: list[pl.DataFrame] = []
    clock = time.perf_counter()
    # Buckets are checked side by side, one per core, each a share of the bucket size, so that memory stays
    # about one bucket (Polars runs its work outside the interpreter lock). Plain observers see them in turn.
    parallel = workers() if observe is None or hasattr(observe, "fresh") else 1
    buckets = store.buckets(store.limit // parallel)
    store.finish()
    check = partial(_bucket, store, setting, as_of, observe)
    with ThreadPoolExecutor(parallel, thread_name_prefix="opsbook-check") as pool:
        done = pool.map(check, buckets) if parallel > 1 else map(check, buckets)
        for number, (table, seen, late, observed) in enumerate(done, 1):
            progress(f"checking cases: bucket {number}/{len(buckets)}", (number - 1) / len(buckets))
            tables.append(table)
            witnesses.append(seen)
            after.append(late)
            if observed is not None:
                observe.absorb(observed)
    cases_seconds = time.perf_counter() - clock
    clock = time.perf_counter()
    progress("checking recurring obligations and labels", None)
    aside, late = _until(concat(store.aside), as_of)
    after.append(late)
    tables.append(engine.check_log(concat([aside, *witnesses]), setting))
    log_seconds = time.perf_counter() - clock
    later = concat(after).sort("seq")
    reason = f"after the as-of time {as_of.isoformat()}: not part of this audit"
    rejected = (
        *read.read_rejected,
        *read.admit_rejected,
        *(Rejected(ref, "timestamp", reason) for ref in later["ref"]),
    )
    return Audit(
        table=_merged(tables, store),  # each sorted, no case in two
        rejected=rejected,
        rows_read_rejected=len(read.read_rejected),
        files=tuple(read.files),
        rows_read=read.rows_read,
        rows_checked=read.admitted - later.height,
        as_of=as_of,
        start=start,
        buckets=len(buckets),
        spilled=store.folder is not None,
        names=concat(read.names).unique() if names and read.names else None,
        seconds={"read": read.seconds, "cases": cases_seconds, "log": log_seconds},
    )


def _merged(tables: list[pl.DataFrame | Path], store: Store) -> pl.DataFrame | FindingFiles:
    """The run's findings table: in memory, or on disk when the buckets' findings were (``Store.keep``)."""
    if not any(isinstance(table, Path) for table in tables):
        return engine.merge.merged(tables)
    folder = Folder(store.spill_dir)
    return FindingFiles(folder, engine.merge.merged_into(tables, folder.path))


def workers() -> int:
    """How many buckets are checked at once: Polars' threads (POLARS_MAX_THREADS), at most 4."""
    return max(1, min(4, pl.thread_pool_size()))


def _bucket(store: Store, setting, as_of, observe, slots: list[int]):
    """One bucket's findings table, witnesses, rows after the as-of time and (with fresh-able observers)
    what its observers saw; plain observers are called here, in bucket order."""
    events, late = _until(store.load(slots), as_of)
    events = setting.context(events).events  # ordered once for the rules, witnesses and observers
    observed = None
    if observe is not None:
        mine = observe.fresh() if hasattr(observe, "fresh") else observe
        mine(events)
        observed = mine.frames() if mine is not observe else None
    table = engine.check_cases(events, setting)
    kept = store.keep(table, f"bucket-{slots[0]:04d}")
    return kept, own(engine.case_witnesses(events, setting)), own(late), observed


def _until(events: pl.DataFrame, as_of: datetime) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Events at or before the as-of instant, and (seq, ref) of those after it."""
    after = pl.col("ts") > as_of
    late = events.filter(after).select("seq", "ref")
    return (events.filter(~after) if late.height else events), late  # a filter copies every column
