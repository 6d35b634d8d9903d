"""The log file, written chunk by chunk: CSV, JSON Lines, Parquet (row groups) or XES (streamed XML).

Every format has the checker's default names: ``case_id``, ``activity``,
``timestamp``, ``performer``, ``role`` (XES: ``case:concept:name`` from the
trace's ``concept:name``, ``concept:name``, ``time:timestamp``,
``org:resource``, ``org:role``), then ``performer_name`` and the case
attributes as plain columns (XES: event attributes, so they keep their names).

``order`` numbers a chunk's rows the way its format will be read: tabular
formats by time (then generation order), XES trace by trace (each case's events
by time, then one trace without a case id holding the chunk's reports,
meetings and visits). ``Renderer`` turns a chunk into bytes (or a Parquet row
group) wherever the chunk was made; ``Sink`` appends them to the one file. Text
timestamps are local time in a mix of the common forms, as exports from several
systems are; Parquet has a timestamp column (local, no zone).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from xml.sax.saxutils import escape

from .clock import DAY, Clock
from .evaluate import Ev
from .rand import Stream
from .roster import Roster

BASE = ("case_id", "activity", "timestamp", "performer", "role", "performer_name")


def order(fmt: str, cases: list[list[Ev]], loose: list[Ev]) -> list[list[Ev]]:
    """Number the chunk's rows from 1; the groups to write (one per XES trace, else one)."""
    if fmt == "xes":
        groups = [sorted(events, key=lambda e: (e.t, e.n)) for events in cases if events]
        if loose:
            groups.append(sorted(loose, key=lambda e: (e.t, e.n)))
    else:
        groups = [sorted([e for events in cases for e in events] + loose, key=lambda e: (e.t, e.n))]
    row = 1
    for group in groups:
        for e in group:
            e.row = row
            row += 1
    return groups


