"""Large logs: reading in batches and checking in case buckets spilled to disk give the same answers."""

from __future__ import annotations

import gc
import json
import stat
import tempfile
import threading
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from checker import pipeline, store
from checker.findingset import FindingFiles
from checker.mapping import Mapping
from checker.readers import LogError, tabular
from checker.roster import read_roster
from opsbook.calendar import WorkCalendar
from opsbook.loader import load

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
TZ = ZoneInfo("Asia/Shanghai")
AS_OF = datetime.fromisoformat("2026-06-30T23:59:00+08:00")
START = datetime.fromisoformat("2026-06-01T00:00:00+08:00")


@cache
def handbook():
    return load(ROOT).handbook


def sample_audit(logs=(EXAMPLES / "sample-log.csv",), **options) -> pipeline.Audit:
    book = handbook()
    return pipeline.audit(
        list(logs),
        book,
        mapping=Mapping.load(EXAMPLES / "mapping.yaml"),
        tz=TZ,
        calendar=WorkCalendar.china(),
        roster=read_roster(EXAMPLES / "roster.csv", book.roles),
        as_of=options.pop("as_of", AS_OF),
        start=START,
        **options,
    )


def outcome(run: pipeline.Audit) -> tuple:
    return run.findings, run.rejected, run.rows_read, run.rows_checked, [f.to_dict() for f in run.files]


def test_the_sample_fits_in_memory_in_one_bucket():
    run = sample_audit()
    assert (run.buckets, run.spilled) == (1, False)
    assert {f.code for f in run.findings} >= {"C101", "C107", "C111", "C201", "C203"}


def test_tiny_batches_and_buckets_spill_to_disk_and_change_nothing(tmp_path):
    spill = tmp_path / "spill"
    spill.mkdir()
    whole = sample_audit()
    split = sample_audit(batch_rows=7, bucket_events=10, spill_dir=str(spill))
    assert split.spilled
    assert split.buckets > 10
    assert outcome(split) == outcome(whole)
    assert list(spill.iterdir()) == []  # the spill folder is removed


def test_a_spilled_run_keeps_its_findings_in_private_files_until_it_is_closed(tmp_path, monkeypatch):
    merge, given = pipeline.engine.merge.merged_into, []

    def merged_into(tables, folder):
        files = [t for t in tables if isinstance(t, Path)]
        given.append([(f.exists(), stat.S_IMODE(f.parent.stat().st_mode), f.parent.parent.parent) for f in files])
        return merge(tables, folder, rows=3)  # files of three findings or a little more (a case is not split)

    monkeypatch.setattr(pipeline.engine.merge, "merged_into", merged_into)
    monkeypatch.setattr(store, "SPILL_FINDINGS", 2)  # the sample's buckets have a few findings each
    split = sample_audit(batch_rows=7, bucket_events=10, spill_dir=str(tmp_path))
    assert len(given) == 1 and len(given[0]) > 1  # buckets with two findings or more: files
    assert {seen for seen in given[0]} == {(True, 0o700, tmp_path)}
    assert isinstance(split.table, FindingFiles) and len(split.table.parts) > 3
    folder = split.table.folder.path
    assert list(tmp_path.iterdir()) == [folder]  # the events' private folder is gone, the findings' stays
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert outcome(split) == outcome(sample_audit())
    assert split.findings[5:9] == list(sample_audit().findings)[5:9]  # rows across files
    split.close()
    assert list(tmp_path.iterdir()) == []


def test_findings_files_no_longer_referenced_are_removed(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "SPILL_FINDINGS", 2)
    split = sample_audit(batch_rows=7, bucket_events=10, spill_dir=str(tmp_path))
    scoped = split.findings.filter(pl.col("code") == "C101")  # its files are in the same folder
    assert isinstance(split.table, FindingFiles) and {f.code for f in scoped} == {"C101"}
    del split
    gc.collect()
    assert len(list(tmp_path.iterdir())) == 1 and len(scoped) > 0  # kept while the scoped findings are read
    del scoped
    gc.collect()
    assert list(tmp_path.iterdir()) == []


