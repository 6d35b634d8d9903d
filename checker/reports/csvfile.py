"""findings.csv: one row per finding, the columns of ``tabular.COLUMNS`` titled in the report's language.

UTF-8 with a byte-order mark, so that Excel reads the Chinese text correctly;
every cell quoted and formula-like text neutralised (see ``tabular``).
"""

from __future__ import annotations

import csv
from pathlib import Path

from checker.report import Report
from checker.reports.tabular import finding_rows, header


def write(report: Report, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh, quoting=csv.QUOTE_ALL)
        out.writerow(header(report.lang))
        out.writerows(finding_rows(report))
