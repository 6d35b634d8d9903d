"""Benchmark of ``opsbook check --engine spark`` beside the local engine on the same simulated logs, rerunnable.

For each target size it generates (or reuses) a simulated CSV log exactly as bench/checker.py does, then
runs, each in a fresh process with OPSBOOK_TIMINGS=1 (so every run's phases are printed):

- ``opsbook check LOG --roster ... --as-of ... --format json --out DIR -q --fail-on never`` (local engine);
- the same with ``--engine spark --spark-master MASTER`` (default ``local[2]``: this machine's two cores);
- the same on a standalone Spark cluster of 1, then 2 workers (``--workers 1,2``; 1 core each), a master
  and workers started as separate JVMs from pyspark's own ``spark-class`` by tests/checker/spark_cluster.py
  and stopped afterwards. ``--workers ''`` skips the clusters.

Every Spark report must equal the local one except ``meta.engine`` (the parity the tests assert, at sizes
the tests do not reach). It prints a Markdown table to stdout and rewrites the part of docs/benchmarks.md
between the markers below. Run from the repository root, with the spark extra and Java 17 installed
(scripts/test installs both):

    .venv/bin/python bench/spark.py [--sizes 1e6,1e7] [--master local[2]] [--workers 1,2]
        [--executor-memory 2g] [--work /tmp/opsbook-bench] [--out docs/benchmarks.md] [--no-write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

from machine import machine
from measure import write_section

REPO = Path(__file__).resolve().parent.parent
START, END = "<!-- spark:start -->", "<!-- spark:end -->"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


base = _load("bench_checker", REPO / "bench" / "checker.py")  # logs, measuring, sizes (not the checker package)
clusters = _load("spark_cluster", REPO / "tests" / "checker" / "spark_cluster.py")  # the tests' standalone cluster

INTRO = """\
## Spark engine beside the local engine

`opsbook check --engine spark` on the same simulated CSV logs as the local
engine, on this one machine: in `local[2]` (the driver and two executor
threads in one JVM), and on a standalone cluster of one, then two workers (one
core each, each its own JVM, on this same machine). Every Spark report is
required to be equal to the local one except `meta.engine`. Rerun with:

```bash
.venv/bin/python bench/spark.py --sizes 1e6,1e7     # --master 'local[2]' --workers 1,2
```

