"""Rates and their denominators equal counts recomputed from the log with plain Python, whatever the bucket size."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict

import polars as pl
import pytest

from checker.rates import compute, with_violations
from opsbook.cli import main

from .test_cli_check import LOG, setup  # noqa: F401  (the fixture)

AS_OF = "2026-06-30 23:59"


def _rows() -> list[dict]:
    """The rows the checker checks: a case id, an activity, a readable time not after the as-of time."""
    rows = []
    for row in csv.DictReader(io.StringIO(LOG)):
        if row["case_id"] and row["activity"] and row["timestamp"][:4].isdigit() and row["timestamp"] <= AS_OF:
            rows.append(row)
    return rows


@pytest.mark.parametrize("bucket", ["1", "1000000"])
def test_rates_equal_an_independent_count(setup, tmp_path, bucket):  # noqa: F811
    root, log = setup
    out = tmp_path / "out"
    args = ["check", "--handbook", str(root), "--rules", "C103,C104,C107", str(log), "--as-of", AS_OF]
    assert main([*args, "--bucket-events", bucket, "--out", str(out), "--format", "json,xlsx", "-q"]) == 1
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    rates, findings = data["summary"]["rates"], data["findings"]
    rows = _rows()
    cases = {r["case_id"] for r in rows}
    complete = {r["case_id"] for r in rows if r["activity"] == "通知交房"}  # the final step
    violating = {f["case_id"] for f in findings if f["severity"] == "violation"}
    assert rates["processes"] == [
        {
            "process": "sale",
            "cases": len(cases),
            "complete": len(complete),
            "open": len(cases - complete),
            "cases_with_violation": len(violating),
            "compliance_rate": round(1 - len(violating) / len(cases), 4),
        }
    ]
    first = {c: min(r["timestamp"] for r in rows if r["case_id"] == c)[:7] for c in cases}
    months = Counter(first.values())
    assert [(m["month"], m["cases"], m["cases_with_violation"]) for m in rates["months"]] == [
        (m, n, sum(1 for c in violating if first[c] == m)) for m, n in sorted(months.items())
    ]
    labels = {"起草合同": "draft", "审批合同": "approve", "通知交房": "notify"}
    occurrences = Counter(labels[r["activity"]] for r in rows)
    step_cases = defaultdict(set)
    for r in rows:
        step_cases[labels[r["activity"]]].add(r["case_id"])
    found_at = Counter(f["step"] for f in findings)
    assert {s["step"]: (s["occurrences"], s["cases"], s["findings"]) for s in rates["steps"]} == {
        step: (occurrences[step], len(step_cases[step]), found_at[step]) for step in labels.values()
    }
    performed = Counter(r["performer"] for r in rows)
    blamed = Counter(p for f in findings if f["severity"] == "violation" for p in set(f["performers"]))
    assert {p["performer"]: (p["steps"], p["violations"]) for p in rates["people"]} == {
        p: (performed[p], blamed[p]) for p in performed
    }
    by_rule = {r["code"]: r for r in rates["rules"]}
    assert by_rule["C104"]["checked"] == len(cases) and by_rule["C104"]["failing"] == 1
    assert by_rule["C201"]["checked"] is None and by_rule["C111"]["checked"] == len(rows)


def test_rates_sheets_and_html_tables(setup, tmp_path):  # noqa: F811
    from openpyxl import load_workbook

    root, log = setup
    out = tmp_path / "out"
    args = ["check", "--handbook", str(root), str(log), "--as-of", AS_OF, "--lang", "en"]
    main([*args, "--out", str(out), "--format", "xlsx,html", "-q"])
    wb = load_workbook(out / "findings.xlsx")
    assert {"Processes", "Steps", "Rules", "People", "Months"} <= set(wb.sheetnames)
    row = [c.value for c in wb["Processes"][2]]
    assert row[:3] == ["签约", "sale", 2] and wb["Processes"]["G2"].number_format == "0.0%"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="table-processes" class="sortable"' in html and "Compliance rate" in html


def test_no_tally_no_rates():
    assert compute((), None) == {}


def test_redacted_rates_count_the_same_and_show_pseudonyms(setup, tmp_path, monkeypatch):  # noqa: F811
    from checker.redact import ENV

    monkeypatch.setenv(ENV, "k" * 32)
    root, log = setup
    args = ["check", "--handbook", str(root), "--rules", "C103,C104,C107", str(log), "--as-of", AS_OF, "-q"]
    main([*args, "--out", str(tmp_path / "plain"), "--format", "json"])
    main([*args, "--out", str(tmp_path / "redacted"), "--format", "json", "--redact"])
    plain, redacted = (
        json.loads((tmp_path / name / "findings.json").read_text(encoding="utf-8"))["summary"]["rates"]
        for name in ("plain", "redacted")
    )
    for part in ("processes", "steps", "rules", "months"):
        assert redacted[part] == plain[part]
    assert sorted((p["steps"], p["violations"]) for p in redacted["people"]) == sorted(
        (p["steps"], p["violations"]) for p in plain["people"]
    )
    assert all(p["performer"].startswith("P-") for p in redacted["people"])


def test_cases_are_matched_with_their_violations_by_hash_or_else_by_their_texts():
    from checker.engine import frames, merge
    from checker.finding import Finding
    from checker.findingset import FindingFiles, FindingTable, Folder

    def finding(process, case_id, severity):
        return Finding("C101", "missing-step", severity, "processes/x/", process=process, case_id=case_id)

    findings = sorted(
        [finding("sale", "K1", "violation"), finding("sale", "K2", "warning"), finding("lease", "K3", "violation")],
        key=Finding.sort_key,
    )
    cases = pl.DataFrame({"process": ["sale", "sale", "sale", "lease"], "case_id": ["K1", "K2", "K3", "K3"]})
    folder = Folder()
    on_disk = FindingTable(FindingFiles(folder, merge.merged_into([frames.to_frame(findings)], folder.path, rows=1)))
    assert len(on_disk.source.parts) == 3
    for given in (findings, on_disk):
        assert with_violations(cases, given)["violating"].to_list() == [True, False, False, True]
        twice = pl.concat([cases, cases.head(1)])  # a case twice: matched on the texts
        assert with_violations(twice, given, "bad")["bad"].to_list() == [True, False, False, True, True]
