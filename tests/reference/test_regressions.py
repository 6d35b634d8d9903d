"""Minimal cases where the checker and the spec disagreed, found by test_property.py.

Each test states the SPEC clause, what it requires, and what the checker did.
"""

from __future__ import annotations

from datetime import UTC, datetime

from checker import engine
from checker.admit import admit
from opsbook.model import Cadence, Handbook, Obligation, Process, Raci, Scope, Step

from . import spec_reference as reference
from .test_property import ROLES, SHANGHAI, event_table

STEPS = (
    Step("apply", "申请", ("申请",), Raci(("clerk",))),
    Step("close", "结案", ("结案",), Raci(("boss",)), after=("apply",), final=True),
)


def rows() -> list[dict]:
    at = datetime(2026, 3, 5, 2, tzinfo=UTC)
    base = {"ts": at, "performer": "p1", "role": "clerk", "attrs": {}}
    return [
        {**base, "ref": "log.csv:1", "seq": 1, "case_id": "C1", "activity": "申请"},
        {**base, "ref": "log.csv:2", "seq": 2, "case_id": None, "activity": "申请"},
        {**base, "ref": "log.csv:3", "seq": 3, "case_id": None, "activity": "周会"},
    ]


def admitted_refs(handbook: Handbook) -> tuple[list[str], list[str]]:
    prepared = engine.prepare(event_table(rows()), handbook, roster=None, tz=SHANGHAI)
    good, rejected = admit(prepared, handbook)
    return good["ref"].to_list(), [r.ref for r in rejected]


def book(*obligations: Obligation) -> Handbook:
    process = Process("p", "流程", "boss", "测试。", steps=STEPS, obligations=obligations)
    return Handbook(organisation="测试", version="t", timezone="Asia/Shanghai", roles=ROLES, processes=(process,))


def test_admit_without_per_role_or_per_entity_obligations():
    """SPEC §5: "a row of a process step without a case id" is rejected with its reference.

    Found with a handbook that has no obligation (or only organisation-wide
    ones): checker.admit.admit builds its table of obligation needs from an
    empty row list without types, so joining it raises polars SchemaError
    ("datatypes of join keys don't match - `process`: str on left does not
    match `process`: null on right"). End to end, ``opsbook check --handbook
    tests/checker/fixtures/cases/loan log.csv`` stops with "internal error:
    SchemaError". Expected: row 1 checked, row 2 rejected (no case id), row 3
    (an unknown label) checked.
    """
    expected = (["log.csv:1", "log.csv:3"], ["log.csv:2"])
    handbook = book()
    kept, rejected = reference.admit(reference.prepare(rows(), handbook, (), SHANGHAI), handbook)
    assert ([e["ref"] for e in kept], rejected) == expected
    assert admitted_refs(handbook) == expected


def test_admit_with_only_an_organisation_wide_obligation():
    """The same failure when the only obligation is organisation-wide (it needs no column)."""
    weekly = Obligation("weekly", "周会", ("周会",), ("boss",), Scope("organisation"), Cadence(every="week"))
    assert admitted_refs(book(weekly)) == (["log.csv:1", "log.csv:3"], ["log.csv:2"])


def test_admit_with_a_per_role_obligation_works():
    """Control: with a per-role obligation the same rows are admitted as the spec says."""
    daily = Obligation("daily", "日报", ("周会",), ("clerk",), Scope("role", role="clerk"), Cadence(every="workday"))
    assert admitted_refs(book(daily)) == (["log.csv:1", "log.csv:3"], ["log.csv:2"])
