"""Nothing in the data decides where opsbook reads or writes: reports go under --out, by fixed names."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pytest

from checker.reports import WRITERS
from opsbook.safepath import MARKER

from .helpers import make_handbook, opsbook

REPORTS = sorted(w.filename for w in WRITERS.values())
WRITTEN = sorted([*REPORTS, MARKER])  # the reports and the marker that lets the next run update them
FORMATS = ",".join(WRITERS)


def files(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


@pytest.fixture
def hostile(tmp_path):
    """A log whose ids, names, labels and references are paths, absolute and relative."""
    token = f"escape-{uuid.uuid4().hex[:8]}"
    values = [f"../../{token}-case", f"/tmp/{token}-abs", f"..\\..\\{token}-win", f"out/../../{token}-out"]
    root = make_handbook(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    rows = [
        f"{values[0]},起草合同,2026-03-02 09:00,{values[1]},clerk,{values[3]}",
        f"{values[0]},审批合同,2026-03-09 10:00,{values[1]},boss,{values[2]}",
        f"{values[2]},{values[3]},2026-03-03 10:00,{values[0]},clerk,{values[1]}",
    ]
    (work / "log.csv").write_text("case_id,activity,timestamp,performer,role,流水号\n" + "\n".join(rows) + "\n")
    (work / "mapping.yaml").write_text("id: 流水号\n", encoding="utf-8")  # refs are the hostile values too
    return root, work, token, values


def test_hostile_values_never_become_file_names(tmp_path, hostile):
    root, work, token, values = hostile
    before = files(tmp_path)
    proc = opsbook(
        "check", "--handbook", str(root), "log.csv", "--mapping", "mapping.yaml", "--out", "out", "--format", FORMATS,
        cwd=work,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    created = files(tmp_path) - before
    assert sorted(str(p) for p in created) == [f"work/out/{name}" for name in WRITTEN]
    for value in values:  # as the data would have them, relative to each folder involved
        for base in (work, work / "out", root, tmp_path):
            assert not (base / value).exists() and not (base / value.replace("\\", "/")).exists()
    assert not Path(values[1]).exists()
    assert not [p for p in Path("/tmp").glob(f"{token}*")]
    report = json.loads((work / "out" / "findings.json").read_text(encoding="utf-8"))
    # the values are reported as data: case ids, performers, references
    assert values[0] in {f["case_id"] for f in report["findings"]}
    assert values[1] in {p for f in report["findings"] for p in f["performers"]}
    assert values[3] in {r for f in report["findings"] for r in f["event_refs"]}


def test_a_symlink_in_the_output_folder_is_replaced_not_followed(tmp_path, hostile):
    root, work, _, _ = hostile
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    out = work / "out"
    out.mkdir()
    (out / MARKER).write_text("opsbook check\n", encoding="utf-8")  # an earlier report folder of ours
    (out / "findings.json").symlink_to(outside)
    proc = opsbook("check", "--handbook", str(root), "log.csv", "--out", "out", "--format", "json", "-q", cwd=work)
    assert proc.returncode == 1, proc.stderr
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert not (out / "findings.json").is_symlink()
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "findings.json"]  # no temporary file left behind


def test_a_header_named_like_a_path_is_never_opened(tmp_path, hostile):
    root, work, _, _ = hostile
    (tmp_path / "secret.txt").write_text("TOPSECRET", encoding="utf-8")
    (work / "mapping.yaml").write_text("activity: ../secret.txt\n", encoding="utf-8")
    proc = opsbook("check", "--handbook", str(root), "log.csv", "--mapping", "mapping.yaml", cwd=work)
    assert proc.returncode == 2
    assert proc.stderr == (
        "opsbook check: error: log.csv: column(s) named by the mapping not found: '../secret.txt' (activity)\n"
    )
    assert "TOPSECRET" not in proc.stdout + proc.stderr


def test_reports_are_written_only_under_out(tmp_path, hostile):
    root, work, _, _ = hostile
    nested = work / "a" / "b"
    before = files(tmp_path)
    proc = opsbook("check", "--handbook", str(root), "log.csv", "--out", str(nested), "--format", FORMATS, cwd=work)
    assert proc.returncode == 1, proc.stderr
    assert {p.parent for p in files(tmp_path) - before} == {nested.relative_to(tmp_path)}
    assert sorted(os.listdir(nested)) == WRITTEN


def test_out_that_is_a_file_is_a_usage_error(tmp_path, hostile):
    root, work, _, _ = hostile
    (work / "taken").write_text("not a folder", encoding="utf-8")
    proc = opsbook("check", "--handbook", str(root), "log.csv", "--out", "taken", "--format", "json", cwd=work)
    assert proc.returncode == 2
    assert proc.stderr.startswith("opsbook check: error: ") and proc.stderr.count("\n") == 1
