"""Provenance the manual must show: disputed or assumed reporting lines, headcounts, assumed forms and terms."""

from __future__ import annotations

import shutil
from pathlib import Path

from handbook import mermaid
from handbook.pages import build
from opsbook.loader import load

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "minimal"


def _handbook(tmp_path: Path, reports_to: str, extra_settings: str = ""):
    root = tmp_path / "hb"
    shutil.copytree(MINIMAL, root)
    clerk = root / "roles" / "clerk.yaml"
    text = clerk.read_text(encoding="utf-8").replace("reports_to: boss\n", reports_to)
    clerk.write_text(text, encoding="utf-8")
    settings = root / "handbook.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + extra_settings, encoding="utf-8")
    result = load(root)
    assert not result.errors, [str(p) for p in result.errors]
    return result.handbook


DISPUTED = """reports_to:
  role: boss
  source: {doc: src, section: "一"}
  disputed: 另一来源写的是向总监汇报。
headcount: {count: 3, note: 每个案场, source: {doc: src, section: "二"}}
"""


def test_a_disputed_line_is_dashed_and_the_headcount_shown(tmp_path):
    hb = _handbook(tmp_path, DISPUTED)
    chart = mermaid.org_chart(hb)
    assert '-.->|"来源有分歧"|' in chart
    assert "内勤（编制 3）" in chart
    org = {p.file: p for p in build(hb)}["org.md"].text
    assert "另一来源写的是向总监汇报。" in org
    assert "| 3 | 每个案场 |" in org


def test_a_sourced_line_is_solid(tmp_path):
    hb = _handbook(tmp_path, 'reports_to: {role: boss, source: {doc: src, section: "一"}}\n')
    chart = mermaid.org_chart(hb)
    assert "-.->" not in chart and "r1 --> r2" in chart
    assert hb.role("clerk").reports_to == "boss"


def test_an_assumed_line_is_dashed_and_listed_as_an_assumption(tmp_path):
    hb = _handbook(tmp_path, "reports_to: {role: boss, assumption: 来源未写汇报对象，暂定向经理汇报。}\n")
    assert '-.->|"编者假设"|' in mermaid.org_chart(hb)
    pages = {p.file: p for p in build(hb)}
    assert "来源未写汇报对象，暂定向经理汇报。" in pages["assumptions.md"].text


def test_assumed_forms_and_terms_reach_the_assumptions_page(tmp_path):
    extra = """  - id: receipt
    title: 收据
    purpose: 收款凭证。
    assumption: 来源未提及此表。
"""
    hb = _handbook(tmp_path, "reports_to: boss\n", extra)
    pages = {p.file: p for p in build(hb)}
    assert "来源未提及此表。" in pages["assumptions.md"].text
    assert "来源未提及此表。" in pages["forms.md"].text
