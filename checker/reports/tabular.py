"""Findings as spreadsheet rows (CSV and XLSX), in the report's language, safe against formula injection.

Column titles, severities, rule titles and lateness are words of the report's
language; ids (process, step, code, key) keep their own columns for filtering
and for matching against other runs.

A spreadsheet runs a cell starting with = + - @ (or a tab / carriage return
before one) as a formula, e.g. a performer named ``=HYPERLINK("http://x")``.
Log data reaches every column, so every text cell starting with one of these
gets a leading apostrophe (OWASP, "CSV Injection").
"""

from __future__ import annotations

from collections.abc import Iterator

from checker.finding import Finding
from checker.report import Report, rule_title
from checker.reports.i18n import labels, lateness_words

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# the to_dict keys, in their order, even when there are no findings, with the titles beside the ids
_KEYS = tuple(k for k in Finding(code="", rule="", severity="", clause="").to_dict() if k != "texts")
COLUMNS: tuple[str, ...] = tuple(
    c for k in _KEYS for c in (("process_title", k) if k == "process" else ("step_title", k) if k == "step" else (k,))
)
COLUMNS = (*COLUMNS[: COLUMNS.index("lateness_seconds")], "lateness", *COLUMNS[COLUMNS.index("lateness_seconds") :])


def header(lang: str) -> list[str]:
    """The column titles in the report's language (``column.<key>`` in the report catalogue)."""
    L = labels(lang)
    return [L[f"column.{k}"] for k in COLUMNS]


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


def finding_rows(report: Report) -> Iterator[list[str | int | float]]:
    """One row per finding, made while it is written: severity in words, rule code with its title, lateness in
    words and seconds."""
    L = labels(report.lang)
    for f in report.findings:
        d = report.entry(f)
        d["severity"] = L.severity_word(f.severity)
        d["rule"] = rule_title(f.code, report.lang, f.rule)
        d["lateness"] = lateness_words(f.lateness_seconds, report.lang)
        yield [cell(d[k]) for k in COLUMNS]
