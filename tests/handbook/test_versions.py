"""The manual's versions: a page per release, "changes since" on role pages, the label, retraining sheets."""

from __future__ import annotations

import pytest

from handbook import links
from handbook.pages import build
from opsbook.loader import load
from tests.opsbook import release_repo


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return release_repo.make(tmp_path_factory.mktemp("versions") / "hb")


@pytest.fixture(scope="module")
def pages(repo):
    handbook = load(repo).handbook
    return {page.file: page.text for page in build(handbook, repo)}


def test_a_page_per_release_with_its_changes(pages):
    second = pages["changes/2.md"]
    assert "# 2 版本变更" in second and "内勤职责改写，新增稽核专员。" in second
    assert (
        "| 时限变更 | [签约 · 「审批合同」](../processes/sale.md#step-approve) | 「起草合同」后3个工作日内 | 「起草合同」后2个工作日内 |"
        in second
    )
    assert "实习生（已删除）" in second  # a removed role is named, not linked
    assert "| 删除步骤 | 签约 · 「归档合同」 |" in second  # nothing left to link to
    assert "这是手册的首个发布版本" in pages["changes/1.md"]
    index = pages["changes/index.md"]
    assert index.index("[2](2.md)") < index.index("[1](1.md)"), "newest first"


def test_role_page_lists_only_the_changes_of_that_role(pages):
    clerk = pages["roles/clerk.md"]
    section = clerk[clerk.index("## 自 1 以来本岗位的变化") : clerk.index("## 岗位目的")]
    assert "{#changes-since}" in section
    assert "条目改写" in section and "步骤顺序变更" in section and "周期或截止时间变更" in section
    assert "时限变更" not in section and "新增岗位" not in section  # the approval step's deadline is not the clerk's
    boss = pages["roles/boss.md"]
    section = boss[boss.index("## 自 1 以来本岗位的变化") : boss.index("## 岗位目的")]
    assert "时限变更" in section and "新增周期性工作" in section and "条目改写" not in section


def test_home_page_shows_release_notes_and_the_version_label(pages):
    home = pages["index.md"]
    assert "## 版本记录" in home and "## 最近更新" not in home
    assert "| [2](changes/2.md) | 2026\\-03\\-02 | 内勤职责改写，新增稽核专员。 |" in home
    assert "release 2" not in home, "no commit subjects"


def test_unreleased_edits_show_in_the_label(repo):
    clerk = repo / "roles" / "clerk.yaml"
    original = clerk.read_text(encoding="utf-8")
    clerk.write_text(original.replace("每日提交日报。", "每日17:00前提交日报。"), encoding="utf-8")
    try:
        pages = {p.file: p.text for p in build(load(repo).handbook, repo)}
    finally:
        clerk.write_text(original, encoding="utf-8")
    assert "2\\+未发布修改" in pages["index.md"] and "2\\+未发布修改" in pages["print/roles/clerk.md"]


def test_retraining_sheets_for_the_touched_roles_only(pages, repo):
    sheets = {f for f in pages if f.startswith("print/changes/")}
    assert sheets == {links.source_file(links.changes_booklet(r)) for r in ("auditor", "boss", "clerk")}
    clerk = pages["print/changes/clerk.md"]
    assert "# 销售内勤：自 1 以来的变化" in clerk and "任职者签名" in clerk and "时限变更" not in clerk


def test_changes_since_an_other_release(repo):
    handbook = load(repo).handbook
    pages = {p.file: p.text for p in build(handbook, repo, since="2")}
    assert "与 [2](../changes/2.md)（2026\\-03\\-02 生效）相比，没有涉及本岗位的变化。" in pages["roles/clerk.md"]
    assert not any(f.startswith("print/changes/") for f in pages)


def test_without_git_the_release_pages_say_so(repo, tmp_path):
    import shutil

    copy = tmp_path / "exported"
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns(".git"))
    pages = {p.file: p.text for p in build(load(copy).handbook, copy)}
    assert "无法列出变化" in pages["changes/2.md"]
    assert "无法读取版本 1 的内容" in pages["roles/clerk.md"]
