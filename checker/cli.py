"""``opsbook check``: activity logs in, evidence-backed findings out."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from opsbook import __version__, argtypes, exitcodes, interrupt, safepath
from opsbook.calendar import CalendarRangeError, WorkCalendar
from opsbook.diff.editions import RoleReleases, role_releases
from opsbook.loader import find_root, load
from opsbook.model import Handbook
from opsbook.terminal import printable

from . import periods, pipeline
from .audit import run as audit_run
from .audit.cases import CaseLog
from .events import Rejected
from .finding import SEVERITIES
from .mapping import Mapping
from .readers import LogError, parse_timestamps
from .redact import ENV as REDACT_ENV
from .redact import from_options as redactor_from
from .report import Report
from .reports import WRITERS, render_text, write_reports
from .roster import read_roster
from .rules import REGISTRY
from .spark import options as spark_options
from .texts import Names

FAIL_ON = ("violation", "warning", "never")
TIMINGS_ENV = "OPSBOOK_TIMINGS"  # set: print the wall time of each phase to stderr (used by bench/checker.py)


MAX_BUCKET_EVENTS = 10**12  # beyond any memory: a larger number is a typing mistake


class CheckError(Exception):
    """Unusable input: printed as one line, exit code 2."""


def add_parser(sub) -> None:
    p = sub.add_parser(
        "check",
        help="check activity logs against the handbook",
        description="Read activity logs (CSV in UTF-8/GBK, JSON Lines, Parquet, XLSX, XES, .xes.gz), map each event to "
        "its process step or recurring obligation by its activity label, and report every deviation from the "
        "handbook: missing, overdue and out-of-order steps, deadlines, roles, four-eyes rules, counts and recurring "
        "obligations. Every finding carries its evidence and a link to the clause of the manual it breaks.",
        epilog="exit codes: 0 no finding at or above --fail-on, 1 findings, 2 bad input or usage.\n"
        "example: opsbook check examples/sample-log.csv --mapping examples/mapping.yaml "
        "--roster examples/roster.csv --out out/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "logs", nargs="+", type=argtypes.path, metavar="LOG", help="activity log file(s), e.g. one per month"
    )
    p.add_argument(
        "--handbook",
        default=".",
        type=argtypes.existing,
        metavar="PATH",
        help="the handbook folder (default: nearest with handbook.yaml)",
    )
    p.add_argument(
        "--roster",
        type=argtypes.regular_file,
        metavar="FILE",
        help="person → role(s) with optional from/to dates (CSV, XLSX or YAML)",
    )
    p.add_argument(
        "--mapping",
        type=argtypes.regular_file,
        metavar="FILE",
        help="YAML mapping the log's own headers to case_id, activity, timestamp ...",
    )
    for field in ("case_id", "activity", "timestamp", "performer", "role"):
        p.add_argument(
            f"--{field.replace('_', '-')}-column",
            dest=f"col_{field}",
            type=argtypes.text,
            metavar="HEADER",
            help=f"the log header holding the {field} (overrides --mapping)",
        )
    p.add_argument(
        "--attribute",
        action="append",
        default=[],
        type=argtypes.text,
        metavar="NAME=HEADER",
        help="map a log header to a case attribute (repeatable)",
    )
    p.add_argument(
        "--encoding",
        type=argtypes.text_encoding,
        help="encoding of CSV logs (default: detect UTF-8, UTF-8 with BOM or GB18030)",
    )
    p.add_argument(
        "--as-of",
        type=argtypes.text,
        metavar="TIME",
        help="the instant the audit is run for (default: the latest event); local time unless it has an offset",
    )
    p.add_argument(
        "--from",
        dest="start",
        type=argtypes.text,
        metavar="TIME",
        help="evaluate recurring obligations from this time (default: the earliest event)",
    )
    p.add_argument(
        "--rules", type=argtypes.text, metavar="CODES", help="only these rule codes, comma-separated (default: all)"
    )
    p.add_argument(
        "--format",
        default="text",
        type=argtypes.text,
        metavar="FORMATS",
        help=f"comma-separated, from {', '.join(WRITERS)} (default: text)",
    )
    p.add_argument(
        "--out", type=argtypes.path, metavar="DIR", help="write the reports into DIR (default: print the text report)"
    )
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="report language (default: zh)")
    p.add_argument(
        "--base-url",
        type=argtypes.text,
        metavar="URL",
        help="prefix of links to the manual (default: the local site/ folder)",
    )
    p.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="violation",
        help="exit 1 when a finding is at least this severe (default: violation)",
    )
    p.add_argument(
        "--redact",
        action="store_true",
        help="replace case ids, person names and phone numbers in every report by stable keyed pseudonyms",
    )
    p.add_argument(
        "--redact-key-file",
        type=argtypes.regular_file,
        metavar="FILE",
        help=f"the secret key for --redact (default: the environment variable {REDACT_ENV}; there is no default key)",
    )
    p.add_argument(
        "--bucket-events",
        type=argtypes.whole(1, MAX_BUCKET_EVENTS),
        default=pipeline.BUCKET_EVENTS,
        metavar="N",
        help="check at most about N step events at a time; bigger logs are spilled to disk in case buckets "
        f"(default: {pipeline.BUCKET_EVENTS:,}; lower it to use less memory)",
    )
    p.add_argument(
        "--spill-dir",
        type=argtypes.folder,
        metavar="DIR",
        help="folder in which a private (0700) folder takes the temporary files of large logs, removed afterwards, "
        "also on Ctrl-C or SIGTERM (default: the system's temp folder)",
    )
    audit_run.add_arguments(p)
    spark_options.add_arguments(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    p.set_defaults(func=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    try:
        with interrupt.interruptible():  # SIGTERM too: the private spill folder is removed on the way out
            return _check(args)
    except (CheckError, LogError, CalendarRangeError, ValueError, OSError) as exc:
        print(f"opsbook check: error: {exc}", file=sys.stderr)
        return exitcodes.BAD_INPUT


class Progress:
    """One line on stderr that redraws itself: the phase, and a bar when its share done is known.

    Silent with --quiet or when stderr is not a terminal (a log file or a pipe gets no progress).
    """

    WIDTH = 24

    def __init__(self, quiet: bool, stream=None):
        self.stream = stream or getattr(sys.stderr, "raw", sys.stderr)  # its own escapes, not escaped
        self.on = not quiet and self.stream.isatty()
        self.drawn = False

    def __call__(self, message: str, done: float | None = None) -> None:
        if not self.on:
            return
        bar = ""
        if done is not None:
            share = min(max(done, 0.0), 1.0)
            full = round(share * self.WIDTH)
            bar = f" [{'#' * full}{'-' * (self.WIDTH - full)}] {share:4.0%}"
        self.stream.write(f"\r\x1b[K… {printable(message)}{bar}")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False


def _instant(text: str, tz: ZoneInfo, what: str) -> datetime:
    parsed = pl.select(parse_timestamps(pl.lit(text), tz.key)).item()
    if parsed is None:
        raise CheckError(f"{what} {text!r} is not a time (use e.g. 2026-06-30 23:59 or 2026-06-30T23:59:00+08:00)")
    return parsed


def _mapping(args) -> Mapping | None:
    mapping = Mapping.load(Path(args.mapping)) if args.mapping else None
    flags = {f: getattr(args, f"col_{f}") for f in ("case_id", "activity", "timestamp", "performer", "role")}
    if any(flags.values()) or args.attribute:
        from_flags = Mapping.from_flags(**flags, attributes=args.attribute)
        mapping = mapping.merged(from_flags) if mapping else from_flags
    return mapping


def _handbook(args) -> Handbook:
    result = load(find_root(Path(args.handbook)))
    if result.errors:
        for problem in result.errors:
            print(problem, file=sys.stderr)
        raise CheckError(f"the handbook has {len(result.errors)} error(s); run 'opsbook validate' first")
    return result.handbook


def _releases(handbook: Handbook, root: Path, codes: set[str] | None) -> RoleReleases | None:
    """What each release changed, read from git, only when a confirmation obligation is to be checked."""
    wanted = codes is None or codes & {"C204", "C205", "C206"}
    if not wanted or not any(periods.obligations(handbook, "confirm")):
        return None
    return role_releases(handbook, root)


def _edition(site: Path, handbook: Handbook) -> Path:
    """The manual of the version audited: its own folder in a site built with ``--all-versions``."""
    own = site / handbook.version
    return own if (site / "versions.json").is_file() and (own / "index.html").is_file() else site


def _check(args: argparse.Namespace) -> int:
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in WRITERS]
    if unknown or not formats:
        raise CheckError(f"unknown report format {', '.join(unknown) or '(none)'}; choose from {', '.join(WRITERS)}")
    if not args.out and formats != ["text"]:
        raise CheckError("--format other than text needs --out DIR")
    for log in args.logs:
        if not Path(log).is_file():
            raise CheckError(f"{log}: no such file")
    _output(args)  # refused before anything is read; created and marked before the first report is written
    redactor = redactor_from(args.redact, args.redact_key_file)
    given = audit_run.inputs(args)
    cases = CaseLog()
    clock = time.perf_counter()
    handbook = _handbook(args)
    handbook_seconds = time.perf_counter() - clock
    root = find_root(Path(args.handbook))
    tz = ZoneInfo(handbook.timezone)
    calendar = WorkCalendar.china({datetime.fromisoformat(d).date(): w for d, w, _ in handbook.calendar_overrides})

    roster = read_roster(args.roster, handbook.roles) if args.roster else None
    as_of = _instant(args.as_of, tz, "--as-of") if args.as_of else None
    start = _instant(args.start, tz, "--from") if args.start else None
    codes = {c.strip().upper() for c in args.rules.split(",")} if args.rules else None
    unknown_codes = sorted((codes or set()) - REGISTRY.keys())
    if unknown_codes:
        raise CheckError(f"unknown rule code(s): {', '.join(unknown_codes)}; known: {', '.join(REGISTRY)}")
    audit = spark_options.engine(args, pipeline.audit)
    progress = Progress(args.quiet)
    progress(f"reading {len(args.logs)} log file(s)")
    try:
        run = audit(
            args.logs,
            handbook,
            mapping=_mapping(args),
            tz=tz,
            calendar=calendar,
            roster=roster,
            encoding=args.encoding,
            as_of=as_of,
            start=start,
            codes=codes,
            bucket_events=args.bucket_events,
            spill_dir=args.spill_dir,
            names=redactor is not None,
            progress=progress,
            observe=cases,
            releases=_releases(handbook, root, codes),
        )
    except pipeline.NoEvents as exc:
        raise CheckError(str(exc)) from None
    finally:
        progress.close()
    rejected, redact = run.rejected, None
    if redactor:
        _, rejected = redactor.redact((), rejected, handbook=handbook, names=run.names, roster=roster)
        redact = audit_run.Redact(redactor, handbook, run.names, roster)
    findings, trail = audit_run.trail(
        given,
        run.findings,
        cases,
        as_of=run.as_of,
        start=run.start,
        tz=tz,
        lang=args.lang,
        redact=redact,
        rules=args.rules,
    )

    base_url = args.base_url
    if base_url is None:
        target = Path(args.out).resolve() if args.out else Path.cwd()
        base_url = Path(os.path.relpath(_edition(root / "site", handbook), target)).as_posix() + "/"
    meta = _meta(args, run, handbook, calendar, tz, rejected)
    report = Report(tuple(findings), rejected, meta, args.lang, base_url, Names.of(handbook), trail)
    clock = time.perf_counter()
    if args.out:
        _output(args, create=True)
        written = write_reports(report, formats, Path(args.out))
        print(render_text(report) if "text" in formats and not args.quiet else "", end="")
        for path in written:
            print(f"wrote {path}", file=sys.stderr)
    else:
        print(render_text(report), end="")
    if os.environ.get(TIMINGS_ENV):
        phases = {"handbook": handbook_seconds, **run.seconds, "report": time.perf_counter() - clock}
        print(f"opsbook check timings: {json.dumps({k: round(v, 3) for k, v in phases.items()})}", file=sys.stderr)
    return _exit_code(findings, args.fail_on)


def _output(args, create: bool = False) -> None:
    """The --out folder must pass the output guard (opsbook.safepath): never a folder holding the inputs."""
    if args.out:
        inputs = [*args.logs, *(f for f in (args.roster, args.mapping, args.redact_key_file) if f)]
        where = {"option": "--out", "kind": "check", "handbook": find_root(Path(args.handbook)), "inputs": inputs}
        (safepath.prepare if create else safepath.guard)(args.out, **where)


def _exit_code(findings, fail_on: str) -> int:
    if fail_on == "never":
        return exitcodes.OK
    worst = SEVERITIES.index(fail_on)
    return exitcodes.FINDINGS if any(SEVERITIES.index(f.severity) <= worst for f in findings) else exitcodes.OK


def _inputs(run: pipeline.Audit, rejected: tuple[Rejected, ...]) -> list[dict]:
    """Per-file digests and row counts, including rows rejected after reading (no case id, after as-of).

    Later rejections are attributed by their reference's "<file>:<row>" prefix; with an id column as
    reference they cannot be, and only the totals in "rows" count them.
    """
    names = [Path(f.path).name for f in run.files]
    labels = [name if names.count(name) == 1 else f.path for name, f in zip(names, run.files, strict=True)]
    later = Counter(r.ref.rsplit(":", 1)[0] for r in rejected[run.rows_read_rejected :])
    inputs = []
    for label, info in zip(labels, run.files, strict=True):
        entry = info.to_dict()
        entry["rows_rejected"] = info.rows_rejected + later.get(label, 0)
        entry["rows_checked"] = info.rows_read - entry["rows_rejected"]
        inputs.append(entry)
    return inputs


def _sha256(path: str | None) -> str | None:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest() if path else None


def _meta(
    args, run: pipeline.Audit, handbook: Handbook, calendar: WorkCalendar, tz: ZoneInfo, rejected: tuple[Rejected, ...]
) -> dict:
    years = calendar.covered_years
    return {
        "inputs": _inputs(run, rejected),
        "handbook": {
            "organisation": handbook.organisation,
            "version": handbook.version,
            "digest": handbook.digest,
            "revision": handbook.revision,
        },
        "tool_version": __version__,
        "as_of": run.as_of.astimezone(tz).isoformat(),
        "from": run.start.astimezone(tz).isoformat(),
        "timezone": tz.key,
        "calendar": {
            "region": "CN",
            "covered_years": f"{years.start}–{years.stop - 1}",
            "overrides": [{"date": d, "working": w} for d, w, _ in handbook.calendar_overrides],
        },
        "rows": {"read": run.rows_read, "checked": run.rows_checked, "rejected": len(rejected)},
        "engine": args.engine,
        "options": {
            "mapping": args.mapping,
            "mapping_sha256": _sha256(args.mapping),
            "roster": args.roster,
            "roster_sha256": _sha256(args.roster),
            "rules": args.rules,
            "fail_on": args.fail_on,
            "redact": args.redact,
            **audit_run.options(args),
        },
    }
