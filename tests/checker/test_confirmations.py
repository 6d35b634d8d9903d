"""C204, C205, C206: confirmations of the role page, through `opsbook check`, on a handbook with two releases in git.

Release 1 (2026-01-05) and release 2 (2026-03-02) are the diff fixture's old and
new content (tests/opsbook/release_repo.py), both with a site secretary whose role
release 2 does not change and the confirmation obligation (5 workdays, the
version in the attribute ``version``). Release 2 changes the clerk, the boss and
the (new) auditor.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from opsbook.cli import main
from tests.opsbook import release_repo

CONFIRM = """\
  - id: confirm
    title: 确认阅读岗位说明书
    activities: [确认阅读岗位说明书]
    scope: every-role
    cadence: {confirm: {within: 5 workdays, version: version}}
"""
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "confirmations"
# One person per case (roster.csv, log.csv): u-clerk confirms only the older version 1; u-sec holds a role
# release 2 leaves alone; u-new is a new hire who confirms late, u-ok one on time; u-move changes role
# from clerk to boss on 2026-04-01, having confirmed version 2 as clerk only.
ROSTER = (FIXTURES / "roster.csv").read_text(encoding="utf-8")
LOG = (FIXTURES / "log.csv").read_text(encoding="utf-8")


def patch(root: Path) -> None:
    shutil.copy(FIXTURES / "roles" / "secretary.yaml", root / "roles" / "secretary.yaml")
    sale = root / "processes" / "sale.yaml"
    text = sale.read_text(encoding="utf-8")
    text = text.replace(
        "attributes:\n", "attributes:\n  - name: version\n    type: string\n    description: 确认的版本。\n"
    )
    sale.write_text(text + CONFIRM, encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return release_repo.make(tmp_path_factory.mktemp("confirm") / "hb", patch)


def run(repo: Path, folder: Path, as_of: str) -> tuple[int, dict]:
    (folder / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (folder / "log.csv").write_text(LOG, encoding="utf-8")
    out = folder / "out"
    args = ["check", str(folder / "log.csv"), "--handbook", str(repo), "--roster", str(folder / "roster.csv")]
    args += ["--rules", "C204,C205,C206", "--from", "2026-02-01", "--as-of", as_of]
    code = main([*args, "--out", str(out), "--format", "json", "--lang", "en"])
    return code, json.loads((out / "findings.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report(repo, tmp_path_factory):
    return run(repo, tmp_path_factory.mktemp("confirm-run"), "2026-04-30 23:59")


def by_person(data: dict) -> dict:
    return {(f["scope"], f["code"]): f for f in data["findings"]}


def test_exactly_the_expected_findings(report):
    code, data = report
    assert code == 1
    assert sorted(by_person(data)) == [("u-clerk", "C204"), ("u-move", "C204"), ("u-new", "C205")]


def test_a_confirmation_of_an_older_version_does_not_count(report):
    clerk = by_person(report[1])[("u-clerk", "C204")]
    assert clerk["period"] == "2" and clerk["event_refs"] == ["log.csv:1"]
    assert clerk["expected"] == (
        "role page of 销售内勤, version 2: confirmed by 2026-03-09 24:00, after its release (2026-03-02)"
    )
    assert clerk["actual"] == "by 2026-04-30 23:59 only older or unknown versions confirmed: 1"
    assert clerk["key"] == "C204/sale/u-clerk/confirm/clerk 2"


def test_a_new_hire_confirming_after_the_limit_is_late(report):
    late = by_person(report[1])[("u-new", "C205")]
    assert late["expected"].endswith("confirmed by 2026-03-23 24:00, after starting the role (2026-03-16)")
    assert late["actual"] == "confirmed at 2026-03-25 10:00 (version 2)"
    assert late["lateness_seconds"] == 34 * 3600 and late["event_refs"] == ["log.csv:4"]


def test_a_role_change_asks_for_a_confirmation_in_the_new_role(report):
    moved = by_person(report[1])[("u-move", "C204")]
    assert moved["expected"].startswith("role page of 经理, version 2:")
    assert moved["key"] == "C204/sale/u-move/confirm/boss 2"
    assert "after starting the role (2026-04-01)" in moved["expected"]
    assert moved["event_refs"] == [], "the confirmation made as clerk is not one for the boss's page"


def test_a_release_that_does_not_change_the_role_asks_nothing(report):
    assert not [f for f in report[1]["findings"] if f["scope"] == "u-sec"]


def test_without_a_roster_nothing_is_evaluated(repo, tmp_path):
    log = tmp_path / "log.csv"
    log.write_text(LOG, encoding="utf-8")
    args = ["check", str(log), "--handbook", str(repo), "--rules", "C204,C205", "--as-of", "2026-04-30 23:59"]
    assert main(args) == 0


def test_during_the_campaign_the_unconfirmed_are_listed_as_information(repo, tmp_path):
    code, data = run(repo, tmp_path, "2026-03-05 12:00")  # release 2 is due by 2026-03-09 24:00
    assert code == 0, "information only: nothing is late yet"
    assert [(f["code"], f["severity"], f["scope"], f["period"]) for f in data["findings"]] == [
        ("C206", "info", "u-clerk", "2")  # u-move confirmed 2 on 03-04; the secretary's role did not change
    ]
    assert data["findings"][0]["event_refs"] == ["log.csv:1"]  # the older version it did confirm


def test_a_confirmation_without_a_person_is_rejected(repo, tmp_path):
    log = tmp_path / "log.csv"
    log.write_text("activity,timestamp,performer,version\n确认阅读岗位说明书,2026-03-03 10:00,,2\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["check", str(log), "--handbook", str(repo), "--rules", "C204", "--out", str(out), "--format", "json"]
    assert main(args) == 2  # no usable event left
    log.write_text(log.read_text(encoding="utf-8") + "提交日报,2026-03-03 17:00,u-clerk,\n", encoding="utf-8")
    assert main(args) == 0
    rejected = json.loads((out / "findings.json").read_text(encoding="utf-8"))["rejected"]
    assert [(r["ref"], r["field"]) for r in rejected] == [("log.csv:1", "performer")]
