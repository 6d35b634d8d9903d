"""Observers of the checked events: what the reports count besides findings (the audit trail's cases,
the rates), gathered bucket by bucket wherever the buckets are checked.

An observer part is called with each bucket's checked events and keeps partial tables in the list
attributes it names in ``STATE``; parts of two buckets combine by concatenating those lists. That is
what lets the Spark engine run a fresh copy of the observer next to each bucket on an executor and
send back only its partial tables (``frames``), which the driver's observer ``absorb``s: the same
counts as the local engine, without moving the events.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import polars as pl

from checker.store import own


@dataclass
class Observers:
    parts: tuple  # objects with __call__(events) and STATE: tuple of list attribute names

    def __call__(self, events: pl.DataFrame) -> None:
        for part in self.parts:
            part(events)

    def fresh(self) -> Observers:
        """A copy with empty state, to send where a bucket is checked."""
        copies = []
        for part in self.parts:
            twin = copy.copy(part)
            for name in part.STATE:
                setattr(twin, name, [])
            copies.append(twin)
        return Observers(tuple(copies))

    def frames(self) -> list[tuple[str, pl.DataFrame]]:
        """(address, partial table) for every non-empty piece of state."""
        out = []
        for i, part in enumerate(self.parts):
            for name in part.STATE:
                pieces = getattr(part, name)
                if pieces:  # owned: a group-by's texts may still point into the whole bucket's buffers
                    out.append((f"{i}.{name}", own(pl.concat(pieces, how="diagonal_relaxed"))))
        return out

    def absorb(self, frames: list[tuple[str, pl.DataFrame]]) -> None:
        """Add partial tables made by ``fresh`` copies (``frames`` of each)."""
        for address, frame in frames:
            index, name = address.split(".", 1)
            getattr(self.parts[int(index)], name).append(frame)
