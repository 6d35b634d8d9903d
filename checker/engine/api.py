"""The engine's entry points: pure functions from events and a setting to a findings table.

Written once for every engine. The local pipeline (``checker.pipeline``) calls
them bucket by bucket; a Spark job calls the same functions on the Arrow
batches of one case bucket (``groupBy(bucket).applyInArrow``), with the
``Setting`` broadcast. Nothing here reads files, prints or keeps state between
calls.

- ``check_cases(events, setting)`` — the case rules (``SCOPE = "case"``) over
  the step events of *whole* cases: every event of a case must be in the same
  call. Returns a findings table (``FINDINGS_SCHEMA``), sorted.
- ``case_witnesses(events, setting)`` — the rows of those same events that the
  log rules need (first appearances of obligation scope members); keep them
  and pass them to ``check_log``.
- ``check_log(events, setting)`` — the log rules (``SCOPE = "log"``) over the
  events that are not step events (obligations, unknown labels) plus every
  bucket's witnesses. Returns a findings table, sorted.

``events`` are prepared events (``prepare_events`` or ``checker.engine.prepare``;
columns in ``checker.context``) in any order; events after ``setting.as_of``
are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import polars as pl

from checker.context import Context
from checker.finding import Finding
from opsbook.calendar import WorkCalendar
from opsbook.diff.editions import RoleReleases
from opsbook.model import Handbook

from . import frames, merge
from .prepare import prepare


@dataclass(frozen=True)
class Setting:
    """What every call needs besides the events; small and picklable (broadcast once to executors)."""

    handbook: Handbook
    as_of: datetime  # aware: the instant the audit is run for
    start: datetime  # aware: the log's earliest event, or --from
    calendar: WorkCalendar
    tz: ZoneInfo
    roster: pl.DataFrame | None = None  # person, role, from, to (see checker.roster)
    codes: frozenset[str] | None = None  # the rules to run; None = all
    releases: RoleReleases | None = None  # the releases that changed each role (attestation rules C204/C205)

    def context(self, events: pl.DataFrame) -> Context:
        """The rules' view of ``events``: those at or before the as-of time, in (ts, seq) order. Events
        already so (``context(events).events``) are used as they are, without a copy: a caller that checks,
        witnesses and observes one bucket orders it once."""
        as_of = self.as_of.astimezone(UTC)
        late = events.height and events["ts"].max() > as_of
        known = events.filter(pl.col("ts") <= as_of) if late else events  # a filter copies every column
        if not _in_order(known):  # logs mostly come in time order
            known = known.sort("ts", "seq")
        return Context(self.handbook, known, self.as_of, self.start, self.calendar, self.tz, self.roster, self.releases)

    def chosen(self, scope: str) -> set[str]:
        from checker.rules import codes_of  # the rules import this package

        codes = codes_of(scope)
        return codes if self.codes is None else codes & self.codes


def _in_order(events: pl.DataFrame) -> bool:
    """True when ``events`` are already sorted by (ts, seq)."""
    later = pl.col("ts").diff() > pl.duration(microseconds=0)
    same = (pl.col("ts").diff() == pl.duration(microseconds=0)) & (pl.col("seq").diff() > 0)
    return events.height < 2 or events.select((later | same).slice(1).all()).item()


def prepare_events(events: pl.DataFrame, setting: Setting) -> pl.DataFrame:
    """The reader's event table (``checker.events``) → prepared events, row by row (any batch)."""
    return prepare(events, setting.handbook, roster=setting.roster, tz=setting.tz, sort=False)


def check_cases(events: pl.DataFrame, setting: Setting) -> pl.DataFrame:
    """Findings of the case rules over the step events of whole cases (see the module doc)."""
    return run_frame(setting.context(events), setting.chosen("case"))


def case_witnesses(events: pl.DataFrame, setting: Setting) -> pl.DataFrame:
    """The rows of ``events`` (step events of whole cases) that ``check_log`` needs from them."""
    from checker import periods  # periods imports this package

    return periods.witnesses(setting.context(events))


def check_log(events: pl.DataFrame, setting: Setting) -> pl.DataFrame:
    """Findings of the log rules over the non-step events plus all witnesses (duplicates by seq are ignored)."""
    return run_frame(setting.context(events.unique("seq", keep="first")), setting.chosen("log"))


def _rules(codes: set[str] | None):
    from checker.rules import REGISTRY  # the rules import this package

    unknown = sorted((codes or set()) - REGISTRY.keys())
    if unknown:
        raise ValueError(f"unknown rule code(s): {', '.join(unknown)}; known: {', '.join(REGISTRY)}")
    return [rule for code, rule in REGISTRY.items() if codes is None or code in codes]


def run_frame(ctx: Context, codes: set[str] | None = None) -> pl.DataFrame:
    """Every registered rule (or those in ``codes``) over ``ctx``: a sorted findings table."""
    tables = []
    for rule in _rules(codes):
        found = rule.check(ctx)  # a findings table; Finding values from an older rule are converted
        if not isinstance(found, pl.DataFrame):
            found = frames.to_frame(found)
        tables.append(found if found.schema == frames.FINDINGS_SCHEMA else frames.conform(found))
    return merge.sorted_from(tables)


def run(ctx: Context, codes: set[str] | None = None) -> list[Finding]:
    """``run_frame`` as ``Finding`` values, in report order."""
    return list(frames.to_findings(run_frame(ctx, codes)))


def findings(tables: Iterable[pl.DataFrame]) -> list[Finding]:
    """Several findings tables (e.g. one per bucket) as ``Finding`` values, in report order."""
    return list(frames.to_findings(merge.sorted_from(list(tables))))
