"""--redact: keyed pseudonyms in every report, and no personal data left in any of them."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from zipfile import ZipFile

import pytest

from checker.personal import PHONE
from checker.redact import Redactor
from checker.reports import WRITERS

from .helpers import CORPUS, make_handbook, opsbook

DATA = CORPUS / "privacy"
KEY = "a-very-secret-key-0123456789"
FORMATS = ",".join(WRITERS)
# In the log: case and customer ids, staff names, phone numbers (also inside an
# activity label and an unreadable timestamp), and columns no rule needs.
RAW = ["CUST-7731", "CUST-8842", "王小明", "zhao.li", "13812345678", "010-12345678"]
UNNEEDED = ["李大华", "陈美", "139 8765 4321"]
PSEUDONYM = re.compile(r"\b[CPT]-[0-9a-f]{16}\b")
KEYED_PHONE = Redactor(KEY.encode()).pseudonym("phone", "010-12345678")


@pytest.fixture
def audit(tmp_path):
    root = make_handbook(tmp_path)
    shutil.copyfile(DATA / "processes" / "visits.yaml", root / "processes" / "visits.yaml")
    work = tmp_path / "work"
    work.mkdir()
    for name in ("log.csv", "roster.csv"):
        shutil.copyfile(DATA / name, work / name)
    (work / "key").write_text(KEY + "\n", encoding="utf-8")

    def run(out: str, *extra: str, env: dict | None = None):
        args = ["--roster", "roster.csv", "--as-of", "2026-03-20 23:59", "--out", out, "--format", FORMATS, "-q"]
        proc = opsbook("check", "--handbook", str(root), "log.csv", *args, *extra, cwd=work, env=env)
        assert "Traceback" not in proc.stderr
        return proc, work / out

    return run


def report_texts(out: Path) -> dict[str, str]:
    """Every report as text: the workbook's XML parts, the HTML unescaped."""
    texts = {}
    for writer in WRITERS.values():
        path = out / writer.filename
        if path.suffix == ".xlsx":
            with ZipFile(path) as book:
                texts[path.name] = "".join(book.read(n).decode("utf-8") for n in book.namelist())
        else:
            texts[path.name] = path.read_text(encoding="utf-8-sig")
    texts["report.html"] = html.unescape(texts["report.html"])
    return texts


def pseudonyms(out: Path) -> set[str]:
    return set(PSEUDONYM.findall((out / "findings.json").read_text(encoding="utf-8")))


def test_no_personal_data_in_any_redacted_report(audit):
    proc, out = audit("out", "--redact", "--redact-key-file", "key")
    assert proc.returncode == 1
    texts = report_texts(out)
    assert sorted(texts) == sorted(w.filename for w in WRITERS.values())
    for name, text in texts.items():
        leaked = [value for value in RAW + UNNEEDED if value in text]
        assert leaked == [], name
        assert PSEUDONYM.search(text), name
    report = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert report["meta"]["options"]["redact"] is True
    assert report["rejected"] == [
        {"ref": "log.csv:8", "field": "timestamp", "reason": f"unreadable timestamp 'call {KEYED_PHONE}'"}
    ]


def test_without_redact_the_same_reports_name_people_but_copy_no_unneeded_column(audit):
    proc, out = audit("plain")
    assert proc.returncode == 1
    every = "".join(report_texts(out).values())
    assert all(value in every for value in RAW)  # so the test above proves something
    assert [value for value in UNNEEDED if value in every] == []


def test_pseudonyms_are_stable_and_joinable(audit):
    _, first = audit("one", "--redact", "--redact-key-file", "key")
    _, second = audit("two", "--redact", env={"OPSBOOK_REDACT_KEY": KEY})
    for writer in WRITERS.values():
        assert (first / writer.filename).read_bytes() == (second / writer.filename).read_bytes(), writer.filename
    findings = json.loads((first / "findings.json").read_text(encoding="utf-8"))["findings"]
    case = Redactor(KEY.encode()).pseudonym("case", "CUST-7731")
    # the case id and the same customer as an obligation's scope share one pseudonym
    assert {f["code"] for f in findings if case in (f["case_id"], f["scope"])} == {"C104", "C107", "C203"}


def test_another_key_gives_other_pseudonyms(audit):
    _, first = audit("one", "--redact", env={"OPSBOOK_REDACT_KEY": KEY})
    _, other = audit("two", "--redact", env={"OPSBOOK_REDACT_KEY": KEY[::-1]})
    assert pseudonyms(first) and pseudonyms(other)
    assert pseudonyms(first).isdisjoint(pseudonyms(other))


@pytest.mark.parametrize(
    ("extra", "env", "message"),
    [
        (
            ["--redact"],
            {},
            "--redact needs a key: --redact-key-file FILE or the environment variable OPSBOOK_REDACT_KEY",
        ),
        (
            ["--redact"],
            {"OPSBOOK_REDACT_KEY": ""},
            "--redact needs a key: --redact-key-file FILE or the environment variable OPSBOOK_REDACT_KEY",
        ),
        (
            ["--redact"],
            {"OPSBOOK_REDACT_KEY": "short"},
            "the redaction key in OPSBOOK_REDACT_KEY is 5 bytes; use at least 16 random bytes (e.g. openssl rand -hex 32)",
        ),
        (
            ["--redact", "--redact-key-file", "missing"],
            {},
            "argument --redact-key-file: 路径不存在：'missing'（参见 opsbook check --help）",  # checked when parsed
        ),
        (["--redact-key-file", "key"], {}, "--redact-key-file is only used with --redact"),
    ],
)
def test_redact_without_a_usable_key_is_a_usage_error(audit, extra, env, message):
    proc, out = audit("out", *extra, env=env)
    assert proc.returncode == 2
    assert proc.stderr == f"opsbook check: error: {message}\n"
    assert not out.exists()


def test_pseudonym_form():
    one, other = Redactor(b"k" * 16), Redactor(b"j" * 16)
    assert re.fullmatch(r"C-[0-9a-f]{16}", one.pseudonym("case", "CUST-7731"))
    assert re.fullmatch(r"P-[0-9a-f]{16}", one.pseudonym("person", "王小明"))
    assert one.pseudonym("case", "A1") == Redactor(b"k" * 16).pseudonym("case", "A1")
    assert one.pseudonym("case", "A1") != other.pseudonym("case", "A1")
    assert one.pseudonym("case", "A1")[2:] != one.pseudonym("person", "A1")[2:]
    # one number however it is written
    assert one.pseudonym("phone", "138-1234-5678") == one.pseudonym("phone", "13812345678")


@pytest.mark.parametrize(
    "text",
    ["13812345678", "138-1234-5678", "138 1234 5678", "+86 138 1234 5678", "+1 (555) 123-4567", "0086 10 1234 5678"]
    + ["010-12345678", "(021) 87654321", "02112345678", "电话13812345678"],
)
def test_phone_like_values_are_found(text):
    match = PHONE.search(text)
    assert match and match[0] == text.removeprefix("电话")


@pytest.mark.parametrize(
    "text",
    [
        "by 2026-03-05 24:00 (3 workdays from 起草合同)",
        "2026-03-06T00:30:00+08:00",
        "occurred 295200 seconds after its deadline",
        "2024-W10",
        "2024-03-05/2024-03-12",
        "sha256 65017432de5f6443b4136ff4c985dee6f654bb244956b2dcf8254583de12b509",
    ],
)
def test_dates_durations_and_references_are_not_phone_numbers(text):
    assert PHONE.search(text) is None
