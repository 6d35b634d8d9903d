"""``opsbook simulate``: a realistic activity log with the findings a correct checker must report."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from opsbook import argtypes, exitcodes, interrupt, safepath
from opsbook.loader import find_root, load

from .clock import SimulationError
from .formats import FORMATS

# Bounds of the options, checked when the command line is parsed (a mistyped number is refused, not run).
MAX_CASES = 100_000_000
MAX_SEED = 2**63 - 1
MAX_DAYS = 36_600
MAX_JOBS = 256
START_RANGE = (date(1900, 1, 1), date(2999, 12, 31))  # the calendar's years are checked when the run starts


def add_parser(sub) -> None:
    p = sub.add_parser(
        "simulate",
        help="generate a realistic activity log with ground truth, for testing the checker",
        description="Generate cases that follow the handbook's processes and the recurring reports, meetings and "
        "return visits its obligations ask for, performed by a generated staff roster, with deviations of every "
        "kind the checker detects injected at the given rate. Writes events.<format>, roster.csv, "
        "ground-truth.jsonl (every finding a correct checker must report) and meta.json (as-of time, counts) into "
        "--out. The same seed gives the same bytes.",
        epilog="example: opsbook simulate --cases 10000 --deviation-rate 0.05 --seed 7 --out sim/\n"
        "         opsbook check sim/events.csv --roster sim/roster.csv --as-of <meta.json as_of>",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--cases", type=argtypes.whole(0, MAX_CASES), default=1000, metavar="N", help="number of cases (default: 1000)"
    )
    p.add_argument(
        "--deviation-rate",
        type=argtypes.share,
        default=0.05,
        metavar="P",
        help="share of cases and of obligation periods that get one injected deviation (default: 0.05)",
    )
    p.add_argument("--seed", type=argtypes.whole(0, MAX_SEED), default=0, metavar="S", help="random seed (default: 0)")
    p.add_argument(
        "--out",
        required=True,
        type=argtypes.path,
        metavar="DIR",
        help="folder to write into: new, empty, or written by an earlier opsbook simulate",
    )
    p.add_argument("--format", choices=tuple(FORMATS), default="csv", help="log format (default: csv)")
    p.add_argument(
        "--start",
        type=argtypes.day(*START_RANGE),
        default=date(2026, 3, 2),
        metavar="DATE",
        help="first day (default: 2026-03-02)",
    )
    p.add_argument(
        "--days",
        type=argtypes.whole(7, MAX_DAYS),
        default=270,
        metavar="N",
        help="length of the period in days (default: 270)",
    )
    argtypes.add_handbook_option(p)
    p.add_argument(
        "--chunk-size",
        type=argtypes.whole(1, MAX_CASES),
        default=10_000,
        metavar="N",
        help="cases generated at a time (default: 10000)",
    )
    p.add_argument(
        "--jobs",
        type=argtypes.whole(1, MAX_JOBS),
        default=min(os.cpu_count() or 1, 8),
        metavar="N",
        help="worker processes making chunks (default: the number of CPUs, at most 8); the output does not depend on it",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=cmd_simulate)


def cmd_simulate(args: argparse.Namespace) -> int:
    from .run import Settings, output_names, simulate  # numpy and the generator: only when simulating

    root = find_root(Path(args.handbook))
    out = safepath.guard(args.out, option="--out", kind="simulate", handbook=root)  # before the handbook is read
    result = load(root)
    if result.errors:
        for problem in result.errors:
            print(problem, file=sys.stderr)
        print(f"opsbook simulate: error: the handbook has {len(result.errors)} error(s)", file=sys.stderr)
        return exitcodes.BAD_INPUT
    settings = Settings(
        cases=args.cases,
        rate=args.deviation_rate,
        seed=args.seed,
        out=safepath.prepare(out, option="--out", kind="simulate", handbook=root),
        fmt=args.format,
        start=args.start,
        days=args.days,
        chunk=args.chunk_size,
        jobs=max(1, args.jobs),
    )
    try:
        with interrupt.interruptible():  # SIGTERM too, so the half-written files below are removed
            meta = simulate(settings, result.handbook)
    except BaseException as exc:
        # A run that does not finish (an error, Ctrl-C, SIGTERM) leaves none of its files: a half-written
        # log looks like a small complete one. The folder is ours (marked), and the next run rewrites them anyway.
        for name in output_names(args.format):
            (settings.out / name).unlink(missing_ok=True)
        if not isinstance(exc, SimulationError):
            raise
        print(f"opsbook simulate: error: {exc}", file=sys.stderr)
        return exitcodes.BAD_INPUT
    if not args.quiet:
        counts = meta["counts"]
        findings = sum(counts["findings"].values())
        print(
            f"wrote {counts['events']:,} events of {args.cases:,} cases and {findings:,} expected findings to {args.out}"
            f" (as of {meta['as_of']})"
        )
    return exitcodes.OK
