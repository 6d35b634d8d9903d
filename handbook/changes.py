"""What changed recently: the latest revisions of the policy files, from git.

The history is derived, never typed: each entry is a commit that touched
handbook.yaml, roles/ or processes/, with the pages it affects. Outside a git
checkout (or without git) there is simply no history to show.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

POLICY_PATHS = ("handbook.yaml", "roles", "processes")
_RECORD, _FIELD = "\x1e", "\x1f"


@dataclass(frozen=True)
class Change:
    revision: str
    date: str  # YYYY-MM-DD
    summary: str
    files: tuple[str, ...]  # paths relative to the handbook root


def recent(root: Path, limit: int = 8) -> tuple[Change, ...]:
    command = [
        "git",
        "-C",
        str(root),
        "log",
        f"-n{limit}",
        "--date=short",
        "--no-renames",
        f"--pretty=format:{_RECORD}%h{_FIELD}%ad{_FIELD}%s",
        "--name-only",
        "--relative",
        "--",
        *POLICY_PATHS,
    ]
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ()
    if out.returncode != 0:
        return ()
    changes = []
    for record in filter(None, out.stdout.split(_RECORD)):
        head, *files = record.strip("\n").split("\n")
        revision, date, summary = head.split(_FIELD, 2)
        changes.append(Change(revision, date, summary, tuple(f for f in files if f)))
    return tuple(changes)
