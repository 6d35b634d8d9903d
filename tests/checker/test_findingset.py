"""Findings read from their table a chunk at a time, and the summary counted column-wise."""

from __future__ import annotations

import json
import stat
import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import findingset
from checker.engine import frames, merge
from checker.finding import Finding, text
from checker.findingset import FindingTable, tabled
from checker.report import Report, summary
from checker.reports.jsonfile import render_json


def _finding(i: int, **extra) -> Finding:
    fields = {
        "process": "sale",
        "case_id": f"K{i:03d}",
        "step": "approve",
        "expected": text("expected.due", due="2024-03-05 18:00"),
        "actual": text("actual.at", at=f"2024-03-{1 + i % 28:02d} 21:00"),
        "event_refs": (f"log.csv:{i + 2}",),
        "performers": (f"p{i % 3}",),
    }
    return Finding("C104", "deadline", "violation" if i % 2 else "warning", "processes/sale/", **(fields | extra))


FINDINGS = sorted((_finding(i) for i in range(25)), key=Finding.sort_key)


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(findingset, "CHUNK", 4)


def test_iterating_and_indexing_give_the_findings_in_order_chunk_by_chunk(small_chunks):
    found = FindingTable(frames.to_frame(FINDINGS))
    assert len(found) == 25 and bool(found) and not FindingTable(frames.empty())
    assert [f.key for f in found] == [f.key for f in FINDINGS]
    assert [found[i].case_id for i in (0, 5, 4, 24, -1)] == ["K000", "K005", "K004", "K024", "K024"]
    assert [f.case_id for f in found[3:9]] == [f"K{i:03d}" for i in range(3, 9)]
    assert found == FINDINGS and found == FindingTable(frames.to_frame(FINDINGS)) and found != FINDINGS[:-1]
    with pytest.raises(IndexError):
        found[25]


def test_a_table_is_its_own_table_and_values_make_one():
    table = frames.to_frame(FINDINGS)
    found = FindingTable(table)
    assert tabled(found) is found and found.table is table
    assert tabled(FINDINGS).table.equals(table)


def test_the_report_from_a_table_is_the_report_from_the_values(small_chunks):
    values = Report(tuple(FINDINGS), meta={"run": 1})
    table = Report(FindingTable(frames.to_frame(FINDINGS)), meta={"run": 1})
    assert render_json(table) == render_json(values)
    assert json.loads(render_json(table))["summary"]["total"] == 25


def test_summary_weeks_and_worst_cases_column_wise():
    findings = [
        _finding(1, period="2024-W02", actual=None),  # a week period is its own week
        _finding(2, actual=text("actual.at", at="2024-02-30 10:00")),  # not a date: the expected text's
        _finding(3, expected=None, actual=text("actual.times", count=2)),  # no date at all
        _finding(4, case_id="K001"),
        _finding(5, case_id=None, scope="李四", period="2024-03-31"),
    ]
    s = summary(Report(tuple(sorted(findings, key=Finding.sort_key))))
    assert s["by_week"] == [
        {"week": "2024-W02", "count": 1},
        {"week": "2024-W10", "count": 2},  # 2024-03-05 (expected), 2024-03-05 (actual of K001)
        {"week": "2024-W13", "count": 1},  # 2024-03-31 is a Sunday
    ]
    assert s["by_severity"] == {"violation": 3, "warning": 2, "info": 0}
    assert s["worst_cases"][:2] == [
        {"process": "sale", "case_id": "K001", "violations": 1, "findings": 2},
        {"process": "sale", "case_id": "K003", "violations": 1, "findings": 1},
    ]
    assert len(s["worst_cases"]) == 3  # the finding about 李四 is about no case
    assert s["by_process"] == [{"process": "sale", "title": "sale", "count": 5}]


def test_the_worst_cases_are_the_first_ten_by_violations_then_findings_then_case():
    findings = [_finding(i, case_id=f"K{i % 23:02d}") for i in range(150)]  # odd i: violations
    s = summary(Report(tuple(sorted(findings, key=Finding.sort_key))))
    counted = {}
    for f in findings:
        violations, total = counted.get(f.case_id, (0, 0))
        counted[f.case_id] = (violations + (f.severity == "violation"), total + 1)
    expected = sorted(counted.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))[:10]
    assert [(w["case_id"], w["violations"], w["findings"]) for w in s["worst_cases"]] == [
        (case, v, n) for case, (v, n) in expected
    ]


