"""Benchmark of ``opsbook check`` end to end, against a bare Polars read and against pm4py, rerunnable.

For each target size (events) and log format it generates a simulated log with the project's simulator
(``opsbook simulate --cases N --seed 1 --format FMT -q --jobs 2``, N = events / 7.4 rounded to three
significant digits) into a work folder outside the repository, reusing a log already generated there with
the same parameters and handbook. It then measures, each run in a fresh child process:

- end to end: ``opsbook check LOG --roster roster.csv --as-of <meta.json as_of> --format json --out DIR -q
  --fail-on never`` (read + check + write the JSON report); exit code 0 and the report are required;
- the floor: reading the same file into Polars and nothing else (``pl.scan_csv(path, infer_schema=False)
  .collect()`` or ``pl.read_parquet(path)``);
- with pm4py (a separate virtualenv, bench/.venv-pm4py, made by bench/setup-pm4py; pm4py is AGPL and never a
  dependency of opsbook): bench/pm4py_run.py on the same file with the shared constraint set derived here
  from the handbook, and ``opsbook check ... --rules C101,C103,C107,C108`` for the same constraints;
  their violating cases are compared.

It prints progress to stderr and a Markdown report to stdout, and rewrites the part of docs/benchmarks.md
between its markers (in bench/checker_report.py). Run from the repository root:

    .venv/bin/python bench/checker.py [--sizes 1e4,1e5,1e6,1e7,3e7] [--formats csv,parquet] [--repeat 1]
        [--work /tmp/opsbook-bench] [--pm4py | --no-pm4py] [--pm4py-max-events 1e7] [--pm4py-timeout 600]
        [--out docs/benchmarks.md] [--no-write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

# Imported `as` themselves: not used here, re-exported for bench/spark.py, which loads this file for them.
from checker_logs import DEVIATION_RATE, constraint_set, shared_steps, simulated
from checker_report import render, write_report
from checker_runs import PM4PY_VENV, bench_one, startup
from checker_runs import check_command as check_command
from machine import machine
from measure import MIB as MIB
from measure import REPO, opsbook_command, say, sizes
from measure import measured as measured
from measure import phases as phases
from measure import warm as warm

# --------------------------------------------------------------------------- main


def formats(text: str) -> list[str]:
    values = [x.strip() for x in text.split(",") if x.strip()]
    if not values or any(v not in ("csv", "parquet") for v in values):
        raise argparse.ArgumentTypeError(f"formats are csv and/or parquet, not {text!r}")
    return list(dict.fromkeys(values))


def main(argv: list[str] | None = None) -> int:
    os.environ["OPSBOOK_TIMINGS"] = "1"  # opsbook check then prints where its time goes
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--sizes", type=sizes, default=sizes("1e4,1e5,1e6,1e7,3e7"), help="target events (default 1e4,1e5,1e6,1e7,3e7)"
    )
    ap.add_argument("--formats", type=formats, default=["csv", "parquet"], help="csv and/or parquet (default both)")
    ap.add_argument(
        "--deviation-rate",
        type=float,
        default=DEVIATION_RATE,
        help=f"the simulator's deviation rate (default {DEVIATION_RATE}; 1.0 gives about one finding in seven events)",
    )
    ap.add_argument("--repeat", type=int, default=1, help="runs of each measurement; the median is reported")
    ap.add_argument("--work", type=Path, default=Path("/tmp/opsbook-bench"), help="folder for logs and reports")
    ap.add_argument(
        "--pm4py",
        dest="pm4py",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="compare with pm4py (default: when bench/.venv-pm4py exists)",
    )
    ap.add_argument("--pm4py-max-events", type=float, default=1e7, help="largest target size pm4py runs (default 1e7)")
    ap.add_argument("--pm4py-timeout", type=float, default=600, help="seconds before a pm4py run is given up (600)")
    ap.add_argument("--out", type=Path, default=Path("docs/benchmarks.md"), help="Markdown file to update")
    ap.add_argument(
        "--opsbook",
        metavar="COMMAND",
        help="the opsbook executable to simulate and measure (default: the one beside this Python)",
    )
    ap.add_argument("--no-write", action="store_true", help="print the report only")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    args.work = args.work.resolve()
    if args.work == REPO or REPO in args.work.parents:
        ap.error(f"--work {args.work} is inside the repository; choose a folder outside it")
    out = args.out if args.out.is_absolute() else REPO / args.out
    opsbook = args.opsbook or opsbook_command()

    pm4py_python = PM4PY_VENV / "bin" / "python"
    pm4py_state = ""
    if args.pm4py and not pm4py_python.is_file():
        ap.error(f"--pm4py needs {PM4PY_VENV}: run bench/setup-pm4py first")
    args.pm4py_enabled = args.pm4py if args.pm4py is not None else pm4py_python.is_file()
    if not args.pm4py_enabled:
        pm4py_state = (
            "not compared in this run (--no-pm4py)."
            if args.pm4py is False
            else f"not compared in this run: {PM4PY_VENV.relative_to(REPO)} does not exist (run bench/setup-pm4py)."
        )

    sys.path.insert(0, str(REPO))
    from opsbook.loader import find_root, load

    loaded = load(find_root(REPO))
    if loaded.errors:
        sys.exit(f"the handbook has {len(loaded.errors)} error(s); run 'opsbook validate'")
    handbook = loaded.handbook
    spec = constraint_set(handbook)
    args.work.mkdir(parents=True, exist_ok=True)
    spec_file = args.work / "constraints.json"
    spec_file.write_text(json.dumps(spec, ensure_ascii=False, indent=1), encoding="utf-8")
    shared = shared_steps(spec)

    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    info = machine("polars", "opsbook")
    if args.opsbook:
        info["git"] += f"; command measured: {args.opsbook}"
    args.heavy = args.deviation_rate != DEVIATION_RATE
    args.startup = None if args.heavy else startup(opsbook, max(5, args.repeat))
    rows = []
    for target in args.sizes:
        for fmt in args.formats:
            log = simulated(args.work, target, fmt, opsbook, handbook.digest, args.deviation_rate)
            rows.append(bench_one(log, args, opsbook, spec_file, shared))

    body = render(rows, spec, info, args, when, pm4py_state)
    print(body)
    if not args.no_write:
        write_report(out, body, args.heavy)
        say(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
