"""A handbook in a throw-away git repository with two releases: the diff fixture's old and new content.

Release "1" is the first commit (tests/opsbook/fixtures/diff/old); release "2" is the
working tree (…/new), committed. Used by the site, PDF and checker tests of versions.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

PAIR = Path(__file__).resolve().parent / "fixtures" / "diff"
ENV = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
       "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip
RELEASE_1_DATE, RELEASE_2_DATE = "2026-01-05", "2026-03-02"


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, env=ENV, check=True)
    return done.stdout.strip()


def commit(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD")


def make(folder: Path, patch: Callable[[Path], None] | None = None) -> Path:
    """The repository in ``folder`` (created); returns its root. ``patch(root)`` edits both releases alike."""
    patch = patch or (lambda root: None)
    shutil.copytree(PAIR / "old", folder)
    patch(folder)
    git(folder, "init", "-q")
    first = commit(folder, "release 1")
    for part in ("roles", "processes"):
        shutil.rmtree(folder / part)
        shutil.copytree(PAIR / "new" / part, folder / part)
    patch(folder)
    settings = folder / "handbook.yaml"
    releases = (
        f'version: "2"\nreleases:\n'
        f'  - {{version: "1", date: "{RELEASE_1_DATE}", summary: 首版。, commit: "{first}"}}\n'
        f'  - {{version: "2", date: "{RELEASE_2_DATE}", summary: 内勤职责改写，新增稽核专员。}}\n'
    )
    settings.write_text(settings.read_text(encoding="utf-8").replace('version: "t1"\n', releases), encoding="utf-8")
    commit(folder, "release 2")
    return folder
