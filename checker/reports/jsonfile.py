"""findings.json: meta, summary, findings and rejected rows; the same report gives the same bytes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import GeneratorType

from checker.report import Report, summary
from checker.reports.jsonlines import lines


def render_json(report: Report) -> str:
    """Sorted keys; meta and summary indented, then one finding and one rejected row per line.

    One line per item keeps large reports fast to write (the C encoder) and easy
    to diff or grep, and the whole stays one JSON document.
    """
    return "".join(_pieces(report))


class Encoded(str):
    """An item already in JSON."""


def _pieces(report: Report) -> Iterator[str]:
    """``render_json`` piece by piece: a finding's dict is made when its line is written, never all at once."""
    made = lines(report)  # each finding's line, made column-wise (None: through Report.entry)
    parts = {
        "findings": (Encoded(line) for line in made)
        if made is not None
        else (report.entry(f) for f in report.findings),
        "meta": report.meta,
        "rejected": (r.to_dict() for r in report.rejected),
        "summary": summary(report),
    }
    if report.audit is not None:  # checker.audit: dispositions, changes since the baseline, trend
        parts = dict(sorted((parts | report.audit.to_json(report.entry)).items()))
    yield "{\n"
    for number, (key, value) in enumerate(parts.items()):  # already in sorted order
        yield f"{',' if number else ''}\n  {_dumps(key)}: " if number else f"  {_dumps(key)}: "
        if isinstance(value, list | GeneratorType):
            empty = True
            for item in value:
                yield ("[\n    " if empty else ",\n    ") + (item if isinstance(item, Encoded) else _dumps(item))
                empty = False
            yield "[]" if empty else "\n  ]"
        else:
            yield json.dumps(value, sort_keys=True, ensure_ascii=False, indent=2, default=str).replace("\n", "\n  ")
    yield "\n}\n"


_dumps = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str).encode  # one encoder for every line


def write(report: Report, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for piece in _pieces(report):
            out.write(piece)
