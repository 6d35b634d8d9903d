"""`opsbook check --dispositions`: matched findings are disposed (never dropped), stale and expired entries, exit codes, bad files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from checker.audit.dispositions import normal_key
from checker.finding import Finding
from opsbook.cli import main

from ...opsbook.test_validate_fixtures import make_handbook
from ..test_cli_check import LOG

HEAD = "# yaml-language-server: $schema=../schema/dispositions.schema.json\ndispositions:\n"
C104 = "C104/sale/A2/approve"  # A2: approved 5 workdays after drafting (limit 3)
C107 = "C107/sale/A2/approve/draft%2Fp2"  # A2: drafted and approved by p2


def entry(match: str, **fields: str) -> str:
    values = {
        "disposition": "accepted-exception",
        "reason": "总经理书面批准",
        "approved_by": "总经理 张伟",
        "date": "2026-07-01",
    }
    values.update(fields)
    return f"  - {match}\n" + "".join(f"    {k}: '{v}'\n" for k, v in values.items())


@pytest.fixture
def run(tmp_path):
    root = make_handbook(tmp_path)
    log = tmp_path / "log.csv"
    log.write_text(LOG, encoding="utf-8")

    def check(text: str | None, *extra: str) -> tuple[int, dict]:
        args = ["check", "--handbook", str(root), "--rules", "C103,C104,C107", str(log)]
        args += ["--as-of", "2026-06-30 23:59", "--out", str(tmp_path / "out"), "--format", "json,text,csv,html"]
        if text is not None:
            (tmp_path / "disp.yaml").write_text(HEAD + text, encoding="utf-8")
            args += ["--dispositions", str(tmp_path / "disp.yaml")]
        code = main([*args, *extra])
        report = tmp_path / "out" / "findings.json"
        return code, json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}

    return check


def keys(report: dict) -> list[str]:
    return sorted(f["key"] for f in report["findings"])


def test_the_keys_this_file_relies_on(run):
    code, report = run(None)
    assert code == 1 and keys(report) == [C104, C107]
    assert report["disposed"] == []


def test_a_disposed_finding_moves_to_its_own_section_with_its_reason(run, tmp_path):
    code, report = run(entry(f"key: {C104}", reference="SP-1"))
    assert code == 1  # C107 is still open
    assert keys(report) == [C107]
    [disposed] = report["disposed"]
    assert disposed["finding"]["key"] == C104 and disposed["finding"]["code"] == "C104"
    assert disposed["disposition"]["reason"] == "总经理书面批准"
    assert disposed["disposition"]["where"].endswith("disp.yaml:3:5")
    assert report["summary"]["total"] == 1
    text = (tmp_path / "out" / "report.txt").read_text(encoding="utf-8")
    assert "已处置的问题 (1)" in text and "总经理书面批准" in text and "SP-1" in text
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert 'id="disposed-table"' in html and "总经理书面批准" in html
    csv = (tmp_path / "out" / "findings.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(csv) == 3 and "总经理书面批准" in csv[2] and "批准的例外" in csv[2]


def test_exit_code_counts_only_undisposed_violations(run):
    code, report = run(entry(f"key: {C104}") + entry(f"key: {C107}", disposition="false-positive"))
    assert code == 0
    assert report["findings"] == [] and len(report["disposed"]) == 2


def test_an_entry_by_fields_matches_every_step_of_its_case(run):
    code, report = run(entry("code: C104", process="sale", case="A2"))
    assert code == 1 and keys(report) == [C107]
    code, report = run(entry("code: C107", process="sale", case="A2", step="approve"))
    assert keys(report) == [C104]


def test_a_key_may_be_written_without_percent_encoding():
    f = Finding(code="C111", rule="unknown-activity", severity="warning", clause="", detail="发放宣传单页")
    assert f.key == "C111////%E5%8F%91%E6%94%BE%E5%AE%A3%E4%BC%A0%E5%8D%95%E9%A1%B5"
    assert normal_key("C111////发放宣传单页") == f.key == normal_key(f.key)
    assert normal_key("C107/sale/A2/approve/draft%2Fp2") == "C107/sale/A2/approve/draft%2Fp2"


def test_an_entry_that_matches_nothing_is_reported_stale(run, capsys):
    code, report = run(entry(f"key: {C104}") + entry("code: C104", process="sale", case="A9"))
    assert code == 1  # the stale entry changes nothing
    stale = report["audit"]["dispositions"]["stale"]
    assert [s["match"] for s in stale] == ["code=C104 process=sale case=A9"]
    err = capsys.readouterr().err
    assert "disp.yaml:8:5" in err and "code=C104 process=sale case=A9" in err


def test_an_expired_entry_no_longer_applies(run, capsys):
    # the audit's as-of date decides, not the wall clock: expired the day before the as-of date
    code, report = run(entry(f"key: {C104}", expires="2026-06-29", date="2026-06-01") + entry(f"key: {C107}"))
    assert code == 1
    assert keys(report) == [C104]
    assert [e["where"].rsplit(":", 2)[1] for e in report["audit"]["dispositions"]["expired"]] == ["3"]
    assert "2026-06-29" in capsys.readouterr().err
    code, report = run(entry(f"key: {C104}", expires="2026-06-30", date="2026-06-01") + entry(f"key: {C107}"))
    assert code == 0  # in force on its last day


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (entry(f"key: {C104}", approver="x"), "disp.yaml:8:5: S002"),  # unknown field (a typo of approved_by)
        ("  - key: " + C104 + "\n    disposition: accepted-exception\n", "disp.yaml:3:5: S001"),  # no reason ...
        (entry(f"key: {C104}", disposition="waived"), "disp.yaml:4:18: S004"),
        (entry(f"key: {C104}", date="2026-02-30"), "disp.yaml:7:11: S004"),
        (entry(f"key: {C104}", expires="2026-01-01"), "disp.yaml:8:5: S004"),  # before the approval date
        (entry(f"key: {C104}", code="C104"), "disp.yaml:8:5: S004"),  # key and fields
        (entry("code: C104", process="sale"), "disp.yaml:3:5: S001"),  # neither case nor member
        (entry("code: C999", process="sale", case="A2"), "disp.yaml:3:11: S004"),  # unknown rule
        (entry(f"key: {C104}") + entry(f"key: {C104}"), "disp.yaml:8:5: X006"),  # the same match twice
        ("  - key: [unclosed\n", "disp.yaml:4:1: Y001"),
    ],
)
def test_a_bad_file_is_exit_two_with_its_location(run, capsys, text, where):
    code, report = run(text)
    assert code == 2 and report == {}  # nothing written
    err = capsys.readouterr().err
    assert where in err, err
    assert "Traceback" not in err


def test_the_bundled_register_disposes_two_accepted_exceptions(tmp_path):
    root = Path(__file__).parents[3]
    ex = root / "examples"
    out = tmp_path / "out"
    args = ["check", str(ex / "sample-log.csv"), "--mapping", str(ex / "mapping.yaml"), "--roster"]
    args += [str(ex / "roster.csv"), "--as-of", "2026-06-30T23:59:00+08:00", "--from", "2026-06-01", "--handbook"]
    args += [str(root), "--out", str(out), "--format", "json", "-q", "--dispositions", str(ex / "dispositions.yaml")]
    assert main(args) == 1
    report = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert len(report["findings"]) == 31 and report["audit"]["dispositions"]["stale"] == []
    assert {d["disposition"]["disposition"] for d in report["disposed"]} == {"accepted-exception"}
    assert len(report["disposed"]) == 2


def test_an_unreadable_baseline_is_exit_two_before_the_log_is_read(run, tmp_path, capsys):
    (tmp_path / "old.json").write_text('{"meta": {}}', encoding="utf-8")
    code, report = run(None, "--baseline", str(tmp_path / "old.json"))
    assert code == 2 and report == {}
    assert "old.json" in capsys.readouterr().err


def test_an_entry_for_a_rule_left_out_is_not_stale(run):
    code, report = run(entry(f"key: {C107}"), "--rules", "C104")
    assert report["audit"]["dispositions"]["stale"] == [] and keys(report) == [C104]


def test_dispositions_match_the_log_as_written_then_reports_are_redacted(run, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("OPSBOOK_REDACT_KEY", "a-test-key-of-enough-length-0123")
    code, report = run(entry("code: C104", process="sale", case="A2"), "--redact")
    [disposed] = report["disposed"]
    assert disposed["finding"]["case_id"].startswith("C-") and disposed["finding"]["code"] == "C104"
    assert [f["case_id"] for f in report["findings"]] == [disposed["finding"]["case_id"]]  # C107, same case
    assert all(cases == ["A2"] or "A2" not in cases for cases in (c["cases"] for c in report["checked_cases"]))
    assert "A2" not in (tmp_path / "out" / "findings.json").read_text(encoding="utf-8")
    # a redacted baseline against a plain run: keys cannot match, and the run says so
    (tmp_path / "old.json").write_bytes((tmp_path / "out" / "findings.json").read_bytes())
    capsys.readouterr()
    monkeypatch.delenv("OPSBOOK_REDACT_KEY")
    run(None, "--baseline", str(tmp_path / "old.json"))
    assert "--redact" in capsys.readouterr().err


def test_obligation_findings_match_by_member_obligation_and_period(tmp_path):
    from checker.audit.dispositions import apply, load

    register = tmp_path / "d.yaml"
    register.write_text(
        HEAD
        + entry("code: C201", process="sales-reporting", member="E001", obligation="daily", period="2026-06-12")
        + entry("code: C201", process="sales-reporting", member="E002", obligation="daily"),
        encoding="utf-8",
    )
    entries = load(register)

    def missed(member: str, period: str) -> Finding:
        return Finding("C201", "obligation-missed", "violation", "", "sales-reporting", None, "daily", member, period)

    found = [missed("E001", "2026-06-12"), missed("E001", "2026-06-15"), missed("E002", "2026-06-01")]
    applied = apply(found, entries, date(2026, 6, 30))
    assert applied.open == (found[1],)
    assert [e.selector for _, e in applied.disposed] == [
        "code=C201 process=sales-reporting member=E001 obligation=daily period=2026-06-12",
        "code=C201 process=sales-reporting member=E002 obligation=daily",
    ]


def test_the_sections_speak_the_report_language(run, tmp_path):
    run(entry(f"key: {C104}") + entry("code: C104", process="sale", case="A9"), "--lang", "en")
    text = (tmp_path / "out" / "report.txt").read_text(encoding="utf-8")
    assert "Disposed findings (1)" in text and "accepted exception" in text and "matched no finding" in text
    for zh in ("已处置", "批准的例外", "处置登记", "未匹配"):
        assert zh not in text
