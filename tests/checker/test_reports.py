"""Report writers: every format renders the same findings, safely and deterministically."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from zipfile import ZipFile

import pytest
from openpyxl import load_workbook

from checker.events import Rejected
from checker.finding import Finding, text
from checker.report import Report, rule_title, summary
from checker.reports import WRITERS, Writer, render_text, tabular, write_reports
from checker.reports.i18n import lateness_words
from checker.reports.tabular import COLUMNS, FORMULA_START

BASE = "https://handbook.example/"
XSS = "<script>alert(1)</script>"
FORMULAS = ('=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)")
STEP = "processes/sale/#step-approve"

FINDINGS = tuple(
    sorted(
        [
            Finding(
                "C104",
                "deadline",
                "violation",
                STEP,
                process="sale",
                case_id=XSS,
                step="approve",
                expected=text("expected.due", due="2024-03-05 18:00"),
                actual=text("actual.at", at="2024-03-07 21:00"),
                lateness_seconds=2 * 86400 + 3 * 3600 + 60,
                event_refs=("log.csv:3", "log.csv:5"),
                performers=FORMULAS[:2],
            ),
            Finding(
                "C105",
                "unauthorised-role",
                "violation",
                STEP,
                process="sale",
                case_id=XSS,
                step="approve",
                expected=text("actual.at", at="=1+1"),
                actual=text("actual.at", at="柜员"),
                event_refs=("log.csv:5",),
                performers=("-2",),
            ),
            Finding(
                "C202",
                "obligation-late",
                "violation",
                "processes/sale/#obligation-daily",
                process="sale",
                step="daily",
                scope="@SUM(A1)",
                period="2024-03-05",
                expected=text("expected.due", due="18:00"),
                actual=text("actual.at", at="2024-03-05 18:01"),
                lateness_seconds=60,
                event_refs=("log.csv:9",),
                performers=("张三",),
            ),
            Finding(
                "C111",
                "unknown-activity",
                "warning",
                "rules/#c111",
                actual=text("actual.unknown-label", label="审批</script><!--", count=3),
                event_refs=("log.csv:1",),
            ),
        ],
        key=Finding.sort_key,
    )
)
REJECTED = tuple(Rejected(f"log.csv:{i}", "timestamp", "unreadable timestamp") for i in range(20, 75))
META = {
    "inputs": [{"path": "log.csv", "format": "csv", "sha256": "ab" * 32, "rows_read": 100, "rows_rejected": 55}],
    "handbook": {"organisation": "示例银行", "version": "1.2", "digest": "sha256:ff", "revision": "abc123"},
    "tool_version": "0.1.0",
    "as_of": "2024-03-10T18:00:00+08:00",
    "timezone": "Asia/Shanghai",
    "calendar": {"region": "CN", "covered_years": [2023, 2024], "overrides": []},
    "rows": {"read": 100, "checked": 45, "rejected": 55},
    "options": {"mapping": "map.yaml", "roster": None, "fail_on": "violation", "redact": False},
}


def make(lang: str = "zh") -> Report:
    return Report(FINDINGS, REJECTED, META, lang, BASE)


def test_summary_counts():
    s = summary(make())
    assert s["total"] == 4
    assert s["by_severity"] == {"violation": 3, "warning": 1, "info": 0}
    assert [(c["code"], c["count"]) for c in s["by_code"]] == [("C104", 1), ("C105", 1), ("C111", 1), ("C202", 1)]
    assert {(x["process"], x["step"]): x["count"] for x in s["by_step"]} == {
        (None, None): 1,
        ("sale", "approve"): 2,
        ("sale", "daily"): 1,
    }
    assert s["worst_cases"] == [{"process": "sale", "case_id": XSS, "violations": 2, "findings": 2}]
    assert s["by_week"] == [{"week": "2024-W10", "count": 2}]  # C105 and C111 name no date


def test_rule_title_falls_back_to_rule_name():
    assert rule_title("C999", "zh", "no-such-rule") == "no-such-rule"


def test_report_rejects_unknown_language():
    with pytest.raises(ValueError, match="language"):
        Report(FINDINGS, lang="fr")


@pytest.mark.parametrize(
    ("seconds", "lang", "words"),
    [
        (2 * 86400 + 3 * 3600 + 60, "zh", "迟了 2天3小时"),
        (2 * 86400 + 3 * 3600 + 60, "en", "2 d 3 h late"),
        (2 * 86400 + 15 * 60, "zh", "迟了 2天"),
        (90, "en", "1 min 30 s late"),
        (0, "en", "on time"),
        (None, "zh", ""),
    ],
)
def test_lateness_words(seconds, lang, words):
    assert lateness_words(seconds, lang) == words


def test_text_report_zh():
    out = render_text(make("zh"))
    for expected in (
        "合规检查报告",
        "SHA-256 摘要 " + "ab" * 32,
        "版本 1.2",
        "2024-03-10T18:00:00+08:00",
        "读取 100 = 检查 45 + 拒绝 55",
        "共发现 4 项: 违规 3, 警告 1, 提示 0",
        "C104",
        "C202",
        "[C111 警告]",
        "案例 " + XSS,
        "范围 @SUM(A1)",
        "应当: =1+1; 实际: 柜员",
        "迟了 2天3小时",
        "证据: log.csv:3 log.csv:5",
        "执行人: 张三",
        "条款: " + BASE + STEP,
        "log.csv:69  时间  unreadable timestamp",  # a reason no pattern knows is shown as written
        "… 另有 5 行",
    ):
        assert expected in out
    assert "log.csv:70" not in out
    assert out.endswith("\n")


def test_text_report_en():
    out = render_text(make("en"))
    assert "4 findings: violation 3, warning 1, info 0" in out
    assert "Expected: by 2024-03-05 18:00; Actual: 2024-03-07 21:00" in out
    assert "2 d 3 h late" in out
    assert "Evidence: log.csv:9" in out
    assert "… and 5 more" in out


def test_text_report_shows_no_terminal_escapes():
    f = Finding("C101", "missing-step", "violation", STEP, process="sale", case_id="x\x1b[2J\nFAKE")
    out = render_text(Report((f,), lang="en"))
    assert "\x1b" not in out
    assert "x\\x1b[2J\\x0aFAKE" in out


def test_rows_mismatch_is_flagged():
    meta = {**META, "rows": {"read": 100, "checked": 40, "rejected": 55}}
    assert "（不一致！）" in render_text(Report(FINDINGS, REJECTED, meta, "zh", BASE))


def test_json_is_deterministic(tmp_path):
    (a,) = write_reports(make(), ["json"], tmp_path / "a")
    (b,) = write_reports(make(), ["json"], tmp_path / "b")
    assert a.name == "findings.json"
    assert a.read_bytes() == b.read_bytes()
    raw = a.read_text(encoding="utf-8")
    assert raw.endswith("}\n") and "张三" in raw
    doc = json.loads(raw)
    assert set(doc) == {"meta", "summary", "findings", "rejected"}
    assert doc["findings"] == [make().entry(f) for f in FINDINGS]
    assert sorted(f["texts"]["actual"]["id"] for f in doc["findings"]) == ["actual.at"] * 3 + ["actual.unknown-label"]
    assert doc["meta"] == META
    assert doc["summary"]["by_severity"]["violation"] == 3
    assert len(doc["rejected"]) == len(REJECTED)


def test_csv(tmp_path):
    (path,) = write_reports(make(), ["csv"], tmp_path)
    assert path.name == "findings.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    assert header == tabular.header("zh") and header[:3] == ["键", "规则代码", "规则"]
    assert len(rows) == len(FINDINGS)
    by_code = {r["code"]: r for r in (dict(zip(COLUMNS, row, strict=True)) for row in rows)}
    assert by_code["C104"]["severity"] == "违规" and by_code["C104"]["rule"] == "步骤超过时限"
    assert by_code["C104"]["lateness"] == "迟了 2天3小时" and by_code["C104"]["lateness_seconds"] == "183660"
    assert by_code["C104"]["performers"] == "'" + FORMULAS[0] + " +1"
    assert by_code["C105"]["performers"] == "'-2"
    assert by_code["C105"]["expected"] == "'=1+1"
    assert by_code["C105"]["actual"] == "柜员"
    assert by_code["C202"]["scope"] == "'@SUM(A1)"
    assert by_code["C104"]["case_id"] == XSS
    assert by_code["C104"]["event_refs"] == "log.csv:3 log.csv:5"
    assert by_code["C104"]["url"] == BASE + STEP
    assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_START)]


def test_xlsx(tmp_path):
    (path,) = write_reports(make(), ["xlsx"], tmp_path / "a")
    (again,) = write_reports(make(), ["xlsx"], tmp_path / "b")
    assert path.read_bytes() == again.read_bytes()
    with ZipFile(path) as archive:  # no wall clock inside: every entry is stamped with the as-of time (UTC)
        assert {info.date_time for info in archive.infolist()} == {(2024, 3, 10, 10, 0, 0)}
    wb = load_workbook(path)
    assert wb.sheetnames == ["问题明细", "汇总", "被拒绝的行", "运行信息"]  # no rates collected: no rate sheets
    assert wb.properties.created == wb.properties.modified == datetime(2024, 3, 10, 10, 0)
    ws = wb["问题明细"]
    assert [c.value for c in ws[1]] == tabular.header("zh")
    last = chr(ord("A") + len(COLUMNS) - 1)
    assert ws["A1"].font.b and ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:{last}{len(FINDINGS) + 1}"
    col = {name: i for i, name in enumerate(COLUMNS)}
    rows = {r[COLUMNS.index("code")].value: r for r in ws.iter_rows(min_row=2)}
    assert rows["C104"][col["performers"]].value == "'" + FORMULAS[0] + " +1"
    assert rows["C105"][col["expected"]].value == "'=1+1"
    assert rows["C202"][col["scope"]].value == "'@SUM(A1)"
    assert rows["C104"][col["lateness_seconds"]].value == 183660
    assert wb["被拒绝的行"].max_row == len(REJECTED) + 1
    run = {r[0].value: r[1].value for r in wb["运行信息"].iter_rows(min_row=2)}
    assert run["handbook.version"] == "1.2" and run["inputs[0].sha256"] == "ab" * 32
    for sheet in wb:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f"
                if isinstance(c.value, str):
                    assert c.data_type == "s" and not c.value.startswith(FORMULA_START)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.finding: int | None = None  # data-i of the enclosing row or list item
        self.clause_links: list[tuple[int | None, str]] = []
        self.hrefs: list[str] = []
        self.scripts: list[dict] = []
        self.srcs: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-i" in a:
            self.finding = int(a["data-i"])
        if "src" in a:
            self.srcs.append(a["src"])
        if tag == "a":
            self.hrefs.append(a["href"])
            if a.get("class") == "clause":
                self.clause_links.append((self.finding, a["href"]))
        if tag == "script":
            self._script = {"attrs": a, "text": ""}
            self.scripts.append(self._script)

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


@pytest.mark.parametrize(
    ("as_of", "stamp"),
    [("2150-01-01T00:00:00+08:00", (2107, 12, 31, 23, 59, 58)), ("1900-01-01T00:00:00", (1980, 1, 1, 0, 0, 0))],
)
def test_xlsx_as_of_outside_the_zip_years_is_pinned_to_them(tmp_path, as_of, stamp):
    report = Report(FINDINGS, REJECTED, {**META, "as_of": as_of}, "zh", BASE)
    (path,) = write_reports(report, ["xlsx"], tmp_path)
    with ZipFile(path) as archive:  # zip times hold the years 1980 to 2107 only
        assert {info.date_time for info in archive.infolist()} == {stamp}


def test_html(tmp_path):
    (path,) = write_reports(make(), ["html"], tmp_path)
    assert path.name == "report.html"
    page = path.read_text(encoding="utf-8")
    assert "<script>alert" not in page and "</script><!--" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert not parser.srcs
    assert all(h.startswith(("#", BASE)) for h in parser.hrefs)
    assert len(parser.clause_links) == 2 * len(FINDINGS)  # findings table and per-case view
    for i, href in parser.clause_links:
        assert href == BASE + FINDINGS[i].clause
    data, code = parser.scripts
    assert data["attrs"]["type"] == "application/json" and "src" not in code["attrs"]
    assert "<" not in data["text"] and ">" not in data["text"]
    found = json.loads(data["text"])
    assert [f["case_id"] for f in found] == [f.case_id for f in FINDINGS]
    assert "Content-Security-Policy" in page and "default-src &#39;none&#39;" in page
    assert "问题明细" in page and "<svg" in page


def test_all_writers_handle_an_empty_report(tmp_path):
    paths = write_reports(Report((), lang="en"), list(WRITERS), tmp_path)
    assert sorted(p.name for p in paths) == sorted(w.filename for w in WRITERS.values())
    assert "No findings." in (tmp_path / "report.txt").read_text(encoding="utf-8")


def test_write_reports_leaves_no_temporary_files(tmp_path):
    paths = write_reports(make(), ["text", "json", "csv", "xlsx", "html", "json"], tmp_path)
    names = ["report.txt", "findings.json", "findings.csv", "findings.xlsx", "report.html"]
    assert [p.name for p in paths] == names
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)


def test_failing_writer_leaves_no_partial_file(tmp_path, monkeypatch):
    old = tmp_path / "findings.json"
    old.write_text("previous complete report", encoding="utf-8")

    def broken(report: Report, path: Path) -> None:
        path.write_text('{"meta": ', encoding="utf-8")
        raise RuntimeError("disk full")

    monkeypatch.setitem(WRITERS, "json", Writer("findings.json", broken))
    with pytest.raises(RuntimeError, match="disk full"):
        write_reports(make(), ["json"], tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["findings.json"]
    assert old.read_text(encoding="utf-8") == "previous complete report"


def test_unknown_format_writes_nothing(tmp_path):
    with pytest.raises(ValueError, match="pdf"):
        write_reports(make(), ["json", "pdf"], tmp_path)
    assert not list(tmp_path.iterdir())


def test_no_label_name_is_hidden_by_a_method_of_labels():
    from checker.reports.i18n import Labels, msgid
    from opsbook.i18n import message_ids

    methods = [name for name in dir(Labels) if not name.startswith("_")]
    assert not [name for name in methods if msgid(name) in message_ids("report", "zh")]


@pytest.mark.parametrize(
    ("reason", "zh"),
    [
        ("no activity", "没有活动名称"),
        ("unreadable timestamp '6月12日 下午5:30'", "无法识别的时间“6月12日 下午5:30”"),
        (
            "'迎接来访客户' records a step of sale/approve, which needs a case id",
            "“迎接来访客户”记录的是签约的步骤“审批合同”，需要案例编号",
        ),
        (
            "'回访' records the obligation sale/daily, which needs a value for 'customer_id'",
            "“回访”记录的是签约的例行工作“日报”，需要字段 customer_id 的值",
        ),
        (
            "after the as-of time 2024-03-10T18:00:00+08:00: not part of this audit",
            "晚于审计时点 2024-03-10T18:00:00+08:00：不在本次审计范围内",
        ),
        ("something new", "something new"),  # unknown: shown as written
    ],
)
def test_rejection_reasons_in_words(reason, zh):
    from checker.reports.rejected import reason_words
    from checker.texts import Names

    names = Names(steps={("sale", "approve"): "审批合同", ("sale", "daily"): "日报"}, processes={"sale": "签约"})
    assert reason_words(Rejected("log.csv:1", "timestamp", reason), "zh", names) == zh
