"""Releases: the published versions of a handbook, where their content is, and the version label.

A release (``releases:`` in handbook.yaml) names the git commit that holds its
policy files; the newest release may name none, and then its content is the
working tree. Commits rather than tags, because tags do not survive every way a
repository is copied. Older content is read with ``git archive`` into a
temporary folder: the working tree is never touched.

The *version label* shown on every page and booklet says what a reader holds:
``2026.2`` when the policy files are exactly the release, ``2026.2+未发布修改``
when they were edited after it (committed or not). The point a working-tree
release was made is the commit that first listed it in handbook.yaml.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import yaml

from .model import Handbook, Release

UNRELEASED = "未发布修改"
POLICY_PATHS = ("handbook.yaml", "roles", "processes")


class ReleaseError(Exception):
    """A release or revision that cannot be read: a message id of the ``diff`` catalogue and its parameters."""

    def __init__(self, msgid: str, **params: object):
        super().__init__(msgid)
        self.msgid, self.params = msgid, params


def settings_problems(data: dict) -> Iterator[tuple[tuple, str, dict]]:
    """(path in handbook.yaml, validate message id, its parameters) for what the schema cannot judge in releases."""
    releases = data.get("releases", [])
    seen: set[str] = set()
    previous: date | None = None
    for i, release in enumerate(releases):
        if release["version"] in seen:
            yield ("releases", i, "version"), "xref.release-twice", {"value": release["version"]}
        seen.add(release["version"])
        try:
            day = date.fromisoformat(release["date"])
        except ValueError:
            yield ("releases", i, "date"), "xref.not-a-date", {"value": release["date"]}
            continue
        if previous and day < previous:
            yield ("releases", i, "date"), "xref.release-order", {}
        previous = day
        if "commit" not in release and i != len(releases) - 1:
            yield ("releases", i), "xref.release-no-commit", {}
        elif "commit" not in release and release["version"] != data.get("version"):
            yield ("releases", i, "version"), "xref.release-version", {"value": release["version"]}


def find(handbook: Handbook, version: str) -> Release | None:
    return next((r for r in handbook.releases if r.version == version), None)


def previous(handbook: Handbook, release: Release) -> Release | None:
    """The release before ``release``, or None for the first."""
    index = handbook.releases.index(release)
    return handbook.releases[index - 1] if index else None


def current(handbook: Handbook) -> Release | None:
    """The release the working tree is (or is an edit of): the one named by ``version``, else the newest."""
    return find(handbook, handbook.version) or (handbook.releases[-1] if handbook.releases else None)


def _git(root: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=not binary, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done if done.returncode == 0 else None


def in_git(root: Path) -> bool:
    return _git(root, "rev-parse", "--is-inside-work-tree") is not None


def _prefix(root: Path) -> str:
    done = _git(root, "rev-parse", "--show-prefix")
    return done.stdout.strip() if done else ""


def commit_of(root: Path, revision: str) -> str | None:
    """The full commit id of a revision (commit, branch, tag), or None."""
    done = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    return done.stdout.strip() if done else None


@contextmanager
def checkout(root: Path, revision: str) -> Iterator[Path]:
    """A temporary folder holding the policy files of ``revision`` (removed afterwards)."""
    commit = commit_of(root, revision)
    if commit is None:
        raise ReleaseError("diff.no-revision" if in_git(root) else "diff.no-git", revision=revision, root=root)
    done = _git(root, "archive", "--format=tar", f"{commit}:{_prefix(root)}", binary=True)
    if done is None:
        raise ReleaseError("diff.no-revision", revision=revision, root=root)
    with tempfile.TemporaryDirectory(prefix="opsbook-release-") as folder:
        with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
            wanted = [m for m in archive.getmembers() if m.name.split("/")[0] in POLICY_PATHS]
            archive.extractall(folder, members=wanted, filter="data")
        yield Path(folder)


@contextmanager
def content(root: Path, release: Release) -> Iterator[Path]:
    """The folder holding a release's policy files: the working tree, or its commit checked out aside."""
    if release.commit is None:
        yield root
    else:
        with checkout(root, release.commit) as folder:
            yield folder


def _listed(text: str | None, version: str) -> bool:
    try:
        data = yaml.safe_load(text or "")
    except yaml.YAMLError:
        return False
    releases = data.get("releases") if isinstance(data, dict) else None
    return isinstance(releases, list) and any(isinstance(r, dict) and r.get("version") == version for r in releases)


def release_point(root: Path, release: Release) -> str | None:
    """The commit holding a release: its ``commit``, or the commit that first listed a working-tree release."""
    if release.commit:
        return commit_of(root, release.commit)
    done = _git(root, "log", "--format=%H", "--", "handbook.yaml")
    point = None
    for commit in done.stdout.split() if done else ():
        shown = _git(root, "show", f"{commit}:./handbook.yaml")
        if not _listed(shown.stdout if shown else None, release.version):
            break
        point = commit
    return point


def _settings(text: str | None) -> object:
    """handbook.yaml's data without its release list, which does not change the policy it states."""
    try:
        data = yaml.safe_load(text or "")
    except yaml.YAMLError:
        return text
    if isinstance(data, dict):
        data.pop("releases", None)
    return data


def edited_since(root: Path, commit: str) -> bool:
    """True when the policy files in ``root`` differ from ``commit`` (committed later or not committed at all)."""
    if _git(root, "diff", "--quiet", commit, "--", "roles", "processes") is None:
        return True
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "--", "roles", "processes")
    if untracked is None or untracked.stdout.strip():
        return True
    then = _git(root, "show", f"{commit}:./handbook.yaml")
    now = (root / "handbook.yaml").read_text(encoding="utf-8") if (root / "handbook.yaml").is_file() else None
    return _settings(then.stdout if then else None) != _settings(now)


def label(root: Path | None, handbook: Handbook) -> str:
    """The version a reader holds: ``2026.2``, or ``2026.2+未发布修改`` when edited after that release.

    Outside git nothing can be compared: the folder is taken to be the version it says.
    """
    release = current(handbook)
    base = release.version if release else handbook.version
    if root is None or not in_git(root):
        return base
    if release is not None and release.version != handbook.version:
        return f"{base}+{UNRELEASED}"  # the working tree is already the draft of a next version
    point = release_point(root, release) if release else commit_of(root, "HEAD")
    if point is None or edited_since(root, point):
        return f"{base}+{UNRELEASED}"
    return base
