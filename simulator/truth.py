"""The ground truth: every finding a correct checker must report, as JSON Lines.

A ``Truth`` holds its evidence as generated events; their log references
("<file name>:<row>") exist only once the chunk's rows are numbered (from 1 in
each chunk) and the rows of the chunks before it are known, so ``to_doc``
gives chunk rows and ``TruthFile.write`` adds the offset. Lines come in generation order
(chunk by chunk: cases, then recurring obligations), then one line per unknown
activity label, which needs the whole log: it carries the label's count and its
five earliest events by (timestamp, row), as the checker samples them.
"""

from __future__ import annotations

import heapq
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .evaluate import Ev

SAMPLES = 5


@dataclass(slots=True)
class Truth:
    code: str
    process: str | None
    step: str | None
    case_id: str | None = None
    scope: str | None = None
    period: str | None = None
    refs: tuple[Ev, ...] = ()
    lateness: int | None = None
    ordered: bool = False  # refs keep their given order (C103: step, predecessor; C203: start, end)
    injected: bool = True
    extra: dict | None = None

    def to_doc(self) -> dict:
        """The JSON object, with ``event_refs`` still as the chunk's row numbers (see ``TruthFile.write``)."""
        refs = self.refs if self.ordered else sorted(self.refs, key=lambda e: (e.t, e.row))
        doc = {
            "code": self.code,
            "process": self.process,
            "case_id": self.case_id,
            "scope": self.scope,
            "period": self.period,
            "step": self.step,
            "event_refs": [e.row for e in refs],
            "lateness_seconds": self.lateness,
            "injected": self.injected,
        }
        if self.extra:
            doc.update(self.extra)
        return doc


class UnknownLabels:
    """Per unknown label: its count and its earliest events by (t, row)."""

    def __init__(self) -> None:
        self.count: Counter[str] = Counter()
        self.first: dict[str, list[tuple[int, int]]] = {}

    def add(self, label: str, t: int, row: int) -> None:
        self.count[label] += 1
        heap = self.first.setdefault(label, [])
        key = (-t, -row)  # a max-heap of the SAMPLES smallest
        if len(heap) < SAMPLES:
            heapq.heappush(heap, key)
        elif key > heap[0]:
            heapq.heapreplace(heap, key)

    def truths(self, log_name: str) -> list[dict]:
        out = []
        for label in sorted(self.count):
            rows = sorted((-t, -row) for t, row in self.first[label])
            out.append(
                {
                    "code": "C111",
                    "process": None,
                    "case_id": None,
                    "scope": None,
                    "period": None,
                    "step": None,
                    "event_refs": [f"{log_name}:{row}" for _, row in rows],
                    "lateness_seconds": None,
                    "injected": True,
                    "activity": label,
                    "count": self.count[label],
                }
            )
        return out


class TruthFile:
    def __init__(self, path: Path, log_name: str) -> None:
        self.handle: IO[str] = path.open("w", encoding="utf-8", newline="\n")
        self.log_name = log_name
        self.counts: Counter[str] = Counter()
        self.spontaneous: Counter[str] = Counter()

    def write(self, docs: list[dict], offset: int) -> None:
        """Write a chunk's findings; its row numbers start after ``offset`` rows of earlier chunks."""
        lines = []
        for doc in docs:
            self.counts[doc["code"]] += 1
            if not doc["injected"]:
                self.spontaneous[doc["code"]] += 1
            doc["event_refs"] = [f"{self.log_name}:{offset + row}" for row in doc["event_refs"]]
            lines.append(json.dumps(doc, ensure_ascii=False, sort_keys=True))
        if lines:
            self.handle.write("\n".join(lines) + "\n")

    def close(self, unknown: UnknownLabels) -> None:
        for doc in unknown.truths(self.log_name):
            self.counts["C111"] += 1
            self.handle.write(json.dumps(doc, ensure_ascii=False, sort_keys=True) + "\n")
        self.handle.close()
