"""Messages reach terminals and CI logs: no byte of data may drive them.

A YAML key, a log value or a file name can hold ANSI escape sequences
(``\\x1b[2J`` clears the screen, ``\\x1b]8;;…`` makes a link), a carriage return
that overwrites the line it is on, or a bidirectional override that shows text
in another order than it is read. Every message is printed through
:func:`printable`, which writes such characters as ``\\uXXXX``; line feeds and
tabs stay. ``opsbook.cli.main`` wraps stderr (and stdout when it is a terminal)
in :class:`Escaping`, so no print call can forget it.
"""

from __future__ import annotations

import io
import re

# C0 controls but tab and line feed, DEL, C1 controls, and the bidirectional marks and overrides.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


class Escaping(io.TextIOBase):
    """A text stream writing :func:`printable` text to ``raw`` (which stays reachable for a progress bar)."""

    def __init__(self, raw):
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(printable(text))
        return len(text)

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        return self.raw.isatty()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:
        return getattr(self.raw, "encoding", "utf-8")
