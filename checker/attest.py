"""Confirmations of the role page (SPEC extension, docs/checker-semantics.md "岗位说明书阅读确认").

Each holder of a role (from the roster) must confirm the version of their role
page that applies to them: the latest release that changed the role when they
start it, and every release that changes it while they hold it. Each such
*requirement* is due ``within`` after the later of the role's start (roster
``from``) and the release's date, counted from 00:00 of that day. A
confirmation is an event of the obligation by that person, while they hold the
role (or with no known role), naming in the ``version`` attribute the required
release or a later one; an older or unknown version does not count.

Requirements whose start day is before the audit's start (the log's first event
or ``--from``) are not evaluated (the log cannot show what happened before it),
nor those of a person who left the role before the due point; those begun but
not yet due at the as-of time are *open* (C206 lists the unconfirmed ones). Without a roster, or without releases, there is nothing
to evaluate. The instances are few (people × roles × releases): plain Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import polars as pl

from checker import engine
from checker.context import Context
from checker.events import ATTR_PREFIX
from checker.finding import Finding, Text, text
from checker.periods import obligations
from opsbook import urls
from opsbook.durations import shift
from opsbook.model import Obligation, Process


@dataclass(frozen=True)
class Requirement:
    person: str
    role: str
    version: str  # the release to confirm (or a later one)
    anchor: date  # the later of the role's start and the release's date
    since: str  # "start" or "release": which of the two it is
    due: datetime  # aware, in the handbook's time zone
    confirmed: tuple | None  # (ts, ref, version) of the first qualifying confirmation, or None
    others: tuple[tuple, ...]  # (ts, ref, version) of the person's confirmations that do not qualify
    open: bool = False  # not yet due at the as-of time (C206 lists it while unconfirmed)


def _tenures(ctx: Context) -> dict[tuple[str, str], tuple[date | None, date | None]]:
    """(person, role) → (earliest from, latest to); None is open."""
    found: dict[tuple[str, str], tuple[date | None, date | None]] = {}
    for person, role, start, end in ctx.roster.select("person", "role", "from", "to").iter_rows():
        if (person, role) in found:
            a, b = found[(person, role)]
            start = None if a is None or start is None else min(a, start)
            end = None if b is None or end is None else max(b, end)
        found[(person, role)] = (start, end)
    return found


def _confirmations(ctx: Context, process_id: str, ob: Obligation) -> pl.DataFrame:
    """The confirmations known at the as-of time: person, ts, seq, ref, version, its rank, the roles held."""
    mine = (pl.col("kind") == "obligation") & (pl.col("process") == process_id) & (pl.col("step") == ob.id)
    events = ctx.events.filter(mine & (pl.col("ts") <= ctx.as_of.astimezone(UTC)))
    column = ATTR_PREFIX + ob.cadence.confirm_version
    version = pl.col(column).str.strip_chars() if column in events.columns else pl.lit(None, pl.Utf8)
    ranks = {v: i for i, v in enumerate(ctx.releases.order)}
    return events.select(
        person=pl.col("performer"),
        at=pl.col("ts"),
        seq=pl.col("seq"),
        ref=pl.col("ref"),
        confirmed=version,
        confirmed_rank=version.replace_strict(ranks, default=-1, return_dtype=pl.Int64),
        held=pl.col("roles"),
    )


def _required(versions: tuple[str, ...], dates: dict[str, date], start: date | None) -> list[str]:
    """The release current when the role starts (if it changed the role) and each later one that changes it."""
    before = [v for v in versions if start is not None and dates[v] <= start]
    return before[-1:] + [v for v in versions if start is None or dates[v] > start]


def _due(ctx: Context, ob: Obligation) -> list[dict]:
    """One row per requirement begun in the audit by the as-of time (no confirmation looked at yet)."""
    releases, rows = ctx.releases, []
    first_day, last_day = (moment.astimezone(ctx.tz).date() for moment in (ctx.start, ctx.as_of))
    for (person, role), (start, end) in sorted(_tenures(ctx).items()):
        # releases after the as-of day begin no requirement (the anchor is at or after the release): not read
        for version in _required(releases.for_role(role, until=last_day), releases.dates, start):
            released = releases.dates[version]
            anchor = max(start, released) if start else released
            if not first_day <= anchor <= last_day:
                continue
            opening = datetime.combine(anchor, time(0), tzinfo=ctx.tz)
            due = shift(opening, ob.cadence.confirm_within, 1, calendar=ctx.calendar, tz=ctx.tz)
            if end is not None and datetime.combine(end + timedelta(days=1), time(0), tzinfo=ctx.tz) <= due:
                continue  # left the role before it was due
            rows.append({
                "person": person, "role": role, "version": version, "rank": releases.rank(version), "anchor": anchor,
                "since": "release" if start is None or released >= start else "start",
                "due": due.astimezone(UTC), "open": due > ctx.as_of,
            })  # fmt: skip
    return rows


def requirements(ctx: Context, process_id: str, ob: Obligation) -> list[Requirement]:
    """Every requirement begun by the as-of time (``open`` when not yet due), with the confirmation that meets it."""
    if ctx.roster is None or ctx.releases is None or not ctx.releases.order:
        return []
    rows = _due(ctx, ob)
    if not rows:
        return []
    due = pl.DataFrame(rows, schema_overrides={"due": pl.Datetime("us", "UTC")}).with_row_index("n")
    # A confirmation counts for a role when the person held it then (or no role is known for the event).
    pairs = due.join(_confirmations(ctx, process_id, ob), on="person", how="inner").filter(
        (pl.col("held").list.len() == 0) | pl.col("held").list.contains(pl.col("role"))
    )
    good = pairs.filter(pl.col("confirmed_rank") >= pl.col("rank")).sort("at", "seq").group_by("n").first()
    older = pairs.filter(pl.col("confirmed_rank") < pl.col("rank")).sort("at", "seq")
    older = older.group_by("n").agg(pl.struct("at", "ref", "confirmed").alias("others"))
    table = due.join(good.select("n", "at", "ref", "confirmed"), on="n", how="left").join(older, on="n", how="left")
    found = []
    for row in table.sort("n").iter_rows(named=True):
        confirmed = (row["at"], row["ref"], row["confirmed"]) if row["at"] is not None else None
        others = tuple((o["at"], o["ref"], o["confirmed"]) for o in row["others"] or ())
        found.append(Requirement(row["person"], row["role"], row["version"], row["anchor"], row["since"],
                                 row["due"], confirmed, others, row["open"]))  # fmt: skip
    return found


def local(instant: datetime, ctx: Context, *, end_of_day: bool = False) -> str:
    """As the other rules write times: '2026-03-05 12:00', a due point at midnight as '2026-03-09 24:00'."""
    return engine.local_text(instant, ctx.tz, end_of_day=end_of_day)


def expected(req: Requirement, ctx: Context) -> Text:
    """The expected text of both rules: which version of which role page, by when, counted from what."""
    return text(f"expected.confirm-after-{req.since}", roles=(req.role,), version=req.version,
                anchor=str(req.anchor), due=local(req.due, ctx, end_of_day=True))  # fmt: skip


def applies(obligation: Obligation) -> bool:
    """The rule checks an obligation to confirm reading a role's page (``confirm_within``)."""
    return obligation.cadence.kind == "confirm"


def each(ctx: Context) -> Iterator[tuple[Process, Obligation, Requirement]]:
    """Every confirmation obligation's requirements: what C204, C205 and C206 each select from."""
    for process, ob in obligations(ctx.handbook, "confirm"):
        for req in requirements(ctx, process.id, ob):
            yield process, ob, req


def finding(
    new: Callable[..., Finding],
    ctx: Context,
    process: Process,
    ob: Obligation,
    req: Requirement,
    actual: Text,
    refs: tuple[str, ...],
    lateness_seconds: int | None = None,
) -> Finding:
    """One finding per person, role and version, in the shape all three rules share (key: person and version)."""
    return new(
        clause=urls.obligation(process.id, ob.id),
        process=process.id,
        step=ob.id,
        scope=req.person,
        period=req.version,
        detail=f"{req.role} {req.version}",
        expected=expected(req, ctx),
        actual=actual,
        lateness_seconds=lateness_seconds,
        event_refs=refs,
        performers=(req.person,),
    )
