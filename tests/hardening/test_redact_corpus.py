"""--redact against an adversarial corpus, one class at a time, asserted on all five report formats.

Each class puts raw values where reports quote free text: unknown activity labels (a finding's
``detail``, hence its key, and its ``label`` parameter), unreadable timestamps (a rejected row's
reason) and performers (a segregation finding's detail). A value must not survive in any byte of
any report, in stdout or stderr, nor as its bare digits.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from checker.redact import Redactor
from opsbook.safepath import MARKER

from .helpers import CORPUS, make_handbook, opsbook
from .test_redact_property import every_byte

KEY = "corpus-test-key-0123456789abcdef"
FORMATS = "json,html,text,csv,xlsx"
HEADER = [
    "case_id",
    "activity",
    "timestamp",
    "performer",
    "role",
    "customer_id",
    "phone",
    "客户姓名",
    "email",
    "身份证",
]

# class -> values, each also written glued to Chinese text in labels and timestamps
CLASSES = {
    "case ids glued to Chinese": [
        "CUST-7731",
        "HT2026-0042",
        "合同-88",
        "A-7",
    ],  # short, replaced where it stands alone
    "mainland phones": [
        "13812345678",
        "138-1234-5678",
        "138.1234.5678",
        "138 1234 5678",
        "+86 139 8765 4321",
        "0086-137-2222-3333",
        "(+86)136 1111 2222",
        "１３５１２３４５６７８",
        "158－2345－6789",
    ],
    "landlines with area codes": [
        "010-12345678",
        "(021) 8765 4321",
        "0755-1234-5678",
        "（0571）88889999",
        "02087654321",
    ],
    "prefixed phones": ["tel-13912345678", "Tel:021-66667777", "TEL13700001111", "fax010-55556666"],
    "non-mainland phones": [
        "+852 9123 4567",
        "+852-2345-6789",
        "9876 5432",
        "+886 912 345 678",
        "0912-345-678",
        "+853 6612 3456",
        "+1 (555) 123-4567",
        "+44 20 7946 0958",
        "+65 9123 4567",
    ],
    "customer names": ["陈美华", "欧阳娜娜", "li.wei"],
    "national ids and e-mail": [
        "11010519491231002X",
        "440106198001011234",
        "A123456(7)",
        "F123456789",
        "wang.xm@example.cn",
    ],
}
COLUMN = {
    "case ids glued to Chinese": "case_id",
    "customer names": "客户姓名",
    "national ids and e-mail": "身份证",
}  # others: phone
PHONEISH = {"mainland phones", "landlines with area codes", "prefixed phones", "non-mainland phones"}
GLUE = ("回访", "客户", "，电话", "（", "）联系")


def build_log(path: Path, values: list[str], column: str) -> None:
    """Two well-formed cases; every value glued into labels and timestamps; ids of rejected-only cases."""
    rows = []
    for i, case in enumerate(("K-1001", "K-1002"), 1):
        rows.append([case, "起草合同", f"2026-03-0{i} 09:00", "王小明", "clerk", case, "", "", "", ""])
        rows.append([case, "审批合同", f"2026-03-0{i} 10:00", "王小明", "boss", case, "", "", "", ""])
    for j, value in enumerate(values):
        left, right = GLUE[j % len(GLUE)], GLUE[(j + 1) % len(GLUE)]
        rows.append(
            ["K-1001", f"{left}{value}{right}", f"2026-03-1{j % 10} 12:00", "zhao.li", "clerk", "", "", "", "", ""]
        )
        rows.append(["K-1002", "审批合同", f"{left}{value}{right}", "zhao.li", "boss", "", "", "", "", ""])
        # the value's own row, in the column of its kind: rejected (no timestamp), so known from rejected rows only
        own = ["", "起草合同", "", "", "clerk", "", "", "", "", ""]
        own[HEADER.index(column)] = value
        rows.append(own)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *rows])


@pytest.fixture
def run(tmp_path):
    root = make_handbook(tmp_path)
    shutil.copyfile(CORPUS / "privacy" / "processes" / "visits.yaml", root / "processes" / "visits.yaml")
    (tmp_path / "key").write_text(KEY, encoding="utf-8")

    def check(values: list[str], out: str, *extra: str, column: str = "phone"):
        build_log(tmp_path / "log.csv", values, column)
        args = ["--as-of", "2026-03-31 23:59", "--out", out, "--format", FORMATS, *extra]
        proc = opsbook("check", "--handbook", str(root), "log.csv", *args, cwd=tmp_path)
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr
        return proc, tmp_path / out

    return check


def forms(value: str) -> list[str]:
    """The value as written, and as its bare digits when those are long enough to identify."""
    digits = re.sub(r"\D", "", value)
    return [value] + ([digits] if len(digits) >= 8 and digits != value else [])


@pytest.mark.parametrize("name", list(CLASSES))
def test_no_value_of_the_class_survives_in_any_format(run, name):
    values = CLASSES[name]
    proc, out = run(values, "red", "--redact", "--redact-key-file", "key", column=COLUMN.get(name, "phone"))
    assert sorted(p.name for p in out.iterdir() if p.name != MARKER) == sorted(
        ["findings.json", "report.html", "report.txt", "findings.csv", "findings.xlsx"]
    )
    everything = "\n".join([every_byte(out), proc.stdout, proc.stderr])
    leaked = [form for value in values for form in forms(value) if form in everything]
    assert leaked == []
    if name in PHONEISH:
        assert re.search(r"\bT-[0-9a-f]{16}\b", everything)


@pytest.mark.parametrize("name", list(CLASSES))
def test_without_redact_the_values_are_in_the_reports(run, name):
    """So that the test above proves something: the corpus does reach the reports."""
    _, out = run(CLASSES[name], "plain", column=COLUMN.get(name, "phone"))
    everything = every_byte(out)
    assert [value for value in CLASSES[name] if value not in everything] == []


def test_keys_name_the_pseudonyms_consistently(run):
    values = ["CUST-7731", "13812345678"]
    _, one = run(values, "one", "--redact", "--redact-key-file", "key")
    _, two = run(values, "two", "--redact", "--redact-key-file", "key")
    findings = json.loads((one / "findings.json").read_text(encoding="utf-8"))["findings"]
    again = json.loads((two / "findings.json").read_text(encoding="utf-8"))["findings"]
    assert [f["key"] for f in findings] == [f["key"] for f in again]
    redactor = Redactor(KEY.encode())
    case, person = redactor.pseudonym("case", "K-1001"), redactor.pseudonym("person", "王小明")
    segregation = [f for f in findings if f["code"] == "C107"]
    assert segregation and all(f["key"].split("/")[2] == f["case_id"] for f in segregation)
    assert f"C107/sale/{case}/approve/draft%2F{person}" in {f["key"] for f in segregation}
    assert all(f["performers"] == [person] for f in segregation)
    assert all("K-1001" not in f["key"] and "王小明" not in f["key"] for f in findings)


def test_a_name_cut_by_the_quote_limit_leaves_no_half(tmp_path):
    """A reader quotes 80 characters of a bad value; a name cut there (王小|明) loses its first half too."""
    root = make_handbook(tmp_path)
    (tmp_path / "key").write_text(KEY, encoding="utf-8")
    stamp = "回访" * 39 + "王小明电话"
    rows = [["K-1", "起草合同", "2026-03-02 09:00", "王小明", "clerk"], ["K-1", "审批合同", stamp, "zhao.li", "boss"]]
    with (tmp_path / "log.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER[:5], *rows])
    args = ["--as-of", "2026-03-31 23:59", "--redact", "--redact-key-file", "key", "--out", "out", "--format", FORMATS]
    proc = opsbook("check", "--handbook", str(root), "log.csv", *args, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    report = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert [r["reason"] for r in report["rejected"]] == ["unreadable timestamp '" + "回访" * 39 + "…'"]
    everything = every_byte(tmp_path / "out")
    assert "王小" not in everything and "回访" * 39 in everything
