"""How the reports show the audit trail: disposed findings, changes since the baseline, the monthly trend.

One set of rows (``disposed_rows``, ``change_rows``, ``trend_rows``) and one set of
labels (the ``report`` catalogue's ``audit.*`` ids) serve every format: text
lines, HTML context, XLSX sheets and extra CSV columns, so they always agree.
"""

from __future__ import annotations

from collections.abc import Iterable

from checker.audit.baseline import NEW, NOT_REEXAMINED, PERSISTING, RESOLVED, Changes
from checker.report import Report
from opsbook.i18n import message_ids, translator

DISPOSED_COLUMNS = (
    "key",
    "code",
    "severity",
    "process",
    "subject",
    "step",
    "period",
    "disposition",
    "reason",
    "approved_by",
    "date",
    "expires",
    "reference",
    "entry",
)
CHANGE_COLUMNS = (
    "status",
    "key",
    "code",
    "severity",
    "process",
    "subject",
    "step",
    "period",
    "first_seen",
    "days",
    "runs",
)
STATUS_LABELS = {
    NEW: "audit.new",
    PERSISTING: "audit.persisting",
    RESOLVED: "audit.resolved",
    NOT_REEXAMINED: "audit.unseen",
}
TREND_COLUMNS = ("month", "process", "cases", "with_violations", "rate", "source")
LABEL_IDS = {
    "key": "audit.key",
    "disposition": "audit.disposition",
    "reason": "audit.reason",
    "approved_by": "audit.approved-by",
    "date": "audit.date",
    "expires": "audit.expires",
    "reference": "audit.reference",
    "entry": "audit.entry",
    "status": "audit.status",
    "first_seen": "audit.first-seen",
    "days": "audit.days",
    "runs": "audit.runs",
    "month": "audit.month",
    "cases": "audit.cases",
    "with_violations": "audit.with-violations",
    "rate": "audit.rate",
    "source": "audit.source",
}


def header(columns: tuple[str, ...], lang: str) -> list[str]:
    """Column titles in the report's language; the finding fields keep their JSON names."""
    t = translator("report", lang)
    known = message_ids("report", lang)
    return [t(LABEL_IDS[c]) if c in LABEL_IDS else t(f"column.{c}") if f"column.{c}" in known else c for c in columns]


def _subject(d: dict) -> str | None:
    return d.get("case_id") if d.get("case_id") is not None else d.get("scope")


def disposed_rows(report: Report) -> list[dict]:
    t = translator("report", report.lang)
    rows = []
    for f, e in report.audit.disposed if report.audit else ():
        rows.append(
            {
                "key": f.key,
                "code": f.code,
                "severity": f.severity,
                "process": f.process,
                "subject": f.case_id if f.case_id is not None else f.scope,
                "step": f.step,
                "period": f.period,
                "disposition": t(f"audit.{e.disposition}"),
                "reason": e.reason,
                "approved_by": e.approved_by,
                "date": e.date,
                "expires": e.expires,
                "reference": e.reference,
                "entry": e.where,
            }
        )
    return rows


def change_rows(report: Report) -> list[dict]:
    """Every key of both audits with its status: this run's (open and disposed), then the baseline's."""
    changes = report.audit.changes if report.audit else None
    if changes is None:
        return []
    now = [*report.findings, *(f for f, _ in report.audit.disposed)]
    rows = [
        {
            "status": changes.status.get(f.key, NEW),
            "key": f.key,
            "code": f.code,
            "severity": f.severity,
            "process": f.process,
            "subject": f.case_id if f.case_id is not None else f.scope,
            "step": f.step,
            "period": f.period,
            "first_seen": changes.first_seen.get(f.key),
            "days": changes.days.get(f.key),
            "runs": changes.runs.get(f.key, 1),
        }
        for f in now
    ]
    for status, entries in ((RESOLVED, changes.resolved), (NOT_REEXAMINED, changes.not_reexamined)):
        rows += [
            {
                "status": status,
                **{k: e.get(k) for k in ("key", "code", "severity", "process", "step", "period", "first_seen")},
                "subject": _subject(e),
                "days": None,
                "runs": e.get("runs") or 1,
            }
            for e in entries
        ]
    order = {NEW: 0, PERSISTING: 1, RESOLVED: 2, NOT_REEXAMINED: 3}
    return sorted(rows, key=lambda r: (order[r["status"]], r["key"]))


