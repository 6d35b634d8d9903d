"""Releases: the settings checks, reading a release's content from git, and the version label."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from opsbook import releases
from opsbook.loader import load

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "minimal"
ENV = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
       "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, env=ENV, check=True)
    return done.stdout.strip()


def set_releases(root: Path, version: str, entries: str) -> None:
    settings = root / "handbook.yaml"
    text = settings.read_text(encoding="utf-8").replace('version: "t1"', f'version: "{version}"\nreleases:\n{entries}')
    settings.write_text(text, encoding="utf-8")


def commit(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path) -> Path:
    """The minimal handbook in a git repository: release 1 at its first commit, release 2 the working tree."""
    root = tmp_path / "hb"
    shutil.copytree(MINIMAL, root)
    for path in root.rglob("*.yaml"):  # the schema comment points back into this repository
        path.write_text(path.read_text(encoding="utf-8").replace("../../../", "../../../../../"), encoding="utf-8")
    git(root, "init", "-q")
    first = commit(root, "content of release 1")
    clerk = root / "roles" / "clerk.yaml"
    clerk.write_text(clerk.read_text(encoding="utf-8").replace("起草合同。", "起草并核对合同。"), encoding="utf-8")
    set_releases(root, "2", f'  - {{version: "1", date: "2026-01-05", summary: 首版。, commit: "{first[:10]}"}}\n'
                            '  - {version: "2", date: "2026-03-02", summary: 内勤职责改写。}\n')  # fmt: skip
    commit(root, "release 2")
    return root


def label(root: Path) -> str:
    result = load(root)
    assert not result.errors, result.errors
    return releases.label(root, result.handbook)


def test_a_clean_release_is_labelled_by_its_version(repo):
    assert label(repo) == "2"


def test_uncommitted_policy_edits_are_shown_as_unreleased(repo):
    clerk = repo / "roles" / "clerk.yaml"
    clerk.write_text(clerk.read_text(encoding="utf-8").replace("核对", "审核"), encoding="utf-8")
    assert label(repo) == "2+未发布修改"


def test_a_new_untracked_role_file_is_an_unreleased_edit(repo):
    shutil.copy(repo / "roles" / "clerk.yaml", repo / "roles" / "clerk2.yaml")
    text = (repo / "roles" / "clerk2.yaml").read_text(encoding="utf-8")
    (repo / "roles" / "clerk2.yaml").write_text(text.replace("id: clerk", "id: clerk2"), encoding="utf-8")
    assert label(repo) == "2+未发布修改"


def test_edits_committed_after_the_release_are_unreleased_too(repo):
    clerk = repo / "roles" / "clerk.yaml"
    clerk.write_text(clerk.read_text(encoding="utf-8").replace("核对", "审核"), encoding="utf-8")
    commit(repo, "edit after the release")
    assert label(repo) == "2+未发布修改"


def test_editing_only_the_release_notes_is_not_a_policy_edit(repo):
    settings = repo / "handbook.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("内勤职责改写。", "内勤职责改写，见岗位页。"), "utf-8"
    )
    commit(repo, "reword the release note")
    assert label(repo) == "2"


def test_a_version_not_listed_is_a_draft_of_the_next_release(repo):
    settings = repo / "handbook.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace('  - {version: "2", date: "2026-03-02", summary: 内勤职责改写。}\n', ""), "utf-8")
    commit(repo, "release 2 withdrawn: the working tree is a draft after release 1")
    assert label(repo) == "1+未发布修改"


def test_outside_git_the_folder_is_the_version_it_says(repo, tmp_path):
    copy = tmp_path / "exported"
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns(".git"))
    assert label(copy) == "2"


def test_a_release_is_read_from_its_commit_without_touching_the_working_tree(repo):
    handbook = load(repo).handbook
    before = (repo / "roles" / "clerk.yaml").read_bytes()
    with releases.content(repo, releases.find(handbook, "1")) as folder:
        assert folder != repo
        old = load(folder).handbook
    assert old.role("clerk").responsibilities[0].text == "起草合同。"
    assert (repo / "roles" / "clerk.yaml").read_bytes() == before
    assert git(repo, "status", "--porcelain") == ""


def test_an_unknown_commit_is_a_release_error(repo):
    with pytest.raises(releases.ReleaseError) as caught, releases.checkout(repo, "0123456789abcdef"):
        pass
    assert caught.value.msgid == "diff.no-revision"


@pytest.mark.parametrize(
    "entries, message",
    [
        (
            '  - {version: "1", date: "2026-01-05", summary: a}\n  - {version: "2", date: "2026-03-02", summary: b}\n',
            "only the newest release may omit 'commit'",
        ),
        (
            '  - {version: "2", date: "2026-03-02", summary: a, commit: abcdef1}\n'
            '  - {version: "2", date: "2026-03-03", summary: b}\n',
            "listed twice",
        ),
        (
            '  - {version: "1", date: "2026-03-02", summary: a, commit: abcdef1}\n'
            '  - {version: "2", date: "2026-01-05", summary: b}\n',
            "oldest first",
        ),
        (
            '  - {version: "1", date: "2026-01-05", summary: a, commit: abcdef1}\n'
            '  - {version: "3", date: "2026-03-02", summary: b}\n',
            "set version to it",
        ),
    ],
)
def test_release_lists_are_checked(tmp_path, entries, message):
    root = tmp_path / "hb"
    shutil.copytree(MINIMAL, root)
    for path in root.rglob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("../../../", "../../../../../"), encoding="utf-8")
    set_releases(root, "2", entries)
    problems = [p for p in load(root).problems if p.code == "X014"]
    assert problems and message in problems[0].render("en")
    assert problems[0].file == "handbook.yaml"
