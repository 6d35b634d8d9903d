"""Make the next item of an iterator in a background thread while the caller works on this one.

Reading a log is two kinds of work per batch: the readers parse and normalise
it, then the pipeline prepares, admits and stores it. Both are mostly Polars,
which runs outside the interpreter lock, so with the next batch read while
this one is prepared, both cores stay busy. One batch ahead at most: memory
grows by one batch. An error in the background surfaces, unchanged, where the
caller asks for the next item; a caller that stops early (an error, Ctrl-C)
stops the background thread before going on.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")
_END = object()
_WAIT = 0.1  # seconds between looks at the stop flag while the queue is full


def ahead(items: Iterator[T], depth: int = 1, name: str = "opsbook-ahead") -> Iterator[T]:
    """``items``, each made while the caller works on the one before."""
    slots: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry) -> bool:
        while not stop.is_set():
            try:
                slots.put(entry, timeout=_WAIT)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for item in items:
                if not put((item, None)):
                    return
            put((_END, None))
        except BaseException as exc:  # handed to the caller, who raises it
            put((_END, exc))

    thread = threading.Thread(target=work, name=name, daemon=True)
    thread.start()
    try:
        while True:
            item, error = slots.get()
            if item is _END:
                if error is not None:
                    raise error
                return
            yield item
    finally:
        stop.set()
        thread.join()
