"""``--engine spark`` reads any path Spark can read: folders of part files, globs, ``file://`` URIs.

Each case is compared with the local engine given the same files one by one in
sorted order: the JSON reports must be equal except ``meta.engine``. Skipped
without pyspark or Java, as test_spark.py, except in CI.
"""

from __future__ import annotations

import polars as pl
import pytest

from opsbook.cli import main as opsbook

from .test_pipeline import EXAMPLES
from .test_spark import (
    _report,
    spark,  # noqa: F401  (the module's local[2] session, used by the runs below)
)
from .test_spark import pytestmark as spark_marks
from .test_spark_cluster import SAMPLE

pytestmark = spark_marks
PARTS = 3


def _parts(folder, suffix: str = "csv"):
    """The sample log split into PARTS part files named as Spark names them, with _SUCCESS and .crc files."""
    folder.mkdir()
    lines = (EXAMPLES / "sample-log.csv").read_text(encoding="utf-8-sig").splitlines()
    size = len(lines) // PARTS + 1
    for n in reversed(range(PARTS)):  # written last to first: the order read must not be the order written
        rows = lines[1 + n * size : 1 + (n + 1) * size]
        part = folder / f"part-{n:05d}-c000.{suffix}"
        text = "\n".join([lines[0], *rows]) + "\n"
        if suffix == "csv":
            part.write_text(text, encoding="utf-8")
        else:
            pl.read_csv(text.encode(), infer_schema=False).write_parquet(part)
        (folder / f".{part.name}.crc").write_bytes(b"not a log")
    (folder / "_SUCCESS").write_bytes(b"")
    return sorted(folder.glob(f"part-*.{suffix}"))


def _check(out, logs, *extra: str) -> int:
    return opsbook([SAMPLE[0], *map(str, logs), *SAMPLE[2:], "--out", str(out), *extra])


def _same_as_local(tmp_path, files, *given) -> dict:
    assert _check(tmp_path / "local", files) == 0
    assert _check(tmp_path / "spark", given, "--engine", "spark") == 0
    report = _report(tmp_path / "spark")
    assert report == _report(tmp_path / "local")
    assert [entry["path"] for entry in report["meta"]["inputs"]] == [str(f) for f in files]
    return report


def test_a_folder_of_csv_part_files_is_its_part_files_in_order(spark, tmp_path):  # noqa: F811
    files = _parts(tmp_path / "logs")
    report = _same_as_local(tmp_path, files, tmp_path / "logs")
    assert report["findings"], "the sample has findings"
    refs = {ref.split(":")[0] for finding in report["findings"] for ref in finding["event_refs"]}
    assert refs >= {f.name for f in files}  # every part's rows are checked, referenced by the part's name


def test_a_glob_and_a_file_uri(spark, tmp_path):  # noqa: F811
    files = _parts(tmp_path / "logs")
    _same_as_local(tmp_path / "glob", files, tmp_path / "logs" / "part-*.csv")
    _same_as_local(tmp_path / "uri", files, (tmp_path / "logs").as_uri())


def test_a_folder_of_parquet_part_files(spark, tmp_path):  # noqa: F811
    files = _parts(tmp_path / "logs", "parquet")
    report = _same_as_local(tmp_path, files, f"{(tmp_path / 'logs').as_uri()}/")
    assert {entry["format"] for entry in report["meta"]["inputs"]} == {"parquet"}


def test_a_plain_file_and_a_folder_together_keep_the_order_given(spark, tmp_path):  # noqa: F811
    files = _parts(tmp_path / "logs")
    _same_as_local(tmp_path, files, files[0], tmp_path / "logs" / "part-0000[12]*")


def test_a_bad_part_file_is_named_as_given_not_as_its_copy(spark, tmp_path, capsys):  # noqa: F811
    files = _parts(tmp_path / "logs")
    files[1].write_text("客户编号,动作\nA,B,C,D\n", encoding="utf-8")
    assert _check(tmp_path / "local", files) == 2
    local = capsys.readouterr().err
    assert _check(tmp_path / "spark", [tmp_path / "logs"], "--engine", "spark") == 2
    err = capsys.readouterr().err
    assert err == local and f"{files[1]}:2: unreadable CSV" in err
    assert "opsbook-spark-" not in err and err.count("\n") == 1


@pytest.mark.parametrize(("lang", "said"), [("zh", "没有找到日志文件"), ("en", "no log file found")])
def test_a_folder_without_log_files_stops_with_exit_2(spark, tmp_path, capsys, lang, said):  # noqa: F811
    empty = tmp_path / "logs"
    empty.mkdir()
    (empty / "_SUCCESS").write_bytes(b"")
    (empty / "notes.txt").write_text("not a log\n", encoding="utf-8")
    assert _check(tmp_path / "out", [empty], "--engine", "spark", "--lang", lang) == 2
    err = capsys.readouterr().err
    assert said in err and str(empty) in err and "_SUCCESS" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_path_spark_cannot_find_stops_with_exit_2(spark, tmp_path, capsys):  # noqa: F811
    missing = (tmp_path / "nowhere").as_uri()
    assert _check(tmp_path / "out", [missing], "--engine", "spark", "--lang", "en") == 2
    err = capsys.readouterr().err
    assert f"{missing}: Spark cannot list this path" in err and "does not exist" in err
    assert err.count("\n") == 1


def test_a_fetched_file_is_copied_into_sparks_local_directory_and_removed(tmp_path, monkeypatch):
    import pyarrow as pa

    from checker.spark import stages

    scratch = tmp_path / "spark-local"
    scratch.mkdir()
    monkeypatch.setenv("SPARK_LOCAL_DIRS", f"{scratch},{tmp_path / 'other'}")
    uri = "hdfs://nn:8020/logs/part-00000.csv"
    batch = pa.RecordBatch.from_pydict(
        {"number": [1], "path": [uri], "label": ["part-00000.csv"], "uri": [uri], "content": [b"case_id\nA\n"]}
    )
    for source, local in stages._sources(iter([batch])):
        assert source.path == uri and local.name == "part-00000.csv" and local.read_bytes() == b"case_id\nA\n"
        assert local.parent.parent == scratch and local.parent.name.startswith("opsbook-spark-")
    assert not any(scratch.iterdir())
