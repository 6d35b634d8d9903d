"""The Spark engine gives the local engine's answer: same findings, rejections, counts and files.

Runs Spark in local mode (one session for the module). Skipped with the reason
when pyspark or Java is missing, except in CI (CI=true), which installs both
(scripts/test, .ci/install-system-deps): there a missing one fails.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest

from checker import pipeline
from checker.mapping import Mapping
from checker.readers import LogError
from checker.roster import read_roster
from checker.spark import SparkUnavailable, require
from opsbook.calendar import WorkCalendar
from opsbook.cli import main as opsbook

from ..simulator.conftest import checked, expected, run_simulation
from .conftest import handbook as fixture_handbook
from .test_pipeline import AS_OF, EXAMPLES, START, TZ, handbook, outcome, sample_audit


def _missing() -> str | None:
    try:
        require()
    except SparkUnavailable as exc:
        return exc.what
    return None


MISSING = _missing()
pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(
        MISSING is not None and not os.environ.get("CI"),
        reason=f"pyspark or Java missing ({MISSING}): pip install 'opsbook[spark]', apt-get install openjdk-17-jre-headless",
    ),
]
LOGS = Path(__file__).parent / "fixtures" / "logs"


@pytest.fixture(scope="module")
def spark():
    from checker.spark.session import session

    active = session("local[2]", {"spark.sql.shuffle.partitions": "4"})
    yield active
    active.stop()


def spark_audit(spark, logs=(EXAMPLES / "sample-log.csv",), **options) -> pipeline.Audit:
    from checker.spark.audit import audit

    book = handbook()
    return audit(
        list(logs),
        book,
        mapping=Mapping.load(EXAMPLES / "mapping.yaml"),
        tz=TZ,
        calendar=WorkCalendar.china(),
        roster=read_roster(EXAMPLES / "roster.csv", book.roles),
        as_of=options.pop("as_of", AS_OF),
        start=START,
        spark=spark,
        **options,
    )


def test_the_sample_gives_the_local_answer_in_few_and_in_many_buckets(spark):
    local = sample_audit()
    assert {f.code for f in local.findings} >= {"C101", "C107", "C111", "C201", "C203"}
    assert outcome(spark_audit(spark)) == outcome(local)
    many = spark_audit(spark, batch_rows=7, bucket_events=5)
    assert many.buckets > 20
    assert outcome(many) == outcome(local)


def test_events_after_the_as_of_time_are_rejected_in_log_order(spark):
    early = datetime.fromisoformat("2026-06-15T12:00:00+08:00")
    run = spark_audit(spark, as_of=early)
    assert outcome(run) == outcome(sample_audit(as_of=early))
    assert any("after the as-of time" in r.reason for r in run.rejected)
    assert run.rows_read == run.rows_checked + len(run.rejected)


def test_two_files_of_one_name_keep_their_own_rows(spark, tmp_path):
    lines = (EXAMPLES / "sample-log.csv").read_text(encoding="utf-8-sig").splitlines()
    half = len(lines) // 2
    for folder, rows in (("a", lines[1:half]), ("b", lines[half:])):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "log.csv").write_text("\n".join([lines[0], *rows]) + "\n", encoding="utf-8")
    logs = [tmp_path / "a" / "log.csv", tmp_path / "b" / "log.csv"]
    run = spark_audit(spark, logs)
    assert outcome(run) == outcome(sample_audit(logs))
    assert {ref.split(":")[0] for f in run.findings for ref in f.event_refs} >= {str(p) for p in logs}


def test_every_reader_and_its_rejections_on_the_fixture_logs(spark):
    from checker.spark.audit import audit

    logs = [LOGS / "sales.csv", LOGS / "sales.jsonl", LOGS / "small.xes"]
    book = fixture_handbook()
    options = dict(mapping=None, tz=TZ, calendar=WorkCalendar.china(), roster=None)
    local = pipeline.audit(logs, book, **options)
    run = audit(logs, book, **options, spark=spark)
    assert run.rejected, "the fixtures have unusable rows"
    assert outcome(run) == outcome(local)


def test_a_bad_file_gives_the_local_engines_error(spark, tmp_path):
    from checker.spark.audit import audit

    bad = tmp_path / "bad.csv"
    bad.write_text("case_id,activity,timestamp\nC1,登记,2024-03-05 09:00\nC1,签约,2024-03-06,extra,fields\n")
    options = dict(mapping=None, tz=TZ, calendar=WorkCalendar.china(), roster=None)
    logs = [EXAMPLES / "sample-log.csv", bad]
    with pytest.raises(LogError) as local:
        pipeline.audit(logs, fixture_handbook(), **options)
    with pytest.raises(LogError) as remote:
        audit(logs, fixture_handbook(), **options, spark=spark)
    assert str(remote.value) == str(local.value)


def _report(out: Path) -> dict:
    report = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    report["meta"].pop("engine")
    return report


def test_simulated_log_json_report_is_the_local_one_and_the_ground_truth(spark, tmp_path):
    sim = tmp_path / "sim"
    run_simulation(sim, 400, seed=5, rate=0.3)
    got, _ = checked(sim, tmp_path / "local")
    spark_got, report = checked(sim, tmp_path / "spark", "--engine", "spark")
    assert report["meta"]["engine"] == "spark"
    assert spark_got == got == expected(sim)
    assert _report(tmp_path / "spark") == _report(tmp_path / "local")


def test_skew_one_case_holding_a_third_of_the_rows(spark, tmp_path):
    sim = tmp_path / "sim"
    run_simulation(sim, 300, seed=6)
    log = sim / json.loads((sim / "meta.json").read_text(encoding="utf-8"))["files"]["log"]
    frame = pl.read_csv(log, infer_schema=False)
    big = frame["case_id"].drop_nulls().mode()[0]
    skewed = frame.with_columns(
        pl.when(pl.int_range(pl.len()) % 3 == 0).then(pl.lit(big)).otherwise(pl.col("case_id")).alias("case_id")
    )
    skewed.write_csv(log)
    checked(sim, tmp_path / "local")
    checked(sim, tmp_path / "spark", "--engine", "spark", "--bucket-events", "500")
    assert _report(tmp_path / "spark") == _report(tmp_path / "local")


def test_redacted_reports_are_the_local_ones(spark, tmp_path, monkeypatch):
    monkeypatch.setenv("OPSBOOK_REDACT_KEY", "a key for the tests, long enough to be accepted")
    argv = ["check", str(EXAMPLES / "sample-log.csv"), "--handbook", str(EXAMPLES.parent), "--redact"]
    argv += ["--mapping", str(EXAMPLES / "mapping.yaml"), "--roster", str(EXAMPLES / "roster.csv")]
    argv += ["--format", "json", "--fail-on", "never", "--quiet"]
    assert opsbook([*argv, "--out", str(tmp_path / "local")]) == 0
    assert opsbook([*argv, "--out", str(tmp_path / "spark"), "--engine", "spark"]) == 0
    report = _report(tmp_path / "spark")
    assert report == _report(tmp_path / "local")
    assert "LF-0318" not in json.dumps(report["findings"], ensure_ascii=False)  # a case id with findings
