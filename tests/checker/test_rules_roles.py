"""C105 unauthorised-role and C106 unknown-role: roles from the log, the roster, or neither."""

from checker.rules import unauthorised_role, unknown_role

from .conftest import audit, en, ev, findings, log, refs, roster


def test_c105_role_from_the_log_not_responsible():
    ctx = audit(
        log(
            ev("C1", "起草合同", "2024-03-05 10:00", "p1", "内勤"),
            ev("C1", "审批合同", "2024-03-05 11:00", "p1", "clerk"),
        )
    )
    found = findings(unauthorised_role, ctx)
    assert [(f.case_id, f.step, f.event_refs, f.performers) for f in found] == [
        ("C1", "approve", ("log.csv:2",), ("p1",))
    ]
    assert (en(found[0], "expected"), en(found[0], "actual")) == ("role 经理", "role 内勤")


def test_c105_unknown_role_name_is_reported_as_written():
    ctx = audit(log(ev("C1", "起草合同", "2024-03-05 10:00", "p1", "实习生")))
    found = findings(unauthorised_role, ctx)
    assert refs(found) == [("log.csv:1",)]
    assert en(found[0], "actual") == "role 实习生 (not in the handbook)"


def test_c105_roster_role_on_the_event_date():
    people = roster(("p1", "clerk", None, "2024-03-31"), ("p1", "boss", "2024-04-01", None))
    ctx = audit(
        log(ev("C1", "审批合同", "2024-03-31 10:00", "p1"), ev("C1", "审批合同", "2024-04-01 10:00", "p1")),
        people=people,
    )
    assert refs(findings(unauthorised_role, ctx)) == [("log.csv:1",)]


def test_c105_passes_with_a_responsible_role_by_title_alias_or_roster():
    people = roster(("p3", "clerk", None, None), ("p3", "boss", None, None))
    ctx = audit(
        log(
            ev("L1", "提交申请", "2024-03-05 10:00", "p1", "文员"),
            ev("L1", "审核申请", "2024-03-05 11:00", "p2", "经理"),
            ev("L1", "放款", "2024-03-05 12:00", "p3"),
            ev("L1", "结案", "2024-03-05 13:00", "p4"),  # unknown role: a warning, not a violation
        ),
        "loan",
        people=people,
    )
    assert findings(unauthorised_role, ctx) == []


def test_c106_unknown_role_is_a_warning_per_event():
    people = roster(("p1", "clerk", "2024-04-01", None))
    ctx = audit(
        log(
            ev("C1", "起草合同", "2024-03-05 10:00", "p1"),
            ev("C1", "审批合同", "2024-03-05 11:00", "p2"),
            ev("C1", "审批合同", "2024-03-05 12:00", None),
            ev(None, "提交日报", "2024-03-05 12:00", "p9"),  # obligations are not case steps
            ev("C1", "通知交房", "2024-04-05 12:00", "p1"),
        ),
        people=people,
    )
    found = findings(unknown_role, ctx)
    assert refs(found) == [("log.csv:2",), ("log.csv:3",), ("log.csv:1",)]
    assert [f.severity for f in found] == ["warning"] * 3
    assert en(found[2], "actual") == "no role for p1 on 2024-03-05"
    assert en(found[1], "actual") == "no role and no performer"


def test_c106_passes_when_the_log_or_roster_gives_a_role():
    ctx = audit(
        log(ev("C1", "起草合同", "2024-03-05 10:00", "p1", "clerk"), ev("C1", "审批合同", "2024-03-05 11:00", "p2")),
        people=roster(("p2", "boss", None, None)),
    )
    assert findings(unknown_role, ctx) == []
