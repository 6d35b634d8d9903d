"""`opsbook sample`: attribute sample sizes, exact reproducibility, strata, the working paper."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest
from openpyxl import load_workbook

from checker.audit.sample import attribute_sample_size, draw
from opsbook.cli import main

ROOT = Path(__file__).parents[3]
EX = ROOT / "examples"
BASE = ["--mapping", str(EX / "mapping.yaml"), "--roster", str(EX / "roster.csv"), "--handbook", str(ROOT)]
BASE += ["--as-of", "2026-06-30T23:59:00+08:00", "--from", "2026-06-01", "-q"]


@pytest.mark.parametrize(
    ("confidence", "tolerable", "expected", "size", "allowed"),
    # the AICPA attribute-sampling tables
    [(95, 5, 0, 59, 0), (95, 5, 1, 93, 1), (95, 5, 1.5, 124, 2), (90, 5, 1, 77, 1), (95, 10, 2, 46, 1)],
)
def test_sample_size_follows_the_attribute_sampling_tables(confidence, tolerable, expected, size, allowed):
    assert attribute_sample_size(confidence, tolerable, expected) == (size, allowed)


def test_a_case_keeps_its_rank_whatever_else_is_in_the_population():
    cases = [("p", f"C{i}") for i in range(200)]
    drawn, _ = draw(cases, set(), size=10, seed=1)
    more, _ = draw(cases + [("p", f"D{i}") for i in range(50)], set(), size=10, seed=1)
    assert {d.case_id for d in more if d.case_id.startswith("C")} <= {d.case_id for d in drawn}
    other, _ = draw(list(reversed(cases)), set(), size=10, seed=1)
    assert other == drawn
    assert draw(cases, set(), size=10, seed=2)[0] != drawn


def sample(out: Path, *args: str, log: Path = EX / "sample-log.csv") -> dict:
    assert main(["sample", str(log), *BASE, "--out", str(out), *args]) == 0
    return json.loads((out / "sample.json").read_text(encoding="utf-8"))


def test_the_same_seed_draws_the_same_sample_to_the_byte_even_from_a_shuffled_log(tmp_path):
    first = sample(tmp_path / "a", "--size", "4", "--seed", "20260701")
    sample(tmp_path / "b", "--size", "4", "--seed", "20260701")
    for name in ("sample.json", "sample.xlsx"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    text = (EX / "sample-log.csv").read_text(encoding="utf-8-sig").splitlines()
    rows = text[1:]
    random.Random(9).shuffle(rows)
    shuffled = tmp_path / "sample-log.csv"  # the same name: the working paper names the log file
    shuffled.write_text("\n".join([text[0], *rows]) + "\n", encoding="utf-8")
    again = sample(tmp_path / "c", "--size", "4", "--seed", "20260701", log=shuffled)
    assert again["drawn"] == first["drawn"]
    other = sample(tmp_path / "d", "--size", "4", "--seed", "7")
    assert other["drawn"] != first["drawn"]


def test_strata_by_findings_and_process(tmp_path):
    sel = sample(tmp_path / "s", "--size", "2", "--seed", "1", "--stratify", "findings,process")
    with_findings = set()
    check = tmp_path / "check"
    assert main(["check", str(EX / "sample-log.csv"), *BASE, "--out", str(check), "--format", "json"]) == 1
    for f in json.loads((check / "findings.json").read_text(encoding="utf-8"))["findings"]:
        if f["case_id"]:
            with_findings.add((f["process"], f["case_id"]))
    for d in sel["drawn"]:
        process, kind = d["stratum"].split("/")
        assert process == d["process"]
        assert kind == ("with-findings" if (d["process"], d["case_id"]) in with_findings else "no-findings")
    for s in sel["strata"]:
        assert s["sample"] == min(2, s["population"])
        assert sum(d["stratum"] == s["stratum"] for d in sel["drawn"]) == s["sample"]


def test_the_working_paper_has_a_row_per_case_with_its_evidence_and_empty_sign_off(tmp_path):
    # 5 complaint cases, fewer than the 59 needed at 95 % / 5 % / 0 %: the whole population is taken
    sel = sample(tmp_path / "w", "--process", "complaint-handling", "--seed", "3", *RATES)
    assert sel["sizing"] == {
        "confidence": 95.0,
        "tolerable_rate": 5.0,
        "expected_rate": 0.0,
        "size": 59,
        "deviations_allowed": 0,
    }
    assert sel["strata"] == [{"stratum": "all", "population": 5, "sample": 5}]
    ws = load_workbook(tmp_path / "w" / "sample.xlsx")["Sample"]
    rows = {r[3]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert sorted(rows) == ["TS-001", "TS-002", "TS-003", "TS-004", "TS-005"]
    ts2 = rows["TS-002"]
    assert ts2[2] == "投诉处理"
    assert "sample-log.csv:" in ts2[5]  # its events, with their references
    assert "✗" in ts2[6] and "✓" in ts2[6]  # the track step never happened
    assert ts2[7].startswith("C101")
    assert all(v is None for v in ts2[8:])  # for the tester


RATES = ("--confidence", "95", "--tolerable-rate", "5", "--expected-rate", "0")


@pytest.mark.parametrize(
    "args",
    [
        ("--seed", "1"),  # neither a size nor rates
        ("--seed", "1", "--confidence", "95", "--tolerable-rate", "5"),  # incomplete rates
        ("--seed", "1", "--confidence", "95", "--tolerable-rate", "1", "--expected-rate", "2"),
        ("--seed", "1", "--size", "3", "--process", "no-such-process"),
        ("--seed", "1", "--size", "3", "--stratify", "month"),
    ],
)
def test_unusable_parameters_are_exit_two(tmp_path, capsys, args):
    assert main(["sample", str(EX / "sample-log.csv"), *BASE, "--out", str(tmp_path / "x"), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("opsbook sample: error:") and "Traceback" not in err
    assert not (tmp_path / "x").exists()


def test_csv_rows_of_the_log_are_all_in_the_working_paper(tmp_path):
    sample(tmp_path / "all", "--size", "1000", "--seed", "1", "--process", "handover")
    ws = load_workbook(tmp_path / "all" / "sample.xlsx")["Sample"]
    listed = sum(len(r[5].splitlines()) for r in ws.iter_rows(min_row=2, values_only=True))
    with (EX / "sample-log.csv").open(encoding="utf-8-sig", newline="") as fh:
        handover = [r for r in csv.DictReader(fh) if r["客户编号"].startswith("RH-")]
    assert listed == len(handover)


def test_the_working_paper_shows_the_attributes_that_decide_conditional_steps(tmp_path):
    sample(tmp_path / "m", "--size", "5", "--seed", "1", "--process", "mortgage")
    ws = load_workbook(tmp_path / "m" / "sample.xlsx")["Sample"]
    steps = {r[3]: r[6].splitlines() for r in ws.iter_rows(min_row=2, values_only=True)}
    assert steps["HT-002"][0] == "payment_method = 一次性付款"  # so the mortgage steps are not required
    assert steps["HT-001"][0] == "payment_method = 按揭"


def test_the_recorded_command_draws_the_same_sample(tmp_path, monkeypatch):
    import shlex

    first = sample(tmp_path / "one", "--size", "3", "--seed", "5", "--stratify", "findings")
    argv = shlex.split(first["command"])
    assert argv[:2] == ["opsbook", "sample"] and "--as-of" in argv and "--seed" in argv
    monkeypatch.chdir(ROOT)  # the command names the handbook by the folder it is run from
    assert main([*argv[1:], "--out", str(tmp_path / "two"), "-q"]) == 0
    again = json.loads((tmp_path / "two" / "sample.json").read_text(encoding="utf-8"))
    assert again["drawn"] == first["drawn"]
