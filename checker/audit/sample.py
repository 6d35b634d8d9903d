"""Samples of cases for manual testing: attribute sampling in the sense of ISA 530, reproducible exactly.

**Size.** Given ``--size N``, N cases per stratum. Given a confidence level,
a tolerable deviation rate and an expected deviation rate, N is the smallest
sample for which, if the sample shows no more deviations than expected
(``k = ceil(N × expected rate)``), the auditor can conclude with that
confidence that the population's deviation rate does not exceed the tolerable
rate: the binomial probability of at most k deviations in N draws at the
tolerable rate is at most 1 − confidence. This is the basis of the AICPA
attribute-sampling tables (95 %, tolerable 5 %, expected 1 % → 93 cases, 1
deviation allowed). A stratum smaller than N is taken whole.

**Selection.** Each case's rank is a number derived from the seed, its process
and its case id (SHA-256), and a stratum's sample is its N lowest ranks. That is
a random selection (every case has the same chance), yet exactly reproducible
from the seed, independent of the log's row order, of the machine, and of the
other cases in the population: a re-exported log gives the same sample.

**Strata.** Optionally by process and/or by whether the checker found anything
in the case, so that clean cases are tested too (the checker's silence is
itself an assertion to test).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

STRATA = ("process", "findings")
MAX_SIZE = 5000


class SampleError(ValueError):
    """Sampling parameters that cannot be used (exit 2)."""


def attribute_sample_size(confidence: float, tolerable: float, expected: float) -> tuple[int, int]:
    """(sample size, deviations the sample may show), rates and confidence in percent."""
    if not (50 <= confidence < 100 and 0 <= expected < tolerable < 100):
        raise SampleError(f"confidence {confidence}, tolerable {tolerable}, expected {expected}")
    risk, p, q = 1 - confidence / 100, tolerable / 100, expected / 100
    for n in range(1, MAX_SIZE + 1):
        k = math.ceil(n * q - 1e-9)
        if _binomial_cdf(k, n, p) <= risk + 1e-12:
            return n, k
    raise SampleError(f"no sample of at most {MAX_SIZE} cases reaches that confidence")


def _binomial_cdf(k: int, n: int, p: float) -> float:
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(0, min(k, n) + 1))


def rank(seed: int, process: str, case_id: str) -> str:
    """The case's place in the random order of ``seed``: hex digits of SHA-256(seed, process, case id)."""
    return hashlib.sha256(f"{seed}\0{process}\0{case_id}".encode()).hexdigest()


@dataclass(frozen=True)
class Drawn:
    stratum: str
    process: str
    case_id: str
    rank: str
    has_findings: bool


@dataclass(frozen=True)
class Stratum:
    name: str
    population: int
    size: int


def draw(
    cases: list[tuple[str, str]],
    with_findings: set[tuple[str, str]],
    *,
    size: int,
    seed: int,
    stratify: tuple[str, ...] = (),
) -> tuple[list[Drawn], list[Stratum]]:
    """The sample from ``cases`` ((process, case id) pairs): per stratum, the ``size`` lowest ranks."""
    strata: dict[str, list[Drawn]] = {}
    for process, case_id in cases:
        found = (process, case_id) in with_findings
        parts = []
        if "process" in stratify:
            parts.append(process)
        if "findings" in stratify:
            parts.append("with-findings" if found else "no-findings")
        name = "/".join(parts) or "all"
        strata.setdefault(name, []).append(Drawn(name, process, case_id, rank(seed, process, case_id), found))
    drawn, summary = [], []
    for name in sorted(strata):
        chosen = sorted(strata[name], key=lambda d: (d.rank, d.process, d.case_id))[:size]
        drawn += chosen
        summary.append(Stratum(name, len(strata[name]), len(chosen)))
    return drawn, summary
