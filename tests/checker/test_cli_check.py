"""`opsbook check` end to end on the minimal handbook: exit codes, accounting, outputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from opsbook.cli import main

from ..opsbook.test_validate_fixtures import make_handbook

LOG = """case_id,activity,timestamp,performer,role,handover_date
A1,起草合同,2026-03-02 09:00,p1,clerk,2026-04-30
A1,审批合同,2026-03-03 10:00,p2,boss,2026-04-30
A1,通知交房,2026-04-01 10:00,p1,clerk,2026-04-30
A2,起草合同,2026-03-02 09:00,p2,clerk,
A2,审批合同,2026-03-09 10:00,p2,boss,
A2,通知交房,2026-03-10 10:00,p1,clerk,
,通知交房,2026-03-10 10:00,p1,clerk,
A3,,2026-03-10 10:00,p1,clerk,
A3,起草合同,yesterday,p1,clerk,
A4,起草合同,2026-07-01 10:00,p1,clerk,
"""


@pytest.fixture
def setup(tmp_path):
    root = make_handbook(tmp_path)
    log = tmp_path / "log.csv"
    log.write_text(LOG, encoding="utf-8")
    return root, log


def check(root: Path, *args: str) -> int:
    return main(["check", "--handbook", str(root), "--rules", "C103,C104,C107", *args])


def test_findings_exit_one_and_json_accounts_for_every_row(setup, tmp_path, capsys):
    root, log = setup
    out = tmp_path / "out"
    code = check(root, str(log), "--as-of", "2026-06-30 23:59", "--out", str(out), "--format", "json,csv,text")
    assert code == 1
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    found = sorted((f["code"], f["case_id"], tuple(f["event_refs"])) for f in data["findings"])
    # A2: approved 5 workdays after drafting (limit 3 workdays), by the person who drafted it.
    assert found == [("C104", "A2", ("log.csv:5",)), ("C107", "A2", ("log.csv:4", "log.csv:5"))]
    rows = data["meta"]["rows"]
    assert rows == {"read": 10, "checked": 6, "rejected": 4}
    rejected = {r["ref"]: r["field"] for r in data["rejected"]}
    assert rejected == {
        "log.csv:7": "case_id",
        "log.csv:8": "activity",
        "log.csv:9": "timestamp",
        "log.csv:10": "timestamp",
    }
    assert (out / "findings.csv").exists() and (out / "report.txt").exists()
    # no --base-url and no manual_url: the page file of the local site, which opens from disk
    assert data["findings"][0]["url"].endswith("site/processes/sale/index.html#step-approve")


def test_fail_on_never_and_clean_selection(setup):
    root, log = setup
    assert check(root, str(log), "--fail-on", "never") == 0
    assert main(["check", "--handbook", str(root), "--rules", "C103", str(log)]) == 0


def test_same_inputs_give_byte_identical_json(setup, tmp_path):
    root, log = setup
    for name in ("a", "b"):
        check(root, str(log), "--as-of", "2026-06-30 23:59", "--out", str(tmp_path / name), "--format", "json", "-q")
    assert (tmp_path / "a" / "findings.json").read_bytes() == (tmp_path / "b" / "findings.json").read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv"], "missing.csv: no such file"),
        (["{log}", "--format", "pdf", "--out", "x"], "unknown report format pdf"),
        (["{log}", "--as-of", "soon"], "--as-of 'soon' is not a time"),
        (["{log}", "--rules", "C999"], "unknown rule code(s): C999"),
        (["{log}", "--mapping", "{bad_mapping}"], "unknown key 'activty'"),
    ],
)
def test_bad_input_is_one_line_and_exit_two(setup, tmp_path, args, message):
    root, log = setup
    bad_mapping = tmp_path / "m.yaml"
    bad_mapping.write_text("activty: 动作\n", encoding="utf-8")
    args = [a.format(log=log, bad_mapping=bad_mapping) for a in args]
    proc = subprocess.run(
        [sys.executable, "-m", "opsbook", "check", "--lang", "en", "--handbook", str(root), *args],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_outside_a_handbook_folder_the_message_names_the_option(setup, tmp_path, capsys, monkeypatch):
    _, log = setup
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["check", str(log)]) == 2
    err = capsys.readouterr().err
    assert "找不到 handbook.yaml" in err and "--handbook" in err and "Traceback" not in err
    assert main(["check", str(log), "--lang", "en"]) == 2
    assert "name the handbook folder with --handbook" in capsys.readouterr().err
