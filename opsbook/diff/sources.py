"""The versions ``opsbook diff`` compares: a folder, a release of the handbook, or a git revision.

A release version (``2026.1``) is looked up in the handbook's ``releases:``; anything
else that is not a folder is a git revision (commit, branch, tag). Older content
is read into a temporary folder (``opsbook.releases.checkout``), never into the
working tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from opsbook import releases
from opsbook.loader import SETTINGS_FILE, load
from opsbook.model import Handbook
from opsbook.releases import ReleaseError


def load_folder(folder: Path, name: str) -> Handbook:
    result = load(folder)
    if result.errors:
        first = result.errors[0]
        raise ReleaseError("diff.invalid", version=name, count=len(result.errors), problem=str(first))
    return result.handbook


@contextmanager
def opened(root: Path, spec: str) -> Iterator[tuple[Handbook, str]]:
    """The handbook a spec names, with the label to show for it."""
    folder = Path(spec)
    if (folder / SETTINGS_FILE).is_file():
        handbook = load_folder(folder, spec)
        # The handbook's own folder is named by its version label; any other folder by its path.
        yield handbook, releases.label(root, handbook) if folder.resolve() == root else spec
        return
    here = load(root).handbook if (root / SETTINGS_FILE).is_file() else None
    release = releases.find(here, spec) if here else None
    if release is not None:
        with releases.content(root, release) as where:
            yield load_folder(where, spec), spec
        return
    if folder.exists():
        raise ReleaseError("diff.not-handbook", path=spec)
    with releases.checkout(root, spec) as where:
        yield load_folder(where, spec), spec


@contextmanager
def release_pair(root: Path, handbook: Handbook, version: str) -> Iterator[tuple[Handbook, Handbook] | None]:
    """(the release before ``version``, ``version``) as loaded handbooks; None for the first release."""
    release = releases.find(handbook, version)
    before = releases.previous(handbook, release) if release else None
    if before is None:
        yield None
        return
    with releases.content(root, before) as old_folder, releases.content(root, release) as new_folder:
        old = load_folder(old_folder, before.version)
        new = handbook if release.commit is None else load_folder(new_folder, version)
        yield old, new
