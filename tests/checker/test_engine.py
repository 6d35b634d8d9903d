from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import engine
from checker.finding import SEVERITIES, Finding
from checker.rules import REGISTRY, SCOPES, codes_of
from checker.texts import Names, render
from opsbook.calendar import CalendarRangeError
from opsbook.durations import UNITS, Duration, shift
from opsbook.model import Condition

from .conftest import CAL, TZ, at, audit, ev, handbook, log, roster


def table(ctx) -> pl.DataFrame:
    """The case table in a fixed order (it has none of its own)."""
    return engine.case_steps(ctx).sort("process", "case_id", "step_index")


def row(ctx, case: str, step: str) -> dict:
    return table(ctx).filter((pl.col("case_id") == case) & (pl.col("step") == step)).row(0, named=True)


# -- prepare -----------------------------------------------------------------


def test_prepare_maps_labels_and_sorts_by_ts_then_seq():
    ctx = audit(
        log(
            ev("C1", "审批合同", "2024-03-05 11:00", "p2", "boss"),
            ev("C1", " 起草合同 ", "2024-03-05 10:00", "p1", "clerk"),
            ev(None, "提交日报", "2024-03-05 10:00", "p1", "clerk"),
            ev("C1", "审批合同书", "2024-03-05 09:00", "p1", "clerk"),
        )
    )
    got = ctx.events.select("ref", "process", "step", "kind").rows()
    assert got == [
        ("log.csv:4", None, None, None),
        ("log.csv:2", "sale", "draft", "step"),
        ("log.csv:3", "sale", "daily", "obligation"),
        ("log.csv:1", "sale", "approve", "step"),
    ]


def test_prepare_accepts_a_lazy_frame():
    events = log(ev("C1", "起草合同", "2024-03-05 10:00", "p1", "clerk"))
    assert engine.prepare(events.lazy(), handbook(), roster=None, tz=TZ)["step"].to_list() == ["draft"]


def test_local_date_is_the_date_in_the_handbook_zone():
    ctx = audit(log(ev("C1", "起草合同", "2024-03-06 00:30", "p1")))
    assert ctx.events["ts"][0] == datetime(2024, 3, 5, 16, 30, tzinfo=UTC)
    assert str(ctx.events["local_date"][0]) == "2024-03-06"


def test_roles_from_the_log_by_id_title_or_alias_unknown_kept():
    rows = [
        ev("L1", "提交申请", f"2024-03-05 10:0{i}", "p1", role)
        for i, role in enumerate(["clerk", "内勤", "文员", " 经理 ", "实习生", "", None])
    ]
    ctx = audit(log(*rows), "loan", people=roster(("p1", "officer", None, None)))
    assert ctx.events["roles"].to_list() == [
        ["clerk"],
        ["clerk"],
        ["clerk"],
        ["boss"],
        ["实习生"],
        ["officer"],
        ["officer"],
    ]


def test_roles_from_the_roster_valid_on_the_local_date():
    people = roster(
        ("p1", "clerk", "2024-03-01", "2024-03-31"),
        ("p1", "经理", "2024-04-01", None),
        ("p3", "boss", None, None),
        ("p3", "clerk", None, "2024-12-31"),
    )
    events = log(
        ev("C1", "起草合同", "2024-03-31 23:59", "p1"),
        ev("C1", "审批合同", "2024-04-01 00:00", "p1"),
        ev("C1", "审批合同", "2024-04-01 00:00", "p2"),
        ev("C1", "审批合同", "2024-04-01 00:00", "p3"),
    )
    assert audit(events, people=people).events["roles"].to_list() == [["clerk"], ["boss"], [], ["boss", "clerk"]]
    assert audit(events).events["roles"].to_list() == [[], [], [], []]


# -- case table ------------------------------------------------------------------


def test_case_columns_start_status_and_first_non_empty_attribute():
    ctx = audit(
        log(
            ev("C1", "审批合同", "2024-03-06 10:00", "p2", handover_date="2024-05-01"),
            ev("C1", "起草合同", "2024-03-05 10:00", "p1", handover_date="  "),
            ev("C1", "审批合同", "2024-03-05 12:00", "p2", handover_date="2024-04-02"),
            ev("C1", "通知交房", "2024-03-05 12:00", "p1", handover_date="2024-04-01"),
            ev("C2", "起草合同", "2024-03-05 10:00", "p1", handover_date=""),
        )
    )
    notify = table(ctx).filter(pl.col("step") == "notify")  # its deadline is anchored on handover_date
    assert notify.select("case_id", "start", "complete", "anchor_at").rows() == [
        ("C1", at("2024-03-05 10:00"), True, at("2024-04-02 00:00")),  # equal ts: seq 3 before seq 4
        ("C2", at("2024-03-05 10:00"), False, None),
    ]
    assert not [c for c in notify.columns if c.startswith("attr:")]  # not copied onto every step


