"""Bounds on what a log may claim, so a small file cannot cost gigabytes or hours.

A 9 MB CSV with a million columns grew to 13 GB in Polars, and an XLSX whose
sheet dimension claims XFD1048576 was padded cell by cell. No real activity log
has thousands of columns, so the width is bounded (``MAX_COLUMNS``) and checked
before a row is read; ``OPSBOOK_MAX_COLUMNS`` raises the bound for the rare file
that needs it. The refusal is a LogError (one line, exit code 2) naming the
limit and how to raise it.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from opsbook.i18n import tr

from .errors import LogError

MAX_COLUMNS = 10_000
COLUMNS_ENV = "OPSBOOK_MAX_COLUMNS"
_HEADER_CHARS = 1 << 24  # a header line longer than this holds more columns than any bound allows


class OverLimit(LogError):
    """A file beyond a bound: reported as it is, not as a file the reader could not parse."""


def max_columns() -> int:
    """The bound on columns: ``OPSBOOK_MAX_COLUMNS`` when set, else ``MAX_COLUMNS``."""
    given = os.environ.get(COLUMNS_ENV, "").strip()
    if not given:
        return MAX_COLUMNS
    if not given.isascii() or not given.isdigit() or not 1 <= int(given[:12]) <= 10**9:
        raise OverLimit(COLUMNS_ENV, tr("cli", "limit.columns-env", value=given[:40]))
    return int(given)


def check_columns(path: Path | str, count: int) -> None:
    """LogError when a file has more columns than ``max_columns()``."""
    limit = max_columns()
    if count > limit:
        raise OverLimit(path, tr("cli", "limit.columns", count=f"{count:,}", limit=f"{limit:,}", env=COLUMNS_ENV))


def check_csv_header(path: Path, source: Path) -> None:
    """Count the header's fields in ``source`` (UTF-8) before Polars reads it; LogError when too many."""
    with source.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        line = handle.readline(_HEADER_CHARS)
    if len(line) >= _HEADER_CHARS and not line.endswith("\n"):
        raise OverLimit(path, tr("cli", "limit.header", limit=f"{_HEADER_CHARS:,}", env=COLUMNS_ENV))
    fields = next(csv.reader([line]), [])
    check_columns(path, len(fields))
