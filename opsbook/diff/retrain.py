"""Who must be retrained: the people whose role a change touches, with what changed for them.

The roster (``checker.roster``: person, role, from, to) gives who holds which role;
everyone holding a touched role on the day the newer version takes effect is
listed once per role, with that role's changes. People who start later are new
hires, trained on the new version anyway. HR gets CSV (Excel-friendly UTF-8) or XLSX.
"""

from __future__ import annotations

import csv
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from opsbook.i18n import translator

from .changes import Change, Diff
from .render import kind_text

FORMATS = (".csv", ".xlsx")


@dataclass(frozen=True)
class Row:
    person: str
    role: str  # role id
    start: date | None
    end: date | None
    changes: tuple[Change, ...]


def people(diff: Diff, roster: pl.DataFrame, on: date) -> list[Row]:
    """Holders of a touched role on ``on``, sorted by role then person."""
    touched = set(diff.touched_roles())
    held = roster.filter(
        pl.col("role").is_in(sorted(touched))
        & (pl.col("from").is_null() | (pl.col("from") <= on))
        & (pl.col("to").is_null() | (pl.col("to") >= on))
    ).unique(subset=["person", "role"], keep="first", maintain_order=True)
    rows = [
        Row(r["person"], r["role"], r["from"], r["to"], diff.for_role(r["role"])) for r in held.iter_rows(named=True)
    ]
    return sorted(rows, key=lambda r: (r.role, r.person))


def table(diff: Diff, rows: list[Row], lang: str | None = None) -> tuple[list[str], list[list]]:
    t = translator("diff", lang)
    header = [t(f"diff.col.{c}") for c in ("person", "role", "role-id", "from", "to", "count", "changes")]
    body = []
    for row in rows:
        lines = [f"{i}. [{kind_text(c.kind, lang)}] {c.where}" + (f"：{c.after}" if c.after else "")
                 for i, c in enumerate(row.changes, 1)]  # fmt: skip
        body.append(
            [row.person, diff.title(row.role), row.role, row.start, row.end, len(row.changes), "\n".join(lines)]
        )
    return header, body


def write(path: Path, header: list[str], body: list[list], sheet: str = "retraining") -> None:
    """Write the list as .csv or .xlsx, replacing ``path`` only once the file is complete."""
    fd, partial = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent or Path("."))
    os.close(fd)
    try:
        if path.suffix.lower() == ".xlsx":
            _xlsx(Path(partial), header, body, sheet)
        else:
            with open(partial, "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(header)
                writer.writerows([["" if v is None else v for v in row] for row in body])
        os.replace(partial, path)
    finally:
        Path(partial).unlink(missing_ok=True)


def _xlsx(path: Path, header: list[str], body: list[list], title: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in body:
        sheet.append(row)
    for column, width in zip("ABCDEFG", (14, 16, 22, 12, 12, 8, 90), strict=True):
        sheet.column_dimensions[column].width = width
    for cell in sheet["G"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    book.save(path)
