"""Termination signals as KeyboardInterrupt, so ``finally`` blocks remove what a command left half-done.

By default SIGTERM and SIGHUP end Python at once, skipping every ``finally``:
a killed ``opsbook check`` would leave its spilled raw events on disk and a
killed ``opsbook build`` its staging folder. Inside ``interruptible()`` they
raise KeyboardInterrupt in the main thread like Ctrl-C does (exit 130, see
opsbook/cli.py) and the previous handlers come back afterwards. ``deferred()``
holds the signals back around steps that must not be cut in two (renaming the
old site away and the new one into place). SIGKILL cannot be caught: what it
leaves stays in a private folder (see docs/bad-input.md).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SIGNALS = tuple(s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None)


def _raise(signum, frame) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


@contextmanager
def interruptible() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP raise KeyboardInterrupt inside the block (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for signum in SIGNALS:
        handler = signal.getsignal(signum)
        if handler is signal.SIG_IGN:  # ignored by whoever started us (nohup, a background job): keep it so
            continue
        previous[signum] = handler
        signal.signal(signum, _raise)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


@contextmanager
def deferred() -> Iterator[None]:
    """The signals wait until the block is over (then act as usual)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
