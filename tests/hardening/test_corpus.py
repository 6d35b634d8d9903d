"""The corpus of broken inputs, each run through the real command line.

``corpus/handbook/<case>/`` overlays the minimal handbook (tests/fixtures/minimal)
and is checked with ``opsbook validate``; ``corpus/logs/<case>/`` holds a log
(and maybe a mapping or roster) checked with ``opsbook check`` against the
minimal handbook. Each case's ``case.yaml`` says what it is and what must
happen: the exit code and the exact output (one line per problem, naming the
file and line or row), or, for input that is still usable, the row accounting
(rows read = checked + rejected), the rejected rows and the findings. Inputs too
big or too binary to keep as files are made by ``generate.py``.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
import yaml

from opsbook.yamldoc import load_yaml

from .generate import GENERATORS
from .helpers import CORPUS, make_handbook, opsbook

ENGLISH = {"OPSBOOK_LANG": "en"}  # the expected lines are written in English (the default language is Chinese)
CASE_KEYS = {"what", "generate", "args", "exit", "stdout", "stderr", "rows", "rejected", "findings", "xfail", "seconds"}


def load_case(folder: Path) -> dict:
    case = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    assert set(case) <= CASE_KEYS and {"what", "exit"} <= set(case), folder
    return case


def cases(kind: str) -> list:
    """Case names; a known bug (``xfail:``) must fail until it is fixed, then the marker goes."""
    folders = sorted(p for p in (CORPUS / kind).iterdir() if p.is_dir())
    return [
        pytest.param(f.name, marks=pytest.mark.xfail(reason=reason, strict=True))
        if (reason := load_case(f).get("xfail"))
        else f.name
        for f in folders
    ]


def timed(seconds: float | None, run):
    start = time.monotonic()
    proc = run()
    if seconds:
        assert time.monotonic() - start < seconds
    return proc


@pytest.mark.parametrize("name", cases("handbook"))
def test_handbook_case(tmp_path, name):
    folder = CORPUS / "handbook" / name
    case = load_case(folder)
    root = make_handbook(tmp_path)
    for sub in ("roles", "processes"):
        for src in sorted((folder / sub).glob("*")) if (folder / sub).is_dir() else ():
            shutil.copyfile(src, root / sub / src.name)
    if (folder / "handbook.yaml").exists():
        shutil.copyfile(folder / "handbook.yaml", root / "handbook.yaml")
    if case.get("generate"):
        GENERATORS[case["generate"]](root)

    proc = timed(case.get("seconds"), lambda: opsbook("validate", str(root), "--lang", "en"))

    assert "Traceback" not in proc.stderr
    assert proc.stdout == case["stdout"]
    errors = len(case["stdout"].splitlines())
    files = len(list(root.rglob("*.yaml")))
    summary = f"{files} files checked: {errors} errors, 0 warnings\n"
    assert proc.stderr == summary
    assert proc.returncode == case["exit"]


@pytest.mark.parametrize("name", cases("logs"))
def test_log_case(tmp_path, name):
    folder = CORPUS / "logs" / name
    case = load_case(folder)
    root = make_handbook(tmp_path)
    work = tmp_path / "work"
    shutil.copytree(folder, work, ignore=shutil.ignore_patterns("case.yaml"))
    if case.get("generate"):
        GENERATORS[case["generate"]](work)
    usable = "rows" in case
    # the corpus records error messages in English and finding texts in Chinese (the default)
    lang = [] if usable else ["--lang", "en"]
    args = [*case["args"], *lang, "-q", *(["--out", "out", "--format", "json"] if usable else [])]

    proc = timed(case.get("seconds"), lambda: opsbook("check", "--handbook", str(root), *args, cwd=work, env=ENGLISH))

    assert "Traceback" not in proc.stderr
    assert proc.stderr == (case["stderr"] + "\n" if not usable else "已写入 out/findings.json\n")
    assert proc.returncode == case["exit"]
    if not usable:
        assert not (work / "out").exists()
        return
    report = json.loads((work / "out" / "findings.json").read_text(encoding="utf-8"))
    rows = report["meta"]["rows"]
    assert rows == case["rows"]
    assert rows["read"] == rows["checked"] + rows["rejected"]
    assert [[r["ref"], r["field"], r["reason"]] for r in report["rejected"]] == case.get("rejected", [])
    expected = case.get("findings", [])
    assert [{k: f[k] for k in e} for f, e in zip(report["findings"], expected, strict=False)] == expected
    assert len(report["findings"]) == len(expected)


def test_alias_bomb_is_refused_without_expanding_it():
    bomb = CORPUS / "handbook" / "alias-bomb" / "roles" / "clerk.yaml"
    start = time.monotonic()
    doc, problems = load_yaml(bomb, "clerk.yaml")
    assert time.monotonic() - start < 1.0
    assert {p.code for p in problems} == {"Y003"} and len(problems) == 81  # 9 aliases on each of 9 lines
    assert doc.data["lol9"] == [None] * 9
