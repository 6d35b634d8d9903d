"""C107 segregation of duties and C108 two-person review."""

from checker.rules import segregation, two_person

from .conftest import audit, ev, findings, log, refs


def test_c107_same_person_drafts_and_approves():
    ctx = audit(
        log(
            ev("C7", "起草合同", "2024-03-05 09:00", "p1"),
            ev("C7", "起草合同", "2024-03-05 10:00", "p2"),  # the last drafter differs: all pairs still count
            ev("C7", "审批合同", "2024-03-05 11:00", "p1"),
            ev("C7", "审批合同", "2024-03-05 12:00", "p1"),
        )
    )
    found = findings(segregation, ctx)
    assert [(f.case_id, f.step, f.performers) for f in found] == [("C7", "approve", ("p1",))]
    assert refs(found) == [("log.csv:1", "log.csv:3", "log.csv:4")]


def test_c107_one_finding_per_person():
    ctx = audit(
        log(
            ev("C7", "起草合同", "2024-03-05 09:00", "p1"),
            ev("C7", "审批合同", "2024-03-05 09:00", "p2"),
            ev("C7", "起草合同", "2024-03-05 10:00", "p2"),
            ev("C7", "审批合同", "2024-03-05 11:00", "p1"),
            ev("C8", "审批合同", "2024-03-05 11:00", "p1"),  # another case: no conflict
        )
    )
    found = findings(segregation, ctx)
    assert [(f.performers, f.event_refs) for f in found] == [
        (("p1",), ("log.csv:1", "log.csv:4")),
        (("p2",), ("log.csv:2", "log.csv:3")),
    ]


def test_c107_passes_with_different_people():
    ctx = audit(log(ev("C7", "起草合同", "2024-03-05 09:00", "p1"), ev("C7", "审批合同", "2024-03-05 10:00", "p2")))
    assert findings(segregation, ctx) == []


def test_c108_too_few_distinct_reviewers():
    ctx = audit(
        log(
            ev("L1", "审核申请", "2024-03-05 09:00", "p3"),
            ev("L1", "审核申请", "2024-03-05 10:00", "p3"),
            ev("L2", "审核申请", "2024-03-05 09:00", "p3"),
            ev("L2", "审核申请", "2024-03-05 10:00", None),  # no performer counts for no one
        ),
        "loan",
    )
    found = findings(two_person, ctx)
    assert [(f.case_id, f.step, f.performers) for f in found] == [("L1", "review", ("p3",)), ("L2", "review", ("p3",))]
    assert refs(found) == [("log.csv:1", "log.csv:2"), ("log.csv:3", "log.csv:4")]


def test_c108_passes_with_two_people_or_no_review():
    ctx = audit(
        log(
            ev("L1", "审核申请", "2024-03-05 09:00", "p3"),
            ev("L1", "审核申请", "2024-03-05 10:00", "p4"),
            ev("L2", "提交申请", "2024-03-05 10:00", "p1"),
        ),
        "loan",
    )
    assert findings(two_person, ctx) == []
