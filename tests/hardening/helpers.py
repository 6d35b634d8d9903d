"""Running the real command line on a throw-away copy of the minimal handbook."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ..opsbook.test_validate_fixtures import make_handbook

__all__ = ["CORPUS", "make_handbook", "opsbook"]

CORPUS = Path(__file__).parent / "corpus"
# The environment of the test run must not change what the command does.
_UNSET = ("OPSBOOK_DEBUG", "OPSBOOK_REDACT_KEY")


def opsbook(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 120):
    """``opsbook ARGS`` in a fresh interpreter, as a user runs it; the CompletedProcess (text)."""
    environ = {k: v for k, v in os.environ.items() if k not in _UNSET} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "opsbook", *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
    )
