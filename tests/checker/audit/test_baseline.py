"""`--baseline` and `opsbook diff-findings`: two simulated months, classified as the simulator's ground truth says.

Month A and month B are cut from two simulations with the same seed, one with
deviations (X) and one without (Y); their cases have the same ids. Cases are
dealt into four groups: *gone* (only in A), *fixed* (A has X's events, B has Y's
clean ones), *kept* (X's events in both) and *fresh* (only in B). The case rules
judge a case by its own events, so the ground truth of X, per group, says which
findings must come out new, persisting, resolved and not re-examined.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from opsbook.cli import main

from ...simulator.conftest import ROOT, run_simulation

CASE_RULES = "C101,C102,C103,C104,C105,C106,C107,C108,C109,C110"
GROUPS = ("gone", "fixed", "kept", "fresh")


@pytest.fixture(scope="module")
def months(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("months")
    meta = run_simulation(base / "x", 160, rate=0.5, seed=5)
    run_simulation(base / "y", 160, rate=0.0, seed=5)
    rows = {}
    for sim in ("x", "y"):
        with (base / sim / "events.csv").open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames
            rows[sim] = [r for r in reader if r["case_id"]]
    ids = sorted({r["case_id"] for r in rows["x"]})
    assert ids == sorted({r["case_id"] for r in rows["y"]})
    group = {case: GROUPS[i % 4] for i, case in enumerate(ids)}

    def write(name: str, parts: dict[str, str]) -> Path:
        path = base / name
        with path.open("w", encoding="utf-8", newline="") as fh:
            out = csv.DictWriter(fh, header)
            out.writeheader()
            for sim in ("x", "y"):
                out.writerows(r for r in rows[sim] if parts.get(group[r["case_id"]]) == sim)
        return path

    a = write("month-a.csv", {"gone": "x", "fixed": "x", "kept": "x"})
    b = write("month-b.csv", {"fixed": "y", "kept": "x", "fresh": "x"})
    truth = Counter()
    for line in (base / "x" / "ground-truth.jsonl").read_text(encoding="utf-8").splitlines():
        f = json.loads(line)
        if f["case_id"] and f["code"] in CASE_RULES:
            truth[(group[f["case_id"]], f["code"], f["process"], f["case_id"], f["step"])] += 1
    return {"base": base, "a": a, "b": b, "as_of": meta["as_of"], "roster": base / "x" / "roster.csv", "truth": truth}


def check(m: dict, log: Path, out: Path, *extra: str) -> dict:
    args = ["check", str(log), "--roster", str(m["roster"]), "--as-of", m["as_of"], "--handbook", str(ROOT)]
    args += ["--rules", CASE_RULES, "--format", "json,text,xlsx,html", "--out", str(out), "--fail-on", "never", "-q"]
    assert main([*args, *extra]) == 0
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reports(months) -> tuple[dict, dict]:
    a = check(months, months["a"], months["base"] / "out-a")
    b = check(months, months["b"], months["base"] / "out-b", "--baseline", str(months["base"] / "out-a/findings.json"))
    return a, b


def classified(b: dict) -> Counter:
    got = Counter()
    for f in b["findings"]:
        got[(f["status"], f["code"], f["process"], f["case_id"], f["step"])] += 1
    changes = b["audit"]["changes"]
    for status in ("resolved", "not_reexamined"):
        for f in changes[status]:
            got[(status.replace("_", "-"), f["code"], f["process"], f["case_id"], f["step"])] += 1
    return got


def test_the_months_have_findings_of_every_kind(months):
    groups = Counter(g for g, *_ in months["truth"].elements())
    assert all(groups[g] >= 3 for g in GROUPS), groups


def test_changes_follow_the_ground_truth(months, reports):
    status = {"gone": "not-reexamined", "fixed": "resolved", "kept": "persisting", "fresh": "new"}
    want = Counter({(status[g], *rest): n for (g, *rest), n in months["truth"].items()})
    a, b = reports
    got = classified(b)
    assert got == want, (sorted((got - want).elements())[:5], sorted((want - got).elements())[:5])
    counts = b["audit"]["changes"]["counts"]
    assert counts == {s: sum(n for (st, *_), n in want.items() if st == s) for s in status.values()}


def test_persisting_findings_carry_when_first_seen(reports):
    a, b = reports
    persisting = [f for f in b["findings"] if f["status"] == "persisting"]
    assert persisting and all(f["first_seen"] == a["meta"]["as_of"][:10] and f["runs"] == 2 for f in persisting)
    assert all(f["days"] == 0 for f in persisting)  # both months were audited as of the same day


def test_every_report_shows_the_changes(months, reports):
    out = months["base"] / "out-b"
    text = (out / "report.txt").read_text(encoding="utf-8")
    assert "与上次审计相比" in text and "已解决" in text
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="changes-table"' in html and 'data-status="resolved"' in html
    sheet = load_workbook(out / "findings.xlsx")["变化"]  # sheet names in the report's language
    statuses = Counter(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))
    counts = reports[1]["audit"]["changes"]["counts"]
    labels = {"new": "新增", "persisting": "持续", "resolved": "已解决", "not-reexamined": "本次未复查"}
    assert statuses == Counter({labels[k]: n for k, n in counts.items() if n})


def test_diff_findings_prints_the_same_classification(months, reports, capsys):
    a_json, b_json = (str(months["base"] / d / "findings.json") for d in ("out-a", "out-b"))
    assert main(["diff-findings", a_json, b_json, "--format", "json"]) == 1  # month B has new findings
    diff = json.loads(capsys.readouterr().out)
    assert diff["counts"] == reports[1]["audit"]["changes"]["counts"]
    assert main(["diff-findings", a_json, a_json]) == 0  # nothing new
    assert "持续" in capsys.readouterr().out


def test_first_seen_and_audit_count_carry_over_three_audits(tmp_path, capsys):
    def report(as_of: str, findings: list[dict], cases: dict) -> Path:
        path = tmp_path / f"{as_of}.json"
        meta = {"as_of": f"{as_of}T23:59:00+08:00", "from": "2026-01-01T00:00:00+08:00"}
        checked = [{"process": p, "cases": ids} for p, ids in cases.items()]
        data = {"meta": meta, "findings": findings, "checked_cases": checked}
        path.write_text(json.dumps(data), encoding="utf-8")
        return path

    f = {"key": "C101/p/K1/s", "code": "C101", "process": "p", "case_id": "K1", "scope": None, "step": "s"}
    g = {"key": "C101/p/K2/s", "code": "C101", "process": "p", "case_id": "K2", "scope": None, "step": "s"}
    may = report("2026-05-31", [{**f, "first_seen": "2026-04-30", "runs": 2}, g], {"p": ["K1", "K2"]})
    june = report("2026-06-30", [f], {"p": ["K1", "K2"]})
    assert main(["diff-findings", str(may), str(june), "--format", "json"]) == 0
    rows = {r["key"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
    assert rows[f["key"]] | {"key": 0} == {
        "key": 0,
        "status": "persisting",
        "first_seen": "2026-04-30",
        "days": 61,
        "runs": 3,
    }
    assert rows[g["key"]]["status"] == "resolved"  # K2 is still in June's log


def test_a_file_that_is_not_a_report_is_exit_two(tmp_path, capsys):
    bad = tmp_path / "x.json"
    bad.write_text("[]", encoding="utf-8")
    assert main(["diff-findings", str(bad), str(bad)]) == 2
    assert "x.json" in capsys.readouterr().err


def test_findings_of_rules_left_out_are_not_resolved(tmp_path, capsys):
    f = {"key": "C101/p/K1/s", "code": "C101", "process": "p", "case_id": "K1", "scope": None, "step": "s"}
    for name, rules, findings in (("a", None, [f]), ("b", "C104", [])):
        meta = {"as_of": "2026-06-30T23:59:00+08:00", "options": {"rules": rules}}
        data = {"meta": meta, "findings": findings, "checked_cases": [{"process": "p", "cases": ["K1"]}]}
        (tmp_path / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")
    assert main(["diff-findings", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--format", "json"]) == 0
    counts = json.loads(capsys.readouterr().out)["counts"]
    assert counts == {"new": 0, "persisting": 0, "resolved": 0, "not-reexamined": 1}


@pytest.mark.parametrize(
    ("period", "seen"),
    [
        ("2026-06-12", True),
        ("2026-W26", True),  # ends Sunday 06-28
        ("2026-06", True),
        ("2026-05-29", False),  # before this audit's window
        ("2026-W27", False),  # ends 07-05, after the as-of date
        ("2026-Q2", True),
        ("2026", False),
        ("2025-10-20/2026-06-10", True),  # an interval: its end decides
    ],
)
def test_an_obligation_finding_is_re_examined_when_its_period_ends_in_the_window(period, seen):
    from datetime import date

    from checker.audit.baseline import Run, reexamined

    now = Run("b", as_of=date(2026, 6, 30), start=date(2026, 6, 1), findings={}, checked={})
    assert reexamined({"code": "C201", "scope": "organisation", "period": period}, now) is seen