def test_step_rows_for_every_declared_step_with_counts_and_refs_in_time_order():
    ctx = audit(
        log(
            ev("C1", "审批合同", "2024-03-07 10:00", "p2"),
            ev("C1", "起草合同", "2024-03-05 10:00", "p1"),
            ev("C1", "审批合同", "2024-03-06 10:00", "p3"),
            ev("C1", "审批合同", "2024-03-06 10:00", "p2"),
        )
    )
    got = engine.with_evidence(ctx, table(ctx)).select("step", "count", "first", "first_ref", "refs", "performers")
    assert table(ctx)["distinct_performers"].to_list() == [1, 2, 0]
    got = got.rows()
    assert got == [
        ("draft", 1, at("2024-03-05 10:00"), "log.csv:2", ["log.csv:2"], ["p1"]),
        ("approve", 3, at("2024-03-06 10:00"), "log.csv:3", ["log.csv:3", "log.csv:4", "log.csv:1"], ["p3", "p2"]),
        ("notify", 0, None, None, [], []),
    ]


@pytest.mark.parametrize(("method", "required"), [("mortgage", True), ("cash", False), (None, False), ("", False)])
def test_conditional_step_is_required_only_when_the_attribute_matches(method, required):
    ctx = audit(log(ev("L1", "提交申请", "2024-03-05 10:00", "p1", method=method)), "loan")
    assert row(ctx, "L1", "bank")["required"] is required
    assert row(ctx, "L1", "visit")["required"] is False  # optional
    assert row(ctx, "L1", "apply")["required"] is True


def test_condition_values_compare_as_text_numbers_or_booleans():
    frame = pl.DataFrame({"attr:x": ["2.0", "TRUE", "a", None, " a "]})
    check = lambda *values: frame.select(engine.condition_expr(Condition("x", values)))[:, 0].to_list()  # noqa: E731
    assert check(2) == [True, False, False, False, False]
    assert check(True) == [False, True, False, False, False]
    assert check("a", "b") == [False, False, True, False, True]


# -- deadline limits ---------------------------------------------------------------


def limit(ctx, case: str, step: str) -> datetime | None:
    value = row(ctx, case, step)["limit"]
    return value and value.astimezone(TZ)


def test_workdays_end_at_midnight_after_the_nth_working_day():
    ctx = audit(log(ev("C1", "起草合同", "2024-03-05 10:00", "p1")))
    assert limit(ctx, "C1", "approve") == at("2024-03-09 00:00")
    step = handbook().process("sale").step("approve")
    text = engine.deadline_text(step, limit(ctx, "C1", "approve"), TZ)
    f = Finding("C104", "deadline", "violation", "", process="sale")
    assert render(text, f, "en", Names.of(handbook())) == "by 2024-03-08 24:00 (3 workdays from 起草合同)"
    assert render(text, f, "zh", Names.of(handbook())) == "2024-03-08 24:00 之前（起草合同后 3 个工作日内）"


def test_workdays_skip_national_day_and_count_the_make_up_saturday():
    ctx = audit(log(ev("C1", "起草合同", "2026-09-30 15:00", "p1"), ev("C2", "起草合同", "2026-10-03 09:00", "p1")))
    assert limit(ctx, "C1", "approve") == at("2026-10-11 00:00")  # 10-08, 10-09, 10-10 (Saturday)
    assert limit(ctx, "C2", "approve") == at("2026-10-11 00:00")


@pytest.mark.parametrize(
    ("applied", "due"),
    [
        ("2024-01-31 10:00", "2024-02-29 10:00"),
        ("2025-01-31 10:00", "2025-02-28 10:00"),
        ("2024-03-31 23:30", "2024-04-30 23:30"),
        ("2024-12-15 08:00", "2025-01-15 08:00"),
    ],
)
def test_months_keep_the_clock_time_and_clamp_to_the_month_end(applied, due):
    ctx = audit(log(ev("L1", "提交申请", applied, "p1")), "loan")
    assert limit(ctx, "L1", "review") == at(due)


def test_case_start_and_elapsed_days():
    ctx = audit(
        log(ev("L1", "审核申请", "2024-03-05 09:00", "p2"), ev("L1", "提交申请", "2024-03-05 10:00", "p1")), "loan"
    )
    assert limit(ctx, "L1", "bank") == at("2024-03-15 09:00")


