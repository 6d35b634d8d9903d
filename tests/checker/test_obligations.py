"""C201 obligation-missed, C202 obligation-late, C203 interval-exceeded, on the fixture handbook.

Times in the rows are local (Asia/Shanghai). Each test asserts the exact
(code, scope, period, refs) of every finding, so an extra or a missing one fails.
"""

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from checker.context import Context
from checker.finding import VIOLATION
from checker.periods import witnesses
from checker.rules import interval_exceeded, obligation_late, obligation_missed
from opsbook.calendar import WorkCalendar
from opsbook.loader import load

from . import conftest
from .conftest import en

FIXTURE = Path(__file__).parent / "fixtures" / "obligations"
TZ = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar.china()
RULES = (obligation_missed, obligation_late, interval_exceeded)


@pytest.fixture(scope="module")
def handbook():
    result = load(FIXTURE)
    assert not result.problems
    return result.handbook


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def make_context(handbook, rows, *, as_of=None, start=None, roster=()) -> Context:
    """The prepared event table from rows (activity, local time, performer, {attribute: value}).

    Event i (1-based) has ref "log.csv:i". Activities map to their obligation through
    the handbook; any other label is an unknown activity (process, step, kind null).
    """
    index = handbook.activity_index()
    attrs = sorted({name for *_, extra in rows for name in extra})
    ts = [local(when).astimezone(UTC) for _, when, _, _ in rows]
    mapped = [index.get(activity) for activity, *_ in rows]
    kinds = [None if m is None else "step" if m[1] in m[0].steps else "obligation" for m in mapped]
    events = pl.DataFrame(
        {
            "ref": [f"log.csv:{i}" for i in range(1, len(rows) + 1)],
            "seq": list(range(1, len(rows) + 1)),
            "case_id": [None] * len(rows),
            "activity": [activity for activity, *_ in rows],
            "ts": ts,
            "performer": [performer for _, _, performer, _ in rows],
            "role": [None] * len(rows),
            **{f"attr:{name}": [extra.get(name) for *_, extra in rows] for name in attrs},
            "process": [m and m[0].id for m in mapped],
            "step": [m and m[1].id for m in mapped],
            "kind": kinds,
            "roles": [[] for _ in rows],
        },
        schema_overrides={
            "ts": pl.Datetime("us", "UTC"),
            "case_id": pl.Utf8,
            "performer": pl.Utf8,
            "role": pl.Utf8,
            "process": pl.Utf8,
            "step": pl.Utf8,
            "kind": pl.Utf8,
            "roles": pl.List(pl.Utf8),
            **{f"attr:{name}": pl.Utf8 for name in attrs},
        },
    )
    events = events.with_columns(local_date=pl.col("ts").dt.convert_time_zone(TZ.key).dt.date()).sort("ts", "seq")
    return Context(
        handbook=handbook,
        events=events,
        as_of=local(as_of) if as_of else max(ts),
        start=local(start) if start else min(ts),
        calendar=CAL,
        tz=TZ,
        roster=pl.DataFrame(
            list(roster), schema={"person": pl.Utf8, "role": pl.Utf8, "from": pl.Date, "to": pl.Date}, orient="row"
        ),
    )


def findings(ctx, rule=None, obligation=None):
    found = [f for r in ([rule] if rule else RULES) for f in conftest.findings(r, ctx)]
    found = [f for f in found if obligation is None or f.step == obligation]
    return sorted(found, key=lambda f: f.sort_key())


def summary(found):
    return [(f.code, f.scope, f.period, f.event_refs) for f in found]


# --- rule modules -----------------------------------------------------------------------------


@pytest.mark.parametrize("rule", RULES)
def test_rule_module_metadata(rule):
    assert rule.__doc__ and len(rule.__doc__.strip().splitlines()) > 3
    assert rule.CODE in {"C201", "C202", "C203"}
    assert rule.NAME in {"obligation-missed", "obligation-late", "interval-exceeded"}
    assert set(rule.TITLE) == {"zh", "en"}
    assert rule.SEVERITY == VIOLATION
    assert rule.EXAMPLE_FAIL and rule.EXAMPLE_PASS


def test_no_obligation_events_and_no_periods_means_no_findings(handbook):
    ctx = make_context(handbook, [("其他", "2024-03-05 10:00", "u1", {})])
    assert findings(ctx) == []