def trend_rows(report: Report) -> list[dict]:
    t = translator("report", report.lang)
    rows = list(report.audit.trend) if report.audit else []
    return [{**r, "source": r.get("source") or t("audit.this-run")} for r in rows]


def several_months(report: Report) -> bool:
    return len({r["month"] for r in trend_rows(report)}) > 1


def text_lines(report: Report, heading) -> list[str]:
    """The text report's sections; ``heading(title, underline)`` draws a heading as the text report does."""
    trail = report.audit
    if trail is None:
        return []
    t = translator("report", report.lang)
    out: list[str] = []
    applied = trail.applied
    if applied is not None:
        out += ["", *heading(f"{t('audit.disposed')} ({len(applied.disposed)})", "-")]
        out.append(
            t(
                "audit.register",
                file=applied.source,
                entries=applied.entries,
                disposed=len(applied.disposed),
                stale=len(applied.stale),
                expired=len(applied.expired),
            )
        )
        for r in disposed_rows(report):
            where = " / ".join(str(r[k]) for k in ("process", "subject", "step", "period") if r[k])
            out += [
                f"  [{r['code']}] {where}",
                f"    {t('audit.key')}: {r['key']}",
                f"    {t('audit.disposition')}: {r['disposition']}; {t('audit.approved-by')}: {r['approved_by']}; "
                f"{t('audit.date')}: {r['date']}; {t('audit.expires')}: {r['expires'] or '—'}"
                + (f"; {t('audit.reference')}: {r['reference']}" if r["reference"] else ""),
                f"    {t('audit.reason')}: {r['reason']}",
                f"    {t('audit.entry')}: {r['entry']}",
            ]
        for title, entries in (("audit.stale", applied.stale), ("audit.expired", applied.expired)):
            if entries:
                out += ["", f"{t(title)} ({len(entries)}):"]
                out += [f"  {e.where}  {e.selector}" + (f"  ({e.expires})" if e.expires else "") for e in entries]
    if trail.changes is not None:
        out += ["", *heading(t("audit.changes"), "-"), *change_lines(trail.changes, change_rows(report), t)]
    if several_months(report):
        out += ["", *heading(t("audit.trend"), "-"), t("audit.trend-note")]
        for r in trend_rows(report):
            rate = "—" if r["rate"] is None else f"{r['rate']:.1%}"
            out.append(f"  {r['month']}  {r['process']}  {r['cases']}  {r['with_violations']}  {rate}  {r['source']}")
    return out


def change_lines(c: Changes, rows: list[dict], t) -> list[str]:
    """The baseline, the counts, then the keys by status (persisting ones with since when): text and diff-findings."""
    counts = {"new": c.counts[NEW], "persisting": c.counts[PERSISTING], "resolved": c.counts[RESOLVED]}
    out = [
        t("audit.baseline", path=c.baseline, as_of=c.baseline_as_of),
        t("audit.counts", **counts, unseen=c.counts[NOT_REEXAMINED]),
    ]
    titles = {NEW: "audit.new", PERSISTING: "audit.persisting", RESOLVED: "audit.resolved"}
    titles[NOT_REEXAMINED] = "audit.not-reexamined"
    for status, title in titles.items():
        chosen = [r for r in rows if r["status"] == status]
        if chosen:
            out += ["", f"{t(title)} ({len(chosen)}):"]
        for r in chosen:
            since = ""
            if status == PERSISTING:
                since = t("audit.persisting-line", first_seen=r["first_seen"], days=r["days"], runs=r["runs"])
            out.append(f"  {r['key']}" + (f"  ({since})" if since else ""))
    return out


