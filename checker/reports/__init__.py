"""Report writers, chosen by name: text, json, csv, xlsx, html.

Each renders the same ``checker.report.Report`` (the findings' ``to_dict()``,
``summary()`` and the run's meta), in the report's language only: every word
comes from the ``report`` catalogue (``checker.reports.i18n``). The text and
HTML reports are lists of sections (``text.SECTIONS``, ``html.SECTIONS`` with
``html.CONTEXT``), so a new part of a report is one more entry. ``write_reports`` writes each one to a
temporary file beside its target and renames it into place, so a failing
writer never leaves a half-written report.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from checker.report import Report
from checker.reports import text


@dataclass(frozen=True)
class Writer:
    filename: str
    write: Callable[[Report, Path], None]


def _on_use(module: str) -> Callable[[Report, Path], None]:
    """The ``write`` of a writer module of this package, imported when a report of its format is written:
    the Excel writer alone (openpyxl, which imports numpy) costs a quarter of a second a JSON report need not pay."""

    def write(report: Report, path: Path) -> None:
        importlib.import_module(f"{__name__}.{module}").write(report, path)

    return write


WRITERS: dict[str, Writer] = {
    "text": Writer("report.txt", text.write),
    "json": Writer("findings.json", _on_use("jsonfile")),
    "csv": Writer("findings.csv", _on_use("csvfile")),
    "xlsx": Writer("findings.xlsx", _on_use("xlsx")),
    "html": Writer("report.html", _on_use("html")),
}

render_text = text.render_text
render_summary = text.render_summary


def write_atomic(write: Callable[[Report, Path], None], report: Report, target: Path) -> None:
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        write(report, tmp)
        tmp.chmod(0o644)  # mkstemp makes 0600; a report is an ordinary file
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_reports(report: Report, formats: Iterable[str], out_dir: Path) -> list[Path]:
    """Write the reports named in ``formats`` (in that order, once each) into ``out_dir``; their paths."""
    names = list(dict.fromkeys(formats))
    unknown = [n for n in names if n not in WRITERS]
    if unknown:
        raise ValueError(f"unknown report format(s): {', '.join(unknown)}; known: {', '.join(WRITERS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names:
        writer = WRITERS[name]
        target = out_dir / writer.filename
        write_atomic(writer.write, report, target)
        written.append(target)
    return written
