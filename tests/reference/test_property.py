"""The vectorised checker against the plain-Python reference of the spec (spec_reference.py).

Hypothesis builds small random handbooks (1–2 processes of 2–5 steps with
random order, deadlines of every unit and anchor kind, conditions, optional and
final steps, segregation, two-person review and counts; 0–2 obligations of
every scope and cadence kind) and small random logs in 2026 (equal timestamps,
repeated steps, unknown labels, missing case ids and performers, roles from
the log or the roster, date and empty attribute values), then runs both the way
the command line does (prepare → admit → cut at the as-of time → Context → run)
and demands the same findings, the same lateness and the same rejected rows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import polars as pl
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from checker import engine
from checker.admit import admit
from checker.context import Context
from checker.events import ATTR_PREFIX, BASE_SCHEMA
from checker.finding import Finding
from opsbook.calendar import CalendarRangeError, WorkCalendar
from opsbook.durations import UNITS, Duration
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
    Role,
    Scope,
    Step,
)

from . import spec_reference as reference

CAL = WorkCalendar.china()
SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")  # DST from 2026-03-29 02:00 to 2026-10-25 03:00
SANTIAGO = ZoneInfo("America/Santiago")  # DST ends 2026-04-05 00:00, starts 2026-09-06 00:00 (no such midnight)

ROLES = (
    Role("clerk", "内勤", "销售部", "办事。", (), aliases=("文员",)),
    Role("boss", "经理", "销售部", "审批。", (), aliases=("主管",)),
    Role("officer", "信贷员", "信贷部", "审核。", (), aliases=("经理",)),  # 经理 stays the boss: titles beat aliases
)
ROLE_IDS = tuple(r.id for r in ROLES)
ATTRIBUTES = (
    Attribute("method", "string", "付款方式。"),
    Attribute("signed_at", "datetime", "签约时间。"),
    Attribute("customer", "string", "客户编号。"),
    Attribute("tier", "string", "客户等级。"),
)
UNKNOWN_LABELS = ("审批合同书", "未知活动")
# New Year; Spring Festival and its make-up days; the DST changes of Berlin (late March)
# and Santiago (early April, early September); quarter starts; National Day; the end of
# the calendar's years.
BASES = (
    date(2026, 1, 1),
    date(2026, 2, 9),
    date(2026, 3, 23),
    date(2026, 4, 1),
    date(2026, 6, 29),
    date(2026, 8, 31),
    date(2026, 9, 28),
    date(2026, 12, 14),  # runs into 2027, which the calendar does not cover
)
CLOCKS = (time(0, 0), time(9, 0), time(9, 0), time(12, 0), time(17, 59), time(18, 0), time(18, 1), time(23, 30))
CROWDED = (time(9, 0), time(12, 0), time(18, 0))
AMOUNTS = {
    "minutes": (1, 600),
    "hours": (1, 72),
    "days": (1, 14),
    "weeks": (1, 3),
    "months": (1, 2),
    "workdays": (1, 8),
}

# Amounts that fit the gaps between CLOCKS, so limits often fall exactly on an event or the as-of time.
ALIGNED = [(1, "minutes"), (60, "minutes"), (3, "hours"), (6, "hours"), (9, "hours"), (24, "hours"), (1, "days")]
ALIGNED += [(2, "days"), (1, "weeks"), (1, "months"), (1, "workdays"), (3, "workdays")]
durations = st.one_of(
    st.sampled_from(UNITS).flatmap(lambda unit: st.builds(Duration, st.integers(*AMOUNTS[unit]), st.just(unit))),
    st.sampled_from(ALIGNED).map(lambda pair: Duration(*pair)),
)
method_conditions = st.sampled_from([("mortgage",), ("mortgage", "cash"), (2,), (2.5,), (True,), ("2",)]).map(
    lambda values: Condition("method", values)
)


# -- handbooks ----------------------------------------------------------------------------


def closure(start: str, edges: dict[str, tuple[str, ...]]) -> set[str]:
    seen, todo = set(), list(edges[start])
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(edges[node])
    return seen


@st.composite
def deadlines(draw, before_me: set[str], after_me: set[str]) -> Deadline | None:
    """A valid deadline: 'within … from' a step that comes before, 'before …' a step that comes after."""
    if draw(st.integers(0, 2)) == 0:
        return None
    kind = draw(st.sampled_from(["within", "before"]))
    candidates = sorted(before_me if kind == "within" else after_me)
    anchor_kind = draw(st.sampled_from(["case_start", "attribute"] + ["step"] * 2 * bool(candidates)))
    if anchor_kind == "step":
        anchor = Anchor("step", draw(st.sampled_from(candidates)))
    elif anchor_kind == "attribute":
        anchor = Anchor("attribute", "signed_at")
    else:
        anchor = Anchor("case_start")
    return Deadline(kind, draw(durations), anchor)


@st.composite
def processes(draw, pid: str) -> Process:
    n = draw(st.integers(2, 5))
    ids = [f"{pid}s{i}" for i in range(n)]
    after = {
        sid: tuple(draw(st.lists(st.sampled_from(ids[:i]), unique=True, max_size=2))) if i else ()
        for i, sid in enumerate(ids)
    }
    ancestors = {sid: closure(sid, after) for sid in ids}
    descendants = {sid: {other for other in ids if sid in ancestors[other]} for sid in ids}
    finals = draw(st.sets(st.sampled_from(ids), min_size=1, max_size=2))
    steps = []
    for i, sid in enumerate(ids):
        max_count = draw(st.none() | st.integers(1, 3))
        min_count = draw(st.none() | st.integers(1, 3))
        if max_count and min_count and min_count > max_count:
            min_count = max_count
        min_performers = draw(st.none() | st.integers(2, 3))
        if max_count and min_performers and min_performers > max_count:
            min_performers = None
        labels = [f"做{sid}"] + [f"又做{sid}"] * draw(st.booleans())
        steps.append(
            Step(
                id=sid,
                title=f"步骤{sid}",
                activities=tuple(labels),
                raci=Raci(tuple(draw(st.lists(st.sampled_from(ROLE_IDS), unique=True, min_size=1, max_size=2)))),
                after=after[sid],
                deadline=draw(deadlines(ancestors[sid], descendants[sid])),
                when=draw(st.none() | st.none() | method_conditions),
                optional=draw(st.integers(0, 3)) == 0,
                final=sid in finals,
                separate_from=tuple(draw(st.lists(st.sampled_from(ids[:i] + ids[i + 1 :]), unique=True, max_size=1))),
                min_performers=min_performers,
                min_count=min_count,
                max_count=max_count,
            )
        )
    return Process(
        id=pid, title=f"流程{pid}", owner="boss", purpose="测试。", attributes=ATTRIBUTES, steps=tuple(steps)
    )


@st.composite
def obligations(draw, oid: str) -> Obligation:
    kind = draw(st.sampled_from(["organisation", "role", "entity"]))
    if kind == "organisation":
        scope = Scope("organisation")
    elif kind == "role":
        scope = Scope("role", role=draw(st.sampled_from(["clerk", "boss"])))
    else:
        when = draw(st.none() | st.just(Condition("tier", ("key",))))
        scope = Scope("entity", entity="customer", when=when)
    if draw(st.booleans()):
        cadence = Cadence(
            every=draw(st.sampled_from(["workday", "week", "month", "quarter", "year"])),
            due_day=draw(st.none() | st.integers(1, 31)),
            due_weekday=draw(st.none() | st.integers(1, 7)),
            due_time=draw(st.none() | st.sampled_from(["00:00", "02:30", "09:00", "18:00", "23:59"])),
        )
    else:
        cadence = Cadence(interval=draw(durations))
    return Obligation(oid, f"事项{oid}", (f"办{oid}",), ("clerk",), scope, cadence)


@st.composite
def handbooks(draw, tz: ZoneInfo, least_obligations: int = 0) -> Handbook:
    procs = [draw(processes("p"))] + ([draw(processes("q"))] if draw(st.integers(0, 2)) == 0 else [])
    n_obligations = draw(st.integers(least_obligations, 2))
    for i in range(n_obligations):
        owner = draw(st.integers(0, len(procs) - 1))
        proc = procs[owner]
        procs[owner] = Process(
            **{f: getattr(proc, f) for f in ("id", "title", "owner", "purpose", "attributes", "steps")},
            obligations=(*proc.obligations, draw(obligations(f"o{i}"))),
        )
    return Handbook(organisation="测试", version="t", timezone=tz.key, roles=ROLES, processes=tuple(procs))


# -- logs -----------------------------------------------------------------------------------


def instant(base: date, days: int, clock: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(base + timedelta(days=days), clock, tzinfo=tz).astimezone(UTC)


def date_texts(base: date):
    """Date and date-time attribute values in the forms logs use, and some that are no date."""

    def render(days: int, hour: int, minute: int, form: int) -> str:
        d = base + timedelta(days=days)
        return [
            f"{d:%Y-%m-%d}",
            f"{d:%Y-%m-%d} {hour:02d}:{minute:02d}",
            f"{d.year}/{d.month}/{d.day} {hour}:{minute:02d}",
            f"{d:%Y-%m-%d}T{hour:02d}:{minute:02d}:00+00:00",
            f"{d:%Y-%m-%d} {hour:02d}:{minute:02d}Z",
            f"{d:%Y-%m-%d} {hour:02d}:{minute:02d}:30+0530",
        ][form]

    parsed = st.builds(render, st.integers(-5, 30), st.integers(0, 23), st.sampled_from([0, 30]), st.integers(0, 5))
    return parsed | st.sampled_from(["2026-02-30", "soon", "", "  "])


@st.composite
def events(draw, handbook: Handbook, base: date, tz: ZoneInfo, obligation_share: int = 1) -> list[dict]:
    index = handbook.activity_index()
    kinds = [
        sorted(label for label, (_, thing) in index.items() if isinstance(thing, Step)),
        sorted(label for label, (_, thing) in index.items() if not isinstance(thing, Step)),
        list(UNKNOWN_LABELS),
    ]
    # Out of 3 + obligation_share: 2 step labels, 1 unknown, obligation_share obligation labels.
    shares = [kinds[0], kinds[0], kinds[2]] + [kinds[1]] * obligation_share
    labels = st.one_of(*(st.sampled_from(k) for k in shares if k))
    attrs = st.fixed_dictionaries(
        {},
        optional={
            "method": st.sampled_from(["mortgage", "cash", " mortgage ", "2", "2.0", "2.5", "TRUE", "", None]),
            "signed_at": date_texts(base) | st.none(),
            "customer": st.sampled_from(["K1", "K2", " K1 ", "", None]),
            "tier": st.sampled_from(["key", "normal", "", None]),
        },
    )
    size = draw(st.integers(1, 40))  # an empty log is no audit: the command line stops
    # A short span on few clock times crowds events onto equal times and exact limits.
    span, clocks = draw(st.sampled_from([(1, CROWDED), (3, CLOCKS), (24, CLOCKS)]))
    row = st.fixed_dictionaries(
        {
            "label": labels,
            "padded": st.integers(0, 7).map(lambda n: n == 0),
            "case_id": st.sampled_from(["C1", "C1", "C2", "C2", "C3", None, "", " "]),
            "day": st.integers(0, span),
            "clock": st.sampled_from(clocks),
            "performer": st.sampled_from(["p1", "p2", "p3", "p4", None]),
            "role": st.sampled_from(
                [None] * 8 + ["clerk", "内勤", "文员", "boss", "经理", " 主管 ", "officer", "实习生", ""]
            ),
            "attrs": attrs,
        }
    )
    rows = draw(st.lists(row, min_size=size, max_size=size))
    return [
        {
            "ref": f"log.csv:{n}",
            "seq": n,
            "case_id": r["case_id"],
            # Readers strip values; padding only checks that the engine maps known labels after stripping.
            "activity": f" {r['label']} " if r["padded"] and r["label"] not in UNKNOWN_LABELS else r["label"],
            "ts": instant(base, r["day"], r["clock"], tz),
            "performer": r["performer"],
            "role": r["role"],
            "attrs": r["attrs"],
        }
        for n, r in enumerate(rows, 1)
    ]


@st.composite
def rosters(draw, base: date) -> list[tuple]:
    rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["p1", "p2", "p3", "p4"]),
                st.sampled_from(["clerk", "clerk", "boss", "officer", "内勤", "经理"]),
                st.none() | st.integers(-5, 25),
                st.none() | st.integers(0, 20),
            ),
            max_size=4,
        )
    )
    out = []
    for person, role, lo, length in rows:
        valid_from = base + timedelta(days=lo) if lo is not None else None
        valid_to = (valid_from or base) + timedelta(days=length) if length is not None else None
        out.append((person, role, valid_from, valid_to))
    return out


@st.composite
def scenarios(draw, least_obligations: int = 0) -> dict:
    tz = draw(st.sampled_from([SHANGHAI, SHANGHAI, BERLIN, SANTIAGO]))
    base = draw(st.sampled_from(BASES))
    as_of = draw(
        st.none() | st.builds(lambda d, c: instant(base, d, c, tz), st.integers(8, 60), st.sampled_from(CLOCKS))
    )
    start = draw(
        st.none() | st.builds(lambda d, c: instant(base, d, c, tz), st.integers(-3, 10), st.sampled_from(CLOCKS))
    )
    return {
        "handbook": draw(handbooks(tz, least_obligations)),
        "tz": tz,
        "events": None,
        "roster": draw(rosters(base)),
        "as_of": as_of,
        "start": start,
        "base": base,
    }


@st.composite
def audits(draw, *, obligations_first: bool = False) -> dict:
    """A scenario; ``obligations_first``: at least one obligation, and most events record one."""
    scenario = draw(scenarios(1 if obligations_first else 0))
    share = 6 if obligations_first else 1
    scenario["events"] = draw(events(scenario["handbook"], scenario["base"], scenario["tz"], share))
    # Now and then the as-of time or --from is exactly an event's time: the boundaries of "<" and "<=".
    times = sorted({e["ts"] for e in scenario["events"]})
    if draw(st.integers(0, 4)) == 0:
        scenario["as_of"] = draw(st.sampled_from(times))
    if draw(st.integers(0, 4)) == 0:
        scenario["start"] = draw(st.sampled_from(times))
    return scenario


# -- running the checker as the command line does ------------------------------------------------


def event_table(rows: list[dict]) -> pl.DataFrame:
    names = sorted({name for r in rows for name in r["attrs"]})
    schema = {**BASE_SCHEMA, **{ATTR_PREFIX + n: pl.Utf8 for n in names}}
    data = [{**{k: r[k] for k in BASE_SCHEMA}, **{ATTR_PREFIX + n: r["attrs"].get(n) for n in names}} for r in rows]
    return pl.DataFrame(data, schema=schema)


def roster_table(rows: list[tuple]) -> pl.DataFrame | None:
    if not rows:
        return None
    schema = {"person": pl.Utf8, "role": pl.Utf8, "from": pl.Date, "to": pl.Date}
    return pl.DataFrame(rows, schema=schema, orient="row")


def run_checker(s: dict):
    """(findings, rejected refs, as_of, start), or None when no event is usable (the CLI stops)."""
    people = roster_table(s["roster"])
    prepared = engine.prepare(event_table(s["events"]), s["handbook"], roster=people, tz=s["tz"])
    admitted, rejected = admit_rows(prepared, s["handbook"])
    if admitted.height == 0:
        return None
    as_of = s["as_of"].astimezone(UTC) if s["as_of"] else admitted["ts"].max()
    admitted = admitted.filter(pl.col("ts") <= as_of)
    if admitted.height == 0:
        return None
    start = s["start"].astimezone(UTC) if s["start"] else admitted["ts"].min()
    ctx = Context(s["handbook"], admitted, as_of, start, CAL, s["tz"], people)
    return engine.run(ctx), rejected, as_of, start


def admit_rows(prepared: pl.DataFrame, handbook: Handbook) -> tuple[pl.DataFrame, list[str]]:
    """checker.admit.admit, with the refs of the rejected rows."""
    admitted, rejected = admit(prepared, handbook)
    return admitted, [r.ref for r in rejected]


def as_tuple(f: Finding) -> tuple:
    subject = f.case_id if f.case_id is not None else f.scope
    return (f.code, f.process, subject, f.period, f.step, tuple(sorted(f.event_refs)))


def outcome(run):
    """run()'s value, or the year of the CalendarRangeError it raised (SPEC §3: an input error naming it)."""
    try:
        return run()
    except CalendarRangeError as error:
        return error.year


