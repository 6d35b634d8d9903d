"""Did you mean: the one known name clearly closest to an unknown one.

Used for activity labels the handbook does not know (a log that writes the step
title 登记投诉 where the label is 登记客户投诉) and for ids given on the command
line (``--process hand-over``). Texts are compared after folding: traditional
characters to simplified (OpenCC), case, spaces and punctuation removed. A
suggestion is made only when one candidate is within an edit distance of about a
third of the longer text and strictly closer than every other candidate (as
Python's NameError suggestions and git do): no suggestion is better than a guess.
(The validator's ``opsbook.suggest`` lists up to three close names for an
editor; a report names at most one.) Pinyin is not compared.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import TypeVar

from opsbook.model import Handbook
from opsbook.suggest import fold as fold_name

V = TypeVar("V")
_NOISE = re.compile(r"[.,，。、:：;；()（）\[\]【】\"'“”‘’/]+")


@cache
def fold(text: str) -> str:
    """``opsbook.suggest.fold`` (case, script, separators), and punctuation removed; cached per text."""
    return _NOISE.sub("", fold_name(text or ""))


def distance(a: str, b: str, limit: int | None = None) -> int:
    """Edit distance where an insertion, deletion, substitution or swap of neighbours costs 1 (sael → sale: 1).

    With ``limit``, only the band of cells within ``limit`` of the diagonal is computed (a cell
    outside it is further than ``limit`` anyway), it stops as soon as the distance must exceed
    ``limit``, and any distance beyond it is returned as ``limit + 1``.
    """
    far = len(a) + len(b) + 1 if limit is None else limit + 1
    width = far if limit is None else limit
    before, previous = None, [min(j, far) for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        row = [min(i, far)] + [far] * len(b)
        for j in range(max(1, i - width), min(len(b), i + width) + 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1]), far)
            if before is not None and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], before[j - 2] + 1)
        if limit is not None and min(row) > limit:
            return far
        before, previous = previous, row
    return previous[-1]


@cache
def _letters(text: str) -> frozenset[str]:
    return frozenset(text)


def closest(word: str, candidates: Iterable[tuple[str, V]]) -> V | None:
    """The value of the candidate text clearly closest to ``word`` (see the module doc), else None."""
    target = fold(word)
    if not target:
        return None
    letters = _letters(target)
    best: dict[int, set] = {}
    values: dict[object, V] = {}
    for text, value in candidates:
        folded = fold(text)
        limit = max(1, max(len(target), len(folded)) // 3)
        if abs(len(target) - len(folded)) > limit:  # the distance is at least the difference in length
            continue
        # ... and at least the number of letters either has and the other lacks (one edit brings or takes one)
        other = _letters(folded)
        if len(letters - other) > limit or len(other - letters) > limit:
            continue
        d = distance(target, folded, limit)
        if d <= limit:
            best.setdefault(d, set()).add(repr(value))
            values[repr(value)] = value
    if not best:
        return None
    top = best[min(best)]
    return values[next(iter(top))] if len(top) == 1 else None


def activity_candidates(handbook: Handbook) -> list[tuple[str, tuple[str, str, str]]]:
    """Every label, step title and obligation title → (the label to use, process id, step id)."""
    out = []
    for process in handbook.processes:
        for thing in (*process.steps, *process.obligations):
            if not thing.activities:
                continue
            value = (thing.activities[0], process.id, thing.id)
            out += [(label, (label, process.id, thing.id)) for label in thing.activities]
            out.append((thing.title, value))
    return out


def suggestions(labels: Iterable[str], handbook: Handbook) -> dict[str, tuple[str, str, str]]:
    """Unknown label → (suggested label, process, step) for the labels that have a clear suggestion."""
    candidates = activity_candidates(handbook)
    found = {}
    for label in labels:
        hit = closest(label, candidates)
        if hit is not None:
            found[label] = hit
    return found