def test_events_after_the_as_of_time_are_rejected_in_every_bucket(tmp_path):
    early = datetime.fromisoformat("2026-06-15T12:00:00+08:00")
    whole = sample_audit(as_of=early)
    split = sample_audit(as_of=early, batch_rows=5, bucket_events=8, spill_dir=str(tmp_path))
    assert outcome(split) == outcome(whole)
    after = [r for r in split.rejected if "after the as-of time" in r.reason]
    assert after, "the sample has events after mid-June"
    rows = [int(r.ref.rsplit(":", 1)[1]) for r in after]
    assert rows == sorted(rows)  # in log order, whatever bucket they came from
    assert split.rows_read == split.rows_checked + len(split.rejected)


def test_several_files_number_their_rows_on_their_own(tmp_path):
    lines = (EXAMPLES / "sample-log.csv").read_text(encoding="utf-8-sig").splitlines()
    header, rows = lines[0], lines[1:]
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("\n".join([header, *rows[:150]]) + "\n", encoding="utf-8")
    second.write_text("\n".join([header, *rows[150:]]) + "\n", encoding="utf-8")
    whole = sample_audit([first, second])
    split = sample_audit([first, second], batch_rows=11, bucket_events=9, spill_dir=str(tmp_path))
    assert outcome(split) == outcome(whole)
    assert [f.rows_read for f in split.files] == [150, len(rows) - 150]
    refs = {ref.split(":")[0] for f in split.findings for ref in f.event_refs}
    assert refs == {"a.csv", "b.csv"}


def test_a_bad_file_after_spilling_leaves_no_temporary_file(tmp_path):
    spill = tmp_path / "spill"
    spill.mkdir()
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really parquet")
    with pytest.raises(LogError, match="broken.parquet"):
        sample_audit([EXAMPLES / "sample-log.csv", broken], bucket_events=5, spill_dir=str(spill))
    assert list(spill.iterdir()) == []


def test_no_usable_event_names_the_files(tmp_path):
    header = (EXAMPLES / "sample-log.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    empty = tmp_path / "only-header.csv"
    empty.write_text(header + "\n", encoding="utf-8")
    with pytest.raises(pipeline.NoEvents, match="no usable event in .*only-header.csv"):
        sample_audit([empty])


def test_gb18030_is_transcoded_in_chunks_that_split_characters(tmp_path, monkeypatch):
    text = (EXAMPLES / "sample-log.csv").read_text(encoding="utf-8-sig")
    gbk = tmp_path / "sample-log.csv"
    gbk.write_bytes(text.encode("gb18030"))
    whole = sample_audit()
    monkeypatch.setattr(tabular, "_CHUNK", 7)  # odd, so two-byte characters straddle chunks
    assert outcome(sample_audit([gbk], spill_dir=str(tmp_path)))[:4] == outcome(whole)[:4]
    assert [p.name for p in tmp_path.iterdir()] == ["sample-log.csv"]  # the UTF-8 copy is gone


def test_a_bad_gb18030_byte_is_reported_at_its_offset(tmp_path, monkeypatch):
    good = "客户编号,动作,时间\n".encode("gb18030")
    log = tmp_path / "log.csv"
    log.write_bytes(good + b"\x81\x20x,y,z\n")  # 0x81 must be followed by 0x30-0x39 or 0x40-0xFE
    monkeypatch.setattr(tabular, "_CHUNK", 5)
    with pytest.raises(LogError, match=f"not valid gb18030 text at byte {len(good)} "):
        list(tabular.stream_csv_raw(log, "gb18030", 100, str(tmp_path)))
    assert [p.name for p in tmp_path.iterdir()] == ["log.csv"]


def test_slot_counts_grow_with_the_log():
    assert store.slot_count(1_000, 1_000_000) == 8
    assert store.slot_count(10_000_000, 1_000_000) == 32
    assert store.slot_count(10**12, 1_000_000) == 1024


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_bucket_events_must_be_a_positive_number(value, capsys):
    from opsbook.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["check", str(EXAMPLES / "sample-log.csv"), "--bucket-events", value])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--bucket-events" in err and repr(value) in err, err


