"""The manual's change history: each release compared with the one before, and the baseline of "changes since".

Releases come from ``handbook.yaml`` (``opsbook.releases``); older content is read
from git into a temporary folder and compared with ``opsbook.diff``. A release
whose content cannot be read (a shallow clone, a folder outside git) keeps its
page, with its summary and a note instead of the list of changes: the site
builds wherever the handbook does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from opsbook import releases, urls
from opsbook.diff import Change, Diff, compare
from opsbook.diff.editions import Edition, content, editions
from opsbook.model import Handbook, Release

from . import links


def page(version: str) -> str:
    """The site path of a release's 版本变更 page."""
    return f"{links.PAGES['changes']}{version}/"


def target(handbook: Handbook, change: Change) -> str | None:
    """Where a change can be read in this manual: its URL when the thing still exists, else None.

    An older release's change may name a step or an item the working tree no longer has;
    a link to it would break (and fail the strict build).
    """
    if change.url is None:
        return None
    path, _, anchor = change.url.partition("#")
    kind, _, rest = path.partition("/")
    name = rest.strip("/")
    if kind == "roles":
        role = handbook._roles.get(name)
        ids = {i.id for attr in ("responsibilities", "kpis", "qualifications", "authorities", "conduct")
               for i in getattr(role, attr)} | {o.id for o in role.onboarding} if role else set()  # fmt: skip
        return change.url if role and (not anchor or anchor in ids) else None
    process = handbook._processes.get(name)
    if process is None:
        return None
    anchors = {urls.step_anchor(s.id) for s in process.steps} | {
        urls.obligation_anchor(o.id) for o in process.obligations
    }
    return change.url if not anchor or anchor in anchors else None


@dataclass(frozen=True)
class History:
    label: str  # the version label of the working tree (opsbook.releases.label)
    editions: tuple[Edition, ...]  # oldest first
    since: Release | None  # the baseline of the role pages' "changes since"
    changes: Diff | None  # from ``since`` to the working tree


def baseline(handbook: Handbook, since: str | None = None) -> Release | None:
    """``since`` (a release version) or the release before the current one; None when there is none."""
    if since is not None:
        return releases.find(handbook, since)
    current = releases.find(handbook, handbook.version)
    if current is None:  # the working tree is the draft of an unlisted next version
        return handbook.releases[-1] if handbook.releases else None
    return releases.previous(handbook, current)


def history(handbook: Handbook, root: Path | None, since: str | None = None) -> History:
    cache: dict[str, Handbook | None] = {}
    found = editions(handbook, root, cache)
    label = releases.label(root, handbook) if root is not None else handbook.version
    base = baseline(handbook, since)
    changes = None
    if base is not None:
        old = content(root, handbook, base, cache)
        changes = compare(old, handbook, base.version, label) if old else None
    return History(label, found, base, changes)


def published(handbook: Handbook, repository: Path, label: str) -> History:
    """The history of a release built from its own content (checked out aside): older editions from ``repository``."""
    found = editions(handbook, repository)
    base = baseline(handbook)
    changes = next((e.diff for e in found if base and e.before == base and e.release.version == handbook.version), None)
    return History(label, found, base, changes)
