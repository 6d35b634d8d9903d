"""A deliberately simple reference for /work/shared/SPEC-checker.md §2, C111 and §4.

Plain Python over a list of event dicts: loops, dicts and datetimes, no Polars.
It exists so the property tests can compare the vectorised checker with
something whose correctness can be read off the page. Speed does not matter.

Input events are dicts with ``ref``, ``seq``, ``case_id``, ``activity``, ``ts``
(an aware datetime), ``performer``, ``role`` and ``attrs`` (name → text or
None). The roster is a list of (person, role, from, to) with ``date`` or None
bounds (inclusive). Deadline and interval limits come from
``opsbook.durations.shift``, the reference for SPEC §3.

Output: ``Found`` records; ``as_tuples`` turns them into the sorted
(code, process, case id or scope member, period, step, sorted refs) tuples the
tests compare.

Where the spec is silent, this follows the choices the checker documents (its
rule docstrings, ``checker/periods.py``, ``checker/admit.py``,
``checker/engine.py``):

Inputs and cases
- An activity label maps after stripping surrounding blanks; a blank value
  (None or only whitespace) counts as absent everywhere (case id, performer,
  role, attributes, entity ids).
- Rows are admitted as in ``checker.admit``: a step row needs a case id; an
  obligation row with a per-role scope needs a performer, one with a per-entity
  scope needs the entity attribute. Unknown-label rows are always kept.
- The as-of time defaults to the latest admitted event; admitted events after
  it are not part of the audit. ``start`` (``--from``) defaults to the earliest
  remaining event.
- Only step events form a case; obligation and unknown-label events with a
  case id do not. Ties in time are broken by input order (``seq``): for
  ``first(S)``, the first non-empty attribute value, the first occurrence in a
  period.
- A role named in the log maps to a role id by id, then title, then alias (the
  first role to claim a name keeps it); an unknown name is kept as written.
  Without a log role, the roles are those of every roster row for the
  performer valid on the event's local date.
- A condition compares the stripped case attribute with each wanted value: a
  boolean as case-insensitive "true"/"false", a number numerically (text that
  is not a number never matches), anything else as exact text.
- A date/time attribute is ``YYYY-M-D`` or ``YYYY/M/D``, optionally with
  ``H:MM[:SS]`` and an offset (``Z``, ``±HH:MM``, ``±HHMM``); no offset means
  local time, a date alone 00:00 local; anything else (e.g. 2026-02-30) is no
  anchor.

Per-case checks
- C101 missing (complete case) and C102 overdue (open case, L < as-of) carry
  no event references. C103 is one finding per (case, S, A) with the first S
  and first A as references. C104 cites the first S event.
- C105/C106 apply to step events only, one finding per event; an event whose
  roles include any responsible role is authorised.
- C107 cites all of the person's events of both steps; events without a
  performer take part in no pair.
- C108 (min_performers) and C110 (min_count) only look at steps that occurred
  in the case; C108 counts distinct non-empty performers. C108/C109/C110 cite
  every event of the step in the case.
- C111 groups by the activity as written (the readers have already stripped
  it) and cites the five earliest events.

Recurring obligations
- Only events at or before the as-of time exist for the audit.
- Periods: days of the cadence's calendar (every day; the public working
  days for ``workday`` or ``calendar: public``; the office's opening days for
  ``calendar: office``); weeks Monday–Sunday (label ISO
  ``YYYY-Www``); months ``YYYY-MM``; quarters ``YYYY-Qn``; years ``YYYY``.
  ``due.weekday`` applies to weeks only, ``due.day`` to months, quarters and
  years only (a day of the period's first month, clamped to its end); without
  one the due date is the period's last day. The due point is ``due.time`` on
  the due date, else 24:00 of it. A period ends at local midnight after its
  last day; an occurrence at exactly the due point is on time.
- Scope members: "organisation"; for a role, every person with a roster row
  for the role (by id, title or alias) covering the period's due date; for an
  entity, each stripped value of the entity attribute, in scope for periods
  starting on or after the local date of its first appearance: the first event
  (of any kind) naming it and, with a condition, whose own value of the
  condition's attribute meets it (a filtered scope, SPEC §4: later events that
  no longer meet it do not take the entity out).
- Interval cadence, per member from its first appearance: the entity's (as
  above); the organisation's first event; a role holder's
  first event inside the span from the earliest ``from`` to the latest ``to``
  of their roster rows for the role (an open bound stays open), watched until
  the end (24:00) of that span's last day or the as-of time, whichever comes
  first. The points are the appearance and the occurrences in the watch; each
  gap (to the next point, the last one to the end of the watch) is too long
  when its end is after the start shifted by the interval. Gaps that end at or
  before ``start`` are outside the audit. The period is "start date/end date"
  in local dates; the references are the bounding events.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from opsbook.calendar import WorkCalendar
from opsbook.durations import shift
from opsbook.model import Cadence, Condition, Handbook, Obligation, OfficeCalendar, Process, Step

ORGANISATION = "organisation"
EVERY_DAY = OfficeCalendar()  # the office calendar when handbook.yaml defines none
SAMPLES = 5


class Found(NamedTuple):
    code: str
    process: str | None
    subject: str | None  # case id, or obligation scope member
    period: str | None
    step: str | None
    refs: tuple[str, ...]
    lateness: int | None = None


Roster = Iterable[tuple[str, str, date | None, date | None]]


# -- small helpers ---------------------------------------------------------------


def text(value) -> str | None:
    """The value stripped, or None when it is absent or blank."""
    if value is None or str(value).strip() == "":
        return None
    return str(value).strip()


def utc(instant: datetime) -> datetime:
    # Compare instants only in UTC: Python compares two datetimes of the same
    # tzinfo by wall clock, which is wrong around a DST change.
    return instant.astimezone(UTC)


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return utc(datetime.combine(day, time(0), tzinfo=tz))


def seconds(delta: timedelta) -> int:
    return int(delta.total_seconds())


def role_names(handbook: Handbook) -> dict[str, str]:
    """Every name a log may give a role → role id: ids first, then titles, then aliases."""
    names: dict[str, str] = {}
    for role in handbook.roles:
        names.setdefault(role.id, role.id)
    for role in handbook.roles:
        names.setdefault(role.title, role.id)
    for role in handbook.roles:
        for alias in role.aliases:
            names.setdefault(alias, role.id)
    return names


def condition_holds(condition: Condition, raw_value) -> bool:
    value = text(raw_value)
    if value is None:
        return False
    for wanted in condition.values:
        if isinstance(wanted, bool):
            if value.lower() == str(wanted).lower():
                return True
        elif isinstance(wanted, int | float):
            try:
                if float(value) == float(wanted):
                    return True
            except ValueError:
                pass
        elif value == wanted:
            return True
    return False


_DATE_TIME = re.compile(
    r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)


def parse_instant(raw_value, tz: ZoneInfo) -> datetime | None:
    """A date or date-time attribute as a UTC instant; None when it is not one."""
    value = text(raw_value)
    match = _DATE_TIME.fullmatch(value) if value else None
    if match is None:
        return None
    y, mo, d, h, mi, s, offset = match.groups()
    try:
        naive = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
    except ValueError:
        return None
    if offset is None:
        return utc(naive.replace(tzinfo=tz))  # fold=0, as zoneinfo reads a wall time
    if offset == "Z":
        return naive.replace(tzinfo=UTC)
    digits = offset[1:].replace(":", "")
    east = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return (naive - east if offset[0] == "+" else naive + east).replace(tzinfo=UTC)


# -- preparing and admitting events --------------------------------------------------


def prepare(events: list[dict], handbook: Handbook, roster: Roster, tz: ZoneInfo) -> list[dict]:
    """Copies of the events with process, step, kind, roles and local_date, sorted by (ts, seq)."""
    index = handbook.activity_index()
    names = role_names(handbook)
    rows = list(roster or ())
    prepared = []
    for event in events:
        e = dict(event)
        e["ts"] = utc(event["ts"])
        e["attrs"] = dict(event.get("attrs") or {})
        e["local_date"] = e["ts"].astimezone(tz).date()
        label = event["activity"].strip()
        if label in index:
            process, thing = index[label]
            e["process"], e["step"] = process.id, thing.id
            e["kind"] = "step" if isinstance(thing, Step) else "obligation"
        else:
            e["process"] = e["step"] = e["kind"] = None
        given = text(event.get("role"))
        if given is not None:
            e["roles"] = {names.get(given, given)}
        else:
            e["roles"] = {
                names.get(role, role)
                for person, role, valid_from, valid_to in rows
                if event.get("performer") is not None
                and person == event["performer"]
                and (valid_from is None or valid_from <= e["local_date"])
                and (valid_to is None or e["local_date"] <= valid_to)
            }
        prepared.append(e)
    return sorted(prepared, key=lambda e: (e["ts"], e["seq"]))


def obligation_of(handbook: Handbook, event: dict) -> Obligation:
    process = handbook.process(event["process"])
    return next(ob for ob in process.obligations if ob.id == event["step"])


def rejected_reason(handbook: Handbook, event: dict) -> str | None:
    """Why a prepared event is not usable (SPEC §5), or None."""
    if event["kind"] == "step" and text(event["case_id"]) is None:
        return "case_id"
    if event["kind"] == "obligation":
        scope = obligation_of(handbook, event).scope
        if scope.kind == "role" and text(event["performer"]) is None:
            return "performer"
        if scope.kind == "entity" and text(event["attrs"].get(scope.entity)) is None:
            return scope.entity
    return None


def admit(prepared: list[dict], handbook: Handbook) -> tuple[list[dict], list[str]]:
    """The usable events, and the references of the rejected ones (in input order)."""
    kept = [e for e in prepared if rejected_reason(handbook, e) is None]
    rejected = [e for e in prepared if rejected_reason(handbook, e) is not None]
    return kept, [e["ref"] for e in sorted(rejected, key=lambda e: e["seq"])]


# -- the audit ---------------------------------------------------------------------------


class Audit(NamedTuple):
    findings: list[Found]
    rejected: list[str]  # refs rejected by admission, in input order
    as_of: datetime
    start: datetime


def audit(
    events: list[dict],
    handbook: Handbook,
    *,
    as_of: datetime | None = None,
    start: datetime | None = None,
    roster: Roster = (),
    calendar: WorkCalendar,
    tz: ZoneInfo,
) -> Audit:
    """Admit the events, settle as-of and start, and run every check. Needs one admitted event."""
    roster = list(roster or ())
    kept, rejected = admit(prepare(events, handbook, roster, tz), handbook)
    as_of = utc(as_of) if as_of is not None else max(e["ts"] for e in kept)
    known = [e for e in kept if e["ts"] <= as_of]
    start = utc(start) if start is not None else min(e["ts"] for e in known)
    findings = [
        *case_findings(known, handbook, as_of, calendar, tz),
        *unknown_activities(known),
        *obligation_findings(known, handbook, as_of, start, roster, calendar, tz),
    ]
    return Audit(findings, rejected, as_of, start)


def as_tuples(findings: Iterable[Found]) -> list[tuple]:
    """(code, process, case id or scope member, period, step, sorted refs), sorted."""
    return sort_rows((f.code, f.process, f.subject, f.period, f.step, tuple(sorted(f.refs))) for f in findings)


def sort_rows(rows: Iterable[tuple]) -> list[tuple]:
    return sorted(rows, key=lambda row: tuple("" if v is None else v for v in row))


# -- §2 per-case checks ------------------------------------------------------------------


def case_findings(events: list[dict], handbook: Handbook, as_of: datetime, calendar, tz) -> list[Found]:
    cases: dict[tuple[str, str], list[dict]] = {}
    for e in events:  # already in (ts, seq) order
        if e["kind"] == "step":
            cases.setdefault((e["process"], e["case_id"]), []).append(e)
    found: list[Found] = []
    for (process_id, case_id), case_events in cases.items():
        found += check_case(handbook.process(process_id), case_id, case_events, as_of, calendar, tz)
    found += roles_of_step_events(events, handbook)
    return found


def check_case(process: Process, case_id: str, events: list[dict], as_of, calendar, tz) -> list[Found]:
    pid = process.id
    of_step = {s.id: [e for e in events if e["step"] == s.id] for s in process.steps}
    count = {sid: len(evs) for sid, evs in of_step.items()}
    first = {sid: evs[0] for sid, evs in of_step.items() if evs}
    case_start = events[0]["ts"]
    complete = any(process.step(e["step"]).final for e in events)

    def attribute(name: str):
        for e in events:
            if text(e["attrs"].get(name)) is not None:
                return e["attrs"][name]
        return None

    def limit(step: Step) -> datetime | None:
        deadline = step.deadline
        if deadline is None:
            return None
        anchor = deadline.anchor
        if anchor.kind == "case_start":
            at = case_start
        elif anchor.kind == "step":
            at = first[anchor.ref]["ts"] if anchor.ref in first else None
        else:
            at = parse_instant(attribute(anchor.ref), tz)
        if at is None:
            return None
        return utc(shift(at, deadline.duration, deadline.sign, calendar=calendar, tz=tz))

    found: list[Found] = []
    for step in process.steps:
        sid, n = step.id, count[step.id]
        refs = tuple(e["ref"] for e in of_step[sid])
        required = not step.optional and (
            step.when is None or condition_holds(step.when, attribute(step.when.attribute))
        )
        limit_at = limit(step)
        passed = limit_at is not None and limit_at < as_of
        # 1. missing step
        if required and n == 0:
            if complete:
                found.append(Found("C101", pid, case_id, None, sid, ()))
            elif passed:
                found.append(Found("C102", pid, case_id, None, sid, (), seconds(as_of - limit_at)))
        # 2. order
        for pred in step.after:
            if n > 0 and count[pred] > 0 and first[pred]["ts"] > first[sid]["ts"]:
                found.append(Found("C103", pid, case_id, None, sid, (first[sid]["ref"], first[pred]["ref"])))
        # 3. deadline
        if n > 0 and limit_at is not None and first[sid]["ts"] > limit_at:
            found.append(
                Found("C104", pid, case_id, None, sid, (first[sid]["ref"],), seconds(first[sid]["ts"] - limit_at))
            )
        # 5. segregation of duties, per person found in both steps
        for other in step.separate_from:
            mine = {e["performer"] for e in of_step[sid] if e["performer"] is not None}
            theirs = {e["performer"] for e in of_step[other] if e["performer"] is not None}
            for person in mine & theirs:
                evidence = tuple(e["ref"] for e in events if e["step"] in (sid, other) and e["performer"] == person)
                found.append(Found("C107", pid, case_id, None, sid, evidence))
        # 5. two-person review
        people = {e["performer"] for e in of_step[sid] if e["performer"] is not None}
        if step.min_performers and n > 0 and len(people) < step.min_performers:
            found.append(Found("C108", pid, case_id, None, sid, refs))
        # 6. counts
        if step.max_count is not None and n > step.max_count:
            found.append(Found("C109", pid, case_id, None, sid, refs))
        if step.min_count is not None and 0 < n < step.min_count and (complete or passed):
            found.append(Found("C110", pid, case_id, None, sid, refs))
    return found


def roles_of_step_events(events: list[dict], handbook: Handbook) -> list[Found]:
    """4. Authorisation: one finding per step event, C105 for a wrong role, C106 for none."""
    found = []
    for e in events:
        if e["kind"] != "step":
            continue
        step = handbook.process(e["process"]).step(e["step"])
        if not e["roles"]:
            found.append(Found("C106", e["process"], e["case_id"], None, e["step"], (e["ref"],)))
        elif not e["roles"] & set(step.raci.responsible):
            found.append(Found("C105", e["process"], e["case_id"], None, e["step"], (e["ref"],)))
    return found


# -- §5 unknown activities -------------------------------------------------------------------


def unknown_activities(events: list[dict]) -> list[Found]:
    by_label: dict[str, list[dict]] = {}
    for e in events:
        if e["kind"] is None:
            by_label.setdefault(e["activity"], []).append(e)
    return [Found("C111", None, None, None, None, tuple(e["ref"] for e in evs[:SAMPLES])) for evs in by_label.values()]


# -- §4 recurring obligations ---------------------------------------------------------------------


class Period(NamedTuple):
    label: str
    start_date: date
    last_date: date
    due_date: date
    start: datetime  # local midnight opening the period, UTC
    due: datetime
    end: datetime  # local midnight after the last day, UTC


def first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def is_period_day(days: str, day: date, calendar: WorkCalendar, office: OfficeCalendar) -> bool:
    """Whether a daily cadence on ``days`` (all, public, office) has a period on ``day``."""
    if days == "public":
        return calendar.is_workday(day)
    if days == "office":
        return office.is_open(day)
    return True


def period_starts(
    cadence: Cadence, first: date, last: date, calendar: WorkCalendar, office: OfficeCalendar
) -> list[tuple[date, date, str]]:
    """(start date, last date, label) of every period starting in [first, last]."""
    out = []
    every = cadence.every
    if every in ("day", "workday"):
        days = "public" if every == "workday" else cadence.calendar or "all"
        day = first
        while day <= last:
            if is_period_day(days, day, calendar, office):
                out.append((day, day, day.isoformat()))
            day += timedelta(days=1)
        return out
    if every == "week":
        day = first + timedelta(days=(7 - first.weekday()) % 7)  # the first Monday on or after
        while day <= last:
            year, week, _ = day.isocalendar()
            out.append((day, day + timedelta(days=6), f"{year}-W{week:02d}"))
            day += timedelta(days=7)
        return out
    months = {"month": 1, "quarter": 3, "year": 12}[every]
    day = date(first.year, first.month, 1)
    while day <= last:
        if day >= first and (day.month - 1) % months == 0:
            nxt = day
            for _ in range(months):
                nxt = first_of_next_month(nxt)
            label = {
                "month": f"{day.year}-{day.month:02d}",
                "quarter": f"{day.year}-Q{(day.month - 1) // 3 + 1}",
                "year": f"{day.year}",
            }[every]
            out.append((day, nxt - timedelta(days=1), label))
        day = first_of_next_month(day)
    return out


def due_date(cadence: Cadence, start: date, last: date) -> date:
    if cadence.every == "week" and cadence.due_weekday:
        return start + timedelta(days=cadence.due_weekday - 1)
    if cadence.every in ("month", "quarter", "year") and cadence.due_day:
        month_end = first_of_next_month(start) - timedelta(days=1)
        return min(start + timedelta(days=cadence.due_day - 1), month_end)
    return last


def periods(
    cadence: Cadence, start: datetime, as_of: datetime, calendar, tz, office: OfficeCalendar = EVERY_DAY
) -> list[Period]:
    """The periods starting on or after the date of ``start`` whose due point is not after ``as_of``."""
    first, last = start.astimezone(tz).date(), as_of.astimezone(tz).date()
    out = []
    for start_date, last_date, label in period_starts(cadence, first, last, calendar, office):
        due_day = due_date(cadence, start_date, last_date)
        if cadence.due_time:
            hours, minutes = (int(x) for x in cadence.due_time.split(":"))
            due = utc(datetime.combine(due_day, time(hours, minutes), tzinfo=tz))
        else:
            due = local_midnight(due_day + timedelta(days=1), tz)
        if due <= as_of:
            end = local_midnight(last_date + timedelta(days=1), tz)
            out.append(Period(label, start_date, last_date, due_day, local_midnight(start_date, tz), due, end))
    return out


def member_of(scope, event: dict) -> str | None:
    if scope.kind == "entity":
        return text(event["attrs"].get(scope.entity))
    if scope.kind == "role":
        return event["performer"]
    return ORGANISATION


def holder_rows(roster: list, handbook: Handbook, role_id: str) -> list[tuple[str, date | None, date | None]]:
    names = role_names(handbook)
    return [(person, lo, hi) for person, role, lo, hi in roster if names.get(role.strip()) == role_id]


def entity_appearances(events: list[dict], scope) -> dict[str, dict]:
    """Entity → its first appearance: its first event that meets the scope's condition, if any."""
    firsts: dict[str, dict] = {}
    for e in events:
        member = member_of(scope, e)
        if member is None or member in firsts:
            continue
        if scope.when is None or condition_holds(scope.when, e["attrs"].get(scope.when.attribute)):
            firsts[member] = e
    return firsts


