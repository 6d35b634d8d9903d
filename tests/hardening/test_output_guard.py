"""The output folders of build, pdf, simulate and check: nothing but the target is ever written or removed.

Each refusal is one line and exit code 2 (``opsbook.safepath``), run through the
real command line; a snapshot of the whole temporary tree before and after
proves that a refused run touches nothing and an accepted one only its target.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

import pytest

from opsbook.safepath import MARKER

from .helpers import make_handbook, opsbook

LOG = "case_id,activity,timestamp,performer,role\nA1,起草合同,2026-03-02 09:00,p1,clerk\nA1,审批合同,2026-03-03 10:00,p2,boss\n"


def snapshot(folder: Path, skip: Path | None = None) -> dict[str, tuple]:
    """Every entry under ``folder`` (but ``skip``'s subtree): its type, mode, size, time and content digest."""
    seen = {}
    for path in sorted(folder.rglob("*")):
        if skip is not None and (path == skip or skip in path.parents):
            continue
        info = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(info.st_mode) else None
        seen[str(path.relative_to(folder))] = (stat.S_IFMT(info.st_mode), info.st_mode, info.st_size, digest)
    return seen


@pytest.fixture
def sandbox(tmp_path):
    """A home folder holding a git repository holding the handbook, a log, and a folder of someone else's files."""
    home = tmp_path / "home"
    repo = home / "repo"
    (repo / ".git").mkdir(parents=True)
    root = make_handbook(repo)  # repo/hb
    work = repo / "work"
    work.mkdir()
    (work / "log.csv").write_text(LOG, encoding="utf-8")
    (work / "theirs").mkdir()
    (work / "theirs" / "notes.txt").write_text("keep me", encoding="utf-8")
    (work / "a-file").write_text("a file, not a folder", encoding="utf-8")
    return tmp_path, root, work


def run(command: str, target: str, root: Path, work: Path, *, env=None):
    """``opsbook COMMAND`` writing to ``target``, run in ``work`` with the sandbox's home folder."""
    env = {"HOME": str(work.parent.parent), **(env or {})}
    args = {
        "build": ["build", str(root), "--site-dir", target],
        "pdf": ["pdf", str(root), "--out", target],
        "simulate": ["simulate", "--handbook", str(root), "--cases", "3", "--jobs", "1", "-q", "--out", target],
        "check": ["check", "--handbook", str(root), "log.csv", "-q", "--format", "json", "--out", target],
    }[command]
    return opsbook(*args, cwd=work, env=env)


REFUSED = [
    (".", "当前文件夹"),  # the current folder
    ("..", "git 仓库根目录"),  # the repository root (the current folder's parent)
    ("../..", "用户主目录"),  # the home folder
    ("/", "文件系统根目录"),
    ("../hb", "手册文件夹"),  # the handbook itself
    ("theirs", "缺少标记文件 .opsbook-output"),  # someone else's folder
    ("a-file", "是已有的文件"),  # a file where a folder is needed
    ("a-file/sub", "是已有的文件"),  # below a file
]


@pytest.mark.parametrize("command", ["build", "pdf", "simulate", "check"])
@pytest.mark.parametrize(("target", "reason"), REFUSED)
def test_a_refused_target_is_one_line_and_touches_nothing(sandbox, command, target, reason):
    tmp_path, root, work = sandbox
    before = snapshot(tmp_path)
    proc = run(command, target, root, work)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and reason in proc.stderr, proc.stderr
    assert proc.stderr.startswith(f"opsbook {command}: error: ")
    assert "Traceback" not in proc.stderr
    assert snapshot(tmp_path) == before
    assert not [p for p in Path("/").iterdir() if p.name.startswith(".-build-")]


def test_the_refusal_is_in_english_when_asked(sandbox):
    _, root, work = sandbox
    proc = run("check", "theirs", root, work, env={"OPSBOOK_LANG": "en"})
    assert proc.returncode == 2
    assert proc.stderr == (
        "opsbook check: error: --out theirs: refused: the folder is not empty and was not written by opsbook check "
        "(it has no .opsbook-output marker file); choose a new or empty folder, or remove it yourself if it is of no use\n"
    )


def test_check_never_writes_into_a_folder_holding_its_inputs(sandbox):
    tmp_path, root, work = sandbox
    (work / MARKER).write_text("opsbook check\n", encoding="utf-8")  # even one marked as ours
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    before = snapshot(tmp_path)
    proc = opsbook("check", "--handbook", str(root), str(work / "log.csv"), "--out", str(work), cwd=elsewhere)
    assert proc.returncode == 2 and "本命令读取的输入文件" in proc.stderr, proc.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", ["simulate", "check"])
@pytest.mark.parametrize("target", ["new", "new/deeper", "empty", "marked"])
def test_an_accepted_target_is_the_only_thing_written(sandbox, command, target):
    tmp_path, root, work = sandbox
    (work / "empty").mkdir()
    (work / "marked").mkdir()
    (work / "marked" / MARKER).write_text(f"opsbook {command}\n", encoding="utf-8")
    (work / "marked" / "old.txt").write_text("an earlier run", encoding="utf-8")
    before = snapshot(tmp_path, skip=work / target.split("/")[0])
    proc = run(command, target, root, work)
    assert proc.returncode in (0, 1), proc.stderr
    assert snapshot(tmp_path, skip=work / target.split("/")[0]) == before
    assert (work / target / MARKER).read_text(encoding="utf-8").startswith(f"opsbook {command}\n")


def test_a_marker_of_another_command_does_not_count(sandbox):
    _, root, work = sandbox
    (work / "site").mkdir()
    (work / "site" / MARKER).write_text("opsbook check\n", encoding="utf-8")
    (work / "site" / "findings.json").write_text("{}", encoding="utf-8")
    proc = run("build", "site", root, work)
    assert proc.returncode == 2 and "opsbook build" in proc.stderr
    assert (work / "site" / "findings.json").exists()


def test_build_replaces_its_own_site_world_readable_and_leaves_no_staging(sandbox):
    tmp_path, root, work = sandbox
    old_mask = os.umask(0o022)
    try:
        for _ in range(2):  # the second build replaces the first, recognised by its marker
            before = snapshot(tmp_path, skip=work / "site")
            proc = run("build", "site", root, work)
            assert proc.returncode == 0, proc.stderr
            assert snapshot(tmp_path, skip=work / "site") == before
    finally:
        os.umask(old_mask)
    site = work / "site"
    assert sorted(p.name for p in work.iterdir()) == ["a-file", "log.csv", "site", "theirs"]  # no staging, no old
    assert (site / MARKER).read_text(encoding="utf-8").startswith("opsbook build\n")
    modes = {stat.S_IMODE(p.stat().st_mode) for p in [site, *site.rglob("*")] if p.is_dir()}
    assert modes == {0o755}
    modes = {stat.S_IMODE(p.stat().st_mode) for p in site.rglob("*") if p.is_file()}
    assert modes == {0o644}


def test_a_parent_that_cannot_be_created_leaves_nothing(sandbox):
    tmp_path, root, work = sandbox
    before = snapshot(tmp_path)
    proc = run("build", "/proc/opsbook-no-such/site", root, work)  # /proc takes no new folder, not even for root
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_an_unwritable_parent_leaves_no_staging_folder(sandbox):
    tmp_path, root, work = sandbox
    locked = work / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        proc = run("build", "locked/site", root, work)
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)
        shutil.rmtree(locked)


