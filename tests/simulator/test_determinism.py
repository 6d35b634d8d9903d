"""Same seed, same bytes (whatever the chunking into worker processes); another seed, another log."""

from __future__ import annotations

import pytest

from .conftest import run_simulation

FILES = ("events.csv", "roster.csv", "ground-truth.jsonl", "meta.json")


def contents(folder) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FILES}


def test_same_seed_same_bytes(tmp_path):
    run_simulation(tmp_path / "a", 800, seed=7, chunk=250)
    run_simulation(tmp_path / "b", 800, seed=7, chunk=250)
    assert contents(tmp_path / "a") == contents(tmp_path / "b")


def test_worker_processes_do_not_change_the_bytes(tmp_path):
    run_simulation(tmp_path / "a", 900, seed=7, chunk=300, jobs=1)
    run_simulation(tmp_path / "b", 900, seed=7, chunk=300, jobs=2)
    assert contents(tmp_path / "a") == contents(tmp_path / "b")


def test_different_seed_different_log(tmp_path):
    run_simulation(tmp_path / "a", 300, seed=7)
    run_simulation(tmp_path / "b", 300, seed=8)
    a, b = contents(tmp_path / "a"), contents(tmp_path / "b")
    assert a["events.csv"] != b["events.csv"]
    assert a["ground-truth.jsonl"] != b["ground-truth.jsonl"]


@pytest.mark.parametrize("fmt", ["jsonl", "parquet", "xes"])
def test_other_formats_are_deterministic(tmp_path, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    run_simulation(tmp_path / "a", 300, seed=3, fmt=fmt, chunk=100)
    run_simulation(tmp_path / "b", 300, seed=3, fmt=fmt, chunk=100)
    name = f"events.{fmt}"
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
