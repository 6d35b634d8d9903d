"""A finding: one deviation, with its evidence. Every output format renders ``to_dict()``."""

from __future__ import annotations

from dataclasses import dataclass

VIOLATION = "violation"
WARNING = "warning"
INFO = "info"
SEVERITIES = (VIOLATION, WARNING, INFO)


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # stable rule code, e.g. "C101"
    rule: str  # rule name, e.g. "missing-step"
    severity: str  # violation | warning | info
    clause: str  # manual path of the clause it breaks, e.g. "processes/mortgage/#step-collect-docs"
    message: str  # one line in English; reports may render their own text from the fields
    process: str | None = None
    case_id: str | None = None
    step: str | None = None  # step or obligation id
    scope: str | None = None  # obligation scope member: a person, an entity value, or "organisation"
    period: str | None = None  # obligation period, e.g. "2024-03-05", "2024-W10", "2024-03", "2024-Q1"
    expected: str | None = None
    actual: str | None = None
    lateness_seconds: int | None = None
    event_refs: tuple[str, ...] = ()
    performers: tuple[str, ...] = ()

    def sort_key(self) -> tuple:
        return (
            self.process or "",
            self.case_id or "",
            self.scope or "",
            self.period or "",
            self.step or "",
            self.code,
            self.event_refs,
            self.performers,
        )

    def to_dict(self, base_url: str = "") -> dict:
        return {
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity,
            "process": self.process,
            "case_id": self.case_id,
            "step": self.step,
            "scope": self.scope,
            "period": self.period,
            "expected": self.expected,
            "actual": self.actual,
            "lateness_seconds": self.lateness_seconds,
            "event_refs": list(self.event_refs),
            "performers": list(self.performers),
            "clause": self.clause,
            "url": base_url + self.clause,
            "message": self.message,
        }
