"""Rates with their denominators: how many cases, steps and people were checked, and what share complied.

Findings say what went wrong; an auditor's first question is "out of how many?".
The numbers below the line come from a :class:`Tally` that the pipeline feeds
with each case bucket's step events (``pipeline.audit(..., tally=...)``), so
they cost one small group-by per bucket and never a second read of the log.
Everything above the line comes from the findings. Definitions (also in
docs/checker-semantics.md, "Rates"):

- **cases checked** (per process): distinct case ids with at least one step
  event of the process at or before the as-of time; **complete** when one of the
  process's final steps occurred, else **open**;
- **cases with a violation**: checked cases with at least one finding of
  severity violation; **compliance rate** = 1 − cases with a violation / cases checked;
- **per step**: occurrences = its events, cases with the step, findings naming
  the step (any severity) and the distinct cases they concern;
- **per rule**: the unit a rule checks: cases for case rules (all cases checked
  in scope), log rows for the unknown-activity rule (C111, its findings count
  rows), none for recurring obligations (``checked`` null); the failure rate is
  failing units / checked;
- **per person**: step events the person performed, and violations whose
  performers include the person;
- **per month**: cases by the month (handbook time zone) of their first event,
  the cases among them with a violation, and the compliance rate.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import polars as pl

from checker.engine.cases import CASE
from checker.engine.frames import to_findings
from checker.finding import VIOLATION, Finding
from checker.findingset import FindingTable, tabled
from opsbook.model import Handbook

UNKNOWN_ACTIVITY = "C111"
_CASES = {"process": pl.Utf8, "case_id": pl.Utf8, "month": pl.Utf8, "complete": pl.Boolean}


@dataclass
class Tally:
    """Per-bucket counts of the step events that were checked; ``add`` is the pipeline's hook."""

    STATE = ("cases", "steps", "people")  # partial tables (checker.observe)

    handbook: Handbook
    cases: list[pl.DataFrame] = field(default_factory=list)
    steps: list[pl.DataFrame] = field(default_factory=list)
    people: list[pl.DataFrame] = field(default_factory=list)

    def __call__(self, events: pl.DataFrame) -> None:
        self.add(events)

    def add(self, events: pl.DataFrame) -> None:
        steps = events.filter(pl.col("kind") == "step")
        if not steps.height:
            return
        finals = pl.DataFrame(
            [(p.id, s.id) for p in self.handbook.processes for s in p.steps if s.final],
            schema={"process": pl.Utf8, "step": pl.Utf8},
            orient="row",
        ).with_columns(final=pl.lit(True))
        marked = steps.join(finals, on=["process", "step"], how="left").with_columns(pl.col("final").fill_null(False))
        self.cases.append(
            marked.group_by("process", "case_id").agg(
                month=pl.col("local_date").min().dt.strftime("%Y-%m"), complete=pl.col("final").any()
            )
        )
        self.steps.append(
            steps.group_by("process", "step").agg(occurrences=pl.len(), cases=pl.col("case_id").n_unique())
        )
        people = steps.filter(pl.col("performer").is_not_null() & (pl.col("performer") != ""))
        self.people.append(
            people.group_by("performer").agg(
                steps=pl.len(), roles=pl.col("roles").list.explode(keep_nulls=False, empty_as_null=False).unique()
            )
        )

    def case_table(self) -> pl.DataFrame:
        if not self.cases:
            return pl.DataFrame(schema=_CASES)
        return pl.concat(self.cases).select(list(_CASES))


def with_violations(cases: pl.DataFrame, findings: Iterable[Finding], name: str = "violating") -> pl.DataFrame:
    """``cases`` (process, case_id, ...: each case once) with a column ``name``: whether a finding of
    severity violation concerns the case.

    Millions of cases and findings are matched on a 64-bit hash of (process, case_id), made a file of
    findings at a time (a case's findings are in one file, ``FindingTable.gather``), not on their texts:
    a tenth of the memory. Should two cases share a hash (never seen, but possible), or a case come twice,
    they are matched on their texts instead."""
    bad = (pl.col("severity") == VIOLATION) & pl.col("case_id").is_not_null()
    key = pl.struct(CASE).hash(11)
    if cases.select(key.is_duplicated().any()).item():
        flagged = tabled(findings).gather(lambda f: f.filter(bad).select(CASE).unique())
        flagged = flagged.unique().with_columns(pl.lit(True).alias(name))
        return cases.join(flagged, on=CASE, how="left", nulls_equal=True).with_columns(pl.col(name).fill_null(False))
    flagged = tabled(findings).gather(lambda f: f.filter(bad).select(key.alias("_ck")).unique())
    return cases.with_columns(key.is_in(flagged.get_column("_ck").implode()).alias(name))


def unknown_activities(findings: Iterable[Finding]) -> list[Finding]:
    """The unknown-activity findings (C111: one per label, a few): the labels and their row counts."""
    return list(to_findings(tabled(findings).where(pl.col("code") == UNKNOWN_ACTIVITY)))


def unknown_rows(findings: Iterable[Finding]) -> int:
    """Rows whose activity is not in the handbook: the sum of the C111 findings' counts."""
    return sum(int(f.actual.param("count") or 0) for f in unknown_activities(findings) if f.actual)


def _rate(good: int, total: int | None) -> float | None:
    return round(good / total, 4) if total else None