@pytest.mark.parametrize(
    ("signed_at", "due"),
    [
        ("2024-03-05", "2024-03-05 02:00"),
        ("2024/3/5 14:30", "2024-03-05 16:30"),
        ("2024-03-05T14:30:00+00:00", "2024-03-06 00:30"),
        ("2024-03-05 14:30:15.5Z", "2024-03-06 00:30:15.5"),
        ("2024-03-05 14:30+0100", "2024-03-05 23:30"),
        ("next week", None),
        ("2024-02-30", None),
        (None, None),
    ],
)
def test_attribute_anchor_date_or_datetime_else_absent(signed_at, due):
    ctx = audit(log(ev("L1", "提交申请", "2024-03-05 10:00", "p1", signed_at=signed_at)), "loan")
    assert limit(ctx, "L1", "visit") == (at(due) if due else None)


def test_before_a_date_attribute_starts_at_local_midnight():
    ctx = audit(log(ev("C1", "起草合同", "2024-03-01 10:00", "p1", handover_date="2024-03-20")))
    assert limit(ctx, "C1", "notify") == at("2024-03-06 00:00")


def test_step_anchor_absent_means_no_limit():
    ctx = audit(log(ev("C1", "审批合同", "2024-03-05 10:00", "p2")))
    assert limit(ctx, "C1", "approve") is None


@pytest.mark.parametrize(("drafted", "year"), [("2030-01-02 10:00", "2030"), ("2026-12-30 10:00", "2027")])
def test_a_date_outside_the_calendar_is_an_error_naming_the_year(drafted, year):
    ctx = audit(log(ev("C1", "起草合同", drafted, "p1")))
    with pytest.raises(CalendarRangeError, match=year):
        table(ctx)


ZONES = [TZ, ZoneInfo("Europe/Berlin"), ZoneInfo("America/Santiago"), ZoneInfo("UTC")]
ROWS = st.tuples(
    st.datetimes(min_value=datetime(2006, 1, 1), max_value=datetime(2024, 12, 31)),
    st.sampled_from(UNITS),
    st.integers(1, 300),
    st.sampled_from([1, -1]),
)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(ROWS, min_size=1, max_size=12), tz=st.sampled_from(ZONES))
def test_vectorised_limits_agree_with_the_reference_shift(rows, tz):
    anchors = [a.replace(tzinfo=UTC) for a, *_ in rows]
    frame = pl.DataFrame(
        {
            "anchor_at": pl.Series(anchors, dtype=pl.Datetime("us", "UTC")),
            "unit": [u for _, u, _, _ in rows],
            "amount": [n for _, _, n, _ in rows],
            "sign": [s for *_, s in rows],
        }
    )
    got = engine.add_limits(frame, tz, CAL)["limit"].to_list()
    want = [shift(a, Duration(n, u), s, calendar=CAL, tz=tz) for a, (_, u, n, s) in zip(anchors, rows, strict=True)]
    # In UTC: Python never calls an ambiguous local time equal to an instant in another zone (PEP 495).
    assert got == [w.astimezone(UTC) for w in want]


def test_limits_leave_missing_anchors_and_units_null():
    frame = pl.DataFrame(
        {
            "anchor_at": [None, at("2024-03-05 10:00")],
            "unit": ["workdays", None],
            "amount": [3, None],
            "sign": [1, None],
        },
        schema={"anchor_at": pl.Datetime("us", "UTC"), "unit": pl.Utf8, "amount": pl.Int64, "sign": pl.Int64},
    )
    assert engine.add_limits(frame, TZ, CAL)["limit"].to_list() == [None, None]


# -- text --------------------------------------------------------------------------


def test_local_text():
    assert engine.local_text(at("2024-03-09 00:00"), TZ) == "2024-03-09 00:00"
    assert engine.local_text(at("2024-03-09 00:00"), TZ, end_of_day=True) == "2024-03-08 24:00"
    assert engine.local_text(at("2024-03-09 10:00:05"), TZ) == "2024-03-09 10:00:05"


# -- run and registry ---------------------------------------------------------------


def test_run_sorts_all_findings_and_selects_codes():
    events = log(
        ev("C2", "审批合同", "2024-03-05 09:00", "p1", "clerk"),
        ev("C2", "起草合同", "2024-03-05 10:00", "p1", "clerk"),
        ev("C1", "通知交房", "2024-03-05 11:00", "p1", "clerk"),
        ev("C1", "乱写", "2024-03-05 12:00", "p1", "clerk"),
    )
    ctx = audit(events, as_of="2024-03-05 12:00")
    found = engine.run(ctx)
    assert found == sorted(found, key=Finding.sort_key)
    assert [(f.case_id, f.code) for f in found if f.code < "C200"] == [
        (None, "C111"),
        ("C1", "C101"),
        ("C1", "C101"),
        ("C2", "C103"),
        ("C2", "C105"),
        ("C2", "C107"),
    ]
    assert {f.code for f in engine.run(ctx, {"C103", "C111"})} == {"C103", "C111"}
    with pytest.raises(ValueError, match="C999"):
        engine.run(ctx, {"C999"})