class Renderer:
    def __init__(self, fmt: str, attributes: list[str], clock: Clock, roster: Roster) -> None:
        self.fmt, self.attributes, self.clock, self.roster = fmt, attributes, clock, roster
        self.columns = [*BASE, *attributes]
        sign = "+" if clock.offset >= 0 else "-"
        self.offset = f"{sign}{abs(clock.offset) // 3600:02d}:{abs(clock.offset) // 60 % 60:02d}"
        self._slash: dict[int, str] = {}
        self._tods: dict[int, str] = {}
        self._values: dict[int, list[str]] = {}

    def person(self, e: Ev) -> tuple[str, str]:
        p = self.roster.people[e.person] if e.person >= 0 else self.roster.externals[-1 - e.person]
        return p.id, p.name

    def _clock_text(self, t: int) -> str:
        tod = t % DAY
        text = self._tods.get(tod)
        if text is None:
            text = self._tods[tod] = f"{tod // 3600:02d}:{tod // 60 % 60:02d}:{tod % 60:02d}"
        return text

    def timestamp(self, t: int, u: float) -> str:
        day = t // DAY
        if u < 0.8:
            return f"{self.clock.day_text(day)} {self._clock_text(t)}"
        if u < 0.92:
            slash = self._slash.get(day)
            if slash is None:
                d = self.clock.date_of(day)
                slash = self._slash[day] = f"{d.year}/{d.month}/{d.day}"
            return f"{slash} {self._clock_text(t)}"
        return f"{self.clock.day_text(day)}T{self._clock_text(t)}{self.offset}"

    def _attribute_values(self, attrs: dict | None) -> list[str]:
        if not attrs:
            return [""] * len(self.attributes)
        values = self._values.get(id(attrs))
        if values is None:
            values = self._values[id(attrs)] = [attrs.get(a, "") for a in self.attributes]
        return values

    def _rows(self, events: list[Ev], rs: Stream) -> list[list[str]]:
        rows = []
        for e in events:
            pid, name = self.person(e)
            rows.append(
                [e.case_id or "", e.label, self.timestamp(e.t, rs.random()), pid, e.role, name]
                + self._attribute_values(e.attrs)
            )
        return rows

    def render(self, groups: list[list[Ev]], rs: Stream):
        """The chunk as bytes to append (a pyarrow Table for Parquet)."""
        self._values = {}  # attribute dicts are per chunk; their ids are reused afterwards
        if self.fmt == "xes":
            return self._xes(groups).encode("utf-8")
        events = [e for group in groups for e in group]
        if self.fmt == "parquet":
            return self._parquet(events)
        rows = self._rows(events, rs)
        if self.fmt == "csv":
            text = io.StringIO()
            csv.writer(text, lineterminator="\n").writerows(rows)
            return text.getvalue().encode("utf-8")
        columns = self.columns
        return "".join(
            json.dumps({k: v for k, v in zip(columns, row, strict=True) if v}, ensure_ascii=False) + "\n"
            for row in rows
        ).encode("utf-8")

    def _parquet(self, events: list[Ev]):
        import pyarrow as pa

        columns: dict[str, list] = {c: [] for c in self.columns if c != "timestamp"}
        for e in events:
            pid, name = self.person(e)
            columns["case_id"].append(e.case_id)
            columns["activity"].append(e.label)
            columns["performer"].append(pid)
            columns["role"].append(e.role or None)
            columns["performer_name"].append(name)
            for a, v in zip(self.attributes, self._attribute_values(e.attrs), strict=True):
                columns[a].append(v or None)
        arrays = {c: pa.array(v, pa.string()) for c, v in columns.items()}
        arrays["timestamp"] = pa.array([e.t * 1_000_000 for e in events], pa.timestamp("us"))
        return pa.table({c: arrays[c] for c in self.columns})

    def _xes(self, groups: list[list[Ev]]) -> str:
        out = []
        for group in groups:
            out.append("  <trace>\n")
            case_id = group[0].case_id
            if case_id:
                out.append(f'    <string key="concept:name" value="{_x(case_id)}"/>\n')
            for e in group:
                pid, name = self.person(e)
                day = self.clock.day_text(e.t // DAY)
                out.append(
                    f'    <event>\n      <string key="concept:name" value="{_x(e.label)}"/>\n'
                    f'      <date key="time:timestamp" value="{day}T{self._clock_text(e.t)}.000{self.offset}"/>\n'
                    f'      <string key="org:resource" value="{_x(pid)}"/>\n'
                    f'      <string key="performer_name" value="{_x(name)}"/>\n'
                )
                if e.role:
                    out.append(f'      <string key="org:role" value="{_x(e.role)}"/>\n')
                for a, v in (e.attrs or {}).items():
                    if v:
                        out.append(f'      <string key="{_x(a)}" value="{_x(v)}"/>\n')
                out.append("    </event>\n")
            out.append("  </trace>\n")
        return "".join(out)


class Sink:
    """The log file: a header, the chunks in order, a footer."""

    def __init__(self, path: Path, fmt: str, columns: list[str]) -> None:
        self.path, self.fmt, self.columns = path, fmt, columns
        self.parquet = None
        self.handle = None
        if fmt != "parquet":
            self.handle = path.open("wb")
            if fmt == "csv":
                text = io.StringIO()
                csv.writer(text, lineterminator="\n").writerow(columns)
                self.handle.write(text.getvalue().encode("utf-8"))
            elif fmt == "xes":
                self.handle.write(_XES_HEAD.encode("utf-8"))

    def write(self, data) -> None:
        if self.fmt != "parquet":
            self.handle.write(data)
            return
        import pyarrow.parquet as pq

        if self.parquet is None:
            self.parquet = pq.ParquetWriter(self.path, data.schema, compression="zstd")
        self.parquet.write_table(data)

    def close(self) -> None:
        if self.fmt == "xes":
            self.handle.write(b"</log>\n")
        if self.handle is not None:
            self.handle.close()
        if self.fmt == "parquet":
            if self.parquet is None:  # an empty log still has its columns
                import pyarrow as pa
                import pyarrow.parquet as pq

                schema = pa.schema([(c, pa.timestamp("us") if c == "timestamp" else pa.string()) for c in self.columns])
                self.parquet = pq.ParquetWriter(self.path, schema, compression="zstd")
            self.parquet.close()


def _x(value: str) -> str:
    return escape(value, {'"': "&quot;"})


_XES_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
"""
