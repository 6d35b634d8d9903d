"""What a run read and how it was set up, as the report's ``meta`` (see checker/reports/checked.py)."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

from opsbook import __version__
from opsbook.calendar import WorkCalendar
from opsbook.model import Handbook

from . import pipeline
from .events import Rejected


def inputs(run: pipeline.Audit, rejected: tuple[Rejected, ...]) -> list[dict]:
    """Per-file digests and row counts, including rows rejected after reading (no case id, after as-of).

    Later rejections are attributed by their reference's "<file>:<row>" prefix; with an id column as
    reference they cannot be, and only the totals in "rows" count them.
    """
    names = [Path(f.path).name for f in run.files]
    labels = [name if names.count(name) == 1 else f.path for name, f in zip(names, run.files, strict=True)]
    later = Counter(r.ref.rsplit(":", 1)[0] for r in rejected[run.rows_read_rejected :])
    inputs = []
    for label, info in zip(labels, run.files, strict=True):
        entry = info.to_dict()
        entry["rows_rejected"] = info.rows_rejected + later.get(label, 0)
        entry["rows_checked"] = info.rows_read - entry["rows_rejected"]
        inputs.append(entry)
    return inputs


def _sha256(path: str | None) -> str | None:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest() if path else None


def meta(
    args, run: pipeline.Audit, handbook: Handbook, calendar: WorkCalendar, tz: ZoneInfo, rejected: tuple[Rejected, ...]
) -> dict:
    years = calendar.covered_years
    return {
        "inputs": inputs(run, rejected),
        "handbook": {
            "organisation": handbook.organisation,
            "organisation_en": handbook.organisation_en,
            "version": handbook.version,
            "digest": handbook.digest,
            "revision": handbook.revision,
        },
        "tool_version": __version__,
        "as_of": run.as_of.astimezone(tz).isoformat(),
        "from": run.start.astimezone(tz).isoformat(),
        "timezone": tz.key,
        "calendar": {
            "region": "CN",
            "covered_years": f"{years.start}–{years.stop - 1}",
            "overrides": [{"date": d, "working": w} for d, w, _ in handbook.calendar_overrides],
        },
        "rows": {"read": run.rows_read, "checked": run.rows_checked, "rejected": len(rejected)},
        "engine": getattr(args, "engine", "local"),
        "options": {
            "mapping": args.mapping,
            "mapping_sha256": _sha256(args.mapping),
            "roster": args.roster,
            "roster_sha256": _sha256(args.roster),
            "rules": args.rules,
            "fail_on": args.fail_on,
            "redact": args.redact,
        },
    }
