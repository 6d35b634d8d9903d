"""Scope options, did-you-mean and what the terminal shows: `opsbook check` on the minimal handbook."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from checker.suggest import closest, fold
from opsbook.cli import main

from .test_cli_check import LOG, setup  # noqa: F401  (the fixture)

AS_OF = ["--as-of", "2026-06-30 23:59"]


def _codes(root, log, out, *args) -> tuple[int, list[tuple[str, str | None]], dict]:
    code = main(
        ["check", "--handbook", str(root), str(log), *AS_OF, *args, "--out", str(out), "--format", "json", "-q"]
    )
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return code, sorted({(f["code"], f["step"]) for f in data["findings"]}), data


def test_obligation_options_filter_codes(setup, tmp_path):  # noqa: F811
    root, _ = setup
    log = tmp_path / "log.csv"
    log.write_text(LOG + ",提交日报,2026-03-02 19:00,p1,clerk,\n", encoding="utf-8")  # after 18:00: late
    roster = tmp_path / "roster.csv"
    roster.write_text("person,role\np1,clerk\n", encoding="utf-8")  # p1 owes a daily report every workday
    _, everything, data = _codes(root, log, tmp_path / "a", "--roster", str(roster))
    assert {("C201", "daily"), ("C202", "daily"), ("C104", "approve")} <= set(everything)
    assert data["meta"]["scope"] == {"processes": None, "obligations": None, "no_obligations": False, "rules": None}
    _, without, data = _codes(root, log, tmp_path / "b", "--roster", str(roster), "--no-obligations")
    assert without == [c for c in everything if c[1] != "daily"] and data["meta"]["scope"]["no_obligations"]
    _, only, _ = _codes(root, log, tmp_path / "c", "--roster", str(roster), "--obligation", "daily")
    assert only == everything
    _, sale, data = _codes(root, log, tmp_path / "d", "--roster", str(roster), "--process", "sale")
    assert sale == everything and data["meta"]["scope"]["processes"] == ["sale"]
    text = (tmp_path / "d").joinpath("findings.json").read_text(encoding="utf-8")
    assert '"rates"' in text


@pytest.mark.parametrize(
    ("option", "given", "message"),
    [
        ("--process", "sael", "unknown process id sael (did you mean sale?)"),
        ("--process", "签约x", "unknown process id 签约x (did you mean sale?)"),
        ("--obligation", "dialy", "unknown obligation id dialy (did you mean daily?)"),
        ("--process", "mortgage", "unknown process id mortgage; known: sale"),
    ],
)
def test_unknown_scope_ids_are_exit_two_with_a_suggestion(setup, option, given, message):  # noqa: F811
    root, log = setup
    proc = subprocess.run(
        [sys.executable, "-m", "opsbook", "check", "--lang", "en", "--handbook", str(root), str(log), option, given],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr


def test_unknown_scope_id_in_chinese(setup):  # noqa: F811
    root, log = setup
    proc = subprocess.run(
        [sys.executable, "-m", "opsbook", "check", "--handbook", str(root), str(log), "--process", "sael"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "未知的流程编号 sael（是否指 sale？）" in proc.stderr


def test_suggestions_fold_script_and_need_a_clear_winner():
    assert fold("登記 客戶-投訴") == "登记客户投诉"
    pairs = [("登记客户投诉", "record"), ("处理投诉", "handle")]
    assert closest("登记投诉", pairs) == "record"  # the step's title where the label is longer
    assert closest("登記客戶投訴", pairs) == "record"  # traditional characters
    assert closest("发放宣传单页", pairs) is None  # nothing close: no guess
    assert closest("ab", [("ac", 1), ("ad", 2)]) is None  # a tie: no guess


def test_step_titles_as_labels_get_a_suggestion_a_warning_and_exit_one(setup, tmp_path, capsys):  # noqa: F811
    root, _ = setup
    log = tmp_path / "titles.csv"
    log.write_text(
        "case_id,activity,timestamp,performer\nA1,起草合同,2026-03-02 09:00,p1\n"
        "A1,审批合同书,2026-03-03 10:00,p2\nA1,通知交房手续,2026-03-04 10:00,p1\n",
        encoding="utf-8",
    )
    code = main(["check", "--handbook", str(root), str(log), *AS_OF, "--rules", "C101,C111", "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 1  # only warnings, but most rows could not be checked
    assert out.splitlines()[3].startswith("!! Warning: 2 of 3 rows (67%)")
    assert "did you mean '审批合同'?" in out
    assert main(["check", "--handbook", str(root), str(log), *AS_OF, "--rules", "C101", "--fail-on", "never"]) == 0


def test_out_prints_only_the_summary(setup, tmp_path, capsys):  # noqa: F811
    root, log = setup
    out = tmp_path / "out"
    assert main(["check", "--handbook", str(root), str(log), *AS_OF, "--out", str(out), "--format", "text,json"]) in (
        0,
        1,
    )
    shown = capsys.readouterr().out
    full = (out / "report.txt").read_text(encoding="utf-8")
    assert "汇总" in shown and "按流程" in shown
    assert "问题明细" in full and "问题明细" not in shown and len(shown) < len(full) / 2


def test_process_scope_drops_other_processes_and_their_obligations_but_keeps_log_findings():
    from checker.finding import Finding
    from checker.scope import Scope

    def kept(scope, *findings):
        return [f.code + "/" + (f.process or "-") for f in scope.select(findings)]

    scope = Scope(processes=frozenset({"sale"}), obligation_ids=frozenset({"daily", "weekly"}))
    sale = Finding("C101", "missing-step", "violation", "x", process="sale", case_id="A")
    other = Finding("C101", "missing-step", "violation", "x", process="mortgage", case_id="B")
    weekly = Finding("C201", "obligation-missed", "violation", "x", process="report", step="weekly")
    daily = Finding("C201", "obligation-missed", "violation", "x", process="sale", step="daily")
    log = Finding("C111", "unknown-activity", "warning", "rules/#c111")
    assert kept(scope, sale, other, weekly, log, daily) == ["C101/sale", "C111/-", "C201/sale"]
    only = Scope(obligations=frozenset({"daily"}), obligation_ids=frozenset({"daily", "weekly"}))
    assert kept(only, daily, weekly, other, log) == ["C201/sale", "C101/mortgage", "C111/-"]
    none = Scope(no_obligations=True, obligation_ids=frozenset({"daily", "weekly"}))
    assert kept(none, daily, weekly, other, log) == ["C101/mortgage", "C111/-"]
    assert scope.select([]).table.height == 0


def test_did_you_mean_names_the_step_when_its_title_is_not_the_label():
    from checker.finding import Finding, text
    from checker.texts import Names, render

    names = Names(
        steps={("complaint-handling", "record"): "登记投诉"},
        suggestions={"登记投诉": ("登记客户投诉", "complaint-handling", "record")},
    )
    f = Finding("C111", "unknown-activity", "warning", "rules/#c111")
    words = render(text("actual.unknown-label", label="登记投诉", count=3), f, "zh", names)
    assert words == "“登记投诉”，共 3 个事件；是否指“登记客户投诉”（登记投诉）？"
    assert render(text("actual.unknown-label", label="别的", count=1), f, "en", names) == "'别的' in 1 event"


def test_progress_speaks_the_run_language():
    from checker.progress import words

    assert words("reading log.csv (1/2): 500,000 rows", "zh") == "正在读取 log.csv（1/2）：500,000 行"
    assert words("checking cases: bucket 2/4", "zh") == "正在检查案例：第 2/4 批"
    assert words("checking recurring obligations and labels", "en") == "checking recurring obligations and labels"
    assert words("something else", "zh") == "something else"
