"""Benchmark of ``opsbook check --engine spark`` beside the local engine on the same simulated logs, rerunnable.

For each target size it generates (or reuses) a simulated CSV log exactly as bench/checker.py does, then
runs, each in a fresh process with OPSBOOK_TIMINGS=1:

- ``opsbook check LOG --roster ... --as-of ... --format json --out DIR -q --fail-on never`` (local engine);
- the same with ``--engine spark --spark-master MASTER`` (default ``local[2]``: this machine's two cores).

It requires the two JSON reports to be equal except ``meta.engine`` (the parity the tests assert, at a
size the tests do not reach), prints a Markdown table to stdout and rewrites the part of
docs/benchmarks.md between the markers below. Run from the repository root, with the spark extra and
Java 17 installed (scripts/test installs both):

    .venv/bin/python bench/spark.py [--sizes 1e4,1e5] [--master local[2]] [--work /tmp/opsbook-bench]
        [--out docs/benchmarks.md] [--no-write]
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

REPO = Path(__file__).resolve().parent.parent
START, END = "<!-- spark:start -->", "<!-- spark:end -->"
_spec = importlib.util.spec_from_file_location("bench_checker", REPO / "bench" / "checker.py")
base = importlib.util.module_from_spec(_spec)  # bench/checker.py: logs, measuring, sizes (not the checker package)
sys.modules[_spec.name] = base
_spec.loader.exec_module(base)

INTRO = """\
## Spark engine beside the local engine

`opsbook check --engine spark` on the same simulated CSV logs as the local
engine, on this one machine (`local[2]`: the driver and two executor threads).
Both reports are required to be equal except `meta.engine`. Rerun with:

```bash
.venv/bin/python bench/spark.py            # --sizes 1e4,1e5 --master 'local[2]'
```

"""


def run(opsbook: str, log, out: Path, extra: list[str], what: str):
    shutil.rmtree(out, ignore_errors=True)
    cmd = base.check_command(opsbook, log, out, None) + extra
    sample, stderr = base.measured(cmd, what)
    sample.phases = base.phases(stderr)
    base.say(f"{what}: {sample.seconds:.2f} s, {sample.maxrss_kb / base.MIB:.0f} MiB (driver)")
    report = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    report["meta"].pop("engine", None)
    return sample, report


def row(log, local, spark, findings: int) -> str:
    cells = [f"{log.events:,}", f"{findings:,}", f"{local.seconds:.1f}", f"{spark.seconds:.1f}"]
    cells += [f"{spark.seconds / local.seconds:.1f}×"]
    cells += [f"{spark.phases.get(p, 0):.1f}" for p in ("read", "cases", "log")]
    cells += [f"{local.maxrss_kb / base.MIB:,.0f}", f"{spark.maxrss_kb / base.MIB:,.0f}"]
    return "| " + " | ".join(cells) + " |"


def render(rows: list[str], master: str, info: dict, when: str) -> str:
    head = (
        f"Measured {when} on {info['nproc']} CPUs ({info['cpu']}), {info['memory']}, load {info['load']}; "
        f"Python {info['python']}, polars {info['polars']}, pyspark {info['pyspark']}, git {info['git']}; "
        f"Spark master `{master}`. Times in seconds, end to end; Spark's include starting the JVM and its Python "
        "workers (the total less the three phases, the driver's timings of its stages). Memory is the largest "
        "maximum resident set of the command or any one of its child processes (for Spark: usually the JVM)."
    )
    table = [
        "| events | findings | local s | spark s | spark / local | spark read s | spark cases s | spark log s "
        "| local MiB | spark MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
    ]
    honest = (
        "On one machine Spark is slower: it starts a JVM, moves every event through Arrow between the JVM and "
        "Python twice (read, then the case buckets) and shuffles on local disk, for no more cores than the "
        "local engine uses. What it buys is the other side of the line: logs that no single machine's disk "
        "or memory holds, read where they live by as many executors as the cluster has, with the same "
        "findings."
    )
    return "\n".join([head, "", *table, "", honest])


def write(out: Path, body: str) -> None:
    block = f"{START}\n{body}\n{END}"
    text = out.read_text(encoding="utf-8") if out.is_file() else "# 性能基准 / Benchmarks\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = f"{head}{block}{rest.split(END, 1)[1]}"
    else:
        text = text.rstrip("\n") + f"\n\n{INTRO}{block}\n"
    out.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    os.environ["OPSBOOK_TIMINGS"] = "1"
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=base.sizes, default=base.sizes("1e4,1e5"), help="target events (1e4,1e5)")
    ap.add_argument("--master", default="local[2]", help="the Spark master (default local[2])")
    ap.add_argument("--work", type=Path, default=Path("/tmp/opsbook-bench"), help="folder for logs and reports")
    ap.add_argument("--out", type=Path, default=Path("docs/benchmarks.md"), help="Markdown file to update")
    ap.add_argument("--no-write", action="store_true", help="print the report only")
    args = ap.parse_args(argv)
    args.work = args.work.resolve()
    if args.work == REPO or REPO in args.work.parents:
        ap.error(f"--work {args.work} is inside the repository; choose a folder outside it")
    opsbook = base.opsbook_command()
    from opsbook.loader import load

    digest = load(REPO).handbook.digest
    rows = []
    for target in args.sizes:
        log = base.simulated(args.work, target, "csv", opsbook, digest)
        base.warm(log.path)
        reports = args.work / "reports" / f"spark-{log.folder.name}"
        local, want = run(opsbook, log, reports / "local", [], f"local {log.events:,} events")
        spark, got = run(opsbook, log, reports / "spark", ["--engine", "spark", "--spark-master", args.master], "spark")
        if got != want:
            sys.exit(f"the Spark report differs from the local one on {log.path}: see {reports}")
        rows.append(row(log, local, spark, len(want["findings"])))
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = render(rows, args.master, machine("polars", "pyspark"), when)
    print(body)
    if not args.no_write:
        write(args.out if args.out.is_absolute() else REPO / args.out, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
