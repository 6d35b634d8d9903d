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
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from checker.finding import VIOLATION, Finding
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


def _rate(good: int, total: int | None) -> float | None:
    return round(good / total, 4) if total else None


def compute(
    findings: tuple[Finding, ...] | list[Finding],
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
    bad = sorted({(f.process, f.case_id) for f in findings if f.severity == VIOLATION and f.case_id is not None})
    bad_frame = pl.DataFrame(bad, schema={"process": pl.Utf8, "case_id": pl.Utf8}, orient="row")
    cases = cases.join(bad_frame.with_columns(violating=pl.lit(True)), on=["process", "case_id"], how="left")
    cases = cases.with_columns(pl.col("violating").fill_null(False))
    return {
        "processes": _processes(cases),
        "steps": _steps(findings, tally, processes),
        "rules": _rules(findings, cases.height, rows),
        "people": _people(findings, tally, person),
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


def _steps(findings, tally: Tally, processes: set[str] | None) -> list[dict]:
    counted: dict[tuple[str, str], dict] = {}
    if tally.steps:
        table = pl.concat(tally.steps).group_by("process", "step").agg(pl.col("occurrences", "cases").sum())
        for row in table.iter_rows(named=True):
            counted[(row["process"], row["step"])] = {"occurrences": row["occurrences"], "cases": row["cases"]}
    failures: Counter = Counter()
    failing: dict[tuple[str, str], set] = {}
    for f in findings:
        if f.process and f.step and f.case_id is not None:
            failures[(f.process, f.step)] += 1
            failing.setdefault((f.process, f.step), set()).add(f.case_id)
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
                "findings": failures[key],
                "failing_cases": len(failing.get(key, ())),
            }
        )
    return out


def _rules(findings, cases_checked: int, rows: int | None) -> list[dict]:
    from checker.rules import REGISTRY  # late: the registry imports every rule

    found = Counter(f.code for f in findings)
    failing: dict[str, set] = {}
    for f in findings:
        failing.setdefault(f.code, set()).add((f.process, f.case_id))
    out = []
    for code, rule in REGISTRY.items():
        if code == UNKNOWN_ACTIVITY:
            unit, checked = "row", rows
            units = sum(int(f.actual.param("count") or 0) for f in findings if f.code == code and f.actual)
        elif rule.SCOPE == "case":
            unit, checked, units = "case", cases_checked, len(failing.get(code, ()))
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


def _people(findings, tally: Tally, person: Callable[[str], str]) -> list[dict]:
    violations: Counter = Counter(person(p) for f in findings if f.severity == VIOLATION for p in set(f.performers))
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
