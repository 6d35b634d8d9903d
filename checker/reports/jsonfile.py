"""findings.json: meta, summary, findings and rejected rows; the same report gives the same bytes."""

from __future__ import annotations

import json
from pathlib import Path

from checker.report import Report, summary


def render_json(report: Report) -> str:
    doc = {
        "meta": report.meta,
        "summary": summary(report),
        "findings": [f.to_dict(report.base_url) for f in report.findings],
        "rejected": [r.to_dict() for r in report.rejected],
    }
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=2, default=str) + "\n"


def write(report: Report, path: Path) -> None:
    path.write_bytes(render_json(report).encode("utf-8"))
