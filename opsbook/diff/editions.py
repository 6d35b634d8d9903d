"""Each release compared with the one before it, and from that the releases that changed each role.

The manual's change history (``handbook.versions``) and the checker's attestation
rules (C204/C205) read the same editions, so a role is "changed by a release" in
exactly the sense the 版本变更 pages show. A release whose content cannot be
read (a shallow clone, a folder outside git) has no diff: it is listed as
unreadable, and the checker then takes it to change every role, which asks for
a confirmation too many rather than one too few.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    """For the attestation rules: the releases in order, and per role those that changed it.

    A release's diff is read from git when first asked for (``for_role`` with ``until``
    reads only the releases dated by then): an audit of a log that ends before a release
    never needs its diff, and reading a handbook from git is most of a small check's
    start-up. Pickled (Spark), it is read in full first, as it was before.
    """

    order: tuple[str, ...]  # release versions, oldest first
    dates: dict[str, date]  # version → release date
    handbook: Handbook = field(repr=False, compare=False)
    root: Path | None = field(repr=False, compare=False)
    touched: dict[str, frozenset[str] | None] = field(default_factory=dict, repr=False, compare=False)  # read so far
    loaded: dict = field(default_factory=dict, repr=False, compare=False)  # version → handbook (``content``)

    def _touched(self, version: str) -> frozenset[str] | None:
        """The roles the diff of ``version`` from the release before touches; None for the first release and
        for one whose diff cannot be read."""
        if version not in self.touched:
            release = releases.find(self.handbook, version)
            before = releases.previous(self.handbook, release)
            diff = None
            if before is not None:
                old, new = (content(self.root, self.handbook, r, self.loaded) for r in (before, release))
                diff = compare(old, new, before.version, release.version) if old and new else None
            self.touched[version] = None if diff is None else frozenset(diff.touched_roles())
        return self.touched[version]

    def for_role(self, role_id: str, until: date | None = None) -> tuple[str, ...]:
        """The releases (dated by ``until``, if given) that changed the role, oldest first: the first release and
        an unreadable one change every role."""
        if role_id not in {role.id for role in self.handbook.roles}:
            return ()
        wanted = (v for v in self.order if until is None or self.dates[v] <= until)
        return tuple(v for v in wanted if (touched := self._touched(v)) is None or role_id in touched)

    @property
    def changed(self) -> dict[str, tuple[str, ...]]:
        """Role id → the versions that changed it, oldest first (every release read)."""
        return {role.id: self.for_role(role.id) for role in self.handbook.roles}

    @property
    def unreadable(self) -> tuple[str, ...]:
        """Versions taken to change every role, their content unreadable (every release read)."""
        return tuple(v for v in self.order[1:] if self._touched(v) is None)

    def rank(self, version: str | None) -> int:
        """Position of a version among the releases; -1 for one that is not a release."""
        return self.order.index(version) if version in self.order else -1

    def __getstate__(self) -> dict:
        for version in self.order:
            self._touched(version)
        return {**self.__dict__, "root": None, "loaded": {}}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)


def role_releases(handbook: Handbook, root: Path | None) -> RoleReleases:
    """The first release changes every role (nobody has confirmed anything yet); each later one, the roles its diff touches."""
    return RoleReleases(
        order=tuple(r.version for r in handbook.releases),
        dates={r.version: date.fromisoformat(r.date) for r in handbook.releases},
        handbook=handbook,
        root=root,
    )
