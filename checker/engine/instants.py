"""Instants and deadline limits, column-wise (SPEC-checker §3).

``localize`` turns local wall times into UTC instants as ``zoneinfo`` does
(fold=0), the one rule for every local time the checker builds: deadline
limits here, period bounds in ``checker.periods``.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import polars as pl

from opsbook.calendar import WorkCalendar

_SECONDS = {"minutes": 60, "hours": 3600, "days": 86_400, "weeks": 604_800}
_INSTANT = (
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?P<f>\.\d{1,9})?)?)?"
    r"\s*(?P<off>Z|[+-]\d{2}:?\d{2})?$"
)


def localize(naive: pl.Expr, zone: str) -> pl.Expr:
    """Local wall time → UTC instant, resolved as zoneinfo does (fold=0), like durations.shift."""
    exact = naive.dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
    # In a gap, fold=0 reads the wall time with the offset in force before the gap.
    day_before = naive - pl.duration(days=1)
    before_utc = day_before.dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
    offset = day_before - before_utc.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    fallback = (naive - offset).dt.replace_time_zone("UTC")
    return pl.coalesce(exact.dt.convert_time_zone("UTC"), fallback)


def parse_instant(text: pl.Expr, zone: str) -> pl.Expr:
    """A date or date-time text → UTC instant; no offset = local time, a date alone = 00:00; else null."""
    part = text.str.strip_chars().str.replace_all("/", "-").str.extract_groups(_INSTANT).struct.field
    naive = pl.format(
        "{}-{}-{} {}:{}:{}{}",
        part("y"),
        part("m").str.zfill(2),
        part("d").str.zfill(2),
        part("H").fill_null("0").str.zfill(2),
        part("M").fill_null("00"),
        part("S").fill_null("00"),
        part("f").fill_null(""),
    ).str.to_datetime("%Y-%m-%d %H:%M:%S%.f", strict=False, time_unit="us")
    off = part("off").str.replace(":", "")
    sign = pl.when(off.str.starts_with("-")).then(-1).otherwise(1)
    hhmm = off.str.slice(1, 2).cast(pl.Int64) * 3600 + off.str.slice(3, 2).cast(pl.Int64) * 60
    offset = pl.when(off == "Z").then(0).otherwise(sign * hhmm)
    fixed = (naive - pl.duration(seconds=offset)).dt.replace_time_zone("UTC")
    return pl.when(off.is_null()).then(localize(naive, zone)).otherwise(fixed)


def add_limits(frame: pl.DataFrame, tz: ZoneInfo, calendar: WorkCalendar) -> pl.DataFrame:
    """Add ``limit`` = anchor_at shifted by sign × amount unit (columns of ``frame``), as durations.shift.

    Raises CalendarRangeError when a workday limit leaves the calendar's years.
    """
    zone, unit, anchor = str(tz), pl.col("unit"), pl.col("anchor_at")
    signed = pl.col("amount") * pl.col("sign")
    local = anchor.dt.convert_time_zone(zone).dt.replace_time_zone(None)
    workday = (unit == "workdays") & anchor.is_not_null()
    picked = frame.select(date=pl.when(workday).then(local.dt.date()), n=pl.when(workday).then(signed))
    frame = frame.with_columns(_last=calendar.shift_workdays(picked["date"], picked["n"]))
    seconds = unit.replace_strict(_SECONDS, default=None, return_dtype=pl.Int64)
    limit = (
        pl.when(unit.is_in(list(_SECONDS)))
        .then(anchor + pl.duration(seconds=seconds * signed))
        .when(unit == "months")
        .then(localize(local.dt.offset_by(pl.format("{}mo", signed)), zone))
        .when(unit == "workdays")  # 24:00 of the last working day is 00:00 of the next day
        .then(localize((pl.col("_last") + pl.duration(days=1)).cast(pl.Datetime("us")), zone))
    )
    return frame.with_columns(limit=limit).drop("_last")
