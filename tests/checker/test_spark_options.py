"""``opsbook check --engine spark`` refuses, before reading anything, what it cannot run: exit 2, one line.

These need neither pyspark nor Java (the Spark runs are in test_spark.py).
"""

from __future__ import annotations

import importlib.util

import pytest

from checker import spark
from checker.spark.session import ConfError, master_from, parse_conf
from opsbook.cli import main as opsbook

from .test_pipeline import EXAMPLES


def check(*extra: str) -> int:
    return opsbook(["check", str(EXAMPLES / "sample-log.csv"), "--handbook", str(EXAMPLES.parent), *extra])


def test_without_pyspark_the_install_line_in_chinese(monkeypatch, capsys):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyspark" else real(name, *a))
    assert check("--engine", "spark") == 2
    err = capsys.readouterr().err
    assert "pip install 'opsbook[spark]'" in err and "未安装" in err
    assert err.count("\n") == 1


def test_without_java_the_debian_package(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    if importlib.util.find_spec("pyspark") is None:
        pytest.skip("pyspark is checked first")
    assert check("--engine", "spark") == 2
    err = capsys.readouterr().err
    assert "openjdk-17-jre-headless" in err and "Java 17" in err


def test_a_spark_conf_that_is_not_key_value(monkeypatch, capsys):
    monkeypatch.setattr(spark, "require", lambda: None)
    assert check("--engine", "spark", "--spark-conf", "spark.executor.memory") == 2
    assert "KEY=VALUE" in capsys.readouterr().err


def test_conf_and_master_follow_spark_conventions(monkeypatch):
    assert parse_conf(["spark.executor.memory=4g", "spark.a = b=c"]) == {
        "spark.executor.memory": "4g",
        "spark.a": "b=c",
    }
    with pytest.raises(ConfError):
        parse_conf(["=x"])
    monkeypatch.delenv("SPARK_MASTER", raising=False)
    assert master_from(None) == "local[*]"
    monkeypatch.setenv("SPARK_MASTER", "spark://host:7077")
    assert master_from(None) == "spark://host:7077"
    assert master_from("local[4]") == "local[4]"


@pytest.mark.parametrize("given", ["folder", "file:///srv/logs/", "hdfs://nn/logs/2026-*.csv", "logs/*.parquet"])
def test_the_local_engine_refuses_folders_globs_and_uris_naming_spark(tmp_path, capsys, given):
    if given == "folder":
        given = str(tmp_path)
    code = opsbook(["check", given, "--handbook", str(EXAMPLES.parent)])
    err = capsys.readouterr().err
    assert code == 2 and f"{given}：不是日志文件" in err and "--engine spark" in err
    assert err.count("\n") == 1


def test_the_local_engine_still_says_a_missing_file_is_missing(tmp_path, capsys):
    assert opsbook(["check", str(tmp_path / "gone.csv"), "--handbook", str(EXAMPLES.parent)]) == 2
    assert "gone.csv：文件不存在" in capsys.readouterr().err
