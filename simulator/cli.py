"""``opsbook simulate``: a realistic activity log with the findings a correct checker must report."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from opsbook import exitcodes
from opsbook.loader import find_root, load

from .clock import SimulationError
from .run import Settings, simulate
from .writers import FORMATS


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
    p.add_argument("--cases", type=int, default=1000, metavar="N", help="number of cases (default: 1000)")
    p.add_argument(
        "--deviation-rate",
        type=float,
        default=0.05,
        metavar="P",
        help="share of cases and of obligation periods that get one injected deviation (default: 0.05)",
    )
    p.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default: 0)")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    p.add_argument("--format", choices=tuple(FORMATS), default="csv", help="log format (default: csv)")
    p.add_argument(
        "--start",
        type=date.fromisoformat,
        default=date(2026, 3, 2),
        metavar="DATE",
        help="first day (default: 2026-03-02)",
    )
    p.add_argument("--days", type=int, default=270, metavar="N", help="length of the period in days (default: 270)")
    p.add_argument(
        "--handbook", default=".", metavar="PATH", help="the handbook folder (default: nearest with handbook.yaml)"
    )
    p.add_argument(
        "--chunk-size", type=int, default=10_000, metavar="N", help="cases generated at a time (default: 10000)"
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=min(os.cpu_count() or 1, 8),
        metavar="N",
        help="worker processes making chunks (default: the number of CPUs, at most 8); the output does not depend on it",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=cmd_simulate)


def cmd_simulate(args: argparse.Namespace) -> int:
    result = load(find_root(Path(args.handbook)))
    if result.errors:
        for problem in result.errors:
            print(problem, file=sys.stderr)
        print(f"opsbook simulate: error: the handbook has {len(result.errors)} error(s)", file=sys.stderr)
        return exitcodes.BAD_INPUT
    settings = Settings(
        cases=args.cases,
        rate=args.deviation_rate,
        seed=args.seed,
        out=Path(args.out),
        fmt=args.format,
        start=args.start,
        days=args.days,
        chunk=args.chunk_size,
        jobs=max(1, args.jobs),
    )
    try:
        meta = simulate(settings, result.handbook)
    except SimulationError as exc:
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
