"""The Spark engine on a standalone cluster gives the local engine's answer.

A master and two workers run as separate JVMs (spark_cluster.py); the driver is
this test's process. The rules run in the workers' executors, which have
nothing but what Spark ships them: a closure over driver-only state (a module
global set on the driver, an open file, a lazily built cache) would fail there
or give another answer. Skipped without pyspark or Java, as test_spark.py,
except in CI.
"""

from __future__ import annotations

import os
import sys

import pytest

from opsbook.cli import main as opsbook

from .spark_cluster import HOST, WORKERS, standalone
from .test_pipeline import EXAMPLES
from .test_spark import MISSING, _report

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(
        MISSING is not None and not os.environ.get("CI"),
        reason=f"pyspark or Java missing ({MISSING}): pip install 'opsbook[spark]', apt-get install openjdk-17-jre-headless",
    ),
]

# The sample as scripts/run checks it.
SAMPLE = [
    "check",
    str(EXAMPLES / "sample-log.csv"),
    "--handbook",
    str(EXAMPLES.parent),
    "--roster",
    str(EXAMPLES / "roster.csv"),
    "--mapping",
    str(EXAMPLES / "mapping.yaml"),
    "--as-of",
    "2026-06-30T23:59:00+08:00",
    "--from",
    "2026-06-01",
    "--format",
    "json",
    "--fail-on",
    "never",
    "--quiet",
]


def _stop_active_session() -> None:
    """A session left by another test would be reused (the engine takes the active one, as in a notebook)."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with standalone(tmp_path_factory.mktemp("spark-cluster")) as running:
        yield running


def _on_cluster(cluster, argv: list[str]) -> int:
    _stop_active_session()
    conf = [
        f"spark.driver.host={HOST}",
        f"spark.driver.bindAddress={HOST}",
        "spark.executor.memory=768m",
        "spark.sql.shuffle.partitions=2",
    ]
    try:
        return opsbook(
            [*argv, "--engine", "spark", "--spark-master", cluster.master]
            + [arg for pair in conf for arg in ("--spark-conf", pair)]
        )
    finally:
        _stop_active_session()


def test_the_sample_on_a_standalone_cluster_is_the_local_answer(cluster, tmp_path, monkeypatch):
    monkeypatch.setenv("PYSPARK_PYTHON", os.environ.get("PYSPARK_PYTHON") or sys.executable)
    assert opsbook([*SAMPLE, "--out", str(tmp_path / "local")]) == 0
    assert _on_cluster(cluster, [*SAMPLE, "--out", str(tmp_path / "spark")]) == 0
    report = _report(tmp_path / "spark")
    assert report["findings"], "the sample has findings"
    assert report == _report(tmp_path / "local")
    # It ran on the cluster: the master saw the application, and every worker started an executor for it.
    apps = cluster.state()["completedapps"]
    assert apps and {app["name"] for app in apps} == {"opsbook check"}
    used = [w for w in sorted(cluster.logs.glob("worker-*")) if any(w.glob("app-*/*/stderr"))]
    assert len(used) == WORKERS, [p.name for p in cluster.logs.iterdir()]


def test_a_file_uri_is_fetched_by_the_executors(cluster, tmp_path, monkeypatch):
    """The file reaches the executors as bytes Spark read (binaryFile), not as a path they open."""
    monkeypatch.setenv("PYSPARK_PYTHON", os.environ.get("PYSPARK_PYTHON") or sys.executable)
    assert opsbook([*SAMPLE, "--out", str(tmp_path / "local")]) == 0
    uri = [SAMPLE[0], (EXAMPLES / "sample-log.csv").as_uri(), *SAMPLE[2:]]
    assert _on_cluster(cluster, [*uri, "--out", str(tmp_path / "spark")]) == 0
    assert _report(tmp_path / "spark") == _report(tmp_path / "local")