def table(rows: list[dict], columns: tuple[str, ...]) -> list[list]:
    return [[r.get(c) for c in columns] for r in rows]


def xlsx_sheets(report: Report) -> list[tuple[str, list[str], list[list]]]:
    """(sheet name, header, rows) for each part of the trail this run has."""
    if report.audit is None:
        return []
    sheets = []
    t = translator("report", report.lang)
    if report.audit.applied is not None:
        sheets.append(
            (t("sheet.disposed"), header(DISPOSED_COLUMNS, report.lang), table(disposed_rows(report), DISPOSED_COLUMNS))
        )
    if report.audit.changes is not None:
        rows = [{**r, "status": t(STATUS_LABELS[r["status"]])} for r in change_rows(report)]
        sheets.append((t("sheet.changes"), header(CHANGE_COLUMNS, report.lang), table(rows, CHANGE_COLUMNS)))
    if report.audit.trend:
        sheets.append((t("sheet.trend"), header(TREND_COLUMNS, report.lang), table(trend_rows(report), TREND_COLUMNS)))
    return sheets


def html_context(report: Report) -> dict | None:
    """What templates/audit.html.j2 shows; None when the run has no trail to show."""
    trail = report.audit
    if trail is None or (trail.applied is None and trail.changes is None and not several_months(report)):
        return None
    t = translator("report", report.lang)
    trend = trend_rows(report)
    months = sorted({r["month"] for r in trend})
    processes = sorted({r["process"] for r in trend})
    cell = {(r["month"], r["process"]): r for r in trend}
    return {
        "t": t,
        "applied": trail.applied,
        "disposed": disposed_rows(report),
        "changes": trail.changes,
        "change_rows": change_rows(report),
        "statuses": {s: t(STATUS_LABELS[s]) for s in (NEW, PERSISTING, RESOLVED, NOT_REEXAMINED)},
        "process_title": lambda p: report.names.processes.get(p or "", p),
        "step_title": lambda p, step: report.names.step(p, step),
        "trend": {
            "months": months,
            "rows": [{"process": p, "cells": [cell.get((m, p)) for m in months]} for p in processes],
        }
        if len(months) > 1
        else None,
    }


CSV_COLUMNS = (
    "status",
    "first_seen",
    "days",
    "runs",
    "disposition",
    "reason",
    "approved_by",
    "date",
    "expires",
    "entry",
)


def csv_rows(report: Report, columns: tuple[str, ...], open_rows: Iterable[list]) -> tuple[list[str], Iterable[list]]:
    """findings.csv with the trail: the extra columns, then open findings' rows and the disposed findings' rows.

    Without dispositions or a baseline the file keeps its usual columns.
    """
    from checker.reports.tabular import cell  # the one formula-safe cell writer

    trail = report.audit
    if trail is None or (trail.applied is None and trail.changes is None):
        return list(columns), open_rows
    t = translator("report", report.lang)

    def extra(f, e=None) -> list:
        mark = trail.annotate(f)
        values = [t(STATUS_LABELS[mark["status"]]) if mark else None, mark.get("first_seen"), mark.get("days")]
        values.append(mark.get("runs"))
        if e is not None:
            values += [t(f"audit.{e.disposition}"), e.reason, e.approved_by, e.date, e.expires, e.where]
        return [cell(v) for v in values + [None] * (len(CSV_COLUMNS) - len(values))]

    rows = [row + extra(f) for row, f in zip(open_rows, report.findings, strict=True)]
    for f, e in trail.disposed:
        d = report.entry(f)
        rows.append([cell(d[k]) for k in columns] + extra(f, e))
    return [*columns, *CSV_COLUMNS], rows
