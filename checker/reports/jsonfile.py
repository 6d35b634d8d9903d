"""findings.json: meta, summary, findings and rejected rows; the same report gives the same bytes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import GeneratorType
from typing import BinaryIO

import polars as pl

from checker.report import Report, summary
from checker.reports.jsonlines import frames


def render_json(report: Report) -> str:
    """Sorted keys; meta and summary indented, then one finding and one rejected row per line.

    One line per item keeps large reports fast to write (the C encoder) and easy
    to diff or grep, and the whole stays one JSON document.
    """
    return "".join(map(str, _pieces(report)))


ITEMS = ",\n    "  # before each item of a list but the first


@dataclass(frozen=True)
class Block:
    """Items already in JSON, each after its separator: one string column, written by Polars as it is."""

    frame: pl.DataFrame

    def __str__(self) -> str:
        return "".join(self.frame.to_series())

    def write(self, out: BinaryIO) -> None:
        self.frame.write_csv(out, include_header=False, quote_style="never", line_terminator="")


def _blocks(chunks: Iterator[pl.DataFrame]) -> Iterator[Block]:
    first = True
    for chunk in chunks:
        separator = pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("[\n    " if first else ITEMS))
        yield Block(chunk.select(pl.concat_str(separator.otherwise(pl.lit(ITEMS)), pl.first())))
        first = False


def _pieces(report: Report) -> Iterator[str | Block]:
    """``render_json`` piece by piece: a finding's dict is made when its line is written, never all at once."""
    made = frames(report)  # the findings' lines, made column-wise (None: through Report.entry)
    parts = {
        "findings": made if made is not None else (report.entry(f) for f in report.findings),
        "meta": report.meta,
        "rejected": (r.to_dict() for r in report.rejected),
        "summary": summary(report),
    }
    if report.audit is not None:  # checker.audit: dispositions, changes since the baseline, trend
        parts = dict(sorted((parts | report.audit.to_json(report.entry)).items()))
    yield "{\n"
    for number, (key, value) in enumerate(parts.items()):  # already in sorted order
        yield f"{',' if number else ''}\n  {_dumps(key)}: " if number else f"  {_dumps(key)}: "
        if made is not None and value is made:
            empty = True
            for block in _blocks(made):
                yield block
                empty = False
            yield "[]" if empty else "\n  ]"
        elif isinstance(value, list | GeneratorType):
            empty = True
            for item in value:
                yield ("[\n    " if empty else ITEMS) + _dumps(item)
                empty = False
            yield "[]" if empty else "\n  ]"
        else:
            yield json.dumps(value, sort_keys=True, ensure_ascii=False, indent=2, default=str).replace("\n", "\n  ")
    yield "\n}\n"


_dumps = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str).encode  # one encoder for every line


def write(report: Report, path: Path) -> None:
    with path.open("wb") as out:
        for piece in _pieces(report):
            if isinstance(piece, Block):
                piece.write(out)
            else:
                out.write(piece.encode("utf-8"))