def test_registry_is_in_code_order_and_every_rule_is_documented():
    assert list(REGISTRY) == sorted(REGISTRY)
    assert {f"C1{n:02}" for n in range(1, 12)} <= REGISTRY.keys()
    for code, rule in REGISTRY.items():
        assert code == rule.CODE
        assert rule.NAME and rule.__doc__ and len(rule.__doc__.strip().splitlines()) > 3
        assert set(rule.TITLE) == {"zh", "en"} and all(rule.TITLE.values())
        assert rule.SEVERITY in SEVERITIES
        assert rule.EXAMPLE_FAIL and rule.EXAMPLE_PASS and callable(rule.check)
        assert rule.SCOPE in SCOPES
    assert len({rule.NAME for rule in REGISTRY.values()}) == len(REGISTRY)
    # The pipeline runs "case" rules bucket by bucket: only the step checks may say so.
    assert codes_of("case") == {f"C1{n:02}" for n in range(1, 11)}
    assert codes_of("log") == {"C111", "C201", "C202", "C203", "C204", "C205", "C206"}


def test_rules_say_which_steps_and_obligations_they_check():
    from checker.rules import applies, general
    from handbook import checks

    assert general() == checks.GENERAL  # the manual's list of rules for every event
    book = handbook("loan")
    for process in book.processes:
        for step in process.steps:
            assert applies("C101", step) is step.required and applies("C105", step)
            assert applies("C109", step) is bool(step.max_count)
            assert applies("C103", step) is bool(step.after)
            assert not applies("C106", step)  # every event: no step of its own


def test_cases_sharing_a_hash_are_still_told_apart(monkeypatch):
    events = [ev(c, "起草合同", "2024-03-05 10:00", "p1") for c in ("C1", "C2")]
    events.append(ev("C2", "审批合同", "2024-03-06 10:00", "p2"))
    honest = table(audit(log(*events)))
    monkeypatch.setattr(
        engine.cases, "_hash", lambda case, seed: pl.lit(7, pl.UInt64) if seed == 11 else case.hash(seed)
    )
    clashing = table(audit(log(*events)))
    assert clashing.select("case_id", "step", "count").rows() == [
        ("C1", "draft", 1), ("C1", "approve", 0), ("C1", "notify", 0),
        ("C2", "draft", 1), ("C2", "approve", 1), ("C2", "notify", 0),
    ]  # fmt: skip
    assert clashing.drop("_ck").equals(honest.drop("_ck"))


def test_case_table_is_built_once_per_context():
    ctx = audit(log(ev("C1", "起草合同", "2024-03-05 10:00", "p1")))
    assert engine.case_steps(ctx) is engine.case_steps(ctx)
    assert row(ctx, "C1", "approve")["passed"] is False


@pytest.mark.parametrize(("as_of", "passed"), [("2024-03-09 00:00", False), ("2024-03-09 00:00:01", True)])
def test_passed_means_the_limit_is_before_the_as_of_time(as_of, passed):
    ctx = audit(log(ev("C1", "起草合同", "2024-03-05 10:00", "p1")), as_of=as_of)
    assert row(ctx, "C1", "approve")["passed"] is passed


@pytest.mark.parametrize(
    ("zone", "anchor", "unit", "amount", "sign"),
    [
        ("America/Santiago", datetime(2022, 8, 11, 4, 30), "months", 1, 1),  # lands on 00:30 in a midnight gap
        ("America/Santiago", datetime(2022, 9, 6, 15, 0), "workdays", 4, 1),  # ends at a midnight that does not exist
        ("Europe/Berlin", datetime(2024, 1, 31, 1, 30), "months", 2, 1),  # 02:30 on 31 March does not exist
        ("Europe/Berlin", datetime(2024, 9, 27, 0, 30), "months", 1, 1),  # 02:30 on 27 October happens twice
        ("Europe/Berlin", datetime(2024, 3, 29, 12, 0), "days", 3, 1),  # elapsed across the change
    ],
)
def test_limits_in_dst_gaps_and_folds_agree_with_shift(zone, anchor, unit, amount, sign):
    tz, anchor = ZoneInfo(zone), anchor.replace(tzinfo=UTC)
    frame = pl.DataFrame(
        {"anchor_at": [anchor], "unit": [unit], "amount": [amount], "sign": [sign]},
        schema={"anchor_at": pl.Datetime("us", "UTC"), "unit": pl.Utf8, "amount": pl.Int64, "sign": pl.Int64},
    )
    want = shift(anchor, Duration(amount, unit), sign, calendar=CAL, tz=tz).astimezone(UTC)  # PEP 495: compare in UTC
    assert engine.add_limits(frame, tz, CAL)["limit"][0] == want
