"""The reference on hand-computed cases from the spec, so it is trusted on its own."""

from __future__ import annotations

from datetime import date, datetime

from opsbook.durations import Duration
from opsbook.model import (
    Anchor,
    Attribute,
    Cadence,
    Condition,
    Deadline,
    Handbook,
    Obligation,
    Process,
    Raci,
    Scope,
    Step,
)

from . import spec_reference as reference
from .test_property import CAL, ROLES, SHANGHAI


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def ev(n: int, activity: str, when: str, performer=None, role=None, case="C1", **attrs) -> dict:
    return {
        "ref": f"log.csv:{n}",
        "seq": n,
        "case_id": case,
        "activity": activity,
        "ts": at(when),
        "performer": performer,
        "role": role,
        "attrs": attrs,
    }


def book(*steps: Step, obligations=()) -> Handbook:
    attributes = (Attribute("method", "string", "付款方式。"), Attribute("customer", "string", "客户。"))
    process = Process("p", "流程", "boss", "测试。", attributes=attributes, steps=steps, obligations=obligations)
    return Handbook(organisation="测试", version="t", timezone="Asia/Shanghai", roles=ROLES, processes=(process,))


def run(handbook, events, **kw):
    result = reference.audit(events, handbook, calendar=CAL, tz=SHANGHAI, **kw)
    return [(f.code, f.subject, f.period, f.step, f.refs, f.lateness) for f in result.findings]


DRAFT = Step("draft", "起草", ("起草",), Raci(("clerk",)))
APPROVE = Step(
    "approve",
    "审批",
    ("审批",),
    Raci(("boss",)),
    after=("draft",),
    separate_from=("draft",),
    deadline=Deadline("within", Duration(3, "workdays"), Anchor("step", "draft")),
)
CLOSE = Step("close", "结案", ("结案",), Raci(("boss",)), after=("approve",), final=True)


def test_spec_example_late_approval_and_four_eyes():
    # Drafted Tue 5 March 2024, 3 workdays → limit Fri 8 March 24:00; approved Mon 11 March 09:00.
    found = run(
        book(DRAFT, APPROVE, CLOSE),
        [
            ev(1, "起草", "2024-03-05 10:00", "p1", "clerk"),
            ev(2, "审批", "2024-03-11 09:00", "p1", "boss"),
            ev(3, "结案", "2024-03-11 09:00", "p2", "经理"),
        ],
    )
    late = (2 * 86_400) + 9 * 3_600
    assert sorted(found) == [
        ("C104", "C1", None, "approve", ("log.csv:2",), late),
        ("C107", "C1", None, "approve", ("log.csv:1", "log.csv:2"), None),
    ]


def test_missing_overdue_order_and_roles():
    conditional = Step("bank", "银行", ("银行",), Raci(("officer",)), when=Condition("method", ("mortgage",)))
    handbook = book(DRAFT, APPROVE, CLOSE, conditional)
    events = [
        ev(1, "审批", "2024-03-05 09:00", "p2", case="C1"),  # before the draft, no role known
        ev(2, "起草", "2024-03-05 10:00", "p1", "实习生", case="C1", method=" "),
        ev(3, "结案", "2024-03-06 10:00", "p2", "boss", case="C1", method="mortgage"),
        ev(4, "起草", "2024-03-05 10:00", "p1", "文员", case="C2"),
    ]
    # As of Mon 11 March: C2's approval was due by Fri 8 March 24:00.
    found = run(handbook, events, as_of=at("2024-03-11 00:00"))
    assert sorted(found) == [
        ("C101", "C1", None, "bank", (), None),
        ("C102", "C2", None, "approve", (), 86_400 * 2),
        ("C103", "C1", None, "approve", ("log.csv:1", "log.csv:2"), None),
        ("C105", "C1", None, "draft", ("log.csv:2",), None),
        ("C106", "C1", None, "approve", ("log.csv:1",), None),
    ]


def test_weekly_obligation_by_monday_starts_with_the_first_full_week():
    weekly = Obligation(
        "meet", "周会", ("周会",), ("boss",), Scope("organisation"), Cadence(every="week", due_weekday=1)
    )
    events = [
        ev(1, "周会", "2024-03-06 10:00", case=None),  # Wednesday: week 10 began before the log
        ev(2, "周会", "2024-03-12 09:00", case=None),  # Tuesday of week 11: 9 hours after Monday 24:00
        ev(3, "周会", "2024-03-26 00:00", case=None),  # exactly Monday 24:00 of week 13: on time
    ]
    found = run(book(CLOSE, obligations=(weekly,)), events)
    assert sorted(found) == [
        ("C201", "organisation", "2024-W12", "meet", (), None),
        ("C202", "organisation", "2024-W11", "meet", ("log.csv:2",), 9 * 3_600),
    ]


def test_interval_by_calendar_months_with_the_day_clamped():
    visit = Obligation(
        "visit",
        "回访",
        ("回访",),
        ("clerk",),
        Scope("entity", entity="customer"),
        Cadence(interval=Duration(6, "months")),
    )
    events = [
        ev(1, "回访", "2024-03-31 10:00", case=None, customer="K1"),
        ev(2, "回访", "2024-08-31 10:00", case=None, customer="K2"),
        ev(3, "回访", "2025-02-28 10:00", case=None, customer="K2"),  # 31 Aug + 6 months = 28 Feb: on time
    ]
    found = run(book(CLOSE, obligations=(visit,)), events, as_of=at("2025-03-01 10:00"))
    # K1: 31 March + 6 months = 30 September 10:00, nothing by the as-of time.
    lateness = int((at("2025-03-01 10:00") - at("2024-09-30 10:00")).total_seconds())
    assert found == [("C203", "K1", "2024-03-31/2025-03-01", "visit", ("log.csv:1",), lateness)]


def test_per_role_scope_follows_the_roster_on_the_due_date():
    daily = Obligation(
        "daily", "日报", ("日报",), ("clerk",), Scope("role", role="clerk"), Cadence(every="workday", due_time="18:00")
    )
    roster = [("p1", "clerk", None, date(2024, 3, 5)), ("p2", "内勤", date(2024, 3, 6), None)]
    events = [
        ev(1, "日报", "2024-03-05 17:00", "p1", case=None),
        ev(2, "日报", "2024-03-06 18:01", "p1", case=None),  # p1 no longer holds the role
        ev(3, "日报", "2024-03-07 18:00", "p2", case=None),
    ]
    found = run(book(CLOSE, obligations=(daily,)), events, roster=roster)
    assert sorted(found) == [("C201", "p2", "2024-03-06", "daily", (), None)]
