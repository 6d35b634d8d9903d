"""Compliance per month and process: the trend an auditor reports across monthly audits.

A case counts in the month (local time) of its first step event. Its month is
*compliant* when the case has no open violation in this run: warnings and
disposed findings do not count against it, so the rate moves when findings are
explained, and the register says why. Rate = compliant cases / cases checked.

Months of a baseline report that this run did not check are carried over from
it (marked with their source), so a run over one month still shows the months
before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

import polars as pl

from checker.audit.cases import months
from checker.finding import Finding
from checker.rates import with_violations


def monthly(cases: pl.DataFrame, findings: Iterable[Finding], tz: ZoneInfo, source: str = "") -> list[dict]:
    """One row per (month, process): cases, cases with a violation, compliance rate."""
    table = with_violations(months(cases, tz), findings, "flagged")
    per = (
        table.group_by("month", "process")
        .agg(cases=pl.len(), with_violations=pl.col("flagged").sum())
        .sort("month", "process")
    )
    return [
        {
            "month": m,
            "process": p,
            "cases": n,
            "with_violations": v,
            "rate": round((n - v) / n, 4) if n else None,
            "source": source,
        }
        for m, p, n, v in per.select("month", "process", "cases", "with_violations").iter_rows()
    ]


def merged(current: list[dict], earlier: Iterable[dict]) -> list[dict]:
    """``current`` plus the (month, process) rows of ``earlier`` reports it does not have, by month."""
    have = {(r["month"], r["process"]) for r in current}
    rows = current + [r for r in earlier if (r.get("month"), r.get("process")) not in have]
    return sorted(rows, key=lambda r: (r["month"], r["process"]))