# --- daily (working day) cadence, per role holder --------------------------------------------------

ROSTER = [
    ("u1", "clerk", date(2026, 9, 1), None),
    ("u2", "clerk", date(2026, 10, 9), None),  # joins on Friday 10-09
    ("u3", "clerk", None, date(2026, 9, 29)),  # leaves after Tuesday 09-29
    ("u9", "boss", None, None),  # not a clerk: never in scope
]
DAILY = [
    ("提交日报", "2026-09-28 17:00", "u1", {}),  # 1 ok
    ("提交日报", "2026-09-29 18:00", "u1", {}),  # 2 exactly at the due point: ok
    ("提交日报", "2026-09-30 18:01", "u1", {}),  # 3 one minute late
    ("提交日报", "2026-10-03 10:00", "u1", {}),  # 4 a holiday: no period, no finding
    ("提交日报", "2026-10-09 10:00", "u1", {}),  # 5 ok; nothing on 10-08 → missed
    ("提交日报", "2026-10-10 19:30", "u2", {}),  # 6 the make-up Saturday: late; u1 has none → missed
    ("提交日报", "2026-10-12 09:00", "u1", {}),  # 7
    ("提交日报", "2026-10-12 09:00", "u2", {}),  # 8
    ("提交日报", "2026-09-28 09:00", "u3", {}),  # 9
    ("提交日报", "2026-09-29 09:00", "u3", {}),  # 10; after 09-29 u3 is out of scope
]


def test_daily_report_over_national_day_and_the_make_up_saturday(handbook):
    ctx = make_context(handbook, DAILY, as_of="2026-10-12 18:00", roster=ROSTER)
    assert summary(findings(ctx, obligation="daily-report")) == [
        ("C202", "u1", "2026-09-30", ("log.csv:3",)),
        ("C201", "u1", "2026-10-08", ()),
        ("C201", "u1", "2026-10-10", ()),
        ("C201", "u2", "2026-10-09", ()),
        ("C202", "u2", "2026-10-10", ("log.csv:6",)),
    ]


def test_daily_report_due_at_18_00_on_time_vs_18_01_late(handbook):
    ctx = make_context(handbook, DAILY, as_of="2026-10-12 18:00", roster=ROSTER)
    late = [f for f in findings(ctx, obligation_late) if f.period == "2026-09-30"]
    assert len(late) == 1
    f = late[0]
    assert (f.process, f.step, f.scope) == ("reporting", "daily-report", "u1")
    assert f.clause == "processes/reporting/#obligation-daily-report"
    assert en(f, "expected") == "by 2026-09-30 18:00"
    assert en(f, "actual") == "2026-09-30 18:01:00"
    assert f.lateness_seconds == 60
    assert f.performers == ("u1",)
    assert f.severity == VIOLATION


def test_missed_finding_fields(handbook):
    ctx = make_context(handbook, DAILY, as_of="2026-10-12 18:00", roster=ROSTER)
    f = next(f for f in findings(ctx, obligation_missed) if f.period == "2026-10-10")
    assert f.code == "C201" and f.rule == "obligation-missed"
    assert en(f, "expected") == "by 2026-10-10 18:00"
    assert en(f, "actual") == "none from 2026-10-10 to 2026-10-10"
    assert f.lateness_seconds is None and f.event_refs == () and f.performers == ()


def test_the_last_day_is_not_evaluated_before_its_due_point(handbook):
    rows = [r for r in DAILY if r[1] < "2026-10-12"]
    ctx = make_context(handbook, rows, as_of="2026-10-12 17:59", roster=ROSTER)
    assert all(f.period != "2026-10-12" for f in findings(ctx, obligation="daily-report"))


def test_without_a_roster_row_for_the_role_nobody_is_in_scope(handbook):
    ctx = make_context(handbook, DAILY, as_of="2026-10-12 18:00", roster=[("u9", "boss", None, None)])
    assert findings(ctx, obligation="daily-report") == []


# --- weekly, per role holder: the roster on the due date decides ------------------------------------


