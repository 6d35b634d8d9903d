"""C101 missing-step and C102 overdue-step: absent required steps, complete vs open cases."""

from checker.rules import missing_step, overdue_step

from .conftest import audit, en, ev, findings, log, refs


def test_c101_required_step_absent_in_a_complete_case():
    ctx = audit(log(ev("C1", "起草合同", "2024-03-05 10:00", "p1"), ev("C1", "通知交房", "2024-03-06 10:00", "p1")))
    found = findings(missing_step, ctx)
    assert [(f.case_id, f.step, f.clause) for f in found] == [("C1", "approve", "processes/sale/#step-approve")]
    assert refs(found) == [()]
    assert en(found[0], "expected") == "审批合同 at least once"


def test_c101_passes_when_every_step_occurred():
    ctx = audit(
        log(
            ev("C1", "起草合同", "2024-03-05 10:00", "p1"),
            ev("C1", "审批合同", "2024-03-06 10:00", "p2"),
            ev("C1", "通知交房", "2024-03-06 10:00", "p1"),
        )
    )
    assert findings(missing_step, ctx) == []


def test_c101_ignores_open_cases():
    ctx = audit(log(ev("C1", "起草合同", "2024-03-05 10:00", "p1")), as_of="2024-12-31 00:00")
    assert findings(missing_step, ctx) == []


def complete_loan(case: str, method: str | None) -> list[dict]:
    return [
        ev(case, "提交申请", "2024-03-05 10:00", "p1", method=method),
        ev(case, "审核申请", "2024-03-05 11:00", "p2"),
        ev(case, "放款", "2024-03-05 12:00", "p3"),
        ev(case, "结案", "2024-03-05 13:00", "p3"),
    ]


def test_c101_conditional_step_required_only_when_the_condition_holds():
    ctx = audit(log(*complete_loan("L1", "mortgage"), *complete_loan("L2", "cash"), *complete_loan("L3", None)), "loan")
    found = findings(missing_step, ctx)
    assert [(f.case_id, f.step) for f in found] == [("L1", "bank")]  # optional 'visit' is never missing


def test_c102_open_case_past_the_limit():
    ctx = audit(log(ev("C2", "起草合同", "2024-03-05 10:00", "p1")), as_of="2024-03-11 09:00")
    found = findings(overdue_step, ctx)
    assert [(f.case_id, f.step) for f in found] == [("C2", "approve")]
    assert en(found[0], "expected") == "by 2024-03-08 24:00 (3 workdays from 起草合同)"
    assert en(found[0], "actual") == "not done as of 2024-03-11 09:00"
    assert found[0].lateness_seconds == 57 * 3600
    assert refs(found) == [()]


def test_c102_pending_until_the_limit_has_passed():
    events = log(ev("C2", "起草合同", "2024-03-05 10:00", "p1"))
    assert findings(overdue_step, audit(events, as_of="2024-03-08 23:59")) == []
    assert findings(overdue_step, audit(events, as_of="2024-03-09 00:00")) == []  # L < as-of is strict


def test_c102_absent_anchor_means_pending():
    # notify is due 2 weeks before handover_date: no date, no limit, no finding.
    ctx = audit(log(ev("C2", "起草合同", "2024-03-05 10:00", "p1"), ev("C2", "审批合同", "2024-03-06 10:00", "p2")))
    assert findings(overdue_step, ctx) == []
    dated = log(ev("C2", "起草合同", "2024-03-05 10:00", "p1", handover_date="2024-03-10"))
    found = findings(overdue_step, audit(dated, as_of="2024-03-06 10:00"))
    assert [f.step for f in found] == ["notify"]
    assert en(found[0], "expected") == "by 2024-02-25 00:00 (at least 2 weeks before handover_date)"


def test_c102_never_in_a_complete_case():
    events = log(ev("C1", "起草合同", "2024-03-05 10:00", "p1"), ev("C1", "通知交房", "2024-03-06 10:00", "p1"))
    assert findings(overdue_step, audit(events, as_of="2024-06-01 00:00")) == []
