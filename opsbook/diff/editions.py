"""Each release compared with the one before it, and from that the releases that changed each role.

The manual's change history (``handbook.versions``) and the checker's attestation
rules (C204/C205) read the same editions, so a role is "changed by a release" in
exactly the sense the 版本变更 pages show. A release whose content cannot be
read (a shallow clone, a folder outside git) has no diff: it is listed as
unreadable, and the checker then takes it to change every role, which asks for
a confirmation too many rather than one too few.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from opsbook import releases
from opsbook.model import Handbook, Release
from opsbook.releases import ReleaseError

from .changes import Diff
from .compare import compare
from .sources import load_folder


@dataclass(frozen=True)
class Edition:
    release: Release
    before: Release | None  # the release it is compared with; None for the first
    diff: Diff | None  # None for the first release, or when a version could not be read
    readable: bool = True


def content(root: Path | None, handbook: Handbook, release: Release, cache: dict) -> Handbook | None:
    """A release's handbook: the working tree's own when it is that release, else read from git (once)."""
    if release.commit is None:
        return handbook
    if release.version not in cache:
        try:
            if root is None:
                raise ReleaseError("diff.no-git", revision=release.commit, root="")
            with releases.content(root, release) as folder:
                cache[release.version] = load_folder(folder, release.version)
        except ReleaseError:
            cache[release.version] = None
    return cache[release.version]


def editions(handbook: Handbook, root: Path | None, cache: dict | None = None) -> tuple[Edition, ...]:
    """Every release, oldest first, with its diff from the release before."""
    cache = {} if cache is None else cache
    found = []
    for release in handbook.releases:
        before = releases.previous(handbook, release)
        if before is None:
            found.append(Edition(release, None, None))
            continue
        old, new = content(root, handbook, before, cache), content(root, handbook, release, cache)
        diff = compare(old, new, before.version, release.version) if old and new else None
        found.append(Edition(release, before, diff, diff is not None))
    return tuple(found)


@dataclass(frozen=True)
class RoleReleases:
    """For the attestation rules: the releases in order, and per role those that changed it."""

    order: tuple[str, ...]  # release versions, oldest first
    dates: dict[str, date]  # version → release date
    changed: dict[str, tuple[str, ...]]  # role id → versions that changed it, oldest first
    unreadable: tuple[str, ...] = ()  # versions taken to change every role, their content unreadable

    def for_role(self, role_id: str) -> tuple[str, ...]:
        return self.changed.get(role_id, ())

    def rank(self, version: str | None) -> int:
        """Position of a version among the releases; -1 for one that is not a release."""
        return self.order.index(version) if version in self.order else -1


def role_releases(handbook: Handbook, root: Path | None) -> RoleReleases:
    """The first release changes every role (nobody has confirmed anything yet); each later one, the roles its diff touches."""
    every = {role.id for role in handbook.roles}
    changed: dict[str, list[str]] = {role_id: [] for role_id in every}
    unreadable = []
    for edition in editions(handbook, root):
        if edition.before is None or edition.diff is None:
            touched = every
            if edition.before is not None:
                unreadable.append(edition.release.version)
        else:
            touched = set(edition.diff.touched_roles()) & every
        for role_id in touched:
            changed[role_id].append(edition.release.version)
    return RoleReleases(
        order=tuple(r.version for r in handbook.releases),
        dates={r.version: date.fromisoformat(r.date) for r in handbook.releases},
        changed={role_id: tuple(found) for role_id, found in changed.items()},
        unreadable=tuple(unreadable),
    )
