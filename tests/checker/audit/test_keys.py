"""Finding keys are the same when the same log is re-exported: rows shuffled, renumbered, renamed, given ids."""

from __future__ import annotations

import csv
import json
import random
from collections import Counter
from pathlib import Path

import pytest

from opsbook.cli import main

from ...simulator.conftest import ROOT, run_simulation


@pytest.fixture(scope="module")
def sim(tmp_path_factory) -> tuple[Path, dict]:
    base = tmp_path_factory.mktemp("keys")
    meta = run_simulation(base / "sim", 150, rate=0.4, seed=11)
    return base, meta


def check(base: Path, meta: dict, log: Path, name: str, *extra: str) -> list[dict]:
    out = base / name
    args = ["check", str(log), "--roster", str(base / "sim/roster.csv"), "--as-of", meta["as_of"], "--handbook"]
    args += [str(ROOT), "--format", "json", "--out", str(out), "--fail-on", "never", "-q", *extra]
    assert main(args) == 0
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))["findings"]


def test_keys_survive_shuffled_renumbered_and_renamed_rows(sim):
    base, meta = sim
    original = base / "sim" / "events.csv"
    findings = check(base, meta, original, "original")
    with original.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, list(reader)
    random.Random(3).shuffle(rows)
    numbers = random.Random(4).sample(range(10**6, 10**7), len(rows))
    export = base / "crm-export-2026-12.csv"  # another name, another order, its own row ids
    with export.open("w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, ["流水号", *header])
        out.writeheader()
        out.writerows({"流水号": f"EV{n}", **row} for n, row in zip(numbers, rows, strict=True))
    mapping = base / "mapping.yaml"
    mapping.write_text("id: 流水号\n", encoding="utf-8")
    again = check(base, meta, export, "export", "--mapping", str(mapping))

    assert len(findings) > 100
    assert Counter(f["key"] for f in again) == Counter(f["key"] for f in findings)
    # ... although every piece of evidence is now named differently
    refs = {r for f in again for r in f["event_refs"]}
    assert refs and all(r.startswith("EV") for r in refs)


def test_keys_are_unique_within_a_run(sim):
    base, meta = sim
    findings = check(base, meta, base / "sim" / "events.csv", "unique")
    keys = Counter(f["key"] for f in findings)
    assert [k for k, n in keys.items() if n > 1] == []
    assert all("events.csv" not in k for k in keys)  # no row reference in a key
