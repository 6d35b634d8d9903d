"""The sample's working paper: ``sample.xlsx`` for the tester and ``sample.json`` to reproduce the selection.

One row per sampled case: its events as the log has them, the steps the manual
requires of its process (ticked when the log has them), the checker's findings
in words, and empty columns for the tester's conclusion and the sign-offs. The
"Selection" sheet and ``sample.json`` hold every parameter needed to draw the
same sample again (logs with their SHA-256, handbook digest, seed, size or the
rates it was computed from, strata, as-of time) and the cases drawn.

Cells are written as the findings spreadsheet writes them (formula-safe, dates
from the as-of time), so the same sample gives the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.writer.excel import ExcelWriter

from checker.audit.sample import Drawn
from checker.events import ATTR_PREFIX
from checker.finding import Finding
from checker.report import rule_title
from checker.reports import write_atomic
from checker.reports.xlsx import _fill, _stamp, _StampedZip, flatten
from checker.texts import Names, render
from opsbook.i18n import translator
from opsbook.model import Handbook

TESTER_COLUMNS = ("sample.conclusion", "sample.deviation", "sample.tested-by", "sample.tested-on")
SIGN_OFF = ("sample.reviewed-by", "sample.reviewed-on")
PUNCT = {
    "zh": {"list": "、", "open": "（", "semi": "；", "close": "）", "colon": "："},
    "en": {"list": ", ", "open": " (", "semi": "; ", "close": ")", "colon": ": "},
}


def _steps(handbook: Handbook, process: str, events: pl.DataFrame, t, lang: str) -> str:
    done = set(events["step"].drop_nulls()) if events.height else set()
    lines = [_attributes(handbook, process, events)] if _has(handbook, process) else []
    for step in handbook.process(process).steps if _has(handbook, process) else ():
        notes = []
        if step.optional:
            notes.append(t("sample.optional"))
        if step.when is not None:
            values = PUNCT[lang]["list"].join(str(v) for v in step.when.values)
            notes.append(t("sample.condition", attribute=step.when.attribute, values=values))
        mark = "✓" if step.id in done else "✗"
        p = PUNCT[lang]
        lines.append(f"{mark} {step.title}" + (p["open"] + p["semi"].join(notes) + p["close"] if notes else ""))
    return "\n".join(line for line in lines if line)


def _attributes(handbook: Handbook, process: str, events: pl.DataFrame) -> str:
    """The case's values of the attributes its process's conditions read, as the log has them (first given)."""
    names = sorted({s.when.attribute for s in handbook.process(process).steps if s.when is not None})
    shown = []
    for name in names:
        column = ATTR_PREFIX + name
        values = events[column].drop_nulls() if column in events.columns else []
        shown.append(f"{name} = {values[0] if len(values) else '—'}")
    return ", ".join(shown)


def _has(handbook: Handbook, process: str) -> bool:
    return any(p.id == process for p in handbook.processes)


def _events(frame: pl.DataFrame, tz: ZoneInfo) -> str:
    rows = frame.select(
        pl.col("ts").dt.convert_time_zone(tz.key).dt.strftime("%Y-%m-%d %H:%M"), "activity", "performer", "ref"
    ).iter_rows()
    return "\n".join(f"{at} {activity} {performer or '—'} ({ref})" for at, activity, performer, ref in rows)


def _findings(findings: list[Finding], lang: str, names: Names, t) -> str:
    lines = []
    for f in findings:
        words = [render(x, f, lang, names) for x in (f.expected, f.actual) if x is not None]
        lines.append(
            f"{f.code} {rule_title(f.code, lang, f.rule)}" + (PUNCT[lang]["colon"] + " / ".join(words) if words else "")
        )
    return "\n".join(lines) or t("sample.none")


def rows(
    drawn: list[Drawn],
    events: pl.DataFrame,
    findings: list[Finding],
    handbook: Handbook,
    tz: ZoneInfo,
    lang: str,
) -> list[list]:
    t = translator("report", lang)
    names = Names.of(handbook)
    by_case: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.case_id is not None:
            by_case.setdefault((f.process, f.case_id), []).append(f)
    groups = {key: part for key, part in events.partition_by("process", "case_id", as_dict=True).items()}
    out = []
    for no, d in enumerate(drawn, 1):
        case_events = groups.get((d.process, d.case_id), events.clear())
        start = case_events["ts"].min() if case_events.height else None
        out.append(
            [
                no,
                d.stratum,
                names.processes.get(d.process, d.process),
                d.case_id,
                start.astimezone(tz).strftime("%Y-%m-%d %H:%M") if start else "",
                _events(case_events, tz),
                _steps(handbook, d.process, case_events, t, lang),
                _findings(by_case.get((d.process, d.case_id), []), lang, names, t),
                *([""] * (len(TESTER_COLUMNS) + len(SIGN_OFF))),
            ]
        )
    return out


def write(out_dir: Path, table: list[list], selection: dict, lang: str) -> list[Path]:
    """sample.xlsx and sample.json in ``out_dir``; their paths."""
    t = translator("report", lang)
    head = [t(i) for i in ("sample.no", "sample.stratum", "sample.process", "sample.case", "sample.start")]
    head += [t(i) for i in ("sample.events", "sample.steps", "sample.findings", *TESTER_COLUMNS, *SIGN_OFF)]
    wb = Workbook()
    _fill(wb.active, head, table)
    wb.active.title = "Sample"
    for row in wb.active.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    params = [
        [k, v if isinstance(v, str | int | float) or v is None else json.dumps(v, ensure_ascii=False)]
        for k, v in flatten({k: v for k, v in selection.items() if k != "drawn"})
    ]
    _fill(wb.create_sheet("Selection"), [t("sample.parameter"), t("sample.value")], params)
    stamp = _stamp(selection.get("as_of"))
    wb.properties.created = wb.properties.modified = stamp
    out_dir.mkdir(parents=True, exist_ok=True)
    xlsx, js = out_dir / "sample.xlsx", out_dir / "sample.json"

    def workbook(_, path: Path) -> None:
        with _StampedZip(path, stamp) as archive:
            ExcelWriter(wb, archive).save()

    def parameters(_, path: Path) -> None:
        path.write_text(json.dumps(selection, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    # like the reports: each file is written beside its target and renamed into place, never half-written
    write_atomic(workbook, None, xlsx)
    write_atomic(parameters, None, js)
    return [xlsx, js]
