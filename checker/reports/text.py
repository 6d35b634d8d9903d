"""The plain-text report: warnings, what was checked, the summary and rates, then every finding.

The report is a list of sections (``SECTIONS``), each a function of the report
giving its lines, so another part of the checker can add one (dispositions,
baselines) without touching the others. ``render_summary`` is what the terminal
shows when the reports are written to files (``--out``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

from checker.audit import sections as audit_sections
from checker.report import REJECTED_SHOWN, Report, grouped, rule_title, summary
from checker.reports import checked
from checker.reports.i18n import Labels, labels, lateness_words
from checker.reports.ratetables import Table, percent, tables
from checker.reports.rejected import field_words, reason_words

Section = Callable[[Report, Labels], list[str]]


def clean(value: object) -> str:
    """Log text made safe for a terminal: control characters (ANSI escapes ...) shown as \\x.. codes."""
    s = "" if value is None else str(value)
    return "".join(f"\\x{ord(c):02x}" if unicodedata.category(c) == "Cc" else c for c in s)


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _heading(title: str, underline: str = "=") -> list[str]:
    return [title, underline * width(title)]


def _table(table: Table) -> list[str]:
    """Columns padded to their display width (a Chinese character is two columns wide)."""
    cells = [
        ["—" if v is None else percent(v) if i in table.rates else str(v) for i, v in enumerate(row)]
        for row in table.rows
    ]
    rows = [list(table.header), *cells]
    widths = [max(width(r[i]) for r in rows) for i in range(len(table.header))]
    out = []
    for row in rows:
        out.append("  " + "  ".join(v + " " * (w - width(v)) for v, w in zip(row, widths, strict=True)).rstrip())
    return out


def notes_section(report: Report, L: Labels) -> list[str]:
    return [*(f"!! {note}" for note in report.notes), ""] if report.notes else []


def checked_section(report: Report, L: Labels) -> list[str]:
    out = [*_heading(L["checked"], "-"), f"{L['inputs']}:"]
    out += [
        f"  {i['path']}  ({i['format']})  {L.sha256} {i['sha256']}  "
        f"{L['rows_read']} {i['rows_read']}, {L['rows_rejected']} {i['rows_rejected']}"
        for i in checked.inputs(report.meta)
    ]
    out += [f"{label}: {value}" for label, value in checked.facts(report.meta, report.lang, report.names)]
    return [*out, ""]


def summary_section(report: Report, L: Labels) -> list[str]:
    s = summary(report)
    sev = ", ".join(f"{L.severity_word(k)} {n}" for k, n in s["by_severity"].items())
    out = [*_heading(L["summary"], "-"), f"{L('total', count=s['total'])}: {sev}", "", f"{L['by_code']}:"]
    out += [f"  {c['code']}  {c['count']:>5}  [{L.severity_word(c['severity'])}] {c['title']}" for c in s["by_code"]]
    out += ["", f"{L['by_step']}:"]
    steps = s["by_step"]
    for p in s["by_process"]:
        out.append(f"  {p['title'] or L['no_process']}  {p['count']}")
        out += [f"    {x['step_title'] or '—'}  {x['count']}" for x in steps if x["process"] == p["process"]]
    if s["worst_cases"]:
        out += ["", f"{L['worst_cases']}:"]
        out += [
            f"  {report.process_title(w['process']) or L['no_process']} / {w['case_id']}  "
            f"{L['violations']} {w['violations']}, {L('total', count=w['findings'])}"
            for w in s["worst_cases"]
        ]
    return [*out, ""]


def rates_section(report: Report, L: Labels, only: tuple[str, ...] = ()) -> list[str]:
    shown = [t for t in tables(report) if not only or t.name in only]
    if not shown:
        return []
    out = _heading(L["rates.title"], "-")
    for table in shown:
        out += ["", f"{table.title}:", *_table(table)]
    return [*out, "", L["rates.see-docs"], ""]


def findings_section(report: Report, L: Labels) -> list[str]:
    out = _heading(L["findings"], "-")
    if not report.findings:
        return [*out, L["no_findings"]]
    for process, subjects in grouped(report.findings).items():
        out += ["", f"{L['process']} {report.process_title(process) or L['no_process']}"]
        for (kind, value), indices in subjects.items():
            out.append(f"  {L[kind]} {value}" if value is not None else f"  {L[kind]}")
            for i in indices:
                out += _finding(report, i, L)
    return out


def _finding(report: Report, i: int, L: Labels) -> list[str]:
    f = report.findings[i]
    head = f"    [{f.code} {L.severity_word(f.severity)}] {rule_title(f.code, report.lang, f.rule)}"
    where = [f"{L['step']} {report.names.step(f.process, f.step)}"] if f.step else []
    if f.period:
        where.append(f"{L['period']} {f.period}")
    if f.scope and f.case_id is not None:
        where.append(f"{L['scope']} {f.scope}")
    out = [head + (" — " + ", ".join(where) if where else "")]
    if f.expected is not None or f.actual is not None:
        expected, actual = report.words(f.expected, f) or "—", report.words(f.actual, f) or "—"
        out.append(f"      {L['expected']}: {expected}; {L['actual']}: {actual}")
    if f.lateness_seconds is not None:
        out.append(f"      {lateness_words(f.lateness_seconds, report.lang)}")
    if f.event_refs:
        out.append(f"      {L['evidence']}: {' '.join(f.event_refs)}")
    if f.performers:
        out.append(f"      {L['performers']}: {', '.join(f.performers)}")
    out.append(f"      {L['link']}: {report.link(f.clause)}")
    return out


def rejected_section(report: Report, L: Labels) -> list[str]:
    rejected = report.rejected
    if not rejected:
        return []
    out = ["", *_heading(f"{L['rejected']} ({len(rejected)})", "-")]
    out += [
        f"  {r.ref}  {field_words(r.field, report.lang)}  {reason_words(r, report.lang, report.names)}"
        for r in rejected[:REJECTED_SHOWN]
    ]
    if len(rejected) > REJECTED_SHOWN:
        out.append("  " + L("more", count=len(rejected) - REJECTED_SHOWN))
    return out


def audit_section(report: Report, L: Labels) -> list[str]:
    return audit_sections.text_lines(report, _heading)  # dispositions, changes, trend (checker.audit)


SECTIONS: list[Section] = [notes_section, checked_section, summary_section, rates_section, findings_section]
SECTIONS += [audit_section, rejected_section]


def _render(report: Report, sections: list[Section]) -> str:
    L = labels(report.lang)
    out = [*_heading(L["title"]), ""]
    for section in sections:
        out += section(report, L)
    # every line passes through clean(), so no log value can add a line or a terminal escape
    return "\n".join(clean(line) for line in out).rstrip("\n") + "\n"


def render_text(report: Report) -> str:
    return _render(report, SECTIONS)


def render_summary(report: Report) -> str:
    """The terminal's view when the reports go to files: warnings, summary and compliance per process."""
    return _render(report, [notes_section, summary_section, lambda r, L: rates_section(r, L, only=("processes",))])


def write(report: Report, path: Path) -> None:
    path.write_bytes(render_text(report).encode("utf-8"))
