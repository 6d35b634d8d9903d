"""C104 deadline: lateness, workdays over the National Day week, months, attribute anchors."""

import pytest

from checker.rules import deadline

from .conftest import audit, en, ev, findings, log, refs


def test_c104_late_step_reports_the_lateness():
    ctx = audit(log(ev("C4", "起草合同", "2024-03-05 10:00", "p1"), ev("C4", "审批合同", "2024-03-11 10:00", "p2")))
    found = findings(deadline, ctx)
    assert [(f.case_id, f.step) for f in found] == [("C4", "approve")]
    assert refs(found) == [("log.csv:2",)]
    assert found[0].performers == ("p2",)
    assert en(found[0], "expected") == "by 2024-03-08 24:00 (3 workdays from 起草合同)"
    assert en(found[0], "actual") == "2024-03-11 10:00"
    assert found[0].lateness_seconds == 58 * 3600


def test_c104_on_time_and_only_the_first_occurrence_counts():
    ctx = audit(
        log(
            ev("C4", "起草合同", "2024-03-05 10:00", "p1"),
            ev("C4", "审批合同", "2024-03-08 23:59", "p2"),
            ev("C4", "审批合同", "2024-03-11 10:00", "p2"),
        )
    )
    assert findings(deadline, ctx) == []


@pytest.mark.parametrize(("approved", "late"), [("2026-10-10 17:00", False), ("2026-10-11 09:00", True)])
def test_c104_national_day_week_and_make_up_saturday(approved, late):
    ctx = audit(log(ev("C5", "起草合同", "2026-09-30 10:00", "p1"), ev("C5", "审批合同", approved, "p2")))
    found = findings(deadline, ctx)
    assert refs(found) == ([("log.csv:2",)] if late else [])
    if late:
        assert en(found[0], "expected") == "by 2026-10-10 24:00 (3 workdays from 起草合同)"


def test_c104_absent_anchor_step_gives_no_finding():
    ctx = audit(log(ev("C4", "审批合同", "2024-09-11 10:00", "p2")))
    assert findings(deadline, ctx) == []


@pytest.mark.parametrize(
    ("handover", "notified", "late"),
    [
        ("2024-03-20", "2024-03-06 00:00", False),  # exactly at the limit is in time
        ("2024-03-20", "2024-03-06 08:00", True),
        (None, "2024-03-19 08:00", False),
        ("下周", "2024-03-19 08:00", False),
    ],
)
def test_c104_before_an_attribute_date(handover, notified, late):
    ctx = audit(
        log(
            ev("C6", "起草合同", "2024-03-01 10:00", "p1", handover_date=handover), ev("C6", "通知交房", notified, "p1")
        )
    )
    found = findings(deadline, ctx)
    assert refs(found) == ([("log.csv:2",)] if late else [])
    if late:
        assert en(found[0], "expected") == "by 2024-03-06 00:00 (at least 2 weeks before handover_date)"
        assert found[0].lateness_seconds == 8 * 3600


@pytest.mark.parametrize(("reviewed", "lateness"), [("2024-02-29 10:00", None), ("2024-02-29 10:01", 60)])
def test_c104_one_month_from_january_31_ends_february_29(reviewed, lateness):
    ctx = audit(log(ev("L1", "提交申请", "2024-01-31 10:00", "p1"), ev("L1", "审核申请", reviewed, "p2")), "loan")
    found = findings(deadline, ctx)
    assert [f.lateness_seconds for f in found] == ([lateness] if lateness else [])
