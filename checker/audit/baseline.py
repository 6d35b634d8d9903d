"""What changed since the last audit: this run's findings against a previous ``findings.json``.

Findings are compared by their stable key (``Finding.key``), never by row
numbers, so a re-exported or reordered log compares cleanly. Every key of
either run gets exactly one status:

- **new** — found now, not in the baseline;
- **persisting** — in both; with the date it was first seen (carried from audit
  to audit through ``findings.json``), how many days that is before this
  audit's as-of date, and in how many audits it has appeared;
- **resolved** — in the baseline, not found now, and its case is still in this
  log (or, for a recurring obligation, its period ends inside this audit's
  window), so this run did look at it again;
- **not re-examined** — in the baseline, not found now, but this run could not
  have found it: its case is not in this log, its period lies outside this
  audit's window, or its rule was left out (``--rules``). Listed, so nothing leaves the working papers unexplained.

Disposed findings count as found (their status is shown beside the disposition).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from opsbook.i18n import tr

NEW, PERSISTING, RESOLVED, NOT_REEXAMINED = "new", "persisting", "resolved", "not-reexamined"
STATUSES = (NEW, PERSISTING, RESOLVED, NOT_REEXAMINED)


class BaselineError(ValueError):
    """The baseline cannot be read as an opsbook findings.json (exit 2)."""


@dataclass(frozen=True)
class Run:
    """The parts of a findings.json a comparison needs."""

    source: str
    as_of: date | None
    start: date | None
    findings: dict[str, dict]  # key -> the finding's entry (open and disposed)
    checked: dict[str, set[str]] | None  # process -> case ids; None: the report does not say
    trend: tuple[dict, ...] = ()
    codes: frozenset[str] | None = None  # the rules the run checked (--rules); None: all
    redacted: bool = False  # keys hold pseudonyms (--redact): comparable only with another redacted run


@dataclass(frozen=True)
class Changes:
    baseline: str
    baseline_as_of: str | None
    status: dict[str, str]  # key -> new | persisting (this run's findings)
    first_seen: dict[str, str]  # key -> ISO date first seen
    runs: dict[str, int]  # key -> audits it appeared in, this one included
    days: dict[str, int]  # key -> days from first seen to this audit's as-of date
    resolved: tuple[dict, ...] = ()  # baseline entries
    not_reexamined: tuple[dict, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    def annotate(self, key: str) -> dict:
        return {
            "status": self.status.get(key, NEW),
            "first_seen": self.first_seen.get(key),
            "days": self.days.get(key),
            "runs": self.runs.get(key, 1),
        }

    def to_dict(self) -> dict:
        return {
            "baseline": self.baseline,
            "baseline_as_of": self.baseline_as_of,
            "counts": self.counts,
            "resolved": [_brief(e) for e in self.resolved],
            "not_reexamined": [_brief(e) for e in self.not_reexamined],
        }


def _brief(entry: dict) -> dict:
    keep = ("key", "code", "severity", "process", "case_id", "scope", "step", "period", "first_seen", "runs")
    return {k: entry.get(k) for k in keep}


def _day(text: object) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def read(path: str | Path, lang: str = "zh") -> Run:
    """A findings.json written by ``opsbook check --format json``; BaselineError when it is not one."""
    path = Path(path)

    def bad(reason: str) -> BaselineError:
        return BaselineError(tr("cli", "baseline.bad", lang, path=path, reason=reason))

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        meta, audit = data["meta"], data.get("audit") or {}
        entries = [*data["findings"], *(d["finding"] for d in data.get("disposed", []))]
        findings = {e["key"]: e for e in entries}
        checked = {item["process"]: set(item["cases"]) for item in data.get("checked_cases", ())}
        return Run(
            source=str(path),
            as_of=_day(meta.get("as_of")),
            start=_day(meta.get("from")),
            findings=findings,
            checked=checked if "checked_cases" in data else None,  # None: the report does not say
            trend=tuple(audit.get("trend") or ()),
            codes=rule_codes((meta.get("options") or {}).get("rules")),
            redacted=bool((meta.get("options") or {}).get("redact")),
        )
    except OSError as exc:
        raise bad(exc.strerror or str(exc)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise bad(str(exc)) from None
    except (KeyError, TypeError, AttributeError, ValueError):
        raise bad("meta, findings, key, checked_cases") from None


def rule_codes(option: str | None) -> frozenset[str] | None:
    """The codes of a run's ``--rules`` option as the report records it; None when every rule ran."""
    return frozenset(c.strip().upper() for c in option.split(",") if c.strip()) if option else None


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


_PERIOD = [
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), date),
    (re.compile(r"(\d{4})-W(\d{2})"), lambda y, w: date.fromisocalendar(y, w, 7)),
    (re.compile(r"(\d{4})-Q([1-4])"), lambda y, q: _month_end(y, 3 * q)),
    (re.compile(r"(\d{4})-(\d{2})"), _month_end),
    (re.compile(r"(\d{4})"), lambda y: date(y, 12, 31)),
]


def period_end(period: str | None) -> date | None:
    """The last day of a period as findings write it (the end of "start/end" for an interval)."""
    text = (period or "").rsplit("/", 1)[-1].strip()[:10]
    for pattern, end in _PERIOD:
        m = pattern.fullmatch(text)
        if m:
            try:
                return end(*map(int, m.groups()))
            except ValueError:
                return None
    return None


def reexamined(entry: dict, now: Run) -> bool:
    """Would this run have reported the baseline finding ``entry`` if it still existed?"""
    if now.codes is not None and entry.get("code") not in now.codes:
        return False  # its rule was not run this time
    if entry.get("case_id") is not None:
        if now.checked is None:
            return True  # the report does not say which cases it checked: assume it saw them
        return entry["case_id"] in now.checked.get(entry.get("process") or "", ())
    if entry.get("scope") is not None:
        end = period_end(entry.get("period"))
        if end is None or now.as_of is None:
            return True
        return (now.start is None or end >= now.start) and end <= now.as_of
    return True  # log-wide findings (unknown labels): every run looks at the whole log


def compare(before: Run, now: Run) -> Changes:
    """Classify every key of both runs (see the module docstring)."""
    status, first_seen, runs, days = {}, {}, {}, {}
    for key in now.findings:
        old = before.findings.get(key)
        if old is None:
            status[key] = NEW
            first_seen[key] = now.as_of.isoformat() if now.as_of else None
            runs[key] = 1
            continue
        status[key] = PERSISTING
        seen = _day(old.get("first_seen")) or before.as_of
        first_seen[key] = seen.isoformat() if seen else None
        runs[key] = int(old.get("runs") or 1) + 1
        if seen and now.as_of:
            days[key] = (now.as_of - seen).days
    resolved, unseen = [], []
    for key, old in before.findings.items():
        if key in now.findings:
            continue
        gone = {**old, "first_seen": old.get("first_seen") or (before.as_of and before.as_of.isoformat())}
        (resolved if reexamined(old, now) else unseen).append(gone)
    counts = {
        NEW: sum(s == NEW for s in status.values()),
        PERSISTING: sum(s == PERSISTING for s in status.values()),
        RESOLVED: len(resolved),
        NOT_REEXAMINED: len(unseen),
    }
    return Changes(
        baseline=before.source,
        baseline_as_of=before.as_of.isoformat() if before.as_of else None,
        status=status,
        first_seen=first_seen,
        runs=runs,
        days=days,
        resolved=tuple(resolved),
        not_reexamined=tuple(unseen),
        counts=counts,
    )
