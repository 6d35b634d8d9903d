"""C109 too-many and C110 too-few: counts in open and complete cases."""

import pytest

from checker.rules import too_few, too_many

from .conftest import audit, en, ev, findings, log, refs


def test_c109_more_than_max_count():
    ctx = audit(
        log(ev("L2", "提交申请", "2024-03-05 09:00", "p1"), ev("L2", "提交申请", "2024-03-06 09:00", "p2")), "loan"
    )
    found = findings(too_many, ctx)
    assert [(f.case_id, f.step, en(f, "actual")) for f in found] == [("L2", "apply", "2 times")]
    assert refs(found) == [("log.csv:1", "log.csv:2")]
    assert found[0].performers == ("p1", "p2")


def test_c109_passes_at_max_count():
    ctx = audit(log(ev("L2", "提交申请", "2024-03-05 09:00", "p1")), "loan")
    assert findings(too_many, ctx) == []


def loan(*tail: dict) -> list[dict]:
    return [ev("L3", "提交申请", "2024-03-04 09:00", "p1"), ev("L3", "审核申请", "2024-03-05 09:00", "p2"), *tail]


def test_c110_complete_case_with_too_few():
    ctx = audit(
        log(*loan(ev("L3", "放款", "2024-03-05 10:00", "p3"), ev("L3", "结案", "2024-03-05 11:00", "p3"))), "loan"
    )
    found = findings(too_few, ctx)
    assert [(f.case_id, f.step, en(f, "expected", ctx.handbook), en(f, "actual")) for f in found] == [
        ("L3", "pay", "at least 2 × 放款", "1 time")
    ]
    assert refs(found) == [("log.csv:3",)]


@pytest.mark.parametrize(("as_of", "short"), [("2024-03-08 23:00", False), ("2024-03-09 00:00:01", True)])
def test_c110_open_case_only_once_the_deadline_has_passed(as_of, short):
    # pay: within 3 workdays from review (Tue 5 March) → by Fri 8 March 24:00.
    ctx = audit(log(*loan(ev("L3", "放款", "2024-03-05 10:00", "p3"))), "loan", as_of=as_of)
    assert refs(findings(too_few, ctx)) == ([("log.csv:3",)] if short else [])


def test_c110_passes_with_enough_or_none():
    enough = loan(ev("L3", "放款", "2024-03-05 10:00", "p3"), ev("L3", "放款", "2024-03-06 10:00", "p3"))
    assert findings(too_few, audit(log(*enough, ev("L3", "结案", "2024-03-07 11:00", "p3")), "loan")) == []
    none = loan(ev("L3", "结案", "2024-03-07 11:00", "p3"))  # missing altogether: C101's business
    assert findings(too_few, audit(log(*none), "loan")) == []
