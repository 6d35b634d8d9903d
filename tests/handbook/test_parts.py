"""The small parts: paths, words, the rule catalogue's sources, the schema reference, the navigation."""

from __future__ import annotations

import sys
import types

import pytest

from handbook import links, mkdocs_hooks, rules, schemaref, words
from handbook.mkdocs_hooks import navigation
from handbook.pages import Page
from opsbook import urls
from opsbook.durations import Duration
from opsbook.model import Cadence


@pytest.mark.parametrize(
    ("site_path", "source"),
    [
        ("", "index.md"),
        (urls.role("sales-consultant"), "roles/sales-consultant.md"),
        (urls.role("sales-consultant", "r1"), "roles/sales-consultant.md"),
        (urls.step("mortgage", "submit-to-bank"), "processes/mortgage.md"),
        (urls.rule("C101"), "rules.md"),
        (links.PAGES["roles"], "roles/index.md"),
        (links.PAGES["editing"], "reference/index.md"),
        (links.PAGES["fields"], "reference/fields.md"),
    ],
)
def test_source_file_is_what_directory_urls_turn_into_the_path(site_path, source):
    assert links.source_file(site_path) == source


def test_relative_links():
    assert links.relative("roles/a.md", urls.step("m", "s")) == "../processes/m.md#step-s"
    assert links.relative("processes/m.md", urls.step("m", "s")) == "#step-s"
    assert links.relative("index.md", links.PAGES["roles"]) == "roles/index.md"
    assert links.relative("reference/links.md", urls.rule("C104")) == "../rules.md#c104"


@pytest.mark.parametrize(
    ("cadence", "expected"),
    [
        (Cadence(every="workday", due_time="18:00"), "每个工作日18:00前"),
        (Cadence(every="workday"), "每个工作日（当日内）"),
        (Cadence(every="week", due_weekday=1), "每周一前"),
        (Cadence(every="week", due_weekday=5, due_time="17:00"), "每周五17:00前"),
        (Cadence(every="month", due_day=5), "每月5日前"),
        (Cadence(every="month", due_day=31), "每月31日前（无此日的月份为月末）"),
        (Cadence(every="month"), "每月（当月内）"),
        (Cadence(every="quarter", due_day=10), "每季度首月10日前"),
        (Cadence(interval=Duration(6, "months")), "至少每6个月一次"),
    ],
)
def test_cadence_words(cadence, expected):
    assert words.cadence(cadence) == expected


def deadlines(handbook):
    return [(p, s.deadline) for p in handbook.processes for s in p.steps if s.deadline]


def test_case_start_and_before_anchors(shipped):
    started = [(p, d) for p, d in deadlines(shipped) if d.anchor.kind == "case_start"]
    before = [(p, d) for p, d in deadlines(shipped) if d.kind == "before"]
    assert started and before
    for process, deadline in started:
        assert words.deadline(process, deadline) == f"立案（案件开始）后{deadline.duration.to_chinese()}内"
    for process, deadline in before:
        assert words.deadline(process, deadline).endswith(f"前{deadline.duration.to_chinese()}")


def test_attribute_anchor_uses_its_chinese_description(shipped):
    handover = next(p for p, d in deadlines(shipped) if d.kind == "before" and d.anchor.kind == "attribute")
    deadline = next(s.deadline for s in handover.steps if s.deadline and s.deadline.kind == "before")
    assert not words.deadline(handover, deadline).isascii()
    assert deadline.anchor.ref not in words.deadline(handover, deadline)


def test_catalogue_comes_from_the_registry():
    catalogue = rules.catalogue()
    assert catalogue.origin == "registry"
    assert [r.code for r in catalogue.rules] == sorted(r.code for r in catalogue.rules)
    deadline = catalogue.get("C104")
    assert deadline.name == "deadline" and deadline.title_zh and deadline.doc and deadline.example_fail


def test_catalogue_without_registry_lists_importable_rule_modules(monkeypatch):
    package = types.ModuleType(rules.PACKAGE)
    package.__path__ = []  # a package with no REGISTRY and no modules yet
    monkeypatch.setitem(sys.modules, rules.PACKAGE, package)
    catalogue = rules.catalogue()
    assert catalogue.origin == "none" and catalogue.rules == ()


def test_catalogue_without_the_checker(monkeypatch):
    monkeypatch.setitem(sys.modules, rules.PACKAGE, None)  # import fails
    assert rules.catalogue().origin == "none"


@pytest.mark.parametrize("kind", ["handbook", "role", "process"])
def test_schema_reference_has_every_property(kind):
    from opsbook.schemas import load_schema

    paths = {f.path for f in schemaref.fields(kind)}
    assert set(load_schema(kind)["properties"]) <= paths


def test_schema_reference_marks_required_fields():
    fields = {f.path: f for f in schemaref.fields("process")}
    assert fields["steps[].raci.responsible"].required
    assert not fields["steps[].deadline"].required
    assert "workday" in fields["steps[].deadline.within"].constraints


def test_navigation_nests_sections_and_escapes_titles():
    pages = [
        Page("index.md", "首页", (), ""),
        Page("roles/index.md", "岗位索引", ("组织", "岗位"), ""),
        Page("roles/x.md", "<b>x</b>", ("组织", "岗位"), ""),
        Page("org.md", "组织架构", ("组织",), ""),
    ]
    assert navigation(pages) == [
        {"首页": "index.md"},
        {"组织": [{"岗位": ["roles/index.md", {"&lt;b&gt;x&lt;/b&gt;": "roles/x.md"}]}, {"组织架构": "org.md"}]},
    ]


def test_serve_watches_the_policy_files_and_templates(tmp_path, monkeypatch):
    for name in ("handbook.yaml", "roles", "processes", "schema"):
        path = tmp_path / name
        path.touch() if path.suffix else path.mkdir()
    monkeypatch.setitem(mkdocs_hooks._state, "root", tmp_path)
    watched = []
    server = types.SimpleNamespace(watch=watched.append)
    assert mkdocs_hooks.on_serve(server, config=None, builder=None) is server
    assert {str(tmp_path / n) for n in ("handbook.yaml", "roles", "processes", "schema")} <= set(watched)
    assert any(w.endswith("templates") for w in watched)


def test_section_pages_sit_above_their_detail_pages():
    assert urls.role("a").startswith(links.PAGES["roles"])
    assert urls.process("a").startswith(links.PAGES["processes"])
    assert links.PAGES["fields"].startswith(links.PAGES["editing"])
