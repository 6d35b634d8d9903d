"""A ``check`` stopped by SIGTERM or Ctrl-C leaves none of its raw events on disk.

The spilled slots and the UTF-8 copy of a GB18030 log hold case ids,
performers and phone columns; they live in one private folder (0700) that the
command removes on the way out. The command is stopped once that folder holds
spilled files, through the real command line.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from opsbook.safepath import MARKER

from .helpers import make_handbook

ACTIVITIES = ("起草合同", "审批合同", "通知交房")


def big_log(path: Path, cases: int) -> None:
    """A GB18030 log (so it is transcoded) with a phone column, large enough to spill with tiny buckets."""
    lines = ["case_id,activity,timestamp,performer,role,phone"]
    for n in range(cases):
        for i, activity in enumerate(ACTIVITIES):
            lines.append(f"C{n:07d},{activity},2026-03-{2 + i:02d} 09:00,p{n % 97},clerk,1380013{n % 10000:04d}")
    path.write_bytes(("\n".join(lines) + "\n").encode("gb18030"))


def spilled(spill: Path) -> bool:
    return any(p.suffix == ".parquet" for p in spill.rglob("*"))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_check_leaves_no_spilled_events(tmp_path, signum):
    root = make_handbook(tmp_path)
    log = tmp_path / "log.csv"
    big_log(log, 200_000)
    spill = tmp_path / "spill"
    spill.mkdir()
    args = ["check", "--handbook", str(root), str(log), "-q", "--bucket-events", "1000", "--spill-dir", str(spill)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "opsbook", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 120
        while not spilled(spill) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "the check ended before it spilled: make the log bigger"
        private = [p for p in spill.iterdir()]
        assert len(private) == 1 and (private[0].stat().st_mode & 0o777) == 0o700
        assert any(p.name.startswith("opsbook-utf8-") for p in private[0].iterdir())  # the transcoded copy
        os.kill(proc.pid, signum)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert list(spill.iterdir()) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_simulate_leaves_no_half_written_log(tmp_path, signum):
    root = make_handbook(tmp_path)
    out = tmp_path / "sim"
    args = ["simulate", "--handbook", str(root), "--cases", "2000000", "--jobs", "1", "--chunk-size", "2000"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "opsbook", *args, "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        log = out / "events.csv"
        while not (log.exists() and log.stat().st_size > 100_000) and proc.poll() is None:
            assert time.monotonic() < deadline, "no events were written"
            time.sleep(0.05)
        assert proc.poll() is None, "the run ended before it was stopped: give it more cases"
        os.kill(proc.pid, signum)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert [p.name for p in out.iterdir()] == [MARKER]  # the folder stays ours, empty of half-written files
