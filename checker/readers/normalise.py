"""A raw frame (a file's own columns) + the column mapping → event rows and rejected rows.

Column choice per field: the header the mapping names (it must exist), else the
default names below, ours first, then the XES keys; when several defaults are
present, the first non-empty value per row wins. Every other column is kept as
``attr:<header>``; mapped attributes become ``attr:<name>``. Values are text,
stripped, with empty text as null.

Rejections (one per row, found with column expressions): no activity → field
``activity``; a missing or unreadable timestamp → field ``timestamp`` with the
raw value in the reason. Rows without a case id are *not* rejected here:
obligation rows (reports, meetings) need none, and only the engine knows which
labels are steps, so it rejects step rows without a case id. A row whose every
field is empty or blank is no row of the log: it is skipped and not counted
(the other rows keep their file row numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from checker.events import ATTR_PREFIX, Rejected

from .encoding import UNDECODABLE, reason
from .errors import LogError, first_line
from .tabular import ROW
from .timestamps import with_instant

if TYPE_CHECKING:
    from checker.mapping import Mapping

DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "case_id": ("case_id", "case:concept:name"),
    "activity": ("activity", "concept:name"),
    "timestamp": ("timestamp", "time:timestamp"),
    "performer": ("performer", "org:resource"),
    "role": ("role", "org:role", "org:group"),
    "id": (),
}
REQUIRED = ("activity", "timestamp")
_TS_TEXT = "__timestamp_text__"
_UNREAD = "__unread__"
_SHOWN = 80  # characters of a bad value quoted in a reason
_GLUED = re.compile(r"[0-9A-Za-z+().\- ]")


@dataclass(frozen=True)
class Normalised:
    events: pl.DataFrame  # the events.py columns except seq
    rejected: list[Rejected]
    rows_read: int
    unusable: pl.DataFrame  # the rejected rows as read, same columns (--redact must know their ids)


def normalise(raw: pl.DataFrame, *, path: Path, label: str, mapping: Mapping | None, tz: str) -> Normalised:
    schema = raw.schema
    headers = [c for c in raw.columns if c not in (ROW, UNDECODABLE)]
    chosen = _choose(path, headers, mapping)
    attributes = list(mapping.attributes) if mapping else []
    consumed = {h for hs in chosen.values() for h in hs} | {h for _, h in attributes}
    attributes += [(h, h) for h in headers if h not in consumed]
    _check_attribute_names(path, attributes)

    # Each cell as stripped text, made once; not a timestamp column that is already a time (its text only
    # explains a rejection, so it is made for those rows only).
    native = {c for c in chosen["timestamp"] if schema[c].is_temporal()}
    texts = {h: f"__text{i}__" for i, h in enumerate(headers) if h not in native}

    def pick(field: str) -> pl.Expr:
        columns = chosen[field]
        if not columns:
            return pl.lit(None, pl.Utf8)
        return pl.coalesce([pl.col(texts[c]) for c in columns])

    position = pl.format("{}:{}", pl.lit(label), pl.col(ROW))
    instants = [f"__instant{i}__" for i, _ in enumerate(chosen["timestamp"])]
    originals = [f"__timestamp{i}__" for i, _ in enumerate(chosen["timestamp"])]
    try:
        keep = [c for c in (ROW, UNDECODABLE, *chosen["timestamp"]) if c in schema]
        raw = raw.select(*keep, *[_text(h, schema[h]).alias(t) for h, t in texts.items()])
        if headers:  # a cell is blank when its text is (a number, time or truth value only when null)
            raw = raw.filter(~pl.all_horizontal([pl.col(texts.get(h, h)).is_null() for h in headers]))
        for column, alias in zip(chosen["timestamp"], instants, strict=True):
            raw = with_instant(raw, column, tz, alias)
        frame = raw.select(
            (pl.coalesce(pick("id"), position) if chosen["id"] else position).alias("ref"),
            pick("case_id").alias("case_id"),
            pick("activity").alias("activity"),
            pl.coalesce(instants).alias("ts"),
            pick("performer").alias("performer"),
            pick("role").alias("role"),
            *[pl.col(texts[h]).alias(ATTR_PREFIX + name) for name, h in attributes],
            *[pl.col(texts.get(c, c)).alias(a) for c, a in zip(chosen["timestamp"], originals, strict=True)],
            (pl.col(UNDECODABLE) if UNDECODABLE in raw.columns else pl.lit(None, pl.Utf8)).alias(_UNREAD),
        )
        unusable = pl.col("activity").is_null() | pl.col("ts").is_null() | pl.col(_UNREAD).is_not_null()
        # The timestamp's text is only needed to explain a rejection.
        shown = pl.coalesce(
            [
                _text(a, frame.schema[a]) if c in native else pl.col(a)
                for c, a in zip(chosen["timestamp"], originals, strict=True)
            ]
        )
        bad = frame.filter(unusable).select("ref", "activity", shown.alias(_TS_TEXT), _UNREAD)
    except pl.exceptions.PolarsError as exc:
        raise LogError(path, f"cannot read the columns as text: {first_line(exc)}") from None
    rejected = [_rejection(ref, activity, text, unread) for ref, activity, text, unread in bad.iter_rows()]
    events = frame.filter(~unusable).drop(*originals, _UNREAD)
    kept = frame.filter(unusable & pl.col(_UNREAD).is_null()).drop(*originals, _UNREAD)
    return Normalised(events=events, rejected=rejected, rows_read=frame.height, unusable=kept)


def _choose(path: Path, headers: list[str], mapping: Mapping | None) -> dict[str, list[str]]:
    """Field → the column(s) it is read from; a mapped header that is absent is an error."""
    present = set(headers)
    chosen: dict[str, list[str]] = {}
    missing: list[str] = []
    for field, defaults in DEFAULT_COLUMNS.items():
        header = mapping.header(field) if mapping else None
        if header:
            chosen[field] = [header] if header in present else []
            if header not in present:
                missing.append(f"{header!r} ({field})")
        else:
            chosen[field] = [c for c in defaults if c in present]
    for name, header in mapping.attributes if mapping else ():
        if header not in present:
            missing.append(f"{header!r} (attribute {name})")
    if missing:
        raise LogError(path, f"column(s) named by the mapping not found: {', '.join(missing)}")
    absent = [field for field in REQUIRED if not chosen[field]]
    if len(absent) == 1:
        expected = " or ".join(repr(c) for c in DEFAULT_COLUMNS[absent[0]])
        raise LogError(path, f"no {absent[0]} column: expected {expected}, or name the column in the mapping")
    if absent:  # every missing column in one message, not one per run
        expected = "; ".join(f"{field}: " + " or ".join(repr(c) for c in DEFAULT_COLUMNS[field]) for field in absent)
        raise LogError(path, f"no {', '.join(absent)} columns (expected {expected}), or name them in the mapping")
    return chosen


def _check_attribute_names(path: Path, attributes: list[tuple[str, str]]) -> None:
    seen: dict[str, str] = {}
    for name, header in attributes:
        if name in seen:
            raise LogError(path, f"column {header!r} and mapped attribute {name!r} would both be {ATTR_PREFIX}{name}")
        seen[name] = header


def _text(name: str, dtype: pl.DataType) -> pl.Expr:
    column = pl.col(name)
    if isinstance(dtype, pl.Datetime):
        column = column.dt.to_string("%Y-%m-%d %H:%M:%S%.f" + ("%:z" if dtype.time_zone else ""))
    elif isinstance(dtype, pl.Struct):
        column = column.struct.json_encode()
    elif isinstance(dtype, pl.List | pl.Array):
        column = column.cast(pl.List(pl.Utf8)).list.join(", ")
    else:
        column = column.cast(pl.Utf8)
    column = column.str.strip_chars()
    return pl.when(column != "").then(column)


def _rejection(ref: str, activity: str | None, text: str | None, unread: str | None = None) -> Rejected:
    if unread is not None:  # a line in another encoding: its fields are not the text it holds
        return Rejected(ref, "encoding", reason(unread))
    if activity is None:
        return Rejected(ref, "activity", "no activity")
    if text is None:
        return Rejected(ref, "timestamp", "no timestamp")
    return Rejected(ref, "timestamp", f"unreadable timestamp {_shortened(text)!r}")


def _shortened(text: str) -> str:
    """At most ``_SHOWN`` characters, not ending inside a number or a Latin word: half a phone number
    or id is no longer recognised by --redact, so the cut moves back to before it (but keeps at least
    half of ``_SHOWN``; a longer run is cut where it must be)."""
    if len(text) <= _SHOWN:
        return text
    cut = _SHOWN
    while _GLUED.match(text, cut) and cut > _SHOWN // 2 and _GLUED.match(text, cut - 1):
        cut -= 1
    return text[:cut] + "…"
