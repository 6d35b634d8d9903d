"""Shared helpers for checker tests: handbooks, event rows, contexts.

Rows are built straight in the ``checker.events`` schema, so these tests do not
depend on the file readers. Event refs are ``log.csv:<n>``, n = 1-based row.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from checker import engine
from checker.context import Context
from checker.events import ATTR_PREFIX, BASE_SCHEMA
from checker.finding import Finding
from checker.texts import Names, render
from opsbook.calendar import WorkCalendar
from opsbook.loader import load
from opsbook.model import Handbook

TZ = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar.china()
CASES = Path(__file__).parent / "fixtures" / "cases"
MINIMAL = Path(__file__).parents[1] / "fixtures" / "minimal"


@cache
def handbook(name: str = "minimal") -> Handbook:
    result = load(MINIMAL if name == "minimal" else CASES / name)
    assert result.handbook is not None, [str(p) for p in result.errors]
    return result.handbook


def at(text: str) -> datetime:
    """A local (Asia/Shanghai) time, e.g. '2024-03-05 10:00'."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def ev(case: str | None, activity: str, when: str, performer: str | None = None, role: str | None = None, **attrs):
    return {"case_id": case, "activity": activity, "ts": at(when), "performer": performer, "role": role, **attrs}


def log(*rows: dict) -> pl.DataFrame:
    """An event table; keys other than the base columns become attr:<key> columns."""
    attrs = sorted({k for row in rows for k in row if k not in BASE_SCHEMA})
    schema = {**BASE_SCHEMA, **{ATTR_PREFIX + a: pl.Utf8 for a in attrs}}
    data = [
        {
            **{k: row.get(k) for k in BASE_SCHEMA},
            "ref": f"log.csv:{n}",
            "seq": n,
            **{ATTR_PREFIX + a: row.get(a) for a in attrs},
        }
        for n, row in enumerate(rows, 1)
    ]
    return pl.DataFrame(data, schema=schema)


def roster(*rows: tuple[str, str, str | None, str | None]) -> pl.DataFrame:
    """(person, role, from, to) with ISO dates or None."""
    day = lambda text: date.fromisoformat(text) if text else None  # noqa: E731
    return pl.DataFrame(
        [(p, r, day(f), day(t)) for p, r, f, t in rows],
        schema={"person": pl.Utf8, "role": pl.Utf8, "from": pl.Date, "to": pl.Date},
        orient="row",
    )


def audit(
    events: pl.DataFrame, book: str = "minimal", *, as_of: str | None = None, people: pl.DataFrame | None = None
) -> Context:
    hb = handbook(book)
    prepared = engine.prepare(events, hb, roster=people, tz=TZ)
    latest = prepared["ts"].max().astimezone(TZ)
    return Context(
        handbook=hb,
        events=prepared,
        as_of=at(as_of) if as_of else latest,
        start=prepared["ts"].min().astimezone(TZ),
        calendar=CAL,
        tz=TZ,
        roster=people,
    )


def findings(rule, ctx: Context) -> list[Finding]:
    found = rule.check(ctx)
    if isinstance(found, pl.DataFrame):  # a findings table (checker.engine.frames)
        assert found.schema == engine.FINDINGS_SCHEMA
        found = list(engine.to_findings(found))
    found = list(found)
    assert all(f.code == rule.CODE and f.severity == rule.SEVERITY for f in found)
    return sorted(found, key=Finding.sort_key)


def refs(found: list[Finding]) -> list[tuple[str, ...]]:
    return [f.event_refs for f in found]


def en(f: Finding, which: str, book: Handbook | None = None) -> str | None:
    """The finding's expected or actual text as the English report shows it (titles from ``book``, default minimal)."""
    value = getattr(f, which)
    return None if value is None else render(value, f, "en", Names.of(book or handbook()))
