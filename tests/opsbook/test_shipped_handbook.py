"""The shipped handbook: validates clean and covers what the foundation promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsbook.loader import load

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def result():
    return load(ROOT)


def test_validates_without_errors_or_warnings(result):
    assert [str(p) for p in result.problems] == []


def test_roles_and_reporting_tree(result):
    hb = result.handbook
    assert len(hb.roles) >= 15
    tops = [r.id for r in hb.roles if r.reports_to is None]
    assert tops == ["general-manager"]
    consultant = hb.role("sales-consultant")
    assert consultant.title == "置业顾问"
    assert {"销售代表", "业务员"} <= set(consultant.aliases)
    assert consultant.onboarding and consultant.kpis


def test_required_processes(result):
    ids = {p.id for p in result.handbook.processes}
    assert {
        "customer-reception",
        "customer-follow-up",
        "subscription-signing",
        "contract-filing",
        "mortgage",
        "handover",
        "property-certificate",
        "complaint-handling",
        "return-visits",
        "sales-reporting",
        "new-hire-onboarding",
    } <= ids


def test_source_deadlines_are_transcribed(result):
    hb = result.handbook
    pre = hb.process("handover").step("pre-inspection")
    assert (pre.deadline.kind, str(pre.deadline.duration), pre.deadline.anchor.ref) == (
        "before",
        "1 month",
        "handover_date",
    )
    assert pre.min_count == 2
    notify = hb.process("handover").step("notify-customers")
    assert (notify.deadline.kind, str(notify.deadline.duration)) == ("before", "2 weeks")
    handle = hb.process("complaint-handling").step("handle")
    assert str(handle.deadline.duration) == "2 hours"
    visits = {o.id: o for o in hb.process("return-visits").obligations}
    intervals = sorted(str(o.cadence.interval) for o in visits.values())
    assert intervals == ["12 months", "6 months"]


def test_no_pinyin_noise_or_traditional_leftovers():
    text = "".join(p.read_text(encoding="utf-8") for p in [*ROOT.glob("roles/*.yaml"), *ROOT.glob("processes/*.yaml")])
    for noise in ("(zé)", "(mén)", "崗位", "職責", "銷售", "下載"):
        assert noise not in text


def test_glossary_and_forms(result):
    hb = result.handbook
    terms = {g.term for g in hb.glossary}
    assert {"按揭", "入伙", "备案", "销控", "认购", "首付", "尾款", "预验收"} <= terms
    forms = {f.title for f in hb.forms}
    assert {"客户来访登记表", "认购书", "办理贷款客户清单"} <= forms
