"""THE correctness test: the real checker on simulated logs finds exactly the ground truth.

Precision and recall 1.0 for every code, findings compared with their case or
scope and period, step, event references and lateness. When this fails, decide
from SPEC-checker.md who is right before changing either side.
"""

from __future__ import annotations

import pytest

from .conftest import checked, disagreement, expected, per_code, run_simulation

ALL_CODES = {f"C1{n:02d}" for n in range(1, 12)} | {"C201", "C202", "C203"}


def agree(tmp_path, cases: int, check_args: tuple[str, ...] = (), **options) -> dict:
    sim = tmp_path / "sim"
    meta = run_simulation(sim, cases, **options)
    want = expected(sim)
    got, report = checked(sim, tmp_path / "report", *check_args)
    assert report["rejected"] == [], report["rejected"][:3]
    scores = per_code(want, got)
    assert all(s == (1.0, 1.0) for s in scores.values()), f"{scores}\n{disagreement(want, got)}"
    assert want == got
    assert sum(meta["counts"]["findings"].values()) == sum(want.values())
    return meta


@pytest.mark.parametrize(("cases", "seed"), [(100, 3), (1_000, 4), (10_000, 5)])
def test_checker_finds_exactly_the_ground_truth(tmp_path, cases, seed):
    meta = agree(tmp_path, cases, seed=seed)
    assert meta["counts"]["spontaneous"] == {}, "clean cases and clean periods must produce no finding"
    if cases >= 10_000:
        assert set(meta["counts"]["findings"]) == ALL_CODES


@pytest.mark.parametrize("fmt", ["jsonl", "parquet", "xes"])
def test_every_format_reads_to_the_same_findings(tmp_path, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    agree(tmp_path, 1_500, seed=8, fmt=fmt, chunk=400)


def test_chunks_keep_references_consistent(tmp_path):
    agree(tmp_path, 2_000, seed=9, chunk=300, rate=0.3)


def test_ground_truth_holds_when_cases_are_checked_in_spilled_buckets(tmp_path):
    spill = tmp_path / "spill"
    spill.mkdir()
    meta = agree(tmp_path, 5_000, seed=11, check_args=("--bucket-events", "3000", "--spill-dir", str(spill)))
    assert meta["counts"]["case_events"] > 10 * 3000  # so the cases were checked in more than ten buckets
    assert list(spill.iterdir()) == []


def test_a_clean_log_has_no_finding(tmp_path):
    meta = agree(tmp_path, 1_000, seed=10, rate=0.0)
    assert meta["counts"]["findings"] == {}
    assert meta["counts"]["open_cases"] > 0


@pytest.mark.slow
def test_checker_agrees_on_100k_cases(tmp_path):
    agree(tmp_path, 100_000, seed=12, rate=0.05, jobs=2)
