"""One simulation run: chunks made (in worker processes when asked) and appended in order.

Memory stays bounded: at most ``2 × jobs`` chunks are in flight, each chunk's
log rows are written as soon as it is its turn, and its findings go straight to
``ground-truth.jsonl``; only the unknown-label samples (five events per label)
and the counts are kept to the end. Whatever ``--jobs`` is, the bytes are the
same: a chunk depends only on the seed and its index.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
import types
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

from opsbook.model import Handbook

from .chunk import Chunk, ChunkOut, Tally, init_worker, produce_in_worker
from .clock import SimulationError
from .formats import FORMATS
from .scenario import Scenario, Settings
from .truth import TruthFile, UnknownLabels
from .writers import BASE, Sink

VERSION = "opsbook-simulator/1"

__all__ = ["Settings", "simulate"]


@contextmanager
def _plain_main():
    """Spawned workers re-import the main module; ``python -m opsbook`` would run the command again in each."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _chunks(sc: Scenario, settings: Settings, handbook: Handbook):
    """The chunks' outputs, in order."""
    if settings.jobs <= 1 or sc.chunks == 1:
        for k in range(sc.chunks):
            yield Chunk(sc, k).produce()
        return
    window = 2 * settings.jobs
    # "spawn": forking a process that has started Polars' thread pool can deadlock.
    context = multiprocessing.get_context("spawn")
    with _plain_main(), ProcessPoolExecutor(settings.jobs, context, init_worker, (settings, handbook)) as pool:
        pending: deque = deque()
        submitted = 0
        while submitted < sc.chunks or pending:
            while submitted < sc.chunks and len(pending) < window:
                pending.append(pool.submit(produce_in_worker, submitted))
                submitted += 1
            yield pending.popleft().result()


def output_names(fmt: str) -> tuple[str, str, str, str]:
    """The files a run writes into ``--out``: roster, log, ground truth, and meta.json last (the run is complete)."""
    return "roster.csv", "events" + FORMATS[fmt], "ground-truth.jsonl", "meta.json"


def simulate(settings: Settings, handbook: Handbook) -> dict:
    """Write the log, roster, ground truth and meta.json into ``settings.out``; the meta."""
    if settings.fmt not in FORMATS:
        raise SimulationError(f"unknown format {settings.fmt!r}; choose from {', '.join(FORMATS)}")
    if settings.cases < 0 or not 0 <= settings.rate <= 1 or settings.days < 7 or settings.chunk < 1:
        raise SimulationError("--cases ≥ 0, 0 ≤ --deviation-rate ≤ 1, --days ≥ 7 and --chunk-size ≥ 1, please")
    if settings.fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise SimulationError("--format parquet needs pyarrow (pip install pyarrow)") from None
    sc = Scenario(settings, handbook)
    out = settings.out
    out.mkdir(parents=True, exist_ok=True)
    roster_name, log_name, truth_name, meta_name = output_names(settings.fmt)
    sc.roster.write_csv(out / roster_name, sc.clock)
    sink = Sink(out / log_name, settings.fmt, [*BASE, *sc.attributes()])
    truth = TruthFile(out / truth_name, log_name)
    unknown = UnknownLabels()
    tally = Tally()
    rows = 0
    try:
        for chunk in _chunks(sc, settings, handbook):
            chunk: ChunkOut
            sink.write(chunk.data)
            truth.write(chunk.truths, rows)
            for label, t, row in chunk.unknown:
                unknown.add(label, t, rows + row)
            tally.add(chunk.tally)
            rows += chunk.rows
    finally:
        sink.close()
        truth.close(unknown)
    meta = _meta(sc, log_name, tally, truth)
    (out / meta_name).write_text(json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n", "utf-8")
    return meta


def _meta(sc: Scenario, log_name: str, t: Tally, truth: TruthFile) -> dict:
    s, clock = sc.s, sc.clock
    return {
        "generator": VERSION,
        "seed": s.seed,
        "cases": s.cases,
        "deviation_rate": s.rate,
        "format": s.fmt,
        "start": clock.day_text(sc.first_day),
        "end": clock.day_text(sc.last_day),
        "as_of": clock.iso(sc.as_of),
        "files": {"log": log_name, "roster": "roster.csv", "ground_truth": "ground-truth.jsonl"},
        "handbook": {"version": sc.handbook.version, "digest": sc.handbook.digest},
        "counts": {
            "events": t.events,
            "case_events": t.events - t.obligation_events,
            "obligation_events": t.obligation_events,
            "cases_by_process": dict(sorted(t.cases.items())),
            "open_cases": t.open_cases,
            "people": len(sc.roster.people),
            "roster_rows": len(sc.roster.tenures),
            "injected": dict(sorted((c, n) for c, n in t.injected.items() if n)),
            "tier_changes": dict(sorted(t.tier_changes.items())),
            "findings": dict(sorted(truth.counts.items())),
            "spontaneous": dict(sorted(truth.spontaneous.items())),
        },
    }
