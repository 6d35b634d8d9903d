"""Findings as spreadsheet rows (CSV and XLSX), safe against formula injection.

A spreadsheet runs a cell starting with = + - @ (or a tab / carriage return
before one) as a formula, e.g. a performer named ``=HYPERLINK("http://x")``.
Log data reaches every column, so every text cell starting with one of these
gets a leading apostrophe (OWASP, "CSV Injection").
"""

from __future__ import annotations

from checker.finding import Finding
from checker.report import Report

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# the to_dict keys, in their order, even when there are no findings
COLUMNS: tuple[str, ...] = tuple(k for k in Finding(code="", rule="", severity="", clause="").to_dict() if k != "texts")


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def cell(value: object) -> str | int | float:
    """One cell: numbers stay numbers, lists are joined with spaces, text is neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return value
    if isinstance(value, list | tuple):
        value = " ".join(str(v) for v in value)
    return neutralise(str(value))


def finding_rows(report: Report) -> list[list[str | int | float]]:
    return [[cell(d[k]) for k in COLUMNS] for d in map(report.entry, report.findings)]
