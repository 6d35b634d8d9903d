"""`opsbook build --all-versions`: each release under its own path, versions.json, the newest by default.

The browser test of the selector is tests/browser/test_versions.py.
"""

from __future__ import annotations

import json

import pytest

from handbook.all_versions import build_all
from opsbook.cli import main
from tests.opsbook import release_repo


def build_editions(folder):
    """The two-release fixture repository and its site built with every version: (repo, site)."""
    repo = release_repo.make(folder / "hb")
    ok, messages = build_all(repo, repo / "site")
    assert ok, messages
    return repo, repo / "site"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_editions(tmp_path_factory.mktemp("all-versions"))


def test_every_release_has_its_folder_and_the_list_is_newest_first(built):
    _, site = built
    assert json.loads((site / "versions.json").read_text(encoding="utf-8")) == [
        {"version": "2", "title": "2", "aliases": ["latest"]},
        {"version": "1", "title": "1", "aliases": []},
    ]
    assert 'url=2/"' in (site / "index.html").read_text(encoding="utf-8")


def test_each_edition_holds_its_own_content_and_label(built):
    _, site = built
    assert (site / "2" / "roles" / "auditor" / "index.html").is_file()
    assert not (site / "1" / "roles" / "auditor").exists(), "the auditor came with release 2"
    assert (site / "1" / "roles" / "intern" / "index.html").is_file()
    old = (site / "1" / "index.html").read_text(encoding="utf-8")
    assert '手册版本 <a href="changes/">1</a>' in old and '"provider": "mike"' in old
    clerk = (site / "2" / "roles" / "clerk" / "index.html").read_text(encoding="utf-8")
    assert "自 1 以来本岗位的变化" in clerk and '手册版本 <a href="../../changes/">2</a>' in clerk


def test_check_reports_link_to_the_edition_audited(built, tmp_path):
    repo, _ = built
    log = tmp_path / "log.csv"
    rows = "A1,起草合同,2026-03-05 10:00,p1\nA1,审批合同,2026-03-03 10:00,p2\n"  # approved before drafted: C103
    log.write_text("case_id,activity,timestamp,performer\n" + rows, encoding="utf-8")
    out = tmp_path / "out"
    main(["check", str(log), "--handbook", str(repo), "--rules", "C103", "--out", str(out), "--format", "json"])
    url = json.loads((out / "findings.json").read_text(encoding="utf-8"))["findings"][0]["url"]
    assert url.endswith("hb/site/2/processes/sale/index.html#step-approve"), url


def test_a_handbook_without_releases_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("OPSBOOK_LANG", "en")
    repo = release_repo.make(tmp_path / "hb")
    settings = repo / "handbook.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text[: text.index("releases:")] + text[text.index("timezone:") :], encoding="utf-8")
    assert main(["build", str(repo), "--all-versions"]) == 2
    assert "--all-versions: handbook.yaml lists no releases" in capsys.readouterr().err
    assert not (repo / "site").exists()


def test_a_release_whose_commit_is_gone_fails_and_leaves_the_site(tmp_path, capsys):
    repo = release_repo.make(tmp_path / "hb")
    (repo / "site").mkdir()
    (repo / "site" / "keep.txt").write_text("previous site", encoding="utf-8")
    settings = repo / "handbook.yaml"
    text = settings.read_text(encoding="utf-8")
    first = release_repo.git(repo, "rev-list", "--max-parents=0", "HEAD")
    settings.write_text(text.replace(first, "0" * 39 + "1"), encoding="utf-8")
    assert main(["build", str(repo), "--all-versions"]) == 2
    assert f"版本 1：无法从 git 读取提交 {'0' * 39}1" in capsys.readouterr().err
    assert (repo / "site" / "keep.txt").read_text(encoding="utf-8") == "previous site"
