"""C111 unknown-activity: one warning per label, with count and sample refs."""

from checker.rules import unknown_activity

from .conftest import audit, en, ev, findings, log, refs


def test_c111_one_warning_per_unknown_label_with_five_earliest_samples():
    rows = [ev("C1", "审批合同书", f"2024-03-05 1{9 - i}:00", "p1") for i in range(7)]
    ctx = audit(log(*rows, ev("C1", "乱写", "2024-03-04 10:00", "p1"), ev("C1", "起草合同", "2024-03-05 10:00", "p1")))
    found = findings(unknown_activity, ctx)
    assert refs(found) == [("log.csv:7", "log.csv:6", "log.csv:5", "log.csv:4", "log.csv:3"), ("log.csv:8",)]
    assert [en(f, "actual") for f in found] == ["'审批合同书' in 7 events", "'乱写' in 1 event"]
    assert {(f.clause, f.severity, f.process, f.case_id) for f in found} == {("rules/#c111", "warning", None, None)}


def test_c111_passes_when_every_label_is_known():
    ctx = audit(log(ev("C1", "起草合同", "2024-03-05 10:00", "p1"), ev(None, "提交日报", "2024-03-05 18:00", "p1")))
    assert findings(unknown_activity, ctx) == []
