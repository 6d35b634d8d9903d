"""The roster: who held which role when, from CSV, XLSX or YAML.

Columns (CSV/XLSX headers, or keys of each YAML list entry): ``person``,
``role`` (the handbook's role id, title, English title or an alias), and the
optional dates ``from`` and ``to`` (inclusive; empty = open-ended). A person
may hold several roles, also over overlapping periods. Returns the frame that
``checker.context.Context.roster`` expects: person, role (id), from, to (Date).

Every problem (unknown role, missing person, bad date, ``from`` after ``to``)
raises ``LogError`` naming the file, the row (1-based data row, header not
counted; YAML: entry number) and the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

import polars as pl

from checker.readers.errors import LogError
from checker.readers.tabular import ROW, read_csv_raw, read_xlsx_raw
from opsbook.model import Role
from opsbook.yamldoc import load_yaml

COLUMNS = ("person", "role", "from", "to")
SCHEMA = {"person": pl.Utf8, "role": pl.Utf8, "from": pl.Date, "to": pl.Date}
_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]00:00(?::00(?:\.0*)?)?)?$")


def role_index(roles: Iterable[Role]) -> dict[str, str | None]:
    """Role id, title, English title and aliases (case-folded) → role id; None when two roles share a name."""
    index: dict[str, str | None] = {}
    for role in roles:
        for name in {role.id, role.title, role.title_en, *role.aliases} - {None, ""}:
            key = name.strip().casefold()
            index[key] = role.id if index.get(key, role.id) == role.id else None
    return index


def read_roster(path: str | Path, roles: Iterable[Role], *, encoding: str | None = None) -> pl.DataFrame:
    path = Path(path)
    if not path.is_file():
        raise LogError(path, "no such file")
    if path.stat().st_size == 0:
        raise LogError(path, "empty file")
    index = role_index(roles)
    records = [_record(path, index, where, entry) for where, entry in _entries(path, encoding)]
    return pl.DataFrame(records, schema=SCHEMA, orient="row")


def _entries(path: Path, encoding: str | None) -> Iterator[tuple[str, dict]]:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        yield from _yaml_entries(path)
        return
    if suffix == ".csv":
        frame = read_csv_raw(path, encoding)
    elif suffix == ".xlsx":
        frame = read_xlsx_raw(path)
    else:
        raise LogError(path, f"unknown roster format {suffix!r}: expected .csv, .xlsx, .yaml")
    missing = [c for c in ("person", "role") if c not in frame.columns]
    if missing:
        raise LogError(path, f"roster column(s) not found: {', '.join(missing)} (expected {', '.join(COLUMNS)})")
    for row in frame.iter_rows(named=True):
        if any(row.get(c) not in (None, "") for c in COLUMNS):
            yield f"row {row[ROW]}", row


def _yaml_entries(path: Path) -> Iterator[tuple[str, dict]]:
    # The handbook's own reader (a date stays the text typed, so _date names its entry): aliases refused unexpanded (a 1.5 KB alias bomb would take minutes with
    # yaml.safe_load), only a regular file of at most 1 MB, every problem with its line.
    doc, problems = load_yaml(path, str(path))
    if problems:
        first = min(problems, key=lambda p: (p.line, p.column))
        raise LogError(path, f"unreadable roster: {first.message}", first.line)
    data = doc.data
    if not isinstance(data, list):
        raise LogError(path, "expected a list of entries with person, role, from, to")
    for number, entry in enumerate(data, 1):
        if not isinstance(entry, dict):
            raise LogError(path, f"entry {number}: expected keys person, role, from, to")
        unknown = sorted(str(k) for k in entry if k not in COLUMNS)
        if unknown:
            raise LogError(path, f"entry {number}: unknown key {unknown[0]!r} (expected {', '.join(COLUMNS)})")
        yield f"entry {number}", entry


def _record(path: Path, index: dict[str, str | None], where: str, entry: dict) -> tuple:
    person = _text(entry.get("person"))
    role = _text(entry.get("role"))
    if not person:
        raise LogError(path, f"{where}: no person")
    if not role:
        raise LogError(path, f"{where}: no role for {person!r}")
    key = role.casefold()
    if key not in index:
        raise LogError(path, f"{where}: unknown role {role!r}")
    if index[key] is None:
        raise LogError(path, f"{where}: role name {role!r} is ambiguous (several roles use it); give the role id")
    start, end = _date(path, where, "from", entry.get("from")), _date(path, where, "to", entry.get("to"))
    if start and end and start > end:
        raise LogError(path, f"{where}: 'from' {start} is after 'to' {end}")
    return person, index[key], start, end


def _text(value: object) -> str | None:
    return str(value).strip() if value is not None else None


def _date(path: Path, where: str, column: str, value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    match = _DATE.match(text)
    try:
        return date(*map(int, match.groups())) if match else _bad_date(path, where, column, text)
    except ValueError:
        return _bad_date(path, where, column, text)


def _bad_date(path: Path, where: str, column: str, text: str):
    raise LogError(path, f"{where}: {column!r} is not a date: {text[:80]!r} (expected e.g. 2024-03-05)")
