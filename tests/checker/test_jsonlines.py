"""findings.json's lines made column-wise are, byte for byte, ``json.dumps(report.entry(f))``."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.engine import frames
from checker.finding import Finding, text
from checker.findingset import FindingTable
from checker.report import Report
from checker.reports import jsonfile, jsonlines
from checker.reports.jsonfile import render_json
from checker.texts import Names

# Quotes, backslashes, control characters, the list separator itself, CJK, emoji, line separators.
NASTY = st.lists(st.sampled_from([*'ab"\\,\n\t\x00\x1f\x7f 中文😀\u2028\u00a0/%#', '","', '\\"']), max_size=6).map(
    "".join
)
MAYBE = st.none() | NASTY
NAMES = Names(
    steps={("sale", "approve"): "审批合同", ("sale", "daily"): "日报"},
    processes={"sale": "签约"},
    roles={"manager": "经理"},
    suggestions={"签约审批": ("签约审批", "sale", "approve")},
)
TEXTS = [
    lambda v: text("expected.due", due=v),
    lambda v: text("actual.at", at=v),
    lambda v: text("actual.times", count=3),
    lambda v: text("expected.roles", roles=("manager", v)),
    lambda v: text("actual.same-person", performer=v),
    lambda v: text("actual.performers", count=2, people=(v, "李四")),
    lambda v: text("expected.deadline-within", limit=v, amount=2, unit="days", anchor_kind="step", anchor="approve"),
    lambda v: text("actual.unknown-label", label="签约审批", count=4),
    lambda v: text("actual.order", step="approve", at=v, pred="daily", pred_at="2024-03-05 09:00"),
]


@st.composite
def findings(draw):
    n = draw(st.integers(0, 12))
    out = []
    for _ in range(n):
        make_expected, make_actual = draw(st.sampled_from([None, *TEXTS])), draw(st.sampled_from([None, *TEXTS]))
        out.append(
            Finding(
                draw(st.sampled_from(["C101", "C104", "C111", "C201"])),
                "rule-name",
                draw(st.sampled_from(["violation", "warning", "info"])),
                draw(st.sampled_from(["processes/sale/#step-approve", "rules/#c111", "processes/sale/"])),
                process=draw(st.sampled_from([None, "sale", "other"])),
                case_id=draw(MAYBE),
                step=draw(st.sampled_from([None, "approve", "daily", "unknown"])),
                scope=draw(MAYBE),
                period=draw(st.sampled_from([None, "2024-03-05", "2024-W10"])),
                detail=draw(MAYBE),
                expected=make_expected(draw(NASTY)) if make_expected else None,
                actual=make_actual(draw(NASTY)) if make_actual else None,
                lateness_seconds=draw(st.none() | st.integers(-10, 10**8)),
                event_refs=tuple(draw(st.lists(NASTY, max_size=3))),
                performers=tuple(draw(st.lists(NASTY, max_size=3))),
            )
        )
    return sorted(out, key=Finding.sort_key)


@settings(max_examples=60, deadline=None)
@given(findings(), st.sampled_from(["zh", "en"]), st.sampled_from(["", "../site/", "https://handbook.example/"]))
def test_each_line_is_the_entry_as_json(found, lang, base_url):
    report = Report(FindingTable(frames.to_frame(found)), lang=lang, base_url=base_url, names=NAMES)
    made = list(jsonlines.lines(report))
    expected = [json.dumps(report.entry(f), sort_keys=True, ensure_ascii=False) for f in found]
    assert made == expected


def test_the_whole_report_is_the_same_through_either_path(monkeypatch):
    found = sorted((Finding("C104", "deadline", "violation", "processes/sale/", process="sale", case_id=f"K{i}",
                            step="approve", expected=text("expected.due", due=f"2024-03-0{i % 9 + 1} 18:00"),
                            lateness_seconds=i * 3600) for i in range(40)), key=Finding.sort_key)  # fmt: skip
    monkeypatch.setattr(jsonlines, "CHUNK", 7)  # several chunks
    report = Report(FindingTable(frames.to_frame(found)), meta={"x": 1}, names=NAMES)
    columnwise = render_json(report)
    monkeypatch.setattr("checker.reports.jsonfile.frames", lambda report: None)
    assert render_json(report) == columnwise
    assert len(json.loads(columnwise)["findings"]) == 40


@pytest.mark.parametrize("count", [0, 1, 7, 8, 40])
def test_the_written_file_is_the_rendered_report(monkeypatch, tmp_path, count):
    found = sorted((Finding("C104", "deadline", "violation", "processes/sale/", process="sale", case_id=f"客户{i}",
                            step="approve", detail='引号 " 反斜杠 \\ 换行 \n, 逗号', lateness_seconds=i)
                    for i in range(count)), key=Finding.sort_key)  # fmt: skip
    monkeypatch.setattr(jsonlines, "CHUNK", 7)  # blocks of 7 lines, written by Polars
    report = Report(FindingTable(frames.to_frame(found)), meta={"x": 1}, names=NAMES)
    jsonfile.write(report, tmp_path / "findings.json")
    written = (tmp_path / "findings.json").read_bytes()
    monkeypatch.setattr("checker.reports.jsonfile.frames", lambda report: None)  # one json.dumps per finding
    assert written == render_json(report).encode("utf-8")
    assert [f["case_id"] for f in json.loads(written)["findings"]] == [f.case_id for f in found]