def occurrences(events: list[dict], process_id: str, ob: Obligation) -> list[tuple[str, dict]]:
    out = []
    for e in events:
        if e["kind"] == "obligation" and e["process"] == process_id and e["step"] == ob.id:
            member = member_of(ob.scope, e)
            if member is not None:
                out.append((member, e))
    return out


def obligation_findings(events, handbook: Handbook, as_of, start, roster, calendar, tz) -> list[Found]:
    found: list[Found] = []
    for process in handbook.processes:
        for ob in process.obligations:
            if ob.cadence.interval is None:
                found += calendar_obligation(events, handbook, process.id, ob, as_of, start, roster, calendar, tz)
            else:
                found += interval_obligation(events, handbook, process.id, ob, as_of, start, roster, calendar, tz)
    return found


def calendar_obligation(events, handbook, pid: str, ob: Obligation, as_of, start, roster, calendar, tz) -> list[Found]:
    scope = ob.scope
    occ = occurrences(events, pid, ob)
    if scope.kind == "entity":
        joined = {m: e["local_date"] for m, e in entity_appearances(events, scope).items()}
    found = []
    for period in periods(ob.cadence, start, as_of, calendar, tz, handbook.office):
        if scope.kind == "organisation":
            members = {ORGANISATION}
        elif scope.kind == "role":
            members = {
                person
                for person, lo, hi in holder_rows(roster, handbook, scope.role)
                if (lo is None or lo <= period.due_date) and (hi is None or period.due_date <= hi)
            }
        else:
            members = {m for m, day in joined.items() if period.start_date >= day}
        for member in members:
            inside = [e for m, e in occ if m == member and period.start <= e["ts"] < period.end]
            if not inside:
                found.append(Found("C201", pid, member, period.label, ob.id, ()))
            elif inside[0]["ts"] > period.due:
                at = inside[0]
                found.append(
                    Found("C202", pid, member, period.label, ob.id, (at["ref"],), seconds(at["ts"] - period.due))
                )
    return found


