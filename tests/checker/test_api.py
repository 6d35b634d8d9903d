"""The engine's entry points: pure, picklable, and the same answers however the cases are split."""

from __future__ import annotations

import pickle

import polars as pl

from checker import engine
from checker.admit import admit
from checker.engine import FINDINGS_SCHEMA, Setting, frames
from checker.mapping import Mapping
from checker.readers import read_logs
from checker.roster import read_roster
from opsbook.calendar import WorkCalendar
from tests.checker.test_pipeline import AS_OF, EXAMPLES, START, TZ, handbook, sample_audit


def _sample() -> tuple[pl.DataFrame, Setting]:
    book = handbook()
    roster = read_roster(EXAMPLES / "roster.csv", book.roles)
    read = read_logs([EXAMPLES / "sample-log.csv"], mapping=Mapping.load(EXAMPLES / "mapping.yaml"), tz=TZ)
    setting = Setting(book, AS_OF, START, WorkCalendar.china(), TZ, roster)
    usable, _ = admit(engine.prepare_events(read.events, setting), book)
    return usable, setting


def _split(events: pl.DataFrame, parts: int) -> list[pl.DataFrame]:
    steps = events.filter(pl.col("kind") == "step")
    slot = pl.col("case_id").hash(seed=1) % parts
    return [steps.filter(slot == n) for n in range(parts)]


def test_the_setting_pickles_for_executors():
    _, setting = _sample()
    again = pickle.loads(pickle.dumps(setting))
    assert again.as_of == setting.as_of and again.handbook.processes[0].id == setting.handbook.processes[0].id


def test_case_buckets_and_the_log_give_the_pipelines_findings():
    events, setting = _sample()
    tables, witnesses = [], []
    for bucket in _split(events, 3):  # in any order, as Spark's groups arrive
        tables.append(engine.check_cases(bucket.reverse(), setting))
        witnesses.append(engine.case_witnesses(bucket, setting))
    rest = events.filter(~(pl.col("kind") == "step").fill_null(False))  # obligations and unknown labels
    tables.append(engine.check_log(pl.concat([rest, *witnesses], how="diagonal_relaxed"), setting))
    assert all(t.schema == FINDINGS_SCHEMA for t in tables)
    assert engine.findings(tables) == sample_audit().findings


def test_findings_tables_round_trip_finding_values():
    found = sample_audit().findings
    table = frames.to_frame(found)
    assert table.schema == FINDINGS_SCHEMA
    assert list(frames.to_findings(table)) == found
    assert list(frames.to_findings(frames.sort(table.reverse()))) == found
    assert table["key"].to_list() == [f.key for f in found]


def test_the_tables_keys_are_the_ones_findings_make_themselves():
    from dataclasses import replace

    from tests.checker.conftest import audit, ev, log

    odd = ["C/1", "100%", "合同 甲", "a\tb", "é?#&=", "x" * 300]
    events = [ev(case, "审批合同", f"2024-03-0{n} 10:00", "p/1") for n, case in enumerate(odd, 1)]
    table = engine.run_frame(audit(log(*events)))
    found = list(frames.to_findings(table))
    assert {f.case_id for f in found} == set(odd)
    assert [f.key for f in found] == table["key"].to_list()
    assert [replace(f).key for f in found] == table["key"].to_list()  # made anew from the parts
    assert [replace(f).key for f in sample_audit().findings] == [f.key for f in sample_audit().findings]


def test_only_the_chosen_rules_run():
    events, setting = _sample()
    chosen = Setting(**{**setting.__dict__, "codes": frozenset({"C101"})})
    assert set(engine.check_cases(events.filter(pl.col("kind") == "step"), chosen)["code"]) == {"C101"}
    assert engine.check_log(events.filter(~(pl.col("kind") == "step").fill_null(False)), chosen).is_empty()


def test_events_in_time_order_are_not_sorted_again_but_others_are():
    from datetime import UTC, datetime

    from checker.engine.api import _in_order

    hour = lambda h: datetime(2024, 1, 1, h, tzinfo=UTC)  # noqa: E731
    assert _in_order(pl.DataFrame({"ts": [hour(1), hour(1), hour(2)], "seq": [1, 2, 0]}))
    assert not _in_order(pl.DataFrame({"ts": [hour(1), hour(1), hour(2)], "seq": [2, 1, 3]}))  # a tie out of order
    assert not _in_order(pl.DataFrame({"ts": [hour(2), hour(1)], "seq": [1, 2]}))


def test_the_findings_schema_reads_as_spark_ddl_and_arrow():
    ddl = frames.ddl()
    assert ddl.startswith("key string, code string, ") and ddl.endswith(
        "event_refs array<string>, performers array<string>"
    )
    assert ddl.count(",") == len(FINDINGS_SCHEMA) - 1
    assert frames.empty().to_arrow().schema.names == list(FINDINGS_SCHEMA)
