"""C103 order: first occurrences, equal timestamps in order, absent predecessors."""

from checker.rules import order

from .conftest import audit, en, ev, findings, log, refs


def test_c103_step_before_its_predecessor():
    ctx = audit(log(ev("C3", "起草合同", "2024-03-05 10:00", "p1"), ev("C3", "审批合同", "2024-03-05 09:00", "p2")))
    found = findings(order, ctx)
    assert [(f.case_id, f.step) for f in found] == [("C3", "approve")]
    assert refs(found) == [("log.csv:2", "log.csv:1")]
    assert found[0].performers == ("p2", "p1")
    assert en(found[0], "actual") == "审批合同 at 2024-03-05 09:00, 起草合同 at 2024-03-05 10:00"


def test_c103_passes_in_order():
    ctx = audit(log(ev("C3", "起草合同", "2024-03-05 09:00", "p1"), ev("C3", "审批合同", "2024-03-05 10:00", "p2")))
    assert findings(order, ctx) == []


def test_c103_equal_timestamps_are_in_order():
    ctx = audit(log(ev("C3", "审批合同", "2024-03-05 10:00", "p2"), ev("C3", "起草合同", "2024-03-05 10:00", "p1")))
    assert findings(order, ctx) == []


def test_c103_only_first_occurrences_count():
    ctx = audit(
        log(
            ev("C3", "起草合同", "2024-03-05 09:00", "p1"),
            ev("C3", "审批合同", "2024-03-05 10:00", "p2"),
            ev("C3", "起草合同", "2024-03-05 11:00", "p1"),  # a repeat after approval is not out of order
        )
    )
    assert findings(order, ctx) == []


def test_c103_absent_predecessor_is_not_an_order_problem():
    ctx = audit(log(ev("C3", "审批合同", "2024-03-05 10:00", "p2"), ev("C3", "通知交房", "2024-03-05 09:00", "p1")))
    found = findings(order, ctx)
    assert [(f.step, f.event_refs) for f in found] == [("notify", ("log.csv:2", "log.csv:1"))]