@st.composite
def _tables(draw) -> tuple[list[Finding], list[list[Finding]], bool]:
    """Findings, and the same findings split into tables (each in order): by case, or (``shared``) not."""
    found = [
        Finding(
            draw(st.sampled_from(["C101", "C104", "C201"])),
            "rule",
            "violation",
            "processes/sale/",
            process=draw(st.sampled_from(["sale", "lease", None])),
            case_id=draw(st.sampled_from(["K1", "K2", "K10", "", None])),
            step=draw(st.sampled_from(["approve", "sign", None])),
            detail=draw(st.sampled_from(["", "x", None])),
            event_refs=tuple(draw(st.lists(st.sampled_from(["a:1", "a:2", "a:10", ""]), max_size=2))),
        )
        for _ in range(draw(st.integers(0, 40)))
    ]
    count, shared = draw(st.integers(1, 4)), draw(st.booleans())
    tables: list[list[Finding]] = [[] for _ in range(count)]
    for f in found:
        where = draw(st.integers(0, count - 1)) if shared else hash((f.process or "", f.case_id or "")) % count
        tables[where].append(f)
    return found, tables, shared


@settings(max_examples=200, deadline=None)
@given(_tables())
def test_merged_tables_are_in_report_order(drawn):
    found, tables, _ = drawn
    made = merge.merged([frames.sort(frames.to_frame(t)) for t in tables])
    assert [f.sort_key() for f in frames.to_findings(made)] == sorted(f.sort_key() for f in found)
    assert made.equals(merge.sorted_from([frames.to_frame(t) for t in tables]))


@settings(max_examples=50, deadline=None)
@given(_tables())
def test_merged_reads_spilled_tables_from_their_files(drawn):
    _, tables, _ = drawn
    sorted_tables = [frames.sort(frames.to_frame(t)) for t in tables]
    with tempfile.TemporaryDirectory() as folder:
        sources = []
        for n, table in enumerate(sorted_tables):  # every other table as a file, as a spilled bucket's
            path = Path(folder) / f"bucket-{n}.arrow"
            table.write_ipc(path, compression="lz4")
            sources.append(path if n % 2 == 0 else table)
        made = merge.merged(sources)
    assert sources == []  # consumed
    assert made.equals(merge.merged(sorted_tables))


@settings(max_examples=50, deadline=None)
@given(_tables(), st.integers(1, 7))
def test_merged_into_files_gives_the_merged_table_with_each_case_in_one_file(drawn, rows):
    found, tables, shared = drawn
    sorted_tables = [frames.sort(frames.to_frame(t)) for t in tables]
    whole = merge.merged(list(sorted_tables))
    with tempfile.TemporaryDirectory() as folder:
        sources = []
        for n, table in enumerate(sorted_tables):  # every other table as a file, written in small batches
            path = Path(folder) / f"bucket-{n}.arrow"
            table.write_ipc(path, compression="lz4", record_batch_size=2)
            sources.append(path if n % 2 == 0 else table)
        parts = merge.merged_into(sources, Path(folder), rows=rows)
        made = [pl.read_ipc(path) for path, _ in parts]
    assert sources == []  # consumed
    assert [height for _, height in parts] == [part.height for part in made]
    assert pl.concat([frames.empty(), *made]).equals(whole)
    cases = [{(p or "", c or "") for p, c in part.select("process", "case_id").iter_rows()} for part in made]
    assert sum(map(len, cases)) == len(set().union(*cases))  # no case in two files
    for part in made:  # a file starts a case while it has fewer than ``rows`` rows
        case = pl.struct(pl.col("process", "case_id").fill_null(""))  # the order's case: no id sorts as ""
        last = part.select(case.rle().struct.field("len").last()).item()
        assert part.height - last < rows


def _on_disk(findings: list[Finding], rows: int) -> FindingTable:
    folder = findingset.Folder()
    table = frames.to_frame(findings)
    return FindingTable(findingset.FindingFiles(folder, merge.merged_into([table], folder.path, rows=rows)))


def test_findings_on_disk_read_as_the_same_findings(small_chunks):
    on_disk, in_memory = _on_disk(FINDINGS, rows=6), FindingTable(frames.to_frame(FINDINGS))
    assert len(on_disk.source.parts) == 5 and len(on_disk) == 25
    assert list(on_disk) == FINDINGS and on_disk == in_memory
    assert [on_disk[i].case_id for i in (0, 5, 4, 24, -1)] == ["K000", "K005", "K004", "K024", "K024"]
    assert list(on_disk[3:15]) == FINDINGS[3:15]  # across files
    violations = pl.col("severity") == "violation"
    assert list(on_disk.filter(violations)) == [f for f in FINDINGS if f.severity == "violation"]
    assert on_disk.gather(lambda f: f.select("case_id")).equals(in_memory.gather(lambda f: f.select("case_id")))
    for keep in (pl.col("case_id").is_in(["K005", "K017"]), pl.col("code") == "C111"):
        assert on_disk.where(keep).equals(in_memory.where(keep))
    assert render_json(Report(on_disk, meta={"run": 1})) == render_json(Report(in_memory, meta={"run": 1}))
    folder = on_disk.source.folder.path
    assert folder.is_dir() and stat.S_IMODE(folder.stat().st_mode) == 0o700
    on_disk.source.folder.close()
    assert not folder.exists()
