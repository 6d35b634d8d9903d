"""Audit integrity: what a report records about its run, and that a re-run gives the same bytes."""

from __future__ import annotations

import hashlib
import json
import shutil
from zipfile import ZipFile

import pytest

from checker.reports import WRITERS
from opsbook import __version__
from opsbook.loader import content_digest, discover

from .helpers import CORPUS, make_handbook, opsbook

FORMATS = ",".join(WRITERS)
KEY = "another-secret-key-0123456789"


@pytest.fixture
def audit(tmp_path):
    root = make_handbook(tmp_path)
    shutil.copyfile(CORPUS / "privacy" / "processes" / "visits.yaml", root / "processes" / "visits.yaml")
    work = tmp_path / "work"
    work.mkdir()
    for name in ("log.csv", "roster.csv"):
        shutil.copyfile(CORPUS / "privacy" / name, work / name)

    def run(out: str, *extra: str):
        args = ["--roster", "roster.csv", "--as-of", "2026-03-20 23:59", "--out", out, "--format", FORMATS, "-q"]
        proc = opsbook("check", "--handbook", str(root), "log.csv", *args, *extra, cwd=work)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
        return work / out

    return root, work, run


def test_every_report_records_inputs_handbook_tool_as_of_and_calendar(audit):
    root, work, run = audit
    out = run("out")
    meta = json.loads((out / "findings.json").read_text(encoding="utf-8"))["meta"]
    sha = hashlib.sha256((work / "log.csv").read_bytes()).hexdigest()
    settings, roles, processes = discover(root)
    digest = content_digest(root, [settings, *roles, *processes])
    (log,) = meta["inputs"]
    assert (log["path"], log["format"], log["sha256"], log["rows_read"]) == ("log.csv", "csv", sha, 8)
    assert meta["handbook"] == {
        "organisation": "测试销售部",
        "organisation_en": None,
        "version": "t1",
        "digest": digest,
        "revision": None,
    }
    assert meta["tool_version"] == __version__
    assert meta["as_of"] == "2026-03-20T23:59:00+08:00"
    assert meta["timezone"] == "Asia/Shanghai"
    assert meta["calendar"]["region"] == "CN" and meta["calendar"]["covered_years"].startswith("2004–")
    with ZipFile(out / "findings.xlsx") as book:
        workbook = "".join(book.read(n).decode("utf-8") for n in book.namelist())
    # the findings table (findings.csv) has one row per finding and no room for the run's facts
    for text in ((out / "report.txt").read_text(encoding="utf-8"), (out / "report.html").read_text("utf-8"), workbook):
        assert sha in text and digest in text and __version__ in text and "2026-03-20T23:59:00+08:00" in text


@pytest.mark.parametrize("redact", [False, True], ids=["plain", "redacted"])
def test_a_rerun_reproduces_every_report_byte_for_byte(audit, redact):
    _, work, run = audit
    extra = ("--redact", "--redact-key-file", "key") if redact else ()
    (work / "key").write_text(KEY, encoding="utf-8")
    first, second = run("first", *extra), run("second", *extra)
    for writer in WRITERS.values():
        assert (first / writer.filename).read_bytes() == (second / writer.filename).read_bytes(), writer.filename
