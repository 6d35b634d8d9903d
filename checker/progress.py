"""The one-line progress display of ``opsbook check`` on a terminal."""

from __future__ import annotations

import sys


class Progress:
    """One line on stderr that redraws itself: the phase, and a bar when its share done is known.

    Silent with --quiet or when stderr is not a terminal (a log file or a pipe gets no progress).
    """

    WIDTH = 24

    def __init__(self, quiet: bool, stream=None):
        self.stream = stream or sys.stderr
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
        self.stream.write(f"\r\x1b[K… {message}{bar}")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False
