"""The one exception the log, mapping and roster readers raise for bad input."""

from __future__ import annotations

from pathlib import Path


class LogError(Exception):
    """A file that cannot be used as given: unreadable, corrupt, or missing a named column.

    The CLI prints ``str(error)`` as one line and exits with code 2.
    """

    def __init__(self, path: str | Path, message: str, line: int | None = None):
        super().__init__(str(path), message, line)
        self.path = str(path)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


def first_line(exc: BaseException) -> str:
    """A third-party error message reduced to its first line (Polars adds hints below)."""
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