def test_role_holders_joining_or_leaving_mid_week(handbook):
    roster = [
        ("a", "clerk", None, None),
        ("b", "clerk", date(2024, 3, 13), None),  # joins Wednesday of W11: due Friday, in scope
        ("c", "clerk", None, date(2024, 3, 13)),  # leaves Wednesday of W11: not in scope that week
    ]
    rows = [
        ("其他", "2024-03-04 09:00", "a", {}),  # the log starts on Monday of W10
        ("提交周计划", "2024-03-08 18:00", "a", {}),  # 2 W10 on time
        ("提交周计划", "2024-03-08 17:00", "c", {}),  # 3 W10 on time
        ("提交周计划", "2024-03-16 09:00", "a", {}),  # 4 W11 late (Saturday)
    ]
    ctx = make_context(handbook, rows, as_of="2024-03-17 23:59", roster=roster)
    assert summary(findings(ctx, obligation="weekly-plan")) == [
        ("C202", "a", "2024-W11", ("log.csv:4",)),
        ("C201", "b", "2024-W11", ()),
    ]
    late = findings(ctx, obligation_late, obligation="weekly-plan")[0]
    assert en(late, "expected") == "by 2024-03-15 18:00"
    assert late.lateness_seconds == 15 * 3600


# --- weekly "by Monday", organisation --------------------------------------------------------------


def test_weekly_meeting_by_monday(handbook):
    rows = [
        ("其他", "2024-03-06 10:00", "u1", {}),  # the log starts on Wednesday: W10 is not evaluated
        ("召开周会", "2024-03-11 10:00", "u1", {}),  # 2 W11 on time
        ("召开周会", "2024-03-19 10:00", "u2", {}),  # 3 W12 on Tuesday: late
        ("召开周会", "2024-04-01 09:00", "u1", {}),  # 4 W14, not due until Monday 24:00
    ]
    ctx = make_context(handbook, rows, as_of="2024-04-01 12:00")
    assert summary(findings(ctx, obligation="weekly-meeting")) == [
        ("C202", "organisation", "2024-W12", ("log.csv:3",)),
        ("C201", "organisation", "2024-W13", ()),
    ]
    late = findings(ctx, obligation_late, obligation="weekly-meeting")[0]
    assert (en(late, "expected"), late.lateness_seconds, late.performers) == ("by 2024-03-18 24:00", 10 * 3600, ("u2",))


# --- monthly "by the 5th", organisation ------------------------------------------------------------


def test_monthly_summary_by_the_fifth(handbook):
    rows = [
        ("其他", "2024-01-15 10:00", "u1", {}),  # January started before the log: not evaluated
        ("提交月报", "2024-02-05 23:59", "u1", {}),  # 2 on time (end of the 5th)
        ("提交月报", "2024-03-06 00:00", "u1", {}),  # 3 24:00 on the 5th: on time
        ("提交月报", "2024-03-20 09:00", "u2", {}),  # 4 a second one: irrelevant
        ("提交月报", "2024-04-11 09:00", "u1", {}),  # 5 after the as-of time: not known yet
    ]
    ctx = make_context(handbook, rows, as_of="2024-04-10 12:00")
    assert summary(findings(ctx, obligation="monthly-summary")) == [("C201", "organisation", "2024-04", ())]


def test_monthly_summary_late_after_the_fifth(handbook):
    rows = [
        ("提交月报", "2024-03-01 08:00", "u1", {}),  # 1 on time for March; the log starts 03-01
        ("提交月报", "2024-04-06 09:00", "u2", {}),  # 2 late
        ("提交月报", "2024-04-06 09:00", "u3", {}),  # 3 same instant: the earlier row counts
    ]
    ctx = make_context(handbook, rows, as_of="2024-05-06 00:00")
    found = findings(ctx, obligation="monthly-summary")
    assert summary(found) == [
        ("C202", "organisation", "2024-04", ("log.csv:2",)),
        ("C201", "organisation", "2024-05", ()),
    ]
    assert found[0].lateness_seconds == 9 * 3600


# --- entity scope with a condition: key customers only -------------------------------------------------