def compute(
    findings: Iterable[Finding],
    tally: Tally | None,
    *,
    processes: set[str] | None = None,
    rows: int | None = None,
    person: Callable[[str], str] = str,
) -> dict:
    """The ``rates`` part of the summary.

    ``processes`` limits the denominators to the audit's scope, ``rows`` is the
    number of rows checked (C111's denominator), ``person`` maps a performer as
    the log names it to the name the findings use (a pseudonym with --redact).
    """
    if tally is None:
        return {}
    cases = tally.case_table()
    if processes is not None:
        cases = cases.filter(pl.col("process").is_in(sorted(processes)))
    findings = tabled(findings)
    cases = with_violations(cases, findings)
    return {
        "processes": _processes(cases),
        "steps": _steps(findings, tally, processes),
        "rules": _rules(findings, cases.height, rows),
        "people": _people(findings.lazy(), tally, person),
        "months": _months(cases),
    }


def _processes(cases: pl.DataFrame) -> list[dict]:
    table = cases.group_by("process").agg(
        cases=pl.len(), complete=pl.col("complete").sum(), violating=pl.col("violating").sum()
    )
    out = []
    for row in table.sort("process").iter_rows(named=True):
        n, v = row["cases"], row["violating"]
        out.append(
            {
                "process": row["process"],
                "cases": n,
                "complete": row["complete"],
                "open": n - row["complete"],
                "cases_with_violation": v,
                "compliance_rate": _rate(n - v, n),
            }
        )
    return out


def _per_case(findings: FindingTable, keys: list[str], keep: pl.Expr | None = None) -> pl.DataFrame:
    """Findings (``keep``: those it holds for) and the distinct cases they concern, by ``keys``: counted a
    file at a time, then summed (a case's findings are in one file)."""

    def count(frame: pl.LazyFrame) -> pl.LazyFrame:
        frame = frame if keep is None else frame.filter(keep)
        return frame.group_by(keys).agg(n=pl.len(), cases=pl.struct(CASE).n_unique())

    return findings.gather(count).group_by(keys).agg(pl.col("n", "cases").sum())


def _steps(findings: FindingTable, tally: Tally, processes: set[str] | None) -> list[dict]:
    counted: dict[tuple[str, str], dict] = {}
    if tally.steps:
        table = pl.concat(tally.steps).group_by("process", "step").agg(pl.col("occurrences", "cases").sum())
        for row in table.iter_rows(named=True):
            counted[(row["process"], row["step"])] = {"occurrences": row["occurrences"], "cases": row["cases"]}
    named = (pl.col("process") != "") & (pl.col("step") != "") & pl.col("case_id").is_not_null()
    per_step = _per_case(findings, ["process", "step"], named)
    failures = {(p, s): (n, c) for p, s, n, c in per_step.iter_rows()}
    steps = [(p.id, s.id) for p in tally.handbook.processes for s in p.steps if processes is None or p.id in processes]
    out = []
    for key in steps:
        seen = counted.get(key, {"occurrences": 0, "cases": 0})
        out.append(
            {
                "process": key[0],
                "step": key[1],
                "occurrences": seen["occurrences"],
                "cases": seen["cases"],
                "findings": failures.get(key, (0, 0))[0],
                "failing_cases": failures.get(key, (0, 0))[1],
            }
        )
    return out


def _rules(findings: FindingTable, cases_checked: int, rows: int | None) -> list[dict]:
    from checker.rules import REGISTRY  # late: the registry imports every rule

    per_code = _per_case(findings, ["code"])  # the distinct cases matter for case rules only
    found = Counter({code: n for code, n, _ in per_code.iter_rows()})
    failing = {code: subjects for code, _, subjects in per_code.iter_rows()}
    out = []
    for code, rule in REGISTRY.items():
        if code == UNKNOWN_ACTIVITY:
            unit, checked = "row", rows
            units = unknown_rows(findings)
        elif rule.SCOPE == "case":
            unit, checked, units = "case", cases_checked, failing.get(code, 0)
        else:
            unit, checked, units = "period", None, found[code]
        out.append(
            {
                "code": code,
                "unit": unit,
                "checked": checked,
                "findings": found[code],
                "failing": units,
                "failure_rate": _rate(units, checked),
            }
        )
    return out


def _people(findings: pl.LazyFrame, tally: Tally, person: Callable[[str], str]) -> list[dict]:
    named = (
        findings.filter(pl.col("severity") == VIOLATION)
        .select(pl.col("performers").list.unique())
        .explode("performers")
        .drop_nulls()
        .group_by("performers")
        .len()
        .collect()
    )
    violations: Counter = Counter()
    for name, n in named.iter_rows():
        violations[person(name)] += n
    performed: dict[str, dict] = {}
    if tally.people:
        table = (
            pl.concat(tally.people)
            .group_by("performer")
            .agg(pl.col("steps").sum(), pl.col("roles").list.explode(keep_nulls=False, empty_as_null=False))
        )
        for row in table.iter_rows(named=True):
            performed[person(row["performer"])] = {"steps": row["steps"], "roles": sorted(set(row["roles"] or ()))}
    names = sorted(set(performed) | set(violations))
    return [
        {
            "performer": name,
            "roles": performed.get(name, {}).get("roles", []),
            "steps": performed.get(name, {}).get("steps", 0),
            "violations": violations[name],
        }
        for name in names
    ]


def _months(cases: pl.DataFrame) -> list[dict]:
    table = cases.group_by("month").agg(cases=pl.len(), violating=pl.col("violating").sum()).sort("month")
    return [
        {
            "month": row["month"],
            "cases": row["cases"],
            "cases_with_violation": row["violating"],
            "compliance_rate": _rate(row["cases"] - row["violating"], row["cases"]),
        }
        for row in table.iter_rows(named=True)
    ]
