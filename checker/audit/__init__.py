"""The audit across runs: what a run adds to its report when auditors check the same log month after month.

- ``dispositions`` — the exception register (``--dispositions FILE``): findings
  explained once, shown as disposed with their reason, never dropped;
- ``baseline`` — new, persisting and resolved findings against the last
  audit's ``findings.json`` (``--baseline``, ``opsbook diff-findings``);
- ``trend`` — compliance per month and process;
- ``sample`` — reproducible attribute samples for manual testing (``opsbook sample``);
- ``sections`` — how the reports show all of this.

``Trail`` carries the results to the report writers (``Report.audit``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checker.audit.baseline import Changes
from checker.audit.dispositions import Applied, Entry
from checker.finding import Finding


@dataclass(frozen=True)
class Trail:
    applied: Applied | None = None  # the register applied to this run
    changes: Changes | None = None  # against the baseline
    trend: tuple[dict, ...] = ()
    checked_cases: dict[str, list[str]] = field(default_factory=dict)  # process -> case ids checked

    @property
    def disposed(self) -> tuple[tuple[Finding, Entry], ...]:
        return self.applied.disposed if self.applied else ()

    def annotate(self, f: Finding) -> dict:
        """What a finding's entry gains: its status against the baseline, when first seen, in how many audits."""
        return self.changes.annotate(f.key) if self.changes else {}

    def to_json(self, entry) -> dict:
        """The parts ``findings.json`` adds: "audit", "checked_cases", "disposed"; ``entry(f)``: a finding's dict."""
        audit: dict = {"trend": list(self.trend)}
        if self.applied is not None:
            audit["dispositions"] = {
                "file": self.applied.source,
                "entries": self.applied.entries,
                "disposed": len(self.applied.disposed),
                "stale": [e.to_dict() for e in self.applied.stale],
                "expired": [e.to_dict() for e in self.applied.expired],
            }
        if self.changes is not None:
            audit["changes"] = self.changes.to_dict()
        disposed = [{"finding": entry(f), "disposition": e.to_dict()} for f, e in self.disposed]
        # one line per process: a large log's case ids stay compact and quick to write
        checked = [{"process": p, "cases": ids} for p, ids in sorted(self.checked_cases.items())]
        return {"audit": audit, "checked_cases": checked, "disposed": disposed}
