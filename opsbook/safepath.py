"""Where opsbook may write: the guard every output folder passes before anything is written.

``opsbook build --site-dir`` replaces a whole folder, and ``pdf --out``,
``simulate --out`` and ``check --out`` write files into one, so a mistyped
path must never cost the user data (issue 10, "data loss"). A target is refused
(``OutputRefused``, one line, exit 2) when it

- is, or lies above, a folder that must survive: the handbook, the git
  repository holding it or the current folder, the current folder itself, the
  home folder, ``/``, or a folder holding one of the command's input files;
- is an existing file (or FIFO, device, ...) where a folder is needed, or lies
  under one;
- is an existing non-empty folder without our marker file (``MARKER``), i.e.
  not an earlier output of the same command.

A folder the command creates (or finds empty) gets the marker, so the next run
may replace or update it. The guard is checked when the command starts; it
cannot stop another process from changing the folder in between (see
docs/bad-input.md).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

from opsbook.cli import UserError
from opsbook.i18n import tr

MARKER = ".opsbook-output"
_MARKER_BYTES = 4096


class OutputRefused(UserError):
    """The output folder named by an option may not be written: printed as one line, exit code 2."""


def _refuse(msgid: str, **params: object) -> OutputRefused:
    return OutputRefused(tr("cli", msgid, **params))


def _repository(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def protected(handbook: Path | None = None, inputs: Iterable[Path] = ()) -> list[tuple[Path, str]]:
    """(folder, what it is) pairs that no output folder may be or lie above."""
    cwd = Path.cwd().resolve()
    found: list[tuple[Path, str]] = [(Path(cwd.anchor), "output.what.root"), (cwd, "output.what.cwd")]
    with contextlib.suppress(RuntimeError, KeyError, OSError):  # no home folder known: nothing to protect there
        found.append((Path.home().resolve(), "output.what.home"))
    given = [(Path(p), "output.what.input") for p in inputs]
    if handbook is not None:
        given.insert(0, (Path(handbook), "output.what.handbook"))
    for path, what in given:
        path = path.resolve()
        found.append((path, what))
        repository = _repository(path if path.is_dir() else path.parent)
        if repository:
            found.append((repository, "output.what.repository"))
    repository = _repository(cwd)
    if repository:
        found.append((repository, "output.what.repository"))
    return found


def marked(folder: Path, kind: str) -> bool:
    """Whether ``folder`` carries the marker of an earlier ``opsbook KIND`` (a small regular file)."""
    marker = folder / MARKER
    try:
        if not marker.is_file() or marker.is_symlink() or marker.stat().st_size > _MARKER_BYTES:
            return False
        first = marker.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
    except OSError:
        return False
    return first == f"opsbook {kind}"


def guard(
    target: str | Path, *, option: str, kind: str, handbook: Path | None = None, inputs: Iterable[Path] = ()
) -> Path:
    """The resolved ``target`` when ``opsbook KIND`` may write it; else OutputRefused naming ``option``."""
    shown = str(target)
    try:
        resolved = Path(target).expanduser().resolve()
        hit = _nearest(resolved, protected(handbook, inputs))
        if hit:
            folder, what = hit
            raise _refuse("output.protected", option=option, path=shown, what=tr("cli", what), folder=folder)
        existing = resolved
        while not os.path.lexists(existing):
            existing = existing.parent
        if not existing.is_dir():
            raise _refuse("output.not-a-folder", option=option, path=shown, file=existing)
        if existing == resolved and any(resolved.iterdir()) and not marked(resolved, kind):
            raise _refuse("output.not-ours", option=option, path=shown, marker=MARKER, command=f"opsbook {kind}")
    except (OSError, ValueError, RuntimeError) as exc:  # a name too long, a NUL byte, a symlink loop ...
        raise _refuse("output.unusable", option=option, path=shown, reason=_reason(exc)) from None
    return resolved


def guard_file(target: str | Path, *, option: str) -> Path:
    """The resolved ``target`` of an option naming one output file (replaced whole); OutputRefused when it
    is an existing folder, FIFO or device, lies below a file, or cannot be resolved."""
    shown = str(target)
    try:
        resolved = Path(target).expanduser().resolve()
        if os.path.lexists(resolved) and not resolved.is_file():
            raise _refuse("output.not-a-file", option=option, path=shown)
        existing = resolved.parent
        while not os.path.lexists(existing):
            existing = existing.parent
        if not existing.is_dir():
            raise _refuse("output.not-a-folder", option=option, path=shown, file=existing)
        os.stat(resolved.parent) if resolved.parent.exists() else None  # a name too long fails here
    except (OSError, ValueError, RuntimeError) as exc:
        raise _refuse("output.unusable", option=option, path=shown, reason=_reason(exc)) from None
    return resolved


def unusable(option: str, path: str | Path, exc: BaseException) -> OutputRefused:
    """The one-line refusal for an output that could not be written (a name too long, a read-only place)."""
    return _refuse("output.unusable", option=option, path=str(path), reason=_reason(exc))


def _nearest(target: Path, places: list[tuple[Path, str]]) -> tuple[Path, str] | None:
    """The protected place ``target`` is, else the deepest one it lies above (the most telling reason)."""
    for folder, what in places:
        if target == folder:
            return folder, what
    below = [(folder, what) for folder, what in places if target in folder.parents]
    return max(below, key=lambda place: len(place[0].parts), default=None)


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def missing_parents(target: Path) -> list[Path]:
    """The folders above ``target`` that do not exist yet, outermost first."""
    missing = []
    for folder in target.parents:
        if os.path.lexists(folder):
            break
        missing.append(folder)
    return missing[::-1]


def remove_empty(folders: Iterable[Path]) -> None:
    """Remove the folders we created (innermost first) if they are still empty; never anything else."""
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()


def claim(folder: Path, kind: str) -> None:
    """Write the marker that lets the next ``opsbook KIND`` replace or update ``folder``."""
    (folder / MARKER).write_text(
        f"opsbook {kind}\nThis folder was written by `opsbook {kind}`, which may replace what it holds.\n",
        encoding="utf-8",
    )


def prepare(
    target: str | Path, *, option: str, kind: str, handbook: Path | None = None, inputs: Iterable[Path] = ()
) -> Path:
    """Guard ``target``, create it (and its parents), mark it; the resolved folder."""
    folder = guard(target, option=option, kind=kind, handbook=handbook, inputs=inputs)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        claim(folder, kind)
    except OSError as exc:
        raise _refuse("output.unusable", option=option, path=str(target), reason=_reason(exc)) from None
    return folder


def umask() -> int:
    """The process's umask (read without changing it where Linux tells it)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
