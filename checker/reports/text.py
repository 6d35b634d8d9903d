"""The plain-text report: the summary an auditor reads first, then every finding by process and case."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from checker.audit import sections as audit_sections
from checker.report import REJECTED_SHOWN, Report, grouped, rule_title, summary
from checker.reports import checked
from checker.reports.i18n import labels, lateness_words


def clean(value: object) -> str:
    """Log text made safe for a terminal: control characters (ANSI escapes ...) shown as \\x.. codes."""
    s = "" if value is None else str(value)
    return "".join(f"\\x{ord(c):02x}" if unicodedata.category(c) == "Cc" else c for c in s)


def _heading(title: str, underline: str = "=") -> list[str]:
    width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in title)
    return [title, underline * width]


def _summary_lines(report: Report, L: dict[str, str]) -> list[str]:
    s = summary(report)
    sev = ", ".join(f"{L[k]} {n}" for k, n in s["by_severity"].items())
    out = [*_heading(L["summary"], "-"), f"{L['total'].format(n=s['total'])}: {sev}", "", f"{L['by_code']}:"]
    out += [
        f"  {c['code']}  {c['count']:>5}  [{L.get(c['severity'], c['severity'])}] {c['title']}" for c in s["by_code"]
    ]
    out += ["", f"{L['by_step']}:"]
    steps = s["by_step"]
    for p in s["by_process"]:
        out.append(f"  {p['process'] or L['no_process']}  {p['count']}")
        out += [f"    {x['step'] or '—'}  {x['count']}" for x in steps if x["process"] == p["process"]]
    if s["worst_cases"]:
        out += ["", f"{L['worst_cases']}:"]
        out += [
            f"  {w['process'] or L['no_process']} / {w['case_id']}  "
            f"{L['violations']} {w['violations']}, {L['total'].format(n=w['findings'])}"
            for w in s["worst_cases"]
        ]
    return out


def _finding_lines(report: Report, L: dict[str, str]) -> list[str]:
    if not report.findings:
        return [L["no_findings"]]
    out: list[str] = []
    for process, subjects in grouped(report.findings).items():
        out += ["", f"{L['process']} {process or L['no_process']}"]
        for (kind, value), indices in subjects.items():
            out.append(f"  {L[kind]} {value}" if value is not None else f"  {L[kind]}")
            for i in indices:
                out += _finding(report, i, L)
    return out


def _finding(report: Report, i: int, L: dict[str, str]) -> list[str]:
    f = report.findings[i]
    head = f"    [{f.code} {L.get(f.severity, f.severity)}] {rule_title(f.code, report.lang, f.rule)}"
    where = [f"{L['step']} {f.step}"] if f.step else []
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
    out.append(f"      {L['link']}: {report.base_url + f.clause}")
    return out


def _rejected_lines(report: Report, L: dict[str, str]) -> list[str]:
    rejected = report.rejected
    out = ["", *_heading(f"{L['rejected']} ({len(rejected)})", "-")]
    out += [f"  {r.ref}  {r.field}  {r.reason}" for r in rejected[:REJECTED_SHOWN]]
    if len(rejected) > REJECTED_SHOWN:
        out.append("  " + L["more"].format(n=len(rejected) - REJECTED_SHOWN))
    return out


def render_text(report: Report) -> str:
    L = labels(report.lang)
    out = [*_heading(L["title"]), "", *_heading(L["checked"], "-"), f"{L['inputs']}:"]
    out += [
        f"  {i['path']}  ({i['format']})  sha256 {i['sha256']}  "
        f"{L['rows_read']} {i['rows_read']}, {L['rows_rejected']} {i['rows_rejected']}"
        for i in checked.inputs(report.meta)
    ]
    out += [f"{label}: {value}" for label, value in checked.facts(report.meta, report.lang)]
    out += ["", *_summary_lines(report, L), "", *_heading(L["findings"], "-"), *_finding_lines(report, L)]
    out += audit_sections.text_lines(report, _heading)  # dispositions, changes, trend (checker.audit)
    if report.rejected:
        out += _rejected_lines(report, L)
    # every line passes through clean(), so no log value can add a line or a terminal escape
    return "\n".join(clean(line) for line in out) + "\n"


def write(report: Report, path: Path) -> None:
    path.write_bytes(render_text(report).encode("utf-8"))