def test_the_spill_folder_is_private_and_under_the_system_temp_folder_by_default(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # what gettempdir() answers
    spill = store.Store(8, 5, None)
    try:
        assert spill.private.parent == tmp_path
        assert stat.S_IMODE(spill.private.stat().st_mode) == 0o700
    finally:
        spill.close()
    assert list(tmp_path.iterdir()) == []


REPORT_FILES = ("findings.json", "findings.csv", "report.html", "report.txt")


@pytest.mark.parametrize("scope", [[], ["--process", "customer-reception,contract-filing"]])
def test_a_spilled_run_through_the_command_line_reports_what_a_whole_run_does(tmp_path, monkeypatch, scope):
    from opsbook.cli import main

    spill = tmp_path / "spill"
    spill.mkdir()
    reports, merge, on_disk_runs = [], pipeline.engine.merge.merged_into, []

    def merged_into(tables, folder, rows=None):
        on_disk_runs.append(len(reports))
        return merge(tables, folder, rows)

    monkeypatch.setattr(pipeline.engine.merge, "merged_into", merged_into)
    for extra, on_disk in (
        ([], 10**6),
        (["--bucket-events", "25", "--spill-dir", str(spill)], 10**6),
        (["--bucket-events", "25", "--spill-dir", str(spill)], 2),
    ):
        monkeypatch.setattr(store, "SPILL_FINDINGS", on_disk)  # 2: the run's findings in files, of 3 or so
        monkeypatch.setattr(pipeline.engine.merge, "PART_ROWS", 3)
        out = tmp_path / f"out{len(reports)}"
        argv = [
            "check", str(EXAMPLES / "sample-log.csv"), "--handbook", str(ROOT),
            "--mapping", str(EXAMPLES / "mapping.yaml"), "--roster", str(EXAMPLES / "roster.csv"),
            "--as-of", "2026-06-30T23:59:00+08:00", "--from", "2026-06-01", "--out", str(out),
            "--format", "json,csv,html,text", "-q", *scope, *extra,
        ]  # fmt: skip
        assert main(argv) == 1
        reports.append({name: (out / name).read_bytes() for name in REPORT_FILES})
        assert list(spill.iterdir()) == []  # the events' and the findings' private folders are removed
    assert on_disk_runs == [2]
    assert len(json.loads(reports[0]["findings.json"])["findings"]) > 3  # in files of 3 findings or so
    assert reports[0] == reports[1] == reports[2]


def test_a_check_stopped_while_writing_its_reports_leaves_no_findings_behind(tmp_path, monkeypatch, capsys):
    from checker import cli
    from opsbook.cli import main

    def stopped(*args, **kwargs):
        assert [p.name[:17] for p in spill.iterdir()] == ["opsbook-findings-"]  # the findings are in files
        raise KeyboardInterrupt

    spill = tmp_path / "spill"
    spill.mkdir()
    monkeypatch.setattr(store, "SPILL_FINDINGS", 2)
    monkeypatch.setattr(cli, "write_reports", stopped)
    argv = [
        "check", str(EXAMPLES / "sample-log.csv"), "--handbook", str(ROOT), "--mapping", str(EXAMPLES / "mapping.yaml"),
        "--out", str(tmp_path / "out"), "--format", "json", "-q", "--bucket-events", "25", "--spill-dir", str(spill),
    ]  # fmt: skip
    assert main(argv) == 130
    assert "Traceback" not in capsys.readouterr().err
    assert list(spill.iterdir()) == []


def test_a_bad_utf8_byte_is_reported_at_its_line_across_chunks(tmp_path, monkeypatch):
    log = tmp_path / "log.csv"
    log.write_bytes("客户,动作,时间\n甲,签约,2026-03-02\n乙,签约,2026-03-03\n".encode() + b"\xd6\xd0,x,2026-03-04\n")
    monkeypatch.setattr(tabular, "_CHUNK", 4)  # the UTF-8 characters straddle chunks too
    with pytest.raises(LogError) as caught:
        list(tabular.stream_csv_raw(log, "utf-8", 100))
    assert caught.value.line == 4
    assert "line 4 is not UTF-8" in str(caught.value)


def test_a_ragged_row_is_reported_at_its_line_after_a_multiline_field(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text('case_id,activity,timestamp\nA,"two\nlines",2026-03-02\nB,x,2026-03-03,extra\n', encoding="utf-8")
    with pytest.raises(LogError) as caught:
        list(tabular.stream_csv_raw(log, None, 100))
    assert caught.value.line == 4
    assert "line 4 has 4 fields, the header 3" in str(caught.value)


class _Terminal:
    def __init__(self, tty: bool):
        self.text, self.tty = "", tty

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_progress_draws_one_line_with_a_bar_on_a_terminal_only():
    from checker.cli import Progress

    screen = _Terminal(tty=True)
    bar = Progress(quiet=False, stream=screen)
    bar("checking cases: bucket 2/4", 0.5)
    assert screen.text == "\r\x1b[K… checking cases: bucket 2/4 [############------------]  50%"
    bar("checking recurring obligations and labels")
    assert screen.text.endswith("\r\x1b[K… checking recurring obligations and labels")
    bar.close()
    assert screen.text.endswith("\r\x1b[K")
    for quiet, tty in ((True, True), (False, False)):
        silent = _Terminal(tty)
        Progress(quiet=quiet, stream=silent)("reading", 0.3)
        assert silent.text == ""


def test_the_pipeline_reports_each_batch_and_bucket(tmp_path):
    calls = []
    sample_audit(
        batch_rows=100, bucket_events=60, spill_dir=str(tmp_path), progress=lambda m, d=None: calls.append((m, d))
    )
    reading = [(m, d) for m, d in calls if m.startswith("reading sample-log.csv")]
    assert [m.rsplit(": ", 1)[1] for m, _ in reading] == ["100 rows", "200 rows", "300 rows", "400 rows", "451 rows"]
    assert all(0 < d <= 0.99 for _, d in reading)
    buckets = [(m, d) for m, d in calls if m.startswith("checking cases")]
    total = len(buckets)
    assert total > 1
    assert buckets == [(f"checking cases: bucket {i}/{total}", (i - 1) / total) for i in range(1, total + 1)]
    assert calls[-1] == ("checking recurring obligations and labels", None)


def test_buckets_checked_side_by_side_report_what_one_at_a_time_does(tmp_path, monkeypatch):
    from opsbook.cli import main

    reports, threads, bucket = [], set(), pipeline._bucket

    def spied(*args):
        threads.add(threading.current_thread().name)
        return bucket(*args)

    monkeypatch.setattr(pipeline, "_bucket", spied)
    for workers in (1, 3):
        monkeypatch.setattr(pipeline, "workers", lambda n=workers: n)
        out = tmp_path / f"out{workers}"
        argv = [
            "check", str(EXAMPLES / "sample-log.csv"), "--handbook", str(ROOT),
            "--mapping", str(EXAMPLES / "mapping.yaml"), "--roster", str(EXAMPLES / "roster.csv"),
            "--as-of", "2026-06-30T23:59:00+08:00", "--out", str(out), "--format", "json,csv", "-q",
            "--bucket-events", "30", "--spill-dir", str(tmp_path),
        ]  # fmt: skip
        assert main(argv) == 1
        report = json.loads((out / "findings.json").read_text(encoding="utf-8"))
        reports.append((report, sorted((p.name, p.read_bytes()) for p in out.iterdir() if p.suffix == ".csv")))
    assert reports[1] == reports[0]
    assert len({name for name in threads if name.startswith("opsbook-check")}) > 1  # really side by side