def test_monthly_call_to_key_customers_only(handbook):
    key, other = {"customer_tier": "重点客户"}, {"customer_tier": "普通客户"}
    rows = [
        ("登记客户", "2024-01-01 09:00", "u1", {"customer_id": "K1", **key}),  # 1
        ("登记客户", "2024-01-02 09:00", "u1", {"customer_id": "K2", **other}),  # 2 not key: never checked
        ("致电重点客户", "2024-01-10 09:00", "u1", {"customer_id": "K1"}),  # 3 January ok; nothing in February
        ("登记客户", "2024-01-20 09:00", "u1", {"customer_id": "K3", "customer_tier": ""}),  # 4 K3 appears
        ("更新客户", "2024-02-01 09:00", "u1", {"customer_id": "K3", **key}),  # 5 K3 joins: first key event
        ("致电重点客户", "2024-02-02 09:00", "u1", {"customer_id": "K3"}),  # 6 February ok; nothing in March
        ("登记客户", "2024-01-03 09:00", "u1", {"customer_id": "K4", **other}),  # 7 not key yet
        ("更新客户", "2024-02-03 09:00", "u1", {"customer_id": "K4", **key}),  # 8 upgraded: K4 joins
        ("致电重点客户", "2024-03-31 23:59", "u2", {"customer_id": "K1"}),  # 9 March ok
        ("登记客户", "2024-03-02 09:00", "u1", {"customer_id": "K5", **key}),  # 10 appears after March 1st
        ("登记客户", "2024-01-05 09:00", "u1", {"customer_id": "K9", **key}),  # 11 K9 joins in January
        ("更新客户", "2024-01-06 09:00", "u1", {"customer_id": "K9", **other}),  # 12 downgraded: stays in scope
        ("致电重点客户", "2024-01-07 09:00", "u1", {"customer_id": "K9", **other}),  # 13 January ok
    ]
    ctx = make_context(handbook, rows, as_of="2024-04-01 00:00")
    # K3 joined on 1 February, so its January is not evaluated; K4 joined on 3 February, so only its
    # March is; K5's March is not. K9 was downgraded after joining and is still checked.
    assert summary(findings(ctx, obligation="key-customer-call")) == [
        ("C201", "K1", "2024-02", ()),
        ("C201", "K3", "2024-03", ()),
        ("C201", "K4", "2024-03", ()),
        ("C201", "K9", "2024-02", ()),
        ("C201", "K9", "2024-03", ()),
    ]


def test_an_upgraded_customer_is_watched_from_its_first_key_event(handbook):
    rows = [
        ("登记客户", "2024-01-10 09:00", "u1", {"customer_id": "K1", "customer_tier": "普通客户"}),  # 1 not key
        ("回访重点客户", "2024-02-01 09:00", "u1", {"customer_id": "K1"}),  # 2 before K1 is key: no point
        ("更新客户", "2024-05-20 09:00", "u1", {"customer_id": "K1", "customer_tier": " 重点客户 "}),  # 3 joins
        ("回访重点客户", "2024-12-01 09:00", "u2", {"customer_id": "K1"}),  # 4 limit was 11-20 09:00
    ]
    ctx = make_context(handbook, rows, as_of="2025-01-01 00:00")
    found = findings(ctx, interval_exceeded, obligation="key-customer-visit")
    assert summary(found) == [("C203", "K1", "2024-05-20/2024-12-01", ("log.csv:3", "log.csv:4"))]
    assert found[0].lateness_seconds == 11 * 86400
    # The witness a case bucket hands to the log rules is the joining event, not the first one.
    assert witnesses(ctx).filter(pl.col("attr:customer_id") == "K1")["ref"].to_list() == ["log.csv:3"]


def test_without_the_condition_attribute_no_entity_is_in_scope(handbook):
    rows = [("登记客户", "2024-01-01 09:00", "u1", {"customer_id": "K1"})]
    ctx = make_context(handbook, rows, as_of="2025-04-01 00:00")
    assert findings(ctx, obligation="key-customer-call") == []
    assert findings(ctx, obligation="key-customer-visit") == []


# --- interval cadence: at least every 6 months -------------------------------------------------------

