"""Start-up cost of ``opsbook check``: what a run does not need, it does not import or read.

The budget (issue 12) is one second for the 394-row sample, import included; the Excel
writer (openpyxl, which pulls in numpy) and the simulator's generator (numpy) alone cost
about a quarter of a second each, so they are imported only when used; so is jsonschema,
needed only for a handbook file that is not valid at a glance (opsbook.quickschema).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_by_check(tmp_path: Path, *formats: str, before: str = "") -> dict[str, bool]:
    """Which heavy modules a check run of the sample imports (in a fresh interpreter), and its exit code."""
    code = (
        "import json, sys\n"
        f"{before}"
        "from opsbook.cli import main\n"
        f"code = main(['check', 'examples/sample-log.csv', '--mapping', 'examples/mapping.yaml', "
        f"'--roster', 'examples/roster.csv', '--out', {str(tmp_path / 'out')!r}, '-q', '--fail-on', 'never', "
        f"'--format', {','.join(formats)!r}])\n"
        "print(json.dumps({'code': code, **{m: m in sys.modules for m in ('openpyxl', 'numpy', 'jsonschema')}}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_json_report_on_a_valid_handbook_imports_neither_the_excel_writer_nor_numpy_nor_jsonschema(tmp_path):
    found = imported_by_check(tmp_path, "json")
    assert found == {"code": 0, "openpyxl": False, "numpy": False, "jsonschema": False}
    assert (tmp_path / "out" / "findings.json").is_file()


def test_an_excel_report_still_gets_its_writer(tmp_path):
    assert imported_by_check(tmp_path, "json", "xlsx")["openpyxl"] is True
    assert (tmp_path / "out" / "findings.xlsx").is_file()


def test_the_sample_ends_before_the_releases_so_no_release_is_read_from_git(tmp_path):
    refuse = (
        "import opsbook.releases\n"
        "def refused(*args, **kwargs):\n"
        "    raise SystemExit('a release was read from git')\n"
        "opsbook.releases.checkout = refused\n"
    )
    assert imported_by_check(tmp_path, "json", before=refuse)["code"] == 0
