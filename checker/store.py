"""Where pass 1 of the pipeline keeps the admitted events: step events by case-hash slot, the rest aside.

While the step events fit in one bucket they stay in memory; beyond that every
batch is written, in a background thread, to Parquet files per slot in a
temporary folder, removed by ``close``. ``buckets`` groups consecutive slots
into buckets of at most ``limit`` events, so that every case lies wholly in
one bucket (see checker.pipeline).
"""

from __future__ import annotations

import io
import shutil
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

SLOT = "_slot"
SPILL_ROWS = 250_000  # step events written to the spill folder at a time
SPILL_FINDINGS = 20_000  # a spilled bucket's findings go to a file from this many (a few MB) on
RECORD_BATCH = 16_384  # findings in one record batch of such a file: the merge reads slices of some thousands


@dataclass
class Store:
    """Admitted events of pass 1: step events by slot (in memory, then on disk), the rest aside."""

    slots: int
    limit: int
    spill_dir: str | None
    private: Path | None = None  # this run's own folder (0700): transcoded logs, spilled slots in spill/ and
    # spilled findings in findings/
    held: list[pl.DataFrame] = field(default_factory=list)  # step events not (yet) written to the spill folder
    held_rows: int = 0
    aside: list[pl.DataFrame] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    folder: Path | None = None
    parts: int = 0
    writer: ThreadPoolExecutor | None = None
    pending: list[Future] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.counts = [0] * self.slots
        # Raw events (case ids, performers, phone columns): one private folder, removed in close().
        self.private = Path(tempfile.mkdtemp(prefix="opsbook-check-", dir=self.spill_dir))

    def add(self, frame: pl.DataFrame) -> None:
        step = (pl.col("kind") == "step").fill_null(False)  # unknown labels have no kind
        self.aside.append(own(frame.filter(~step)))
        cases = frame.filter(step).with_columns((pl.col("case_id").hash(seed=7) % self.slots).alias(SLOT))
        for slot, n in cases.group_by(SLOT).len().iter_rows():
            self.counts[slot] += n
        self.held.append(cases)
        self.held_rows += cases.height
        if self.folder is None and sum(self.counts) > self.limit:
            self.folder = self.private / "spill"
            self.folder.mkdir(mode=0o700)
        if self.folder is not None and self.held_rows >= min(self.limit, SPILL_ROWS):
            self.flush()

    def flush(self) -> None:
        """Write the batches held since the last write, as one file per slot: few and large files (many small
        ones cost more to write and to read back than the rows in them)."""
        if self.folder is not None and self.held:
            self._write(concat(self.held))
            self.held, self.held_rows = [], 0

    def _write(self, cases: pl.DataFrame) -> None:
        """Write in the background, one batch at a time, while the next batch is read."""
        self.parts += 1
        if self.writer is None:
            self.writer = ThreadPoolExecutor(1, thread_name_prefix="opsbook-spill")
        self.drain(keep=1)
        self.pending.append(self.writer.submit(self._write_parts, cases, self.parts))

    def _write_parts(self, cases: pl.DataFrame, number: int) -> None:
        for (slot,), part in cases.partition_by(SLOT, as_dict=True).items():
            target = self.folder / f"slot-{slot:04d}"
            target.mkdir(exist_ok=True)
            part.drop(SLOT).write_parquet(target / f"part-{number:06d}.parquet", compression="lz4")

    def finish(self) -> None:
        """After the last ``add``: everything written (when spilling), every write done."""
        self.flush()
        self.drain()

    def drain(self, keep: int = 0) -> None:
        """Wait until at most ``keep`` writes are pending; a failed write raises here."""
        while len(self.pending) > keep:
            self.pending.pop(0).result()

    def buckets(self, limit: int | None = None) -> list[list[int]]:
        """Consecutive slots grouped so that each group holds at most ``limit`` (default: the store's)
        events, or one slot."""
        limit = self.limit if limit is None else limit
        groups: list[list[int]] = []
        size = 0
        for slot, n in enumerate(self.counts):
            if n == 0:
                continue
            if not groups or size + n > limit:
                groups.append([])
                size = 0
            groups[-1].append(slot)
            size += n
        return groups

    def load(self, slots: list[int]) -> pl.DataFrame:
        self.finish()
        if self.folder is None:
            frames = [f.filter(pl.col(SLOT).is_in(slots)).drop(SLOT) for f in self.held]
        else:
            files = sorted(f for s in slots for f in (self.folder / f"slot-{s:04d}").glob("*.parquet"))
            frames = [pl.read_parquet(f) for f in files]
        return concat(frames)

    def keep(self, findings: pl.DataFrame, name: str) -> pl.DataFrame | Path:
        """A bucket's findings table, kept until the run's findings are merged (``engine.merge.merged``):
        written to ``findings/<name>.arrow`` in the private folder when the events are spilled too (a log
        beyond one bucket, whose findings may run to millions) and there are ``SPILL_FINDINGS`` or more,
        else a copy that owns its data."""
        if self.folder is None or findings.height < SPILL_FINDINGS:
            return own(findings)
        folder = self.private / "findings"
        folder.mkdir(mode=0o700, exist_ok=True)
        path = folder / f"{name}.arrow"
        findings.write_ipc(path, compression="lz4", record_batch_size=RECORD_BATCH)  # read back in slices
        return path

    def close(self) -> None:
        if self.writer is not None:
            for job in self.pending:
                job.cancel()
            self.writer.shutdown(wait=True)
        if self.private is not None:
            shutil.rmtree(self.private, ignore_errors=True)


def own(frame: pl.DataFrame) -> pl.DataFrame:
    """A copy that owns its data. A filtered frame shares the string buffers of the frame it came from,
    so keeping a small part of every batch would keep every batch in memory; ``rechunk`` and
    ``shrink_to_fit`` do not copy them all (measured), a round trip through Arrow IPC does."""
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="uncompressed")
    buffer.seek(0)
    return pl.read_ipc(buffer)


def concat(frames: list[pl.DataFrame]) -> pl.DataFrame:
    frames = [f for f in frames if f.height] or frames[:1]
    return pl.concat(frames, how="diagonal_relaxed") if len(frames) > 1 else frames[0]


def slot_count(rows: int, bucket_events: int) -> int:
    """Enough slots that a slot is at most half a bucket, as a power of two from 8 to 1024."""
    slots = 8
    while slots < 1024 and rows > slots * bucket_events // 2:
        slots *= 2
    return slots
