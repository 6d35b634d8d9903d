"""findings.csv: one row per finding, the columns of ``tabular.COLUMNS`` titled in the report's language.

UTF-8 with a byte-order mark, so that Excel reads the Chinese text correctly;
every cell quoted and formula-like text neutralised (see ``tabular``).
"""

from __future__ import annotations

import csv
from pathlib import Path

from checker.audit import sections as audit_sections
from checker.report import Report
from checker.reports.tabular import COLUMNS, finding_rows, header


def write(report: Report, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh, quoting=csv.QUOTE_ALL)
        # with dispositions or a baseline: status and disposition columns, disposed findings after the open ones
        head, rows = audit_sections.csv_rows(report, COLUMNS, finding_rows(report))
        out.writerow(header(report.lang) + head[len(COLUMNS) :])
        out.writerows(rows)
