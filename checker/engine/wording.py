"""Parts of findings' texts and keys shared by several rules: event details, local times, deadlines."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import polars as pl

from checker.finding import Text, text
from opsbook.model import Step


def event_detail(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``detail``: an event's key part, its instant (UTC) and performer, "#n" for the n-th twin.

    Row numbers and row order are not part of it, so the key survives a re-export of the log.
    """
    base = pl.format("{}/{}", pl.col("ts").dt.strftime("%Y-%m-%dT%H:%M:%S%.fZ"), pl.col("performer").fill_null(""))
    twin = pl.int_range(pl.len()).over("process", "case_id", "step", base)
    return frame.with_columns(detail=pl.when(twin > 0).then(pl.format("{}#{}", base, twin + 1)).otherwise(base))


def local_text(instant: datetime, tz: ZoneInfo, *, end_of_day: bool = False) -> str:
    """'2024-03-05 14:30' in ``tz``; with end_of_day, midnight reads as '24:00' of the day before."""
    local = instant.astimezone(tz)
    if end_of_day and local.time() == time(0):
        return f"{local.date() - timedelta(days=1)} 24:00"
    return local.strftime("%Y-%m-%d %H:%M:%S" if local.second else "%Y-%m-%d %H:%M")


def deadline_text(step: Step, limit: datetime, tz: ZoneInfo) -> Text:
    """E.g. 'by 2024-03-08 24:00 (3 workdays from 起草合同)', as a catalogue text."""
    deadline = step.deadline
    when = local_text(limit, tz, end_of_day=deadline.duration.unit == "workdays")
    return text(
        f"expected.deadline-{deadline.kind}",
        limit=when,
        amount=deadline.duration.amount,
        unit=deadline.duration.unit,
        anchor_kind=deadline.anchor.kind,
        anchor=deadline.anchor.ref,
    )