def compare(s: dict) -> None:
    result = outcome(lambda: run_checker(s))
    assume(result is not None)
    want = outcome(
        lambda: reference.audit(
            s["events"], s["handbook"], as_of=s["as_of"], start=s["start"], roster=s["roster"], calendar=CAL, tz=s["tz"]
        )
    )
    if isinstance(result, int) or isinstance(want, int):
        assert result == want, "both must stop on the same year outside the calendar"
        return
    found, rejected, as_of, start = result
    assert (as_of, start) == (want.as_of, want.start)
    assert rejected == want.rejected
    got = reference.sort_rows(map(as_tuple, found))
    expected = reference.as_tuples(want.findings)
    missing = [t for t in expected if t not in got]
    extra = [t for t in got if t not in expected]
    assert got == expected, f"checker lacks {missing}\nchecker adds {extra}"
    lateness = {as_tuple(f): f.lateness_seconds for f in found if f.lateness_seconds is not None}
    assert lateness == {reference.as_tuples([w])[0]: w.lateness for w in want.findings if w.lateness is not None}


BUDGET = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@BUDGET
@given(audits())
def test_checker_agrees_with_the_reference(scenario):
    compare(scenario)


# -- boundaries random logs seldom hit exactly ------------------------------------------------------


def one_obligation(scope: Scope, cadence: Cadence) -> Handbook:
    close = Step("close", "结案", ("结案",), Raci(("boss",)), final=True)
    ob = Obligation("o", "事项", ("办",), ("clerk",), scope, cadence)
    process = Process("p", "流程", "boss", "测试。", attributes=ATTRIBUTES, steps=(close,), obligations=(ob,))
    return Handbook(organisation="测试", version="t", timezone="Asia/Shanghai", roles=ROLES, processes=(process,))


