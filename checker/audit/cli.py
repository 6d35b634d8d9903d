"""``opsbook diff-findings A B`` and ``opsbook sample LOG ...``: the audit across runs on the command line."""

from __future__ import annotations

import argparse
import hashlib
import json
import shlex
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from opsbook import __version__, argtypes, exitcodes, safepath
from opsbook.calendar import CalendarRangeError, WorkCalendar
from opsbook.i18n import tr, translator
from opsbook.loader import find_root

from .. import pipeline
from ..cli import CheckError, Progress, _handbook, _instant, _mapping
from ..options import add_log_inputs
from ..readers import LogError
from ..roster import read_roster
from . import baseline, sample
from .baseline import NEW, NOT_REEXAMINED, RESOLVED
from .cases import CaseLog
from .sections import change_lines

MAX_SIZE = 1_000_000  # cases per stratum: beyond any manual test


def add_parsers(sub) -> None:
    p = sub.add_parser(
        "diff-findings",
        help="compare two findings.json reports: new, persisting and resolved findings",
        description="Compare the findings.json of an earlier audit (A) with a later one (B) by the findings' stable "
        "keys: new in B, persisting (with when first seen), resolved (in A, not in B, for cases B still checked), "
        "and not re-examined (A's case is not in B's log, or its period is outside B's audit window).",
        epilog="exit codes: 0 nothing new, 1 new findings in B, 2 bad input.",
    )
    p.add_argument("before", type=argtypes.regular_file, metavar="A", help="findings.json of the earlier audit")
    p.add_argument("after", type=argtypes.regular_file, metavar="B", help="findings.json of the later audit")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language (default: zh)")
    p.set_defaults(func=cmd_diff)

    s = sub.add_parser(
        "sample",
        help="draw a reproducible sample of cases for manual testing, as a working paper",
        description="Check the logs, then draw cases for manual testing (attribute sampling, ISA 530): a fixed "
        "--size, or the size computed from --confidence, --tolerable-rate and --expected-rate; optionally "
        "stratified by process and by whether the checker found anything. Writes sample.xlsx (one row per case: "
        "its events, the steps the manual requires, the checker's findings, columns for the tester's conclusion "
        "and sign-off) and sample.json (every parameter, to draw the same sample again).",
        epilog="example: opsbook sample examples/sample-log.csv --mapping examples/mapping.yaml "
        "--roster examples/roster.csv --size 5 --seed 20260701 --stratify findings --out sample/",
    )
    add_log_inputs(s)
    s.add_argument(
        "--process",
        type=argtypes.text,
        metavar="IDS",
        help="only cases of these processes, comma-separated (default: all)",
    )
    s.add_argument("--size", type=argtypes.whole(1, MAX_SIZE), metavar="N", help="cases per stratum")
    s.add_argument("--confidence", type=argtypes.percent, metavar="PCT", help="confidence level in percent, e.g. 95")
    s.add_argument(
        "--tolerable-rate", type=argtypes.percent, metavar="PCT", help="tolerable deviation rate in percent, e.g. 5"
    )
    s.add_argument(
        "--expected-rate", type=argtypes.percent, metavar="PCT", help="expected deviation rate in percent, e.g. 1"
    )
    s.add_argument(
        "--seed",
        type=argtypes.whole(0, 2**63 - 1),
        required=True,
        metavar="S",
        help="random seed: write it in the working paper",
    )
    s.add_argument(
        "--stratify",
        default="",
        type=argtypes.text,
        metavar="BY",
        help="comma-separated: process, findings (default: no strata)",
    )
    s.add_argument(
        "--out",
        required=True,
        type=argtypes.path,
        metavar="DIR",
        help="folder for sample.xlsx and sample.json: new, empty, or written by an earlier opsbook sample",
    )
    s.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the working paper (default: zh)")
    s.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    s.set_defaults(func=cmd_sample, col_case_id=None, col_activity=None, col_timestamp=None)
    s.set_defaults(col_performer=None, col_role=None, attribute=[])


