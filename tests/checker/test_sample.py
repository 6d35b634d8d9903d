"""The bundled sample log: the checker reports exactly the hand-verified findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opsbook.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
KEYS = ("code", "process", "case_id", "step", "scope", "period", "event_refs")


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("sample")
    code = main(
        [
            "check", str(EXAMPLES / "sample-log.csv"), "--handbook", str(ROOT),
            "--mapping", str(EXAMPLES / "mapping.yaml"), "--roster", str(EXAMPLES / "roster.csv"),
            "--as-of", "2026-06-30T23:59:00+08:00", "--from", "2026-06-01",
            "--out", str(out), "--format", "json", "-q",
        ]
    )  # fmt: skip
    assert code == 1  # violations found
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


def test_findings_equal_the_hand_verified_list(report):
    expected = json.loads((EXAMPLES / "expected-findings.json").read_text(encoding="utf-8"))
    actual = [{k: f[k] for k in KEYS} for f in report["findings"]]
    assert actual == [{k: e.get(k) for k in KEYS} for e in expected]


def test_every_check_is_triggered(report):
    """Except the role-page confirmations: the sample (June 2026) predates the first release (tests/checker/test_confirmations.py)."""
    from checker.rules import REGISTRY

    assert {f["code"] for f in report["findings"]} == set(REGISTRY) - {"C204", "C205", "C206"}


def test_rows_are_accounted_per_file_and_in_total(report):
    rows = report["meta"]["rows"]
    assert rows["read"] == rows["checked"] + rows["rejected"]
    (entry,) = report["meta"]["inputs"]
    assert (entry["rows_read"], entry["rows_rejected"]) == (rows["read"], rows["rejected"])
    assert sorted(r["ref"] for r in report["rejected"]) == sorted(
        ["sample-log.csv:194", "sample-log.csv:266", "sample-log.csv:324", "sample-log.csv:340"]
    )


def test_run_records_digests_of_every_input(report):
    import hashlib

    options = report["meta"]["options"]
    for name in ("mapping", "roster"):
        digest = hashlib.sha256(Path(options[name]).read_bytes()).hexdigest()
        assert options[f"{name}_sha256"] == digest
    (entry,) = report["meta"]["inputs"]
    assert entry["sha256"] == hashlib.sha256((EXAMPLES / "sample-log.csv").read_bytes()).hexdigest()
