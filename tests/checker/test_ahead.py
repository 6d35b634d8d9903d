"""The read-ahead thread: same items in order, errors where they happened, stops when the caller stops."""

from __future__ import annotations

import threading
import time

import pytest

from checker.ahead import ahead
from checker.readers import LogError


def test_items_come_in_order_and_the_next_is_made_meanwhile():
    made = []

    def items():
        for n in range(5):
            made.append(n)
            yield n

    got = []
    for item in ahead(items()):
        time.sleep(0.05)  # the caller's work: by now the next item is made
        got.append((item, len(made)))
    assert [item for item, _ in got] == [0, 1, 2, 3, 4]
    assert all(seen >= min(item + 2, 5) for item, seen in got)


def test_an_error_in_the_background_is_raised_where_the_next_item_is_asked_for():
    def items():
        yield 1
        raise LogError("log.csv", "unreadable row 2")

    seen = []
    with pytest.raises(LogError, match="unreadable row 2"):
        for item in ahead(items()):
            seen.append(item)
    assert seen == [1]


def test_a_caller_that_stops_early_stops_the_thread():
    def endless():
        n = 0
        while True:
            n += 1
            yield n

    with pytest.raises(KeyboardInterrupt):
        for item in ahead(endless(), name="opsbook-test-ahead"):
            if item == 3:
                raise KeyboardInterrupt
    assert not [t for t in threading.enumerate() if t.name == "opsbook-test-ahead"]
