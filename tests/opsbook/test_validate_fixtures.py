"""Every validator code has a fixture that triggers it at an exact file:line:column.

Each folder in tests/fixtures/invalid/ overlays tests/fixtures/minimal/ (a file
named DELETE lists files to remove) and holds expected.txt: the problems the
validator must report, as 'file:line:column: CODE', in order.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from opsbook.loader import load
from opsbook.problems import CODES

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CASES = sorted(p.name for p in (FIXTURES / "invalid").iterdir() if p.is_dir())


def make_handbook(tmp_path: Path, case: str | None = None) -> Path:
    root = tmp_path / "hb"
    shutil.copytree(FIXTURES / "minimal", root)
    if case:
        overlay = FIXTURES / "invalid" / case
        for src in overlay.rglob("*"):
            if src.is_file() and src.name not in ("expected.txt", "DELETE"):
                dest = root / src.relative_to(overlay)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dest)
        if (overlay / "DELETE").exists():
            for name in (overlay / "DELETE").read_text().split():
                (root / name).unlink()
    return root


def located(problems) -> list[str]:
    return [f"{p.file}:{p.line}:{p.column}: {p.code}" for p in problems]


def test_minimal_handbook_is_clean(tmp_path):
    result = load(make_handbook(tmp_path))
    assert located(result.problems) == []
    assert result.handbook is not None
    assert [r.id for r in result.handbook.roles] == ["boss", "clerk"]


@pytest.mark.parametrize("case", CASES)
def test_invalid_fixture(tmp_path, case):
    result = load(make_handbook(tmp_path, case))
    expected = (FIXTURES / "invalid" / case / "expected.txt").read_text(encoding="utf-8").split("\n")
    assert located(result.problems) == [line for line in expected if line]
    if result.errors:
        assert result.handbook is None


def test_every_code_has_a_fixture():
    triggered = {case.split("-")[0] for case in CASES}
    assert set(CODES) - {"Y005"} <= triggered  # Y005 (size) is generated in test_yamldoc


def test_large_file_is_refused(tmp_path):
    root = make_handbook(tmp_path)
    (root / "roles" / "clerk.yaml").write_text("id: clerk\n" + "# padding\n" * 120_000)
    assert located(load(root).problems) == ["roles/clerk.yaml:1:1: Y005"]
