"""``opsbook check``: activity logs in, evidence-backed findings out."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from opsbook import exitcodes, interrupt, safepath
from opsbook.calendar import CalendarRangeError, WorkCalendar
from opsbook.diff.editions import RoleReleases, role_releases
from opsbook.i18n import tr
from opsbook.loader import find_root, load
from opsbook.model import Handbook

from . import periods, pipeline, runmeta
from .audit import run as audit_run
from .audit.cases import CaseLog
from .finding import SEVERITIES
from .findingset import tabled
from .mapping import Mapping
from .observe import Observers
from .options import add_check_options, add_log_inputs
from .progress import Progress
from .rates import Tally, compute, unknown_activities, unknown_rows
from .readers import LogError, parse_timestamps
from .redact import from_options as redactor_from
from .report import Report
from .reports import WRITERS, render_summary, render_text, write_reports
from .roster import read_roster
from .rules import REGISTRY
from .scope import Scope, ScopeError
from .spark import inputs as spark_inputs
from .spark import options as spark_options
from .suggest import suggestions
from .texts import Names

TIMINGS_ENV = "OPSBOOK_TIMINGS"  # set: print the wall time of each phase to stderr (used by bench/checker.py)


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
    add_log_inputs(p)
    add_check_options(p)
    audit_run.add_arguments(p)
    spark_options.add_arguments(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    p.set_defaults(func=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    try:
        with interrupt.interruptible():  # SIGTERM too: the private spill folder is removed on the way out
            return _check(args)
    except (CheckError, ScopeError, spark_options.SparkOptionError) as exc:  # worded in the run's language
        print(tr("cli", "check.error", args.lang, message=exc), file=sys.stderr)
        return exitcodes.BAD_INPUT
    except (LogError, CalendarRangeError, ValueError, OSError) as exc:
        # readers, pipeline and redaction still word their errors in English: the line stays in one language
        print(tr("cli", "check.error", "en", message=exc), file=sys.stderr)
        return exitcodes.BAD_INPUT


def _instant(text: str, tz: ZoneInfo, option: str, lang: str | None = None) -> datetime:
    parsed = pl.select(parse_timestamps(pl.lit(text), tz.key)).item()
    if parsed is None:
        raise CheckError(tr("cli", "check.not-a-time", lang, option=option, value=text))
    return parsed


def _mapping(args) -> Mapping | None:
    mapping = Mapping.load(Path(args.mapping)) if args.mapping else None
    flags = {f: getattr(args, f"col_{f}") for f in ("case_id", "activity", "timestamp", "performer", "role")}
    if any(flags.values()) or args.attribute:
        from_flags = Mapping.from_flags(**flags, attributes=args.attribute)
        mapping = mapping.merged(from_flags) if mapping else from_flags
    return mapping


def _handbook(args) -> Handbook:
    root = find_root(Path(args.handbook))
    if not (root / "handbook.yaml").is_file():  # run from a folder outside the handbook: say which option fixes it
        raise CheckError(tr("cli", "check.no-handbook", getattr(args, "lang", None), folder=str(root)))
    result = load(root)
    if result.errors:
        for problem in result.errors:
            print(problem, file=sys.stderr)
        raise CheckError(tr("cli", "check.handbook-errors", getattr(args, "lang", None), count=len(result.errors)))
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


def _usage(args) -> list[str]:
    """The report formats, after checking the options that need no file read."""
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in WRITERS]
    if unknown or not formats:
        shown = ", ".join(unknown) or tr("cli", "check.no-format", args.lang)
        raise CheckError(tr("cli", "check.unknown-format", args.lang, formats=shown, known=", ".join(WRITERS)))
    if not args.out and formats != ["text"]:
        raise CheckError(tr("cli", "check.format-needs-out", args.lang))
    for log in args.logs if args.engine == "local" else ():  # Spark lists its inputs itself (checker/spark/inputs.py)
        if not Path(log).is_file():
            spark_only = Path(log).is_dir() or spark_options.looks_remote(log)
            raise CheckError(
                tr("cli", "check.local-needs-file" if spark_only else "check.no-such-file", args.lang, path=log)
            )
    return formats


def _base_url(args, handbook: Handbook, root: Path) -> tuple[str, dict]:
    """Where clause links point: --base-url, else handbook.yaml's manual_url, else the local site's files."""
    url = args.base_url or handbook.manual_url
    if url:
        url = url if url.endswith("/") else url + "/"
        return url, {"url": url}
    target = Path(args.out).resolve() if args.out else Path.cwd()
    site = _edition(root / "site", handbook)
    url = Path(os.path.relpath(site, target)).as_posix() + "/"
    return url, {"url": str(site / "index.html"), "built": (site / "index.html").is_file()}


def _check(args: argparse.Namespace) -> int:
    formats = _usage(args)
    _output(args)  # refused before anything is read; created and marked before the first report is written
    redactor = redactor_from(args.redact, args.redact_key_file)
    given = audit_run.inputs(args)
    clock = time.perf_counter()
    handbook = _handbook(args)
    handbook_seconds = time.perf_counter() - clock
    root = find_root(Path(args.handbook))
    tz = ZoneInfo(handbook.timezone)
    calendar = WorkCalendar.china({datetime.fromisoformat(d).date(): w for d, w, _ in handbook.calendar_overrides})
    scope = Scope.parse(handbook, args.process, args.obligation, args.no_obligations, args.lang)

    roster = read_roster(args.roster, handbook.roles) if args.roster else None
    as_of = _instant(args.as_of, tz, "--as-of", args.lang) if args.as_of else None
    start = _instant(args.start, tz, "--from", args.lang) if args.start else None
    codes = {c.strip().upper() for c in args.rules.split(",")} if args.rules else None
    unknown_codes = sorted((codes or set()) - REGISTRY.keys())
    if unknown_codes:
        raise CheckError(
            tr("cli", "check.unknown-rules", args.lang, codes=", ".join(unknown_codes), known=", ".join(REGISTRY))
        )
    audit = spark_options.engine(args, pipeline.audit)
    progress = Progress(args.quiet, lang=args.lang)
    progress(tr("cli", "check.reading", args.lang, count=len(args.logs)))
    tally, cases = Tally(handbook), CaseLog()
    observe = Observers((cases, tally))  # each bucket's checked events: the audit trail's cases, and the rates

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
            observe=observe,
            releases=_releases(handbook, root, codes),
        )
    finally:
        progress.close()
    clock = time.perf_counter()
    scoped = scope.select(run.findings)
    # before redaction: the tally knows the log's own case ids and names, so do the findings it is matched with
    rates = compute(
        scoped,
        tally,
        processes=scope.processes,
        rows=run.rows_checked,
        person=(lambda name: redactor.pseudonym("person", name)) if redactor else str,
    )
    rejected, redact = run.rejected, None
    if redactor:
        _, rejected = redactor.redact((), rejected, handbook=handbook, names=run.names, roster=roster)
        redact = audit_run.Redact(redactor, handbook, run.names, roster)
    findings, trail = audit_run.trail(
        given, scoped, cases, as_of=run.as_of, start=run.start, tz=tz, lang=args.lang, redact=redact, rules=args.rules
    )
    findings = tabled(findings)  # the values again only while a report reads them
    base_url, manual = _base_url(args, handbook, root)
    meta = runmeta.meta(args, run, handbook, calendar, tz, rejected)
    meta["options"].update(audit_run.options(args))
    meta.update(manual=manual, scope=scope.to_meta(args.rules))
    unknown = unknown_rows(findings)
    names = replace(Names.of(handbook, args.lang), suggestions=suggestions(_unknown_labels(findings), handbook))
    notes = ()
    if unknown * 2 > run.rows_checked:
        share = f"{unknown / run.rows_checked:.0%}"
        notes = (tr("report", "warn.mostly-unknown", args.lang, unknown=unknown, rows=run.rows_checked, share=share),)
    report = Report(findings, rejected, meta, args.lang, base_url, names, rates, notes, trail)
    if args.out:
        _output(args, create=True)
        written = write_reports(report, formats, Path(args.out))
        if not args.quiet:
            print(render_summary(report), end="")
        for path in written:
            print(tr("cli", "check.wrote", args.lang, path=path), file=sys.stderr)
    else:
        print(render_text(report), end="")
    if os.environ.get(TIMINGS_ENV):
        phases = {"handbook": handbook_seconds, **run.seconds, "report": time.perf_counter() - clock}
        print(f"opsbook check timings: {json.dumps({k: round(v, 3) for k, v in phases.items()})}", file=sys.stderr)
    code = _exit_code(findings, args.fail_on)
    return max(code, exitcodes.FINDINGS) if notes and args.fail_on != "never" else code


def _unknown_labels(findings) -> list[str]:
    return [str(f.actual.param("label")) for f in unknown_activities(findings) if f.actual is not None]


def _output(args, create: bool = False) -> None:
    """The --out folder must pass the output guard (opsbook.safepath): never a folder holding the inputs."""
    if args.out:
        logs = [spark_inputs.shown(log) for log in args.logs]  # a file:// URI guards its local folder
        inputs = [*logs, *(f for f in (args.roster, args.mapping, args.redact_key_file) if f)]
        where = {"option": "--out", "kind": "check", "handbook": find_root(Path(args.handbook)), "inputs": inputs}
        (safepath.prepare if create else safepath.guard)(args.out, **where)


def _exit_code(findings, fail_on: str) -> int:
    if fail_on == "never":
        return exitcodes.OK
    failing = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
    found = tabled(findings).lazy().select(pl.col("severity").is_in(failing).sum()).collect().item()
    return exitcodes.FINDINGS if found else exitcodes.OK
