"""XES (IEEE 1849) and gzipped XES → a raw frame with XES keys as columns, streamed.

The file is read with ``iterparse`` and every finished trace is cleared, so the
XML tree never grows beyond one trace. Each event becomes a row whose columns
are its attribute keys (``concept:name``, ``time:timestamp``, ``org:resource``,
``org:role``, ``org:group``, ...) plus its trace's attributes as
``case:<key>`` (the trace's ``concept:name`` is ``case:concept:name``, as in
tabular XES exports), so the normaliser treats XES like any XES-style table.
Values stay text as written. Only attributes directly on a trace or an event
count; nested attributes (children of an attribute, lists) are ignored. Rows
are collected in batches of plain text columns, never as XML.

``ROW`` is the 1-based event index across the file.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from xml.etree import ElementTree

import polars as pl

from .errors import LogError, first_line
from .tabular import ROW

_ATTRIBUTES = {"string", "date", "int", "float", "boolean", "id", "list", "container"}
_BATCH = 50_000


def read_xes_raw(path: Path) -> pl.DataFrame:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            frames = list(_batches(handle))
    except ElementTree.ParseError as exc:
        line, column = exc.position
        reason = first_line(exc).partition(": line ")[0]  # the position is reported separately
        raise LogError(path, f"broken XML at column {column}: {reason}", line=line) from None
    except (EOFError, zlib.error, OSError, UnicodeDecodeError, LookupError) as exc:  # LookupError: unknown encoding
        raise LogError(path, f"unreadable XES: {first_line(exc)}") from None
    if not frames:
        return pl.DataFrame({ROW: pl.Series([], dtype=pl.Int64), "concept:name": [], "time:timestamp": []})
    return pl.concat(frames, how="diagonal")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _batches(handle):
    """Yield frames of up to _BATCH events, in file order."""
    stack: list[str] = []
    trace: dict[str, str] = {}
    pending: list[dict[str, str]] = []  # events of the current trace, waiting for its attributes
    event: dict[str, str] = {}
    batch: list[dict[str, str]] = []
    index = 0
    root = None
    for kind, element in ElementTree.iterparse(handle, events=("start", "end")):
        tag = _local(element.tag)
        if kind == "start":
            if root is None:
                root = element
            stack.append(tag)
            if tag == "trace":
                trace, pending = {}, []
            elif tag == "event":
                event = {}
            continue
        stack.pop()
        parent = stack[-1] if stack else None
        if tag in _ATTRIBUTES and parent in ("event", "trace"):
            key, value = element.get("key"), element.get("value")
            if key is not None and value is not None:
                (event if parent == "event" else trace)[key] = value
        elif tag == "event":
            index += 1
            event[ROW] = index
            if parent == "trace":
                pending.append(event)
            else:
                batch.append(event)
        elif tag == "trace":
            case = {f"case:{k}": v for k, v in trace.items()}
            batch.extend({**e, **case} for e in pending)
            pending = []
            root.clear()  # drop finished traces so memory stays bounded
            if len(batch) >= _BATCH:
                yield _frame(batch)
                batch = []
    if batch:
        yield _frame(batch)


def _frame(rows: list[dict]) -> pl.DataFrame:
    keys = dict.fromkeys(k for row in rows for k in row)
    schema = {k: (pl.Int64 if k == ROW else pl.Utf8) for k in keys}
    return pl.from_dicts(rows, schema=schema)
