"""What every rule receives: the prepared event table and the audit's settings.

``events`` is the reader's table (see ``checker.events``) prepared by
``checker.engine.prepare``, which adds:

| column | type | meaning |
|---|---|---|
| process | Utf8, nullable | the process whose step or obligation the activity records; null when unknown |
| step | Utf8, nullable | the step or obligation id; null when the label maps to nothing |
| kind | Utf8, nullable | "step", "obligation", or null (unknown label) |
| roles | List(Utf8) | role ids the performer held for this event: the log's own role (title, alias or id mapped to an id) when present, else the roster's roles valid on the event's local date; empty = unknown |
| local_date | Date | the event's date in the handbook's time zone |

The table is sorted by (ts, seq), so "first" and ties are deterministic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import polars as pl

from opsbook.calendar import WorkCalendar
from opsbook.diff.editions import RoleReleases
from opsbook.model import Handbook


@dataclass(frozen=True)
class Context:
    handbook: Handbook
    events: pl.DataFrame
    as_of: datetime  # aware; the instant the audit is run for
    start: datetime  # aware; the earliest event, or --from
    calendar: WorkCalendar
    tz: ZoneInfo
    roster: pl.DataFrame | None = None  # person, role (id), from (Date, null = open), to (Date, null = open)
    releases: RoleReleases | None = None  # the releases that changed each role (attestation rules C204/C205)
    # Tables derived from this context (``derived``); not an argument, so a context made with ``replace``
    # starts without them, and each bucket's context has its own.
    tables: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def derived(self, key: tuple, compute: Callable[[], pl.DataFrame]) -> pl.DataFrame:
        """``compute()``, once for all rules while it is small: C201 and C202 both read every obligation's
        ``calendar_status``, obligations share cadences, and every scope and obligation reads the known
        events (checker.periods), half the obligation rules' time on a small log. A table over
        ``KEEP_ROWS`` is made again when asked for: kept, every obligation's would add up on a large log."""
        if key in self.tables:
            return self.tables[key]
        table = compute()
        if table.height <= KEEP_ROWS:
            self.tables[key] = table
        return table


KEEP_ROWS = 10_000
