"""Benchmark of ``opsbook check`` on a real public event log, replicated to the target sizes.

The log is ``helpdesk.xes.gz`` of the shared public datasets (``../shared/datasets/README.md``: the ticketing
process of an Italian software company, 4,580 cases and 21,348 events, distributed with the test data of a
well-known open-source process-mining library). Simulated logs have the handbook's own shape; this one has a
real one: real time gaps, real variants, real people, and many findings against our rules.

It is read once with the checker's own XES reader and written as a log of the shipped handbook's
complaint-handling process (``STEPS`` below maps its activities onto the process's steps, and writes each as
the step's first activity label; the other activities stay as they are and are unknown to the handbook). To
reach a target size the log is copied whole: copy *k* suffixes every case id and every person with ``-rK``
(as if *k* more branches had handled the same tickets), and keeps the times. The roster gives every person
the complaint specialist's role from 2000-01-01. The as-of time is one day after the last event. The logs
are written into the work folder (default ``/tmp/opsbook-bench``) and reused when present.

Each size is measured like bench/checker.py's end-to-end run (a fresh child process, wall time and peak
RSS, ``OPSBOOK_TIMINGS`` phases), and the part of docs/benchmarks.md between the markers below rewritten:

    .venv/bin/python bench/reallog.py [--sizes 1e6,1e7] [--formats parquet] [--repeat 1] [--work DIR]
        [--dataset PATH] [--out docs/benchmarks.md] [--no-write]

The mapping is an assumption of this benchmark, not a claim about the helpdesk's process: its point is the
shape and the volume of a real log, and the findings it yields.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import shutil
import sys
from pathlib import Path

from machine import machine
from measure import MIB, PHASES, REPO, measured, opsbook_command, phases, say, sizes, warm, write_section

START, END = "<!-- checker-real:start -->", "<!-- checker-real:end -->"
DATASET = REPO.parent / "shared" / "datasets" / "helpdesk.xes.gz"
PROCESS = "complaint-handling"
STEPS = {  # the helpdesk's activity -> the complaint-handling step it stands for (assumption of this benchmark)
    "Assign seriousness": "record",
    "Take in charge ticket": "assign",
    "Resolve ticket": "handle",
    "Wait": "track",
    "Require upgrade": "approve",
    "Closed": "confirm",
}
ROLE = "after-sales-specialist"
INTRO = """\
## 检查器：真实公开日志 / Checker on a real public log, replicated

`opsbook check` on the public helpdesk log (see `bench/reallog.py` for the
source, the mapping of its activities onto the complaint-handling process, and
how it is copied to reach each size). Rerun with:

```bash
.venv/bin/python bench/reallog.py --sizes 1e6,1e7 --repeat 3
```

"""


def base_log(dataset: Path, handbook):
    """The dataset as (case_id, activity, timestamp, performer), activities written as the handbook's labels."""
    import polars as pl

    from checker.readers.xes import read_xes_raw

    steps = {s.id: s for s in handbook.process(PROCESS).steps}
    labels = {activity: steps[step].activities[0] for activity, step in STEPS.items()}
    raw = read_xes_raw(dataset)
    return raw.select(
        case_id=pl.col("case:concept:name"),
        activity=pl.col("concept:name").replace(labels),
        timestamp=pl.col("time:timestamp").str.to_datetime(time_zone="UTC"),
        performer=pl.col("org:resource"),
    ).sort("case_id", "timestamp", maintain_order=True)


