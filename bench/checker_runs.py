"""Running ``opsbook check``, the read floor and pm4py for bench/checker.py, and reading their reports.

``bench_one`` measures one log (one size and format) into a ``Row``; ``run_check`` runs ``opsbook check`` and
``read_report`` reads its findings.json, against the simulator's ground truth (``against_truth``) and as the
violating cases of the constraints shared with pm4py.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from checker_logs import KINDS, Log
from measure import MIB, READ_FLOOR, REPO, Measure, measured, phases, repeated, say, warm

SHARED_RULES = "C101,C103,C107,C108"
PM4PY_VENV = REPO / "bench" / ".venv-pm4py"
PM4PY_RUN = REPO / "bench" / "pm4py_run.py"


# --------------------------------------------------------------------------- reports


@dataclass
class Report:
    findings: int
    rows_read: int
    cases: dict[str, set[str]] = field(default_factory=dict)  # kind -> "process\tcase_id"
    truth: str = ""  # against the simulator's ground truth: "equal", or what is missing and unexpected


def truth_key(finding: dict) -> tuple:
    """What must agree with the ground truth (as tests/simulator do): identity, evidence, lateness."""
    keys = ("code", "process", "case_id", "scope", "period", "step")
    return (*(finding[k] for k in keys), tuple(finding["event_refs"]), finding["lateness_seconds"])


def against_truth(findings: list[dict], folder: Path, rules: str | None) -> str:
    """The report's findings against the log's ground-truth.jsonl (the codes of ``rules`` only, when given)."""
    path = folder / "ground-truth.jsonl"
    if not path.is_file():
        return "no ground truth"
    codes = set(rules.split(",")) if rules else None
    with path.open(encoding="utf-8") as lines:
        want = Counter(truth_key(f) for f in map(json.loads, lines) if codes is None or f["code"] in codes)
    got = Counter(truth_key(f) for f in findings)
    if want == got:
        return "equal"
    return f"missing {sum((want - got).values()):,}, unexpected {sum((got - want).values()):,}"


def read_report(path: Path, shared: dict[str, set[tuple[str, str]]] | None = None, log: Log | None = None,
                rules: str | None = None) -> Report:  # fmt: skip
    data = json.loads(path.read_text(encoding="utf-8"))
    report = Report(len(data["findings"]), data["meta"]["rows"]["read"])
    if log is not None:
        report.truth = against_truth(data["findings"], log.folder, rules)
    if shared is not None:
        code_kind = {code: kind for kind, (_, code) in KINDS.items()}
        report.cases = {kind: set() for kind in KINDS}
        for f in data["findings"]:
            kind = code_kind.get(f["code"])
            if kind and (f["process"], f["step"]) in shared[kind]:
                report.cases[kind].add(f"{f['process']}\t{f['case_id']}")
    return report


def check_command(opsbook: str, log: Log, out: Path, rules: str | None) -> list[str]:
    cmd = [opsbook, "check", str(log.path), "--roster", str(log.folder / log.meta["files"]["roster"])]
    cmd += ["--as-of", log.meta["as_of"], "--format", "json", "--out", str(out), "-q", "--fail-on", "never"]
    return cmd + (["--rules", rules] if rules else [])


def run_check(opsbook: str, log: Log, out: Path, rules: str | None, repeat: int, what: str, shared=None):
    cmd = check_command(opsbook, log, out, rules)
    m = Measure()
    report = None
    for i in range(repeat):
        shutil.rmtree(out, ignore_errors=True)  # the report must be this run's
        sample, stderr = measured(cmd, what)
        assert sample is not None
        sample.phases = phases(stderr)
        path = out / "findings.json"
        if not path.is_file():
            sys.exit(f"{what}: exit code 0 but no report at {path}")
        m.samples.append(sample)
        say(
            f"{what}{f' ({i + 1}/{repeat})' if repeat > 1 else ''}: {sample.seconds:.2f} s, {sample.maxrss_kb / MIB:.0f} MiB"
        )
        if report is None:
            report = read_report(path, shared, log, rules)
            if report.truth != "equal":
                say(f"warning: {what}: findings against the ground truth: {report.truth}")
            if report.rows_read != log.events:
                say(f"warning: the report read {report.rows_read:,} rows, meta.json says {log.events:,} events")
    return m, report


# --------------------------------------------------------------------------- one size and format


@dataclass
class Row:
    log: Log
    e2e: Measure
    floor: Measure
    report: Report
    shared: Measure | None = None
    shared_report: Report | None = None
    pm4py: Measure | None = None
    pm4py_result: dict | None = None
    pm4py_note: str = ""


def bench_one(log: Log, args, opsbook: str, spec_file: Path, shared: dict) -> Row:
    name = f"{log.fmt} {log.events:,} events"
    warm(log.path)
    floor = repeated([sys.executable, "-c", READ_FLOOR, str(log.path), log.fmt], f"{name}: read floor", args.repeat)
    rows_read = json.loads(floor.samples[-1].stdout.strip().splitlines()[-1])["rows"]
    if rows_read != log.events:
        say(f"warning: Polars read {rows_read:,} rows, meta.json says {log.events:,} events")
    reports = args.work / "reports" / f"{log.fmt}-{log.meta['cases']}c"
    e2e, report = run_check(opsbook, log, reports / "all", None, args.repeat, f"{name}: opsbook check")
    row = Row(log, e2e, floor, report)

    if not args.pm4py_enabled:
        return row
    if log.target > args.pm4py_max_events:
        row.pm4py_note = f"skipped: above --pm4py-max-events {args.pm4py_max_events:,.0f}"
        say(f"{name}: pm4py {row.pm4py_note}")
        return row
    row.shared, row.shared_report = run_check(
        opsbook, log, reports / "shared", SHARED_RULES, args.repeat, f"{name}: opsbook check --rules", shared
    )
    result = args.work / "reports" / f"pm4py-{log.fmt}-{log.meta['cases']}c.json"
    result.unlink(missing_ok=True)
    cmd = [str(PM4PY_VENV / "bin" / "python"), str(PM4PY_RUN), str(log.path), "--format", log.fmt]
    cmd += ["--constraints", str(spec_file), "--result", str(result)]
    row.pm4py = repeated(cmd, f"{name}: pm4py", args.repeat, timeout=args.pm4py_timeout)
    if row.pm4py.timed_out:
        row.pm4py_note = f"did not complete within --pm4py-timeout {args.pm4py_timeout:.0f} s"
        row.pm4py = None
    else:
        row.pm4py_result = json.loads(result.read_text(encoding="utf-8"))
    return row


def startup(opsbook: str, repeat: int) -> Measure:
    """``opsbook check`` on the bundled 394-row sample (examples/): what a small check costs, start-up included."""
    examples = REPO / "examples"
    with tempfile.TemporaryDirectory(prefix="opsbook-bench-") as out:
        cmd = [opsbook, "check", str(examples / "sample-log.csv"), "--mapping", str(examples / "mapping.yaml")]
        cmd += ["--roster", str(examples / "roster.csv"), "--handbook", str(REPO), "--format", "json"]
        cmd += ["--out", str(Path(out) / "report"), "-q", "--fail-on", "never"]
        found = repeated(cmd, "sample (394 rows): start-up", repeat)
    return found