def cmd_diff(args: argparse.Namespace) -> int:
    try:
        before, after = baseline.read(args.before, args.lang), baseline.read(args.after, args.lang)
    except baseline.BaselineError as exc:
        print(f"opsbook diff-findings: error: {exc}", file=sys.stderr)
        return exitcodes.BAD_INPUT
    changes = baseline.compare(before, after)
    rows = change_rows(changes, after)
    if args.format == "json":
        print(json.dumps({**changes.to_dict(), "rows": rows}, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        print(f"{before.source} → {after.source}")
        print("\n".join(change_lines(changes, rows, translator("report", args.lang))))
    return exitcodes.FINDINGS if changes.counts[NEW] else exitcodes.OK


def change_rows(changes: baseline.Changes, after: baseline.Run) -> list[dict]:
    rows = [{"status": changes.status[k], "key": k, **changes.annotate(k)} for k in sorted(after.findings)]
    rows += [{"status": RESOLVED, "key": e["key"], "first_seen": e.get("first_seen")} for e in changes.resolved]
    rows += [
        {"status": NOT_REEXAMINED, "key": e["key"], "first_seen": e.get("first_seen")} for e in changes.not_reexamined
    ]
    return rows


def cmd_sample(args: argparse.Namespace) -> int:
    try:
        return _sample(args)
    except (CheckError, LogError, CalendarRangeError, ValueError, OSError) as exc:
        print(f"opsbook sample: error: {exc}", file=sys.stderr)
        return exitcodes.BAD_INPUT


def _size(args) -> tuple[int, dict]:
    rates = (args.confidence, args.tolerable_rate, args.expected_rate)
    if args.size is not None and args.size >= 1 and not any(r is not None for r in rates):
        return args.size, {"size": args.size}
    if args.size is None and all(r is not None for r in rates):
        try:
            n, k = sample.attribute_sample_size(*rates)
        except sample.SampleError:
            raise CheckError(
                tr("cli", "sample.bad-rates", args.lang, expected=args.expected_rate, tolerable=args.tolerable_rate)
            ) from None
        return n, {
            "confidence": args.confidence,
            "tolerable_rate": args.tolerable_rate,
            "expected_rate": args.expected_rate,
            "size": n,
            "deviations_allowed": k,
        }
    raise CheckError(tr("cli", "sample.size-needed", args.lang))


def _command(args, selection: dict, sizing: dict) -> str:
    """The command that draws this sample again (add ``--out DIR``), with the as-of and from times made explicit."""
    argv = ["opsbook", "sample", *args.logs]
    for flag, value in (("--mapping", args.mapping), ("--roster", args.roster), ("--encoding", args.encoding)):
        argv += [flag, value] if value else []
    argv += ["--as-of", selection["as_of"], "--from", selection["from"], "--process", ",".join(selection["processes"])]
    if "confidence" in sizing:
        argv += ["--confidence", str(args.confidence), "--tolerable-rate", str(args.tolerable_rate)]
        argv += ["--expected-rate", str(args.expected_rate)]
    else:
        argv += ["--size", str(sizing["size"])]
    argv += ["--seed", str(args.seed)] + (
        ["--stratify", ",".join(selection["stratify"])] if selection["stratify"] else []
    )
    return shlex.join(argv)  # without --out: the same sample, wherever it is written


def _sample(args: argparse.Namespace) -> int:
    from . import workpaper  # openpyxl (and numpy): only when a sample is written

    inputs = [*args.logs, *(f for f in (args.roster, args.mapping) if f)]
    guarded = {"option": "--out", "kind": "sample", "handbook": find_root(Path(args.handbook)), "inputs": inputs}
    safepath.guard(args.out, **guarded)  # refused before anything is read (opsbook.safepath)
    size, sizing = _size(args)
    stratify = tuple(s.strip() for s in args.stratify.split(",") if s.strip())
    if any(s not in sample.STRATA for s in stratify):
        raise CheckError(f"--stratify takes {', '.join(sample.STRATA)}, not {args.stratify!r}")
    handbook = _handbook(args)
    known = [p.id for p in handbook.processes]
    processes = [p.strip() for p in args.process.split(",") if p.strip()] if args.process else known
    for p in processes:
        if p not in known:
            raise CheckError(tr("cli", "sample.unknown-process", args.lang, process=p, known=", ".join(known)))
    for log in args.logs:
        if not Path(log).is_file():
            raise CheckError(f"{log}: no such file")
    tz = ZoneInfo(handbook.timezone)
    calendar = WorkCalendar.china({datetime.fromisoformat(d).date(): w for d, w, _ in handbook.calendar_overrides})
    roster = read_roster(args.roster, handbook.roles) if args.roster else None
    cases = CaseLog(keep=set(processes))
    progress = Progress(args.quiet)
    try:
        run = pipeline.audit(
            args.logs,
            handbook,
            mapping=_mapping(args),
            tz=tz,
            calendar=calendar,
            roster=roster,
            encoding=args.encoding,
            as_of=_instant(args.as_of, tz, "--as-of") if args.as_of else None,
            start=_instant(args.start, tz, "--from") if args.start else None,
            progress=progress,
            observe=cases,
        )
    except pipeline.NoEvents as exc:
        raise CheckError(str(exc)) from None
    finally:
        progress.close()
    population = [(p, c) for p, c in cases.table().select("process", "case_id").iter_rows() if p in processes]
    if not population:
        raise CheckError(tr("cli", "sample.no-cases", args.lang, processes=", ".join(processes)))
    flagged = {(f.process, f.case_id) for f in run.findings if f.case_id is not None}
    drawn, strata = sample.draw(population, flagged, size=size, seed=args.seed, stratify=stratify)
    table = workpaper.rows(drawn, cases.events(), run.findings, handbook, tz, args.lang)
    selection = {
        "method": tr("report", "sample.method", args.lang),
        "tool_version": __version__,
        "logs": [{"path": log, "sha256": hashlib.sha256(Path(log).read_bytes()).hexdigest()} for log in args.logs],
        "handbook": {"organisation": handbook.organisation, "version": handbook.version, "digest": handbook.digest},
        "as_of": run.as_of.astimezone(tz).isoformat(),
        "from": run.start.astimezone(tz).isoformat(),
        "processes": processes,
        "seed": args.seed,
        "sizing": sizing,
        "stratify": list(stratify),
        "strata": [{"stratum": s.name, "population": s.population, "sample": s.size} for s in strata],
        "drawn": [{"stratum": d.stratum, "process": d.process, "case_id": d.case_id, "rank": d.rank} for d in drawn],
    }
    selection["command"] = _command(args, selection, sizing)
    written = workpaper.write(safepath.prepare(args.out, **guarded), table, selection, args.lang)
    counts = {"size": len(drawn), "population": len(population), "seed": args.seed}
    print(tr("cli", "sample.wrote", args.lang, path=written[0], **counts), file=sys.stderr)
    return exitcodes.OK