def replicated(work: Path, target: int, fmt: str, dataset: Path, handbook) -> tuple[Path, dict]:
    """The log of about ``target`` events in ``work``, made unless one with the same source and size is there."""
    import polars as pl

    digest = hashlib.sha256(dataset.read_bytes()).hexdigest()
    base = base_log(dataset, handbook)
    copies = max(1, math.ceil(target / base.height))
    folder = work / f"real-{dataset.name.split('.')[0]}-{copies}x-{fmt}"
    meta_file = folder / "meta.json"
    want = {"dataset": dataset.name, "sha256": digest, "copies": copies, "format": fmt, "steps": STEPS}
    if meta_file.is_file():
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        if {k: meta.get(k) for k in want} == want and (folder / meta["log"]).is_file():
            say(f"reusing {folder} ({meta['events']:,} events)")
            return folder, meta
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    say(f"writing {copies} copies of {dataset.name} ({base.height:,} events each) into {folder}")
    suffix = lambda k: pl.lit(f"-r{k}")  # noqa: E731
    frames = [
        base.lazy().with_columns(pl.col("case_id") + suffix(k), pl.col("performer") + suffix(k)) for k in range(copies)
    ]
    log = f"events.{fmt}"
    whole = pl.concat(frames)
    if fmt == "csv":
        whole.sink_csv(partial / log)
    else:
        whole.sink_parquet(partial / log)
    people = base.select(pl.col("performer").drop_nulls().unique().sort())
    roster = pl.concat(
        people.with_columns(person=pl.col("performer") + suffix(k)).select("person") for k in range(copies)
    )
    roster.with_columns(
        name=pl.col("person"), role=pl.lit(ROLE), **{"from": pl.lit("2000-01-01"), "to": None}
    ).write_csv(partial / "roster.csv")
    last = base.select(pl.col("timestamp").max()).item()
    meta = want | {
        "log": log,
        "roster": "roster.csv",
        "events": base.height * copies,
        "cases": base.select(pl.col("case_id").n_unique()).item() * copies,
        "as_of": (last + dt.timedelta(days=1)).isoformat(timespec="seconds"),
    }
    (partial / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    return folder, meta


def measure_one(opsbook: str, folder: Path, meta: dict, out: Path, repeat: int) -> dict:
    log = folder / meta["log"]
    warm(log)
    cmd = [opsbook, "check", str(log), "--roster", str(folder / meta["roster"]), "--as-of", meta["as_of"]]
    cmd += ["--handbook", str(REPO), "--format", "json", "--out", str(out), "-q", "--fail-on", "never"]
    runs = []
    for i in range(repeat):
        shutil.rmtree(out, ignore_errors=True)  # the report must be this run's
        sample, stderr = measured(cmd, f"{meta['events']:,} events")
        sample.phases = phases(stderr)
        runs.append(sample)
        say(f"{meta['events']:,} events ({i + 1}/{repeat}): {sample.seconds:.2f} s, {sample.maxrss_kb / MIB:.0f} MiB")
    report = without_findings(out / "findings.json")
    if report["meta"]["rows"]["read"] != meta["events"]:
        sys.exit(f"the report read {report['meta']['rows']['read']:,} rows, the log has {meta['events']:,}")
    runs.sort(key=lambda s: s.seconds)
    median = runs[len(runs) // 2]
    by_code = {c["code"]: c["count"] for c in report["summary"]["by_code"]}
    return {"meta": meta, "sample": median, "findings": report["summary"]["total"], "by_code": by_code}


def without_findings(path: Path) -> dict:
    """findings.json without its findings (millions of them would not fit in this process as Python values):
    the report writes one finding per line between ``  "findings": [`` and ``  ]``."""
    kept, skipping = [], False
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if skipping:
                if line.startswith("  ]"):
                    kept.append(line)
                    skipping = False
            elif line.startswith('  "findings": [') and not line.rstrip().rstrip(",").endswith("[]"):
                kept.append('  "findings": [\n')
                skipping = True
            else:
                kept.append(line)
    return json.loads("".join(kept))


def render(rows: list[dict], info: dict, when: str, repeat: int) -> str:
    rep = f" Repeats: {repeat} (median)." if repeat > 1 else " One run each."
    lines = [
        f"Measured {when} on {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM, {info['os']} "
        f"(load average at start {info['load']}); Python {info['python']}, polars {info['polars']}, "
        f"opsbook {info['opsbook']} (git {info['git']}).{rep}",
        "",
        "| format | copies | cases | events | end-to-end (s) | events/s | peak RSS (MiB) | findings | events per finding |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        m, s = r["meta"], r["sample"]
        per = f"{m['events'] / r['findings']:.1f}" if r["findings"] else "–"
        lines.append(
            f"| {m['format']} | {m['copies']:,} | {m['cases']:,} | {m['events']:,} | {s.seconds:.2f} | "
            f"{m['events'] / s.seconds:,.0f} | {s.maxrss_kb / MIB:,.0f} | {r['findings']:,} | {per} |"
        )
    lines += ["", "| events | " + " | ".join(PHASES) + " | start-up and rest |", "|---:|" + "---:|" * (len(PHASES) + 1)]
    for r in rows:
        values = [r["sample"].phases.get(p, 0.0) for p in PHASES]
        rest = r["sample"].seconds - sum(values)
        lines.append(f"| {r['meta']['events']:,} | " + " | ".join(f"{v:.2f}" for v in [*values, rest]) + " |")
    codes = sorted({c for r in rows for c in r["by_code"]})
    lines += ["", "Findings by rule:", "", "| events | " + " | ".join(codes) + " |", "|---:|" + "---:|" * len(codes)]
    for r in rows:
        lines.append(f"| {r['meta']['events']:,} | " + " | ".join(f"{r['by_code'].get(c, 0):,}" for c in codes) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    os.environ["OPSBOOK_TIMINGS"] = "1"
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=sizes, default=sizes("1e6,1e7"), help="target events (default 1e6,1e7)")
    ap.add_argument("--formats", default="parquet", help="parquet and/or csv (default parquet)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each measurement; the median is reported")
    ap.add_argument("--work", type=Path, default=Path("/tmp/opsbook-bench"), help="folder for logs and reports")
    ap.add_argument("--dataset", type=Path, default=DATASET, help=f"the public XES log (default {DATASET})")
    ap.add_argument("--out", type=Path, default=Path("docs/benchmarks.md"), help="Markdown file to update")
    ap.add_argument("--no-write", action="store_true", help="print the report only")
    args = ap.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if args.repeat < 1 or not formats or any(f not in ("csv", "parquet") for f in formats):
        ap.error("--repeat must be at least 1 and --formats csv and/or parquet")
    if not args.dataset.is_file():
        ap.error(f"{args.dataset} not found: the shared public datasets are beside the repository")
    work = args.work.resolve()
    if work == REPO or REPO in work.parents:
        ap.error(f"--work {work} is inside the repository; choose a folder outside it")
    sys.path.insert(0, str(REPO))
    from opsbook.loader import find_root, load

    handbook = load(find_root(REPO)).handbook
    opsbook = opsbook_command()
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    info = machine("polars", "opsbook")
    rows = []
    for target in args.sizes:
        for fmt in formats:
            folder, meta = replicated(work, target, fmt, args.dataset, handbook)
            rows.append(measure_one(opsbook, folder, meta, work / "reports" / folder.name, args.repeat))
    body = render(rows, info, when, args.repeat)
    print(body)
    if not args.no_write:
        out = args.out if args.out.is_absolute() else REPO / args.out
        write_section(out, (START, END), INTRO, body)
        say(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