def fixed(handbook: Handbook, *rows: tuple, roster=(), as_of=None) -> dict:
    """A scenario from (activity, local time, performer) rows, Asia/Shanghai; step rows are case C1."""
    index = handbook.activity_index()
    events = [
        {
            "ref": f"log.csv:{n}",
            "seq": n,
            "case_id": "C1" if isinstance(index.get(activity, (None, None))[1], Step) else None,
            "activity": activity,
            "ts": datetime.fromisoformat(when).replace(tzinfo=SHANGHAI).astimezone(UTC),
            "performer": performer,
            "role": None,
            "attrs": {},
        }
        for n, (activity, when, performer) in enumerate(rows, 1)
    ]
    as_of = as_of and datetime.fromisoformat(as_of).replace(tzinfo=SHANGHAI)
    return {
        "handbook": handbook,
        "tz": SHANGHAI,
        "events": events,
        "roster": list(roster),
        "as_of": as_of,
        "start": None,
    }


# Gaps of exactly the interval are allowed; 3 h 01 is not; the trailing gap to the as-of time is exactly 3 h.
EXACT_INTERVAL = fixed(
    one_obligation(Scope("organisation"), Cadence(interval=Duration(3, "hours"))),
    ("办", "2026-03-02 09:00", "p1"),
    ("办", "2026-03-02 12:00", "p1"),
    ("办", "2026-03-02 15:01", "p1"),
    ("结案", "2026-03-02 18:01", "p2"),
)
# p1 holds the role to 3 March: watched until 4 March 00:00, where an occurrence still counts.
WATCH_ENDS = fixed(
    one_obligation(Scope("role", role="clerk"), Cadence(interval=Duration(1, "days"))),
    ("办", "2026-03-02 09:00", "p1"),
    ("办", "2026-03-04 00:00", "p1"),
    ("结案", "2026-03-05 09:00", "p2"),
    roster=[("p1", "clerk", date(2026, 3, 2), date(2026, 3, 3))],
)
# Due 18:00: exactly 18:00 is on time, 00:00 opens the next day's period, 18:01 is late, none is missed.
DAILY_EDGES = fixed(
    one_obligation(Scope("organisation"), Cadence(every="workday", due_time="18:00")),
    ("办", "2026-03-02 18:00", None),
    ("办", "2026-03-03 00:00", None),
    ("办", "2026-03-04 18:01", None),
    ("结案", "2026-03-05 09:00", "p2"),
    as_of="2026-03-05 18:00",
)


@example(EXACT_INTERVAL)
@example(WATCH_ENDS)
@example(DAILY_EDGES)
@settings(BUDGET, max_examples=100)
@given(audits(obligations_first=True))
def test_checker_agrees_with_the_reference_on_obligations(scenario):
    compare(scenario)


def test_the_boundary_examples_find_what_they_are_about():
    """The explicit examples above mean what their comments say (in the reference)."""

    def codes(s):
        result = reference.audit(
            s["events"], s["handbook"], as_of=s["as_of"], roster=s["roster"], calendar=CAL, tz=SHANGHAI
        )
        return [(f.code, f.period, f.refs, f.lateness) for f in result.findings if f.code.startswith("C2")]

    assert codes(EXACT_INTERVAL) == [("C203", "2026-03-02/2026-03-02", ("log.csv:2", "log.csv:3"), 60)]
    assert codes(WATCH_ENDS) == [("C203", "2026-03-02/2026-03-04", ("log.csv:1", "log.csv:2"), 15 * 3600)]
    assert sorted(codes(DAILY_EDGES)) == [("C201", "2026-03-05", (), None), ("C202", "2026-03-04", ("log.csv:3",), 60)]
