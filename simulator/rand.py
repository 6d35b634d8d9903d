"""Random draws for the per-case loop: numpy blocks consumed one number at a time.

A scalar call into numpy costs about a microsecond; the simulator makes tens of
draws per case. ``Stream`` draws blocks of uniforms and normals from a PCG64
``Generator`` and hands them out from Python lists, which is several times
faster and just as reproducible: the same seed and the same sequence of calls
give the same numbers. Each chunk of cases gets its own ``Stream`` spawned from
the run's ``SeedSequence``, so a chunk's numbers do not depend on other chunks.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

import numpy as np

_BLOCK = 1 << 15


def generator(seed: int, *path: int) -> np.random.Generator:
    """The PCG64 generator for ``seed`` and a spawn path, e.g. (chunk index,)."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=path)))


class Stream:
    def __init__(self, gen: np.random.Generator) -> None:
        self.gen = gen
        self._u: list[float] = []
        self._z: list[float] = []

    def random(self) -> float:
        if not self._u:
            self._u = self.gen.random(_BLOCK).tolist()
        return self._u.pop()

    def normal(self) -> float:
        if not self._z:
            self._z = self.gen.standard_normal(_BLOCK).tolist()
        return self._z.pop()

    def chance(self, p: float) -> bool:
        return self.random() < p

    def below(self, n: int) -> int:
        return min(int(self.random() * n), n - 1)

    def between(self, low: int, high: int) -> int:
        """An integer in [low, high]."""
        return low + self.below(high - low + 1) if high > low else low

    def pick(self, items: Sequence):
        return items[self.below(len(items))]

    def weighted(self, cumulative: Sequence[float]):
        """An index drawn by cumulative weights (see ``cumulate``)."""
        return min(bisect_right(cumulative, self.random() * cumulative[-1]), len(cumulative) - 1)

    def lognormal(self, median: float, sigma: float) -> float:
        return median * math.exp(sigma * self.normal())

    def sample(self, items: Sequence, k: int) -> list:
        pool = list(items)
        out = []
        for _ in range(min(k, len(pool))):
            out.append(pool.pop(self.below(len(pool))))
        return out


def cumulate(weights: Sequence[float]) -> list[float]:
    return list(accumulate(weights))
