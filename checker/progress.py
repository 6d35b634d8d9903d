"""The one-line progress display of ``opsbook check`` on a terminal, in the run's language.

The pipeline words its phases in English; until it gives catalogue ids, the
phases it writes are read back into ``cli`` catalogue ids here (a message no
pattern knows is shown as written).
"""

from __future__ import annotations

import re
import sys

from opsbook.i18n import tr
from opsbook.terminal import printable

PHASES: tuple[tuple[re.Pattern, str], ...] = tuple(
    (re.compile(pattern), msgid)
    for pattern, msgid in (
        (r"reading (?P<file>.+) \((?P<number>\d+)/(?P<files>\d+)\): (?P<rows>[\d,]+) rows", "check.progress-reading"),
        (r"checking cases: bucket (?P<number>\d+)/(?P<buckets>\d+)", "check.progress-cases"),
        (r"checking recurring obligations and labels", "check.progress-log"),
    )
)


def words(message: str, lang: str) -> str:
    for pattern, msgid in PHASES:
        match = pattern.fullmatch(message)
        if match:
            return tr("cli", msgid, lang, **match.groupdict())
    return message


class Progress:
    """One line on stderr that redraws itself: the phase, and a bar when its share done is known.

    Silent with --quiet or when stderr is not a terminal (a log file or a pipe gets no progress).
    """

    WIDTH = 24

    def __init__(self, quiet: bool, stream=None, lang: str | None = None):  # None: messages as given
        self.lang = lang
        self.stream = stream or getattr(sys.stderr, "raw", sys.stderr)  # its own escapes, not escaped
        self.on = not quiet and self.stream.isatty()
        self.drawn = False

    def __call__(self, message: str, done: float | None = None) -> None:
        if not self.on:
            return
        bar = ""
        if done is not None:
            share = min(max(done, 0.0), 1.0)
            full = round(share * self.WIDTH)
            bar = f" [{'#' * full}{'-' * (self.WIDTH - full)}] {share:4.0%}"
        shown = printable(words(message, self.lang) if self.lang else message)
        self.stream.write(f"\r\x1b[K… {shown}{bar}")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False
