"""The validate command: output format, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from opsbook.cli import main

from .test_validate_fixtures import make_handbook


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "opsbook", *args], capture_output=True, text=True)


def test_broken_handbook_reports_every_problem_in_one_run(tmp_path):
    root = make_handbook(tmp_path, "multi")
    proc = run("validate", str(root), "--lang", "en")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stdout.splitlines() == [
        "processes/sale.yaml:17:26: X001 unknown role 'clark'; did you mean clerk?",
        "roles/boss.yaml:8:4: Y001 YAML syntax error: expected <block end>, but found '<block mapping start>'",
        "roles/boss2.yaml:5:13: X008 reporting lines form a cycle: boss2 → boss3 → boss2",
        "roles/clerk.yaml:10:1: Y002 duplicate key 'title' (first defined at line 3)",
    ]
    assert proc.stderr.strip() == "6 files checked: 4 errors, 0 warnings"


def test_messages_are_chinese_by_default(tmp_path):
    proc = run("validate", str(make_handbook(tmp_path, "multi")))
    assert proc.stdout.splitlines()[0] == "processes/sale.yaml:17:26: X001 未知岗位 “clark”；是不是指 clerk？"
    assert proc.stdout.splitlines()[3] == "roles/clerk.yaml:10:1: Y002 字段 “title” 重复（第一次出现在第 3 行）"
    assert proc.stderr.strip() == "检查了 6 个文件：错误 4 个，警告 0 个"


def test_json_format(tmp_path, capsys):
    root = make_handbook(tmp_path, "X001-unknown-role")
    assert main(["validate", str(root), "--format", "json"]) == 2
    payload = json.loads(capsys.readouterr().out)
    assert payload["errors"] == 1
    assert payload["problems"][0]["message"] == "未知岗位 “clark”；是不是指 clerk？"
    assert payload["problems"][0]["message_id"] == "xref.unknown-role"
    assert payload["problems"][0]["params"] == {"value": "clark", "suggest": ["clerk"]}
    assert payload["problems"][0] | {"message": None, "message_id": None, "params": None} == {
        "file": "processes/sale.yaml",
        "line": 17,
        "column": 26,
        "code": "X001",
        "severity": "error",
        "name": "unknown-role",
        "message": None,
        "message_id": None,
        "params": None,
    }


def test_warnings_fail_only_with_strict(tmp_path, capsys):
    root = make_handbook(tmp_path, "W002-unused-form")
    assert main(["validate", str(root)]) == 0
    assert main(["validate", str(root), "--strict"]) == 1
    assert "W002" in capsys.readouterr().out


def test_clean_handbook_exits_zero(tmp_path, capsys):
    assert main(["validate", str(make_handbook(tmp_path)), "--strict"]) == 0


def test_not_a_handbook_folder(tmp_path):
    proc = run("validate", str(tmp_path))
    assert proc.returncode == 2
    assert "Y004 " in proc.stdout and "中没有 handbook.yaml（这是手册文件夹吗？）" in proc.stdout


def test_usage_error_exits_two():
    proc = run("validate", "--format", "xml")
    assert proc.returncode == 2
    assert "invalid choice" in proc.stderr


def test_the_wrapper_runs_opsbook_without_activating_the_venv(tmp_path):
    import pytest

    repo = Path(__file__).resolve().parents[2]
    if not (repo / ".venv" / "bin" / "opsbook").exists():
        pytest.skip("no .venv in this checkout (scripts/bootstrap creates it; scripts/test runs with it)")
    proc = subprocess.run(
        [str(repo / "scripts" / "opsbook"), "validate", str(make_handbook(tmp_path)), "--lang", "en"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == "4 files checked: 0 errors, 0 warnings"
