"""``opsbook simulate`` as a command: its files, its summary line, one clear line for a usage mistake."""

from __future__ import annotations

import argparse
import json

from opsbook import exitcodes
from opsbook.safepath import MARKER
from simulator.cli import add_parser

from .conftest import ROOT


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="opsbook")
    add_parser(parser.add_subparsers())
    args = parser.parse_args(["simulate", *argv])
    return args.func(args)


def test_writes_the_log_roster_ground_truth_and_meta(tmp_path, capsys):
    code = run(["--cases", "50", "--seed", "3", "--out", str(tmp_path), "--handbook", str(ROOT), "--jobs", "1"])
    assert code == exitcodes.OK
    written = {"events.csv", "roster.csv", "ground-truth.jsonl", "meta.json", MARKER}
    assert {p.name for p in tmp_path.iterdir()} == written
    meta = json.loads((tmp_path / "meta.json").read_text("utf-8"))
    assert meta["cases"] == 50 and meta["seed"] == 3 and meta["as_of"].endswith("+08:00")
    assert "50 cases" in capsys.readouterr().out


def test_a_period_the_calendar_does_not_cover_is_one_line(tmp_path, capsys):
    code = run(
        ["--cases", "5", "--start", "2026-11-02", "--days", "120", "--out", str(tmp_path), "--handbook", str(ROOT)]
    )
    assert code == exitcodes.BAD_INPUT
    err = capsys.readouterr().err
    assert err.startswith("opsbook simulate: error:") and err.count("\n") == 1


def test_a_handbook_with_errors_is_refused(tmp_path, capsys):
    (tmp_path / "handbook.yaml").write_text("organisation: {}\n", "utf-8")
    code = run(["--cases", "5", "--out", str(tmp_path / "out"), "--handbook", str(tmp_path)])
    assert code == exitcodes.BAD_INPUT


def test_a_short_run_with_periods_due_after_its_last_day(tmp_path):
    """--days 60 once failed: a monthly period due after the simulated days asked the clock for a day it had not."""
    argv = ["--cases", "30", "--days", "60", "--seed", "1", "--out", str(tmp_path), "--handbook", str(ROOT)]
    assert run([*argv, "--jobs", "1"]) == exitcodes.OK
    assert (tmp_path / "events.csv").stat().st_size > 0