def interval_obligation(events, handbook, pid: str, ob: Obligation, as_of, start, roster, calendar, tz) -> list[Found]:
    scope = ob.scope
    watched: dict[str, tuple[dict, datetime]] = {}  # member → (first appearance, end of watch)
    if scope.kind == "organisation":
        if events:
            watched[ORGANISATION] = (events[0], as_of)
    elif scope.kind == "entity":
        watched = {m: (e, as_of) for m, e in entity_appearances(events, scope).items()}
    else:
        spans: dict[str, list[tuple[date | None, date | None]]] = {}
        for person, lo, hi in holder_rows(roster, handbook, scope.role):
            spans.setdefault(person, []).append((lo, hi))
        for person, rows in spans.items():
            lo = None if any(a is None for a, _ in rows) else min(a for a, _ in rows)
            hi = None if any(b is None for _, b in rows) else max(b for _, b in rows)
            mine = [
                e
                for e in events
                if e["performer"] == person
                and (lo is None or lo <= e["local_date"])
                and (hi is None or e["local_date"] <= hi)
            ]
            if mine:
                until = as_of if hi is None else min(as_of, local_midnight(hi + timedelta(days=1), tz))
                watched[person] = (mine[0], until)
    occ = occurrences(events, pid, ob)
    found = []
    for member, (appearance, until) in watched.items():
        points = {appearance["seq"]: appearance}
        for m, e in occ:
            if m == member and appearance["ts"] <= e["ts"] <= until:
                points[e["seq"]] = e
        ordered = sorted(points.values(), key=lambda e: (e["ts"], e["seq"]))
        for i, point in enumerate(ordered):
            following = ordered[i + 1] if i + 1 < len(ordered) else None
            end = following["ts"] if following else until
            if end <= start:
                continue
            limit = utc(shift(point["ts"], ob.cadence.interval, 1, calendar=calendar, tz=tz))
            if end > limit:
                period = f"{point['ts'].astimezone(tz).date()}/{end.astimezone(tz).date()}"
                refs = (point["ref"],) if following is None else (point["ref"], following["ref"])
                found.append(Found("C203", pid, member, period, ob.id, refs, seconds(end - limit)))
    return found
