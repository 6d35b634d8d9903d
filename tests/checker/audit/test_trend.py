"""Compliance per month and process: counted from the findings, moved by dispositions, carried from baselines."""

from __future__ import annotations

import json
from pathlib import Path

from checker.audit.trend import merged
from opsbook.cli import main

ROOT = Path(__file__).parents[3]
EX = ROOT / "examples"


def check(out: Path, *extra: str) -> dict:
    args = ["check", str(EX / "sample-log.csv"), "--mapping", str(EX / "mapping.yaml"), "--roster"]
    args += [str(EX / "roster.csv"), "--handbook", str(ROOT), "--as-of", "2026-06-30T23:59:00+08:00", "--from"]
    args += ["2026-06-01", "-q", "--out", str(out), "--format", "json,html,xlsx", *extra]
    assert main(args) == 1
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


def test_rates_agree_with_the_findings_and_the_checked_cases(tmp_path):
    report = check(tmp_path / "plain")
    trend = report["audit"]["trend"]
    checked = {c["process"]: c["cases"] for c in report["checked_cases"]}
    assert sum(r["cases"] for r in trend) == sum(len(ids) for ids in checked.values()) == 31
    bad = {(f["process"], f["case_id"]) for f in report["findings"] if f["case_id"] and f["severity"] == "violation"}
    assert sum(r["with_violations"] for r in trend) == len(bad)
    for r in trend:
        assert r["rate"] == round((r["cases"] - r["with_violations"]) / r["cases"], 4)
    assert {r["month"] for r in trend} == {"2026-03", "2026-04", "2026-05", "2026-06"}
    html = (tmp_path / "plain" / "report.html").read_text(encoding="utf-8")
    assert 'id="trend-table"' in html and "2026-03" in html


def test_a_disposed_violation_no_longer_counts_against_its_month(tmp_path):
    before = {(r["month"], r["process"]): r for r in check(tmp_path / "a")["audit"]["trend"]}
    after = check(tmp_path / "b", "--dispositions", str(EX / "dispositions.yaml"))["audit"]["trend"]
    after = {(r["month"], r["process"]): r for r in after}
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {("2026-05", "subscription-signing")}  # RG-004, reviewed late on a make-up working day
    key = ("2026-05", "subscription-signing")
    assert (before[key]["with_violations"], after[key]["with_violations"]) == (2, 1)  # RG-005 remains


def test_months_of_earlier_reports_are_carried_over():
    now = [{"month": "2026-06", "process": "p", "cases": 4, "with_violations": 1, "rate": 0.75, "source": ""}]
    earlier = [
        {"month": "2026-05", "process": "p", "cases": 2, "with_violations": 0, "rate": 1.0, "source": ""},
        {"month": "2026-06", "process": "p", "cases": 3, "with_violations": 3, "rate": 0.0, "source": ""},
    ]
    assert [(r["month"], r["rate"]) for r in merged(now, earlier)] == [("2026-05", 1.0), ("2026-06", 0.75)]
