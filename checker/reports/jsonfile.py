"""findings.json: meta, summary, findings and rejected rows; the same report gives the same bytes."""

from __future__ import annotations

import json
from pathlib import Path

from checker.report import Report, summary


def render_json(report: Report) -> str:
    """Sorted keys; meta and summary indented, then one finding and one rejected row per line.

    One line per item keeps large reports fast to write (the C encoder) and easy
    to diff or grep, and the whole stays one JSON document.
    """
    parts = {
        "findings": [report.entry(f) for f in report.findings],
        "meta": report.meta,
        "rejected": [r.to_dict() for r in report.rejected],
        "summary": summary(report),
    }
    if report.audit is not None:  # checker.audit: dispositions, changes since the baseline, trend
        parts = dict(sorted((parts | report.audit.to_json(report.entry)).items()))
    out = []
    for key, value in parts.items():  # already in sorted order
        if isinstance(value, list):
            lines = ",\n".join("    " + _dumps(item) for item in value)
            body = f"[\n{lines}\n  ]" if value else "[]"
        else:
            body = json.dumps(value, sort_keys=True, ensure_ascii=False, indent=2, default=str).replace("\n", "\n  ")
        out.append(f"  {_dumps(key)}: {body}")
    return "{\n" + ",\n".join(out) + "\n}\n"


def _dumps(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def write(report: Report, path: Path) -> None:
    path.write_bytes(render_json(report).encode("utf-8"))
