"""The retraining list: people holding a touched role on the day, with what changed for them (CSV, XLSX)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from opsbook.cli import main

PAIR = Path(__file__).resolve().parent / "fixtures" / "diff"
ROSTER = """person,role,from,to
张三,内勤,2025-01-01,
李四,clerk,2024-01-01,2026-02-28
王五,稽核专员,2026-04-01,
赵六,boss,,
孙七,实习生,2026-01-01,
"""


@pytest.fixture
def roster(tmp_path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def diff(*extra: str) -> int:
    return main(["diff", str(PAIR / "old"), str(PAIR / "new"), "--on", "2026-03-02", *extra])


def test_retraining_list_as_csv(tmp_path, roster, capsys):
    out = tmp_path / "retrain.csv"
    assert diff("--roster", str(roster), "--out", str(out)) == 1
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # 李四 left before the day; 王五 starts after it (a new hire, trained on the new version anyway)
    assert [(r["人员"], r["岗位编号"], r["变化数"]) for r in rows] == [("赵六", "boss", "3"), ("张三", "clerk", "6"),
                                                                        ("孙七", "intern", "2")]  # fmt: skip
    clerk = rows[1]["本岗位的变化"]
    assert "[条目改写] 销售内勤 · 岗位职责 r1：起草并核对合同。" in clerk
    assert "3 人" in capsys.readouterr().err


def test_retraining_list_as_xlsx_in_english(tmp_path, roster):
    out = tmp_path / "retrain.xlsx"
    assert diff("--roster", str(roster), "--out", str(out), "--lang", "en") == 1
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("person", "role", "role id")
    assert [r[0] for r in rows[1:]] == ["赵六", "张三", "孙七"]
    assert not list(tmp_path.glob(".retrain*")), "no partial file left behind"


def test_retraining_list_on_the_terminal(roster, capsys):
    assert diff("--roster", str(roster)) == 1
    out = capsys.readouterr().out
    assert "张三\t销售内勤\t6" in out


@pytest.mark.parametrize(
    "extra, words",
    [
        (["--out", "list.txt"], "list.txt"),
        (["--on", "soon"], "soon"),
    ],
)
def test_bad_retraining_input(tmp_path, roster, capsys, extra, words):
    code = main(["diff", str(PAIR / "old"), str(PAIR / "new"), "--roster", str(roster), *extra])
    err = capsys.readouterr().err
    assert code == 2 and words in err and len(err.strip().splitlines()) == 1


def test_unknown_role_in_roster_names_the_row(tmp_path, capsys):
    bad = tmp_path / "roster.csv"
    bad.write_text("person,role\n张三,厨师\n", encoding="utf-8")
    assert diff("--roster", str(bad)) == 2
    err = capsys.readouterr().err
    assert "row 1" in err and "厨师" in err
