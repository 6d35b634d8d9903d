"""Helpers for the simulator tests: simulate into a folder, run the real checker, compare findings."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

from opsbook.cli import main as opsbook
from opsbook.loader import load
from opsbook.model import Handbook
from simulator.run import Settings, simulate

ROOT = Path(__file__).parents[2]


@cache
def handbook() -> Handbook:
    result = load(ROOT)
    assert result.handbook is not None, [str(p) for p in result.errors]
    return result.handbook


def run_simulation(out: Path, cases: int, *, rate: float = 0.2, seed: int = 1, **options) -> dict:
    return simulate(Settings(cases, rate, seed, out, **options), handbook())


def key(finding: dict) -> tuple:
    """What must agree: the finding's identity, its evidence and its lateness."""
    refs = finding["event_refs"]
    return (
        finding["code"],
        finding["process"],
        finding["case_id"],
        finding["scope"],
        finding["period"],
        finding["step"],
        tuple(refs),
        finding["lateness_seconds"],
    )


def expected(sim: Path) -> Counter:
    lines = (sim / "ground-truth.jsonl").read_text(encoding="utf-8").splitlines()
    return Counter(key(json.loads(line)) for line in lines)


def checked(sim: Path, out: Path, *extra: str) -> tuple[Counter, dict]:
    """Run ``opsbook check`` on the simulated log as the audit of meta.json; its findings and report."""
    meta = json.loads((sim / "meta.json").read_text(encoding="utf-8"))
    argv = [
        "check",
        str(sim / meta["files"]["log"]),
        "--roster",
        str(sim / "roster.csv"),
        "--as-of",
        meta["as_of"],
        "--handbook",
        str(ROOT),
        "--format",
        "json",
        "--out",
        str(out),
        "--fail-on",
        "never",
        "--quiet",
        *extra,
    ]
    assert opsbook(argv) == 0
    report = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return Counter(key(f) for f in report["findings"]), report


def per_code(want: Counter, got: Counter) -> dict[str, tuple[float, float]]:
    """Code → (precision, recall) of the checker's findings against the ground truth."""
    scores = {}
    for code in sorted({k[0] for k in want} | {k[0] for k in got}):
        w = Counter({k: n for k, n in want.items() if k[0] == code})
        g = Counter({k: n for k, n in got.items() if k[0] == code})
        hit = sum((w & g).values())
        scores[code] = (hit / max(sum(g.values()), 1), hit / max(sum(w.values()), 1))
    return scores


def disagreement(want: Counter, got: Counter, shown: int = 5) -> str:
    missing, extra = list((want - got).elements()), list((got - want).elements())
    lines = [f"missing {len(missing)}, unexpected {len(extra)}"]
    lines += [f"  missing    {k}" for k in missing[:shown]]
    lines += [f"  unexpected {k}" for k in extra[:shown]]
    return "\n".join(lines)
