"""A finished audit, ready to render: findings, rejected rows, and what was checked.

Every writer in ``checker.reports`` renders a ``Report``; ``summary()`` holds the
counts the text, JSON, spreadsheet and HTML reports share, so they always agree,
including the rates with their denominators (``checker.rates``, computed once
by the caller) and the warnings every format shows first (``notes``). Titles
come from ``names`` and links from ``link()``, so no writer shows a bare id or
builds a link itself.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from checker.audit import Trail
from checker.events import Rejected
from checker.finding import SEVERITIES, VIOLATION, Finding, Text
from checker.texts import Names, lateness_words, render, renderer

LANGS = ("zh", "en")
WORST_CASES = 10
REJECTED_SHOWN = 50  # text and HTML list this many rejected rows; JSON and XLSX list them all


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]  # already sorted by Finding.sort_key
    rejected: tuple[Rejected, ...] = ()
    # inputs, handbook, tool_version, as_of, timezone, calendar, rows, options: see checker/reports/checked.py
    meta: dict = field(default_factory=dict)
    lang: str = "zh"
    base_url: str = ""  # prefix of finding links: "../site/" or "https://handbook.example/"
    names: Names = field(default_factory=Names)  # titles of steps, processes and roles (Names.of(handbook))
    rates: dict = field(default_factory=dict)  # checker.rates.compute(...): denominators and rates
    notes: tuple[str, ...] = ()  # warnings every format shows first (in the report's language)
    audit: Trail | None = None  # dispositions, changes since the baseline, trend (checker.audit)

    def __post_init__(self) -> None:
        if self.lang not in LANGS:
            raise ValueError(f"report language must be one of {', '.join(LANGS)}, not {self.lang!r}")

    def words(self, text: Text | None, f: Finding) -> str | None:
        """An expected/actual text of ``f`` in the report's language."""
        return None if text is None else render(text, f, self.lang, self.names)

    def entry(self, f: Finding) -> dict:
        """``f.to_dict()`` with links, texts and titles as this report shows them (and its audit trail)."""
        d = f.to_dict(self.base_url, renderer(self.lang, self.names))
        d["url"] = self.link(f.clause)
        d["process_title"] = self.process_title(f.process)
        d["step_title"] = self.names.step(f.process, f.step)
        d["lateness"] = lateness_words(f.lateness_seconds, self.lang)
        return d | self.audit.annotate(f) if self.audit else d

    def link(self, clause: str) -> str:
        """The clause's address: the published page, or the built page file itself (``…/index.html#…``).

        A folder link opened from disk shows a directory listing, not the page;
        over http the server adds index.html itself, so published links stay clean.
        """
        if urlsplit(self.base_url).scheme in ("http", "https"):
            return self.base_url + clause
        page, hash_, anchor = clause.partition("#")
        if page.endswith("/") or not page:
            page += "index.html"
        return self.base_url + page + hash_ + anchor

    def process_title(self, process: str | None) -> str | None:
        return self.names.processes.get(process, process) if process else None


def rule_title(code: str, lang: str, default: str) -> str:
    """The rule's title in ``lang``, from the rule registry; ``default`` when it has none."""
    try:  # imported late: the registry imports every rule, and a report must render without it
        from checker.rules import REGISTRY
    except ImportError:
        return default
    titles = getattr(REGISTRY.get(code), "TITLE", None) or {}
    return titles.get(lang) or default


def subject(f: Finding) -> tuple[str, str | None]:
    """What a finding is about inside its process: ("case", id), ("scope", member) or ("none", None)."""
    if f.case_id is not None:
        return ("case", f.case_id)
    if f.scope is not None:
        return ("scope", f.scope)
    return ("none", None)


def grouped(findings: tuple[Finding, ...]) -> dict[str | None, dict[tuple[str, str | None], list[int]]]:
    """Finding indices by process, then by subject, in the findings' own (sorted) order."""
    groups: dict[str | None, dict[tuple[str, str | None], list[int]]] = {}
    for i, f in enumerate(findings):
        groups.setdefault(f.process, {}).setdefault(subject(f), []).append(i)
    return groups


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_WEEK = re.compile(r"\d{4}-W\d{2}")


def week(f: Finding) -> str | None:
    """ISO week ("2024-W10") of the first date in the finding's period, actual or expected text."""
    if f.period and _WEEK.fullmatch(f.period):
        return f.period
    texts = [v for t in (f.actual, f.expected) if t for _, v in t.params if isinstance(v, str)]
    for text in (f.period, *texts):
        m = _DATE.search(text or "")
        if m:
            try:
                year, wk, _ = date(*map(int, m.groups())).isocalendar()
            except ValueError:
                continue
            return f"{year}-W{wk:02d}"
    return None


def summary(report: Report) -> dict:
    """Counts by severity, code, process, (process, step) and week, and the worst cases."""
    fs = report.findings
    by_code = Counter(f.code for f in fs)
    names = {f.code: f.rule for f in reversed(fs)}
    severities = {f.code: f.severity for f in reversed(fs)}
    by_process = Counter(f.process for f in fs)
    by_step = Counter((f.process, f.step) for f in fs)
    by_week = Counter(w for w in map(week, fs) if w)
    cases: dict[tuple[str, str], list[int]] = {}
    for f in fs:
        if f.case_id is not None:
            counts = cases.setdefault((f.process or "", f.case_id), [0, 0])
            counts[0] += f.severity == VIOLATION
            counts[1] += 1
    worst = sorted(cases.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))[:WORST_CASES]
    return {
        "total": len(fs),
        "rejected": len(report.rejected),
        "by_severity": {s: sum(f.severity == s for f in fs) for s in SEVERITIES},
        "by_code": [
            {
                "code": c,
                "rule": names[c],
                "title": rule_title(c, report.lang, names[c]),
                "severity": severities[c],
                "count": n,
            }
            for c, n in sorted(by_code.items())
        ],
        "by_process": [
            {"process": p, "title": report.process_title(p), "count": n}
            for p, n in sorted(by_process.items(), key=_none_first)
        ],
        "by_step": [
            {"process": p, "step": s, "step_title": report.names.step(p, s), "count": n}
            for (p, s), n in sorted(by_step.items(), key=lambda kv: (kv[0][0] or "", kv[0][1] or ""))
        ],
        "by_week": [{"week": w, "count": n} for w, n in sorted(by_week.items())],
        "worst_cases": [
            {"process": p or None, "case_id": c, "violations": v, "findings": n} for (p, c), (v, n) in worst
        ],
        "rates": report.rates,
        "notes": list(report.notes),
    }


def _none_first(kv: tuple) -> str:
    return kv[0] or ""
