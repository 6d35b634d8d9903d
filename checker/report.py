"""A finished audit, ready to render: findings, rejected rows, and what was checked.

Every writer in ``checker.reports`` renders a ``Report``; ``summary()`` holds the
counts the text, JSON, spreadsheet and HTML reports share, so they always agree,
including the rates with their denominators (``checker.rates``, computed once
by the caller) and the warnings every format shows first (``notes``). Titles
come from ``names`` and links from ``link()``, so no writer shows a bare id or
builds a link itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import polars as pl

from checker.audit import Trail
from checker.events import Rejected
from checker.finding import SEVERITIES, VIOLATION, Finding, Text
from checker.findingset import tabled
from checker.texts import Names, Wording, lateness_words

LANGS = ("zh", "en")
WORST_CASES = 10
REJECTED_SHOWN = 50  # text and HTML list this many rejected rows; JSON and XLSX list them all


@dataclass(frozen=True)
class Report:
    findings: Sequence[Finding]  # sorted by Finding.sort_key; a FindingTable makes them while they are read
    rejected: tuple[Rejected, ...] = ()
    # inputs, handbook, tool_version, as_of, timezone, calendar, rows, options: see checker/reports/checked.py
    meta: dict = field(default_factory=dict)
    lang: str = "zh"
    base_url: str = ""  # prefix of finding links: "../site/" or "https://handbook.example/"
    names: Names = field(default_factory=Names)  # titles of steps, processes and roles (Names.of(handbook))
    rates: dict = field(default_factory=dict)  # checker.rates.compute(...): denominators and rates
    notes: tuple[str, ...] = ()  # warnings every format shows first (in the report's language)
    audit: Trail | None = None  # dispositions, changes since the baseline, trend (checker.audit)
    _wording: Wording = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.lang not in LANGS:
            raise ValueError(f"report language must be one of {', '.join(LANGS)}, not {self.lang!r}")
        object.__setattr__(self, "_wording", Wording(self.lang, self.names))

    def words(self, text: Text | None, f: Finding) -> str | None:
        """An expected/actual text of ``f`` in the report's language (``checker.texts.Wording``: the words
        depend only on the text and the finding's process)."""
        return self.text_words(text, f.process)

    def text_words(self, text: Text | None, process: str | None) -> str | None:
        """``words`` of a text of a finding of ``process``."""
        return None if text is None else self._wording(text, process)

    def entry(self, f: Finding) -> dict:
        """``f.to_dict()`` with links, texts and titles as this report shows them (and its audit trail)."""
        d = f.to_dict(self.base_url, self.words)
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


_DATE = r"(\d{4}-\d{2}-\d{2})"


def weeks() -> pl.Expr:
    """ISO week ("2024-W10") of a finding: its period when that is a week, else of the first date found in
    its period, then in the parameters of its actual text, then of its expected text (a date that is not one,
    e.g. 2024-02-30, is passed over)."""
    candidates = [
        pl.col(name).str.extract(_DATE, 1).str.to_date("%Y-%m-%d", strict=False)
        for name in ("period", "actual_params", "expected_params")
    ]
    day = pl.coalesce(candidates)
    of_day = pl.format("{}-W{}", day.dt.iso_year(), day.dt.week().cast(pl.Utf8).str.zfill(2))
    is_week = pl.col("period").str.contains(r"^\d{4}-W\d{2}$")
    return pl.when(is_week.fill_null(False)).then(pl.col("period")).otherwise(of_day)


_WORST = ["violations", "findings", "process", "case_id"]  # unique: the first ten are those of a full sort


def _per_case(findings: pl.LazyFrame) -> pl.LazyFrame:
    cases = findings.filter(pl.col("case_id").is_not_null()).group_by(pl.col("process").fill_null(""), "case_id")
    return cases.agg(violations=(pl.col("severity") == VIOLATION).sum(), findings=pl.len())


def _worst(cases: pl.LazyFrame) -> pl.LazyFrame:
    """The ``WORST_CASES`` cases with the most violations, then findings (ties: by process and case id)."""
    return cases.top_k(WORST_CASES, by=_WORST, reverse=[False, False, True, True])


def summary(report: Report) -> dict:
    """Counts by severity, code, process, (process, step) and week, and the worst cases (column-wise)."""
    table = tabled(report.findings)
    fs = table.lazy()  # queries: findings on disk are read a few columns at a time
    by_code = fs.group_by("code").agg(pl.first("rule"), pl.first("severity"), pl.len()).sort("code").collect()
    # (process, step) pairs are few: grouped, then sorted (a finding's order is its process's, then its step's)
    by_step = fs.group_by("process", "step").len().collect()
    by_step = by_step.sort(pl.col("process").fill_null(""), pl.col("step").fill_null(""))
    by_process = by_step.group_by("process", maintain_order=True).agg(pl.col("len").sum())
    # weeks of each distinct (period, parameters), not of every finding: a regex per row costs
    texts = fs.group_by("period", "actual_params", "expected_params").len()
    by_week = texts.select(weeks().alias("week"), "len").drop_nulls().group_by("week").agg(pl.col("len").sum())
    by_week = by_week.sort("week").collect()
    severities = dict(fs.group_by("severity").len().collect().iter_rows())
    worst = _worst(table.gather(lambda f: _worst(_per_case(f))).lazy()).collect()  # of each file's worst
    worst = worst.sort(_WORST, descending=[True, True, False, False])
    return {
        "total": sum(severities.values()),
        "rejected": len(report.rejected),
        "by_severity": {s: severities.get(s, 0) for s in SEVERITIES},
        "by_code": [
            {"code": c, "rule": r, "title": rule_title(c, report.lang, r), "severity": s, "count": n}
            for c, r, s, n in by_code.iter_rows()
        ],
        "by_process": [{"process": p, "title": report.process_title(p), "count": n} for p, n in by_process.iter_rows()],
        "by_step": [
            {"process": p, "step": s, "step_title": report.names.step(p, s), "count": n}
            for p, s, n in by_step.iter_rows()
        ],
        "by_week": [{"week": w, "count": n} for w, n in by_week.iter_rows()],
        "worst_cases": [
            {"process": p or None, "case_id": c, "violations": v, "findings": n}
            for p, c, v, n in worst.head(WORST_CASES).iter_rows()
        ],
        "rates": report.rates,
        "notes": list(report.notes),
    }
