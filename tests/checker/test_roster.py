"""Roster files: person → role over dates, roles named by id, title or alias."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest

from checker.readers import LogError
from checker.roster import read_roster, role_index
from opsbook.model import Role

LOGS = Path(__file__).parent / "fixtures" / "logs"
ROLES = (
    Role(
        id="sales",
        title="置业顾问",
        department="销售部",
        purpose="卖房",
        responsibilities=(),
        title_en="Sales consultant",
        aliases=("销售",),
    ),
    Role(id="boss", title="经理", department="销售部", purpose="审批", responsibilities=(), title_en="Manager"),
)
SCHEMA = {"person": pl.Utf8, "role": pl.Utf8, "from": pl.Date, "to": pl.Date}


def test_roster_csv_ids_titles_and_overlaps():
    roster = read_roster(LOGS / "roster.csv", ROLES)
    assert dict(roster.schema) == SCHEMA
    assert roster.rows() == [
        ("zhang", "sales", date(2024, 1, 1), None),
        ("zhang", "boss", date(2024, 3, 1), date(2024, 3, 31)),  # overlapping second role
        ("li", "boss", None, None),  # English title, case-insensitive
    ]


def test_roster_yaml():
    roster = read_roster(LOGS / "roster.yaml", ROLES)
    assert roster.rows() == [
        ("zhang", "sales", date(2024, 1, 1), None),
        ("li", "boss", date(2024, 2, 1), date(2024, 12, 31)),
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_roster_csv_encodings(tmp_path, encoding):
    path = tmp_path / "花名册.csv"
    path.write_bytes("person,role,from,to\n张三,销售,2024-01-01,\n".encode(encoding))
    assert read_roster(path, ROLES).rows() == [("张三", "sales", date(2024, 1, 1), None)]


def test_roster_xlsx(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["person", "role", "from", "to"])
    sheet.append(["zhang", "经理", datetime(2024, 3, 1), "2024/3/31"])
    sheet.append([None, None, None, None])
    sheet.append(["li", "boss", None, None])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    assert read_roster(path, ROLES).rows() == [
        ("zhang", "boss", date(2024, 3, 1), date(2024, 3, 31)),
        ("li", "boss", None, None),
    ]


def test_roster_empty_table(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("person,role,from,to\n", encoding="utf-8")
    roster = read_roster(path, ROLES)
    assert (roster.height, dict(roster.schema)) == (0, SCHEMA)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("r.csv", "person,role\nzhang,sales\nli,保安\n", "r.csv: row 2: unknown role '保安'"),
        ("r.csv", "person,role\n,sales\n", "r.csv: row 1: no person"),
        ("r.csv", "person,role\nzhang,\n", "r.csv: row 1: no role for 'zhang'"),
        ("r.csv", "person,role,from\nzhang,sales,March\n", "r.csv: row 1: 'from' is not a date: 'March'"),
        ("r.csv", "person,role,to\nzhang,sales,2024-02-30\n", "r.csv: row 1: 'to' is not a date: '2024-02-30'"),
        (
            "r.csv",
            "person,role,from,to\nzhang,sales,2024-03-02,2024-03-01\n",
            "r.csv: row 1: 'from' 2024-03-02 is after 'to' 2024-03-01",
        ),
        ("r.csv", "name,role\nzhang,sales\n", "r.csv: roster column(s) not found: person"),
        ("r.csv", "", "r.csv: empty file"),
        ("r.yaml", "- person: zhang\n  role: 保安\n", "r.yaml: entry 1: unknown role '保安'"),
        ("r.yaml", "- person: zhang\n  role: sales\n  until: 2024-01-01\n", "r.yaml: entry 1: unknown key 'until'"),
        ("r.yaml", "person: zhang\n", "r.yaml: expected a list of entries"),
        ("r.yaml", "- [zhang]\n", "r.yaml: entry 1: expected keys person, role, from, to"),
        ("r.yaml", "- person: [\n", "r.yaml:2: unreadable roster"),
        ("r.txt", "zhang sales\n", "r.txt: unknown roster format '.txt'"),
    ],
)
def test_roster_errors_name_file_row_and_value(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LogError) as caught:
        read_roster(path, ROLES)
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(tmp_path))


def test_roster_missing_file(tmp_path):
    with pytest.raises(LogError, match="no such file"):
        read_roster(tmp_path / "nope.csv", ROLES)


def test_roster_role_index_ambiguous_names():
    clash = Role(id="lead", title="组长", department="d", purpose="p", responsibilities=(), aliases=("经理",))
    index = role_index((*ROLES, clash))
    assert (index["sales"], index["sales consultant"], index["销售"], index["经理"]) == (
        "sales",
        "sales",
        "sales",
        None,
    )
