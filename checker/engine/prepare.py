"""Prepare a batch of events: every event's (process, step) by its label, its roles, its local date.

Row by row only (no grouping across rows), so a batch can be prepared on its
own: by the local pipeline as it reads, or by a Spark executor. The columns
added are listed in ``checker.context``.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import polars as pl

from opsbook.model import Handbook, Step

_EMPTY = pl.lit([], dtype=pl.List(pl.Utf8))


def label_table(handbook: Handbook) -> pl.DataFrame:
    """Activity label → process, step (or obligation) id, kind."""
    rows = [
        (label, process.id, thing.id, "step" if isinstance(thing, Step) else "obligation")
        for label, (process, thing) in handbook.activity_index().items()
    ]
    schema = {"label": pl.Utf8, "process": pl.Utf8, "step": pl.Utf8, "kind": pl.Utf8}
    return pl.DataFrame(rows, schema=schema, orient="row")


def role_keys(handbook: Handbook) -> pl.DataFrame:
    """Every name a log may use for a role (id, title, alias) → the role id; ids win, then titles."""
    roles = handbook.roles
    rows = [(r.id, r.id) for r in roles] + [(r.title, r.id) for r in roles]
    rows += [(alias, r.id) for r in roles for alias in r.aliases]
    frame = pl.DataFrame(rows, schema={"key": pl.Utf8, "role_id": pl.Utf8}, orient="row")
    return frame.unique("key", keep="first", maintain_order=True)


def _as_role_id(frame: pl.DataFrame, column: str, keys: pl.DataFrame) -> pl.DataFrame:
    # An unknown name stays as given, so the authorisation rule can show it.
    mapped = frame.join(keys, left_on=column, right_on="key", how="left", maintain_order="left")
    return mapped.with_columns(pl.coalesce("role_id", column).alias(column)).drop("role_id")


def _roster_roles(frame: pl.DataFrame, roster: pl.DataFrame | None, keys: pl.DataFrame) -> pl.DataFrame:
    """(performer, local_date) → the role ids the roster gives the performer on that date."""
    schema = {"performer": pl.Utf8, "local_date": pl.Date, "_roster": pl.List(pl.Utf8)}
    if roster is None or roster.is_empty():
        return pl.DataFrame(schema=schema)
    roster = roster.with_columns(pl.lit(None, pl.Date).alias(c) for c in ("from", "to") if c not in roster.columns)
    # Per distinct person and day, not per event: a log has far fewer of those.
    days = frame.filter(pl.col("_given").is_null()).select("performer", "local_date").unique()
    held = days.join(roster.select(performer="person", role="role", valid_from="from", valid_to="to"), on="performer")
    day = pl.col("local_date")
    held = held.filter(
        (pl.col("valid_from").is_null() | (pl.col("valid_from") <= day))
        & (pl.col("valid_to").is_null() | (pl.col("valid_to") >= day))
    )
    held = _as_role_id(held, "role", keys)
    return held.group_by("performer", "local_date").agg(_roster=pl.col("role").drop_nulls().unique().sort())


def prepare(
    events: pl.DataFrame, handbook: Handbook, *, roster: pl.DataFrame | None, tz: ZoneInfo, sort: bool = True
) -> pl.DataFrame:
    """Add process, step, kind, roles and local_date (see checker.context); sort by (ts, seq) unless told not to."""
    if isinstance(events, pl.LazyFrame):
        events = events.collect()
    keys = role_keys(handbook)
    given = pl.col("role").str.strip_chars()
    frame = events.with_columns(
        _label=pl.col("activity").str.strip_chars(),
        local_date=pl.col("ts").dt.convert_time_zone(str(tz)).dt.date(),
        _given=pl.when(given != "").then(given),
    ).join(label_table(handbook), left_on="_label", right_on="label", how="left", maintain_order="left")
    frame = _as_role_id(frame, "_given", keys)
    frame = frame.join(
        _roster_roles(frame, roster, keys), on=["performer", "local_date"], how="left", maintain_order="left"
    )
    roles = pl.when(pl.col("_given").is_not_null()).then(pl.concat_list("_given")).otherwise(pl.col("_roster"))
    frame = frame.with_columns(roles=roles.fill_null(_EMPTY)).drop("_label", "_given", "_roster")
    return frame.sort("ts", "seq") if sort else frame