KEY = {"customer_tier": "重点客户"}
VISITS = [
    ("回访重点客户", "2024-03-31 10:00", "u1", {"customer_id": "K1", **KEY}),  # 1 K1 appears with a visit
    ("回访重点客户", "2024-09-30 10:00", "u1", {"customer_id": "K1"}),  # 2 exactly 6 months: ok
    ("回访重点客户", "2025-03-31 10:00", "u2", {"customer_id": "K1"}),  # 3 limit was 03-30 10:00: 1 day over
    ("回访重点客户", "2024-08-31 10:00", "u1", {"customer_id": "K5", **KEY}),  # 4
    ("回访重点客户", "2025-02-28 10:00", "u1", {"customer_id": "K5"}),  # 5 clamped month end: ok
    ("登记客户", "2024-06-01 09:00", "u1", {"customer_id": "K6", **KEY}),  # 6 never visited
    ("登记客户", "2024-01-10 09:00", "u1", {"customer_id": "K8", **KEY}),  # 7
    ("回访重点客户", "2024-07-11 09:00", "u2", {"customer_id": "K8"}),  # 8 limit was 07-10 09:00
    ("回访重点客户", "2025-01-11 09:00", "u2", {"customer_id": "K8"}),  # 9 exactly 6 months: ok
    ("回访重点客户", "2025-07-01 09:00", "u2", {"customer_id": "K8"}),  # 10 ok, and ok to the as-of time
    ("登记客户", "2024-01-10 09:00", "u1", {"customer_id": "K7", "customer_tier": "普通客户"}),  # 11 not key
]


def test_interval_six_months_with_month_end_clamping_and_the_trailing_gap(handbook):
    ctx = make_context(handbook, VISITS, as_of="2025-09-01 00:00")
    found = findings(ctx, obligation="key-customer-visit")
    assert summary(found) == [
        ("C203", "K1", "2024-09-30/2025-03-31", ("log.csv:2", "log.csv:3")),
        ("C203", "K5", "2025-02-28/2025-09-01", ("log.csv:5",)),
        ("C203", "K6", "2024-06-01/2025-09-01", ("log.csv:6",)),
        ("C203", "K8", "2024-01-10/2024-07-11", ("log.csv:7", "log.csv:8")),
    ]
    by_scope = {f.scope: f for f in found}
    assert by_scope["K1"].lateness_seconds == 86400
    assert en(by_scope["K1"], "expected") == "within 6 months after 2024-09-30 10:00:00: by 2025-03-30 10:00:00"
    assert en(by_scope["K1"], "actual") == "next at 2025-03-31 10:00:00"
    assert by_scope["K1"].performers == ("u1", "u2")
    # 2025-02-28 10:00 + 6 months = 2025-08-28 10:00; as of 2025-09-01 00:00.
    assert by_scope["K5"].lateness_seconds == 3 * 86400 + 14 * 3600
    assert en(by_scope["K5"], "actual") == "none by 2025-09-01 00:00:00"
    assert by_scope["K8"].lateness_seconds == 86400
    assert all(f.clause == "processes/reporting/#obligation-key-customer-visit" for f in found)


def test_interval_exactly_at_the_limit_is_allowed(handbook):
    ctx = make_context(handbook, VISITS[:2], as_of="2025-03-30 10:00")
    assert findings(ctx, interval_exceeded) == []
    ctx = make_context(handbook, VISITS[:2], as_of="2025-03-30 10:01")
    assert summary(findings(ctx, interval_exceeded)) == [("C203", "K1", "2024-09-30/2025-03-30", ("log.csv:2",))]


def test_interval_gaps_that_end_before_the_audit_start_are_not_reported(handbook):
    ctx = make_context(handbook, VISITS, as_of="2025-09-01 00:00", start="2025-01-01 00:00")
    assert [f.scope for f in findings(ctx, interval_exceeded)] == ["K1", "K5", "K6"]


def test_interval_per_role_holder_runs_from_their_role_start_to_its_end(handbook):
    roster = [
        ("a", "clerk", date(2024, 1, 1), None),
        ("b", "内勤", date(2024, 3, 1), date(2024, 6, 30)),  # by title; leaves after June
    ]
    rows = [
        ("其他", "2024-01-05 09:00", "a", {}),  # 1 a appears
        ("参加培训", "2024-04-05 09:00", "a", {}),  # 2 exactly 3 months: ok; none after
        ("其他", "2024-02-01 09:00", "b", {}),  # 3 before b held the role: not an appearance
        ("其他", "2024-03-04 10:00", "b", {}),  # 4 b appears; no training until the role ends
    ]
    ctx = make_context(handbook, rows, as_of="2024-08-01 00:00", roster=roster)
    found = findings(ctx, interval_exceeded, obligation="clerk-training")
    assert summary(found) == [
        ("C203", "a", "2024-04-05/2024-08-01", ("log.csv:2",)),
        ("C203", "b", "2024-03-04/2024-07-01", ("log.csv:4",)),
    ]
    assert en(found[1], "actual") == "none by 2024-07-01 00:00:00"
