"""findings.xlsx: findings, summary, one sheet per rate table, rejected rows and the run's facts.

Sheet names and column titles are in the report's language (``sheet.*`` and
``column.*`` in the report catalogue); rates are numbers formatted as percentages.

Every text cell is neutralised (see ``tabular``) and stored as a string, never
a formula. The workbook's dates and the zip entries' times come from the as-of
time, so the same report gives the same bytes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from checker.audit import sections as audit_sections
from checker.report import Report, summary
from checker.reports.i18n import labels
from checker.reports.ratetables import tables
from checker.reports.rejected import field_words, reason_words
from checker.reports.tabular import cell, finding_rows, header

FALLBACK_STAMP = datetime(2000, 1, 1)


def _fill(ws: Worksheet, header: list[str], rows: Iterable[list], percent: frozenset[int] = frozenset()) -> None:
    for r, values in enumerate([header, *rows], start=1):
        for c, value in enumerate(values, start=1):
            value = cell(value)
            target = ws.cell(row=r, column=c)
            if isinstance(value, str):
                target.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
                target.data_type = "s"
            else:
                target.value = value
                if c - 1 in percent and r > 1:
                    target.number_format = "0.0%"
    for c in range(1, len(header) + 1):
        ws.cell(row=1, column=c).font = Font(bold=True)
        width = max((_width(ws.cell(row=r, column=c).value) for r in range(1, ws.max_row + 1)), default=8)
        ws.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), 60)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def _width(value: object) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value or ""))


def _summary_rows(report: Report) -> list[list]:
    s = summary(report)
    L = labels(report.lang)
    rows: list[list] = [[L["severity"], L.severity_word(k), "", n] for k, n in s["by_severity"].items()]
    rows += [[L["code"], c["code"], c["title"], c["count"]] for c in s["by_code"]]
    rows += [[L["process"], p["title"], p["process"], p["count"]] for p in s["by_process"]]
    rows += [[L["step"], report.process_title(x["process"]), x["step_title"], x["count"]] for x in s["by_step"]]
    rows += [[L["by_week"], w["week"], "", w["count"]] for w in s["by_week"]]
    rows += [[L["worst_cases"], w["process"], w["case_id"], w["violations"]] for w in s["worst_cases"]]
    return rows


def flatten(value: object, prefix: str = "") -> list[list]:
    """meta as (key, value) rows: {"handbook": {"version": 1}} -> ["handbook.version", 1]."""
    if isinstance(value, dict):
        return [row for k, v in value.items() for row in flatten(v, f"{prefix}.{k}" if prefix else str(k))]
    if isinstance(value, list | tuple) and any(isinstance(v, dict | list | tuple) for v in value):
        return [row for i, v in enumerate(value) for row in flatten(v, f"{prefix}[{i}]")]
    return [[prefix, value]]


class _StampedZip(ZipFile):
    """A zip whose entries all carry one fixed time instead of the wall clock."""

    def __init__(self, path: Path, stamp: datetime) -> None:
        super().__init__(path, "w", ZIP_DEFLATED)
        self._date_time = stamp.timetuple()[:6]

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, ZipInfo):
            zinfo_or_arcname = ZipInfo(zinfo_or_arcname, self._date_time)
            zinfo_or_arcname.compress_type = ZIP_DEFLATED
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        # openpyxl streams worksheets through temporary files; their mtime is the wall clock
        self.writestr(arcname or Path(filename).name, Path(filename).read_bytes(), compress_type, compresslevel)


def _stamp(as_of: object) -> datetime:
    try:
        stamp = datetime.fromisoformat(str(as_of))
    except ValueError:
        return FALLBACK_STAMP
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC).replace(tzinfo=None)
    # zip times run from 1980 to 2107 (a seven-bit year); an as-of beyond either end is pinned to it
    return min(max(stamp.replace(microsecond=0), datetime(1980, 1, 1)), datetime(2107, 12, 31, 23, 59, 58))


def write(report: Report, path: Path) -> None:
    L = labels(report.lang)
    wb = Workbook()
    _fill(wb.active, header(report.lang), finding_rows(report))
    wb.active.title = L["sheet.findings"]
    _fill(wb.create_sheet(L["sheet.summary"]), [L["summary"], "", L["rule_title"], L["count"]], _summary_rows(report))
    for table in tables(report):
        _fill(wb.create_sheet(L[f"sheet.{table.name}"]), list(table.header), [list(r) for r in table.rows], table.rates)
    rejected = [
        [r.ref, field_words(r.field, report.lang), reason_words(r, report.lang, report.names)] for r in report.rejected
    ]
    _fill(wb.create_sheet(L["sheet.rejected"]), [L["ref"], L["field"], L["reason"]], rejected)
    for name, head, rows in audit_sections.xlsx_sheets(report):  # dispositions, changes, trend (checker.audit)
        _fill(wb.create_sheet(name), head, rows)
    run = flatten({**report.meta, "lang": report.lang, "base_url": report.base_url})
    _fill(wb.create_sheet(L["sheet.run"]), [L["sheet.key"], L["sheet.value"]], [[k, _scalar(v)] for k, v in run])
    stamp = _stamp(report.meta.get("as_of"))
    wb.properties.created = wb.properties.modified = stamp
    # openpyxl's save() stamps "modified" with the wall clock; its ExcelWriter does not
    with _StampedZip(path, stamp) as archive:
        ExcelWriter(wb, archive).save()


def _scalar(value: object) -> object:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)