"""


def run(opsbook: str, log, out: Path, extra: list[str], what: str):
    shutil.rmtree(out, ignore_errors=True)
    cmd = base.check_command(opsbook, log, out, None) + extra
    sample, stderr = base.measured(cmd, what)
    sample.phases = base.phases(stderr)
    shown = ", ".join(f"{k} {v:.1f}" for k, v in sample.phases.items())
    base.say(f"{what}: {sample.seconds:.2f} s ({shown}), {sample.maxrss_kb / base.MIB:.0f} MiB (driver)")
    report = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    report["meta"].pop("engine", None)
    return sample, report


def row(log, what: str, sample, local, findings: int) -> str:
    other = sample.seconds - sum(sample.phases.values())  # starting Python, the JVM and its workers
    cells = [
        f"{log.events:,}",
        f"{findings:,}",
        what,
        f"{sample.seconds:.1f}",
        f"{sample.seconds / local.seconds:.1f}×",
    ]
    cells += [f"{sample.phases.get(p, 0):.1f}" for p in ("read", "cases", "log")]
    cells += [f"{max(other, 0):.1f}", f"{sample.maxrss_kb / base.MIB:,.0f}"]
    return "| " + " | ".join(cells) + " |"


def render(rows: list[str], master: str, workers: list[int], info: dict, when: str) -> str:
    setups = f"Spark master `{master}`" + (
        f"; standalone clusters of {' and '.join(map(str, workers))} worker(s), 1 core each" if workers else ""
    )
    head = (
        f"Measured {when} on {info['nproc']} CPUs ({info['cpu']}), {info['memory']}, load {info['load']}; "
        f"Python {info['python']}, polars {info['polars']}, pyspark {info['pyspark']}, git {info['git']}; "
        f"{setups}. Times in seconds, end to end; read, cases and log are the driver's timings of its stages, "
        "other is the total less every phase opsbook times (handbook, read, cases, log, report): starting "
        "Python, the JVM, the Spark session and its Python workers. "
        "Memory is the largest maximum resident set of the command or any one of its child processes: for "
        "local[2] usually the JVM, for a cluster the driver only (the executors are the workers' children)."
    )
    table = [
        "| events | findings | run | total s | × local | read s | cases s | log s | other s | MiB |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
    ]
    honest = (
        "On one machine Spark is slower than the local engine: it starts JVMs, moves every event through "
        "Arrow between the JVM and Python twice (read, then the case buckets) and shuffles through local disk, "
        "for no more cores than the local engine uses. The cluster rows run the driver, the master and the "
        "workers on the same two cores: a second worker can at most halve the read and cases stages, never "
        "the start-up, the driver's log stage or the report, so these rows show the cost of distribution "
        "more than its gain. What Spark buys is the other side of the line: logs that no single machine's "
        "disk or memory holds, read where they live (HDFS, S3) by as many executors as the cluster has, with "
        "the same findings; there the read and cases stages divide over the executors, and the log stage and "
        "the report stay on the driver."
    )
    return "\n".join([head, "", *table, "", honest])


def workers_list(text: str) -> list[int]:
    return [int(n) for n in text.replace(" ", "").split(",") if n and n != "0"]


def cluster_flags(master: str, memory: str) -> list[str]:
    conf = [
        f"spark.driver.host={clusters.HOST}",
        f"spark.driver.bindAddress={clusters.HOST}",
        f"spark.executor.memory={memory}",
    ]
    return ["--engine", "spark", "--spark-master", master, *(a for pair in conf for a in ("--spark-conf", pair))]


def main(argv: list[str] | None = None) -> int:
    os.environ["OPSBOOK_TIMINGS"] = "1"
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=base.sizes, default=base.sizes("1e4,1e5"), help="target events (1e4,1e5)")
    ap.add_argument("--master", default="local[2]", help="the Spark master beside local (default local[2])")
    ap.add_argument("--workers", type=workers_list, default=[1, 2], help="standalone clusters to run (1,2; '' none)")
    ap.add_argument("--executor-memory", default="2g", help="memory of each cluster worker and executor (2g)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/opsbook-bench"), help="folder for logs and reports")
    ap.add_argument("--out", type=Path, default=Path("docs/benchmarks.md"), help="Markdown file to update")
    ap.add_argument("--no-write", action="store_true", help="print the report only")
    args = ap.parse_args(argv)
    args.work = args.work.resolve()
    if args.work == REPO or REPO in args.work.parents:
        ap.error(f"--work {args.work} is inside the repository; choose a folder outside it")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the cluster's executors run this Python
    opsbook = base.opsbook_command()
    from opsbook.loader import load

    digest = load(REPO).handbook.digest
    logs, local, spark = [], {}, {}  # spark: (log folder, run) -> sample
    for target in args.sizes:
        log = base.simulated(args.work, target, "csv", opsbook, digest)
        base.warm(log.path)
        logs.append(log)
        folder = args.work / "reports" / f"spark-{log.folder.name}"
        local[log.folder] = run(opsbook, log, folder / "local", [], f"local {log.events:,} events")
        master = ["--engine", "spark", "--spark-master", args.master]
        spark[log.folder, args.master] = run(opsbook, log, folder / "spark", master, f"spark {args.master}")
    for count in args.workers:
        with clusters.standalone(args.work / f"cluster-{count}", count, args.executor_memory) as cluster:
            base.say(f"standalone cluster with {count} worker(s) at {cluster.master}")
            for log in logs:
                folder = args.work / "reports" / f"spark-{log.folder.name}" / f"cluster-{count}"
                flags = cluster_flags(cluster.master, args.executor_memory)
                spark[log.folder, count] = run(opsbook, log, folder, flags, f"spark, {count} worker(s)")
    rows = []
    for log in logs:
        sample, want = local[log.folder]
        findings = len(want["findings"])
        rows.append(row(log, "local engine", sample, sample, findings))
        for setup in [args.master, *args.workers]:
            got_sample, got = spark[log.folder, setup]
            if got != want:
                sys.exit(f"the Spark report ({setup}) differs from the local one on {log.path}")
            what = f"spark `{setup}`" if setup == args.master else f"spark, {setup} worker{'s' * (setup > 1)}"
            rows.append(row(log, what, got_sample, sample, findings))
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = render(rows, args.master, args.workers, machine("polars", "pyspark"), when)
    print(body)
    if not args.no_write:
        write_section(args.out if args.out.is_absolute() else REPO / args.out, (START, END), INTRO, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
