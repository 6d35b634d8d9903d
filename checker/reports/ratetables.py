"""The rates of ``Report.rates`` as labelled tables, shared by the text, HTML and XLSX reports.

One place decides the columns, their order and the titles shown (process, step
and role titles; the id in a column of its own), so every format shows the
same table. Rates are kept as fractions (``rate`` columns) and formatted by
each writer: a percentage in text and HTML, a number with a % format in XLSX.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.report import Report, rule_title
from checker.reports.i18n import labels
from checker.texts import join


@dataclass(frozen=True)
class Table:
    name: str  # short id: the XLSX sheet's catalogue id and the HTML anchor
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple, ...]
    rates: frozenset[int] = frozenset()  # indices of columns holding a fraction 0..1 (or None)
    chart: tuple[int, int] | None = None  # (label column, rate column) for a small bar chart


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def tables(report: Report) -> list[Table]:
    """The rate tables in reading order; empty when the run collected no denominators."""
    rates = report.rates
    if not rates:
        return []
    L = labels(report.lang)
    names = report.names
    out = [
        Table(
            "processes",
            L["rates.by-process"],
            (
                L.process,
                L.id,
                L["rates.cases"],
                L["rates.complete"],
                L["rates.open"],
                L["rates.cases-violating"],
                L["rates.compliance"],
            ),
            tuple(
                (
                    report.process_title(r["process"]),
                    r["process"],
                    r["cases"],
                    r["complete"],
                    r["open"],
                    r["cases_with_violation"],
                    r["compliance_rate"],
                )
                for r in rates.get("processes", ())
            ),
            frozenset({6}),
            (0, 6),
        ),
        Table(
            "steps",
            L["rates.by-step"],
            (
                L.process,
                L.step,
                L.id,
                L["rates.occurrences"],
                L["rates.cases-with-step"],
                L["rates.failures"],
                L["rates.failing-cases"],
            ),
            tuple(
                (
                    report.process_title(r["process"]),
                    names.step(r["process"], r["step"]),
                    r["step"],
                    r["occurrences"],
                    r["cases"],
                    r["findings"],
                    r["failing_cases"],
                )
                for r in rates.get("steps", ())
            ),
        ),
        Table(
            "rules",
            L["rates.by-rule"],
            (
                L.code,
                L.rule_title,
                L["rates.unit"],
                L["rates.checked"],
                L["rates.failures"],
                L["rates.failing"],
                L["rates.failure-rate"],
            ),
            tuple(
                (
                    r["code"],
                    rule_title(r["code"], report.lang, r["code"]),
                    L[f"rates.unit-{r['unit']}"],
                    r["checked"],
                    r["findings"],
                    r["failing"],
                    r["failure_rate"],
                )
                for r in rates.get("rules", ())
            ),
            frozenset({6}),
        ),
        Table(
            "people",
            L["rates.by-person"],
            (L["rates.person"], L["rates.roles"], L["rates.steps-performed"], L["rates.violations"]),
            tuple(
                (
                    r["performer"],
                    join([names.roles.get(x, x) for x in r["roles"]], report.lang),
                    r["steps"],
                    r["violations"],
                )
                for r in rates.get("people", ())
            ),
        ),
        Table(
            "months",
            L["rates.by-month"],
            (L["rates.month"], L["rates.cases"], L["rates.cases-violating"], L["rates.compliance"]),
            tuple(
                (r["month"], r["cases"], r["cases_with_violation"], r["compliance_rate"])
                for r in rates.get("months", ())
            ),
            frozenset({3}),
            (0, 3),
        ),
    ]
    return out
