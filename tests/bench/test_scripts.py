"""The benchmark scripts run as the README says, at a tiny size, and report what they measured.

Only that they work and that their tables describe the run: no timing is asserted.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *argv], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_checker_benchmark_measures_a_small_log_and_writes_its_section(tmp_path):
    page = tmp_path / "benchmarks.md"
    page.write_text("# Benchmarks\n\nkept as it is\n", encoding="utf-8")
    work = tmp_path / "work"
    done = run(
        "bench/checker.py", "--sizes", "1e4", "--formats", "csv", "--no-pm4py", "--work", str(work), "--out", str(page)
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (folder,) = [p for p in work.iterdir() if p.name.startswith("csv-")]
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    events = f"{meta['counts']['events']:,}"
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nkept as it is\n")
    section = text.split("<!-- checker:start -->", 1)[1].split("<!-- checker:end -->", 1)[0]
    assert re.search(rf"^\| csv \| {events} \| [\d.]+ \| [\d,]+ \| [\d,]+ \|", section, re.M)  # end to end
    assert re.search(
        rf"^\| csv \| {events} \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \|", section, re.M
    )  # phases
    assert "pm4py: not compared in this run (--no-pm4py)" in section
    assert re.search(rf"^Findings against the simulator's ground truth .*: csv {events}: equal\.$", section, re.M)
    assert re.search(
        r"^\| 10⁷ events from CSV in ≤ 15 s.*\| (not )?met \(10⁷ not measured in this run\) \|$", section, re.M
    )
    assert re.search(
        r"^\| start-up: `opsbook check` on the 394-row sample .* \| [\d.]+ s \(median of 5\) \|", section, re.M
    )
    report = json.loads(next((work / "reports").rglob("findings.json")).read_text(encoding="utf-8"))
    findings = f"{len(report['findings']):,}"
    assert re.search(rf"^\| csv \| {events} \|.*\| {findings} \|$", section, re.M)

    heavy = run(
        "bench/checker.py", "--sizes", "1e4", "--formats", "csv", "--no-pm4py", "--work", str(work), "--out", str(page),
        "--deviation-rate", "1.0",
    )  # fmt: skip
    assert heavy.returncode == 0, heavy.stderr[-2000:]
    text = page.read_text(encoding="utf-8")
    assert text.split("<!-- checker:start -->", 1)[1].split("<!-- checker:end -->", 1)[0] == section  # kept
    own = text.split("<!-- checker-heavy:start -->", 1)[1].split("<!-- checker-heavy:end -->", 1)[0]
    assert re.search(r"^\| findings-heavy csv: ≥ 500,000 events/s .* one finding in [\d.]+ events \|", own, re.M)


DATASET = ROOT.parent / "shared" / "datasets" / "helpdesk.xes.gz"


@pytest.mark.skipif(not DATASET.is_file(), reason=f"public dataset {DATASET} not present")
def test_real_log_benchmark_copies_the_public_log_and_writes_its_section(tmp_path):
    page = tmp_path / "benchmarks.md"
    page.write_text("# Benchmarks\n\n<!-- checker-real:start -->\nstale\n<!-- checker-real:end -->\nkept\n")
    done = run("bench/reallog.py", "--sizes", "3e4", "--work", str(tmp_path / "work"), "--out", str(page))
    assert done.returncode == 0, done.stderr[-2000:]
    (folder,) = (tmp_path / "work").glob("real-helpdesk-2x-parquet")
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert (meta["copies"], meta["events"], meta["cases"]) == (2, 2 * 21_348, 2 * 4_580)
    report = json.loads(next((tmp_path / "work" / "reports").rglob("findings.json")).read_text(encoding="utf-8"))
    cases = {f["case_id"] for f in report["findings"] if f["case_id"]}
    assert {c.rsplit("-r", 1)[1] for c in cases} == {"0", "1"}  # both copies checked, apart
    assert {f["process"] for f in report["findings"]} >= {"complaint-handling"}
    text = page.read_text(encoding="utf-8")
    assert "stale" not in text and text.endswith("<!-- checker-real:end -->\nkept\n")
    total = f"{report['summary']['total']:,}"
    assert re.search(rf"^\| parquet \| 2 \| 9,160 \| 42,696 \| [\d.]+ \| [\d,]+ \| [\d,]+ \| {total} \|", text, re.M)


def test_build_time_benchmark_runs_on_a_tiny_synthetic_handbook(tmp_path):
    page = tmp_path / "benchmarks.md"
    page.write_text(
        "# Benchmarks\n\n<!-- build-time:start -->\nstale table\n<!-- build-time:end -->\n", encoding="utf-8"
    )
    done = run("bench/build_time.py", "--roles", "3", "--processes", "2", "--out", str(page))
    assert done.returncode == 0, done.stderr[-2000:]
    text = page.read_text(encoding="utf-8")
    assert "stale table" not in text
    assert re.search(r"^\| synthetic \| 3 \| 2 \| \d+ files, 0 errors", text, re.M)
    roles, processes = (len(list((ROOT / d).glob("*.yaml"))) for d in ("roles", "processes"))
    assert re.search(rf"^\| shipped \(repo root\) \| {roles} \| {processes} \|", text, re.M)


@pytest.mark.spark
def test_spark_benchmark_measures_both_engines_and_writes_its_section(tmp_path):
    from checker.spark import SparkUnavailable, require

    try:
        require()
    except SparkUnavailable as exc:
        if not os.environ.get("CI"):
            pytest.skip(f"pyspark or Java missing ({exc.what})")
    page = tmp_path / "benchmarks.md"
    page.write_text("# Benchmarks\n\nkept as it is\n", encoding="utf-8")
    argv = ["--sizes", "1e3", "--workers", "1", "--executor-memory", "768m"]
    done = run("bench/spark.py", *argv, "--work", str(tmp_path / "work"), "--out", str(page))
    assert done.returncode == 0, done.stderr[-2000:]
    assert re.search(r"spark, 1 worker\(s\): [\d.]+ s \(handbook [\d.]+, read [\d.]+, cases", done.stderr)
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nkept as it is\n")
    section = text.split("<!-- spark:start -->", 1)[1].split("<!-- spark:end -->", 1)[0]
    assert "Spark master `local[2]`; standalone clusters of 1 worker(s)" in section
    assert "On one machine Spark is slower" in section
    for run_name in ("local engine", "spark `local\\[2\\]`", "spark, 1 worker"):
        assert re.search(rf"^\| [\d,]+ \| [\d,]+ \| {run_name} \| [\d.]+ \| [\d.]+× \|", section, re.M), run_name
