"""`opsbook pdf --changes-only`: the retraining sheet of one role, printed, holds only that role's changes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.opsbook import release_repo

from .conftest import CHROMIUM, REPO, _unavailable
from .test_print import PRINT_TIMEOUT, pdf_text, tool

pytestmark = pytest.mark.browser


def test_the_clerks_retraining_sheet(tmp_path):
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: install Debian's chromium (sudo bash .ci/install-system-deps)")
    pdftotext = tool("pdftotext")
    repo = release_repo.make(tmp_path / "hb")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "opsbook", "pdf", str(repo), "--changes-only", "1", "--roles", "clerk"]
    env = {**os.environ, "OPSBOOK_CHROMIUM": str(CHROMIUM), "OPSBOOK_LANG": "zh"}
    done = subprocess.run([*command, "--out", str(out)], cwd=REPO, capture_output=True, text=True,
                          timeout=PRINT_TIMEOUT, env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    assert "已生成 1 份岗位变化说明（自 1 以来）" in done.stdout
    assert sorted(p.name for p in (out / "changes").iterdir()) == ["clerk.pdf"]
    text = pdf_text(pdftotext, out / "changes" / "clerk.pdf")
    assert "销售内勤：自1以来的变化" in text and "条目改写" in text and "任职者签名" in text
    assert "时限变更" not in text, "the approval step's deadline is the boss's change, not the clerk's"