@pytest.mark.parametrize("command", ["build", "pdf", "simulate", "check"])
def test_a_folder_holding_the_handbook_below_the_repository_root_is_refused(tmp_path, command):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    policies = repo / "docs" / "policies"  # holds the handbook; neither the repository root nor the current folder
    policies.mkdir(parents=True)
    root = make_handbook(policies)
    work = tmp_path / "work"
    work.mkdir()
    (work / "log.csv").write_text(LOG, encoding="utf-8")
    before = snapshot(tmp_path)
    proc = run(command, str(repo / "docs"), root, work)
    assert proc.returncode == 2 and "手册文件夹" in proc.stderr and str(policies.parent) in proc.stderr, proc.stderr
    assert snapshot(tmp_path) == before


def test_build_dot_site_dir_dot_inside_the_handbook_deletes_nothing(sandbox):
    """The reported case: ``opsbook build . --site-dir .`` run in the handbook folder."""
    tmp_path, root, _ = sandbox
    (root / "unrelated.txt").write_text("someone's notes", encoding="utf-8")
    before = snapshot(tmp_path)
    proc = opsbook("build", ".", "--site-dir", ".", cwd=root, env={"HOME": str(tmp_path / "home")})
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", ["build", "simulate", "check"])
def test_a_link_to_a_protected_folder_is_refused_as_that_folder(sandbox, command):
    tmp_path, root, work = sandbox
    (work / "innocent").symlink_to(root)
    before = snapshot(tmp_path)
    proc = run(command, "innocent", root, work)
    assert proc.returncode == 2 and "手册文件夹" in proc.stderr, proc.stderr
    assert snapshot(tmp_path) == before
