"""Measuring for the benchmark scripts: each command once in a fresh child process, its wall time and peak RSS.

``measured`` runs a command under a small wrapper process whose
``getrusage(RUSAGE_CHILDREN).ru_maxrss`` is the peak resident set of that one
command; ``repeated`` runs it several times for a median (``Measure``).
``write_section`` rewrites one marked section of a Markdown page.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MIB = 1024  # ru_maxrss is in KiB on Linux

# The measuring wrapper: a fresh process per measurement, so that RUSAGE_CHILDREN (the maximum resident set
# of the waited-for descendants) is that of the one command alone. Timed around the command only.
WRAPPER = """\
import json, resource, subprocess, sys, time
result, timeout, cmd = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
start = time.perf_counter()
try:
    code, timed_out = subprocess.run(cmd, timeout=timeout or None).returncode, False
except subprocess.TimeoutExpired:
    code, timed_out = None, True
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(result, "w") as f:
    json.dump({"returncode": code, "timed_out": timed_out, "seconds": seconds, "maxrss_kb": usage.ru_maxrss}, f)
"""

# The floor: start Python, import Polars, read the whole file, nothing else.
READ_FLOOR = """\
import json, sys, time
t0 = time.perf_counter()
import polars as pl
t1 = time.perf_counter()
path, fmt = sys.argv[1], sys.argv[2]
df = pl.scan_csv(path, infer_schema=False).collect() if fmt == "csv" else pl.read_parquet(path)
t2 = time.perf_counter()
print(json.dumps({"rows": df.height, "import": t1 - t0, "read": t2 - t1}))
"""


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Sample:
    seconds: float
    maxrss_kb: int
    stdout: str = ""
    phases: dict[str, float] = field(default_factory=dict)  # opsbook check's own timings (OPSBOOK_TIMINGS)


PHASES = ("handbook", "read", "cases", "log", "report")
TIMINGS = "opsbook check timings: "


def phases(stderr: str) -> dict[str, float]:
    """The phase timings ``opsbook check`` prints with OPSBOOK_TIMINGS=1 (empty for a build without them)."""
    for line in stderr.splitlines():
        if line.startswith(TIMINGS):
            return json.loads(line.removeprefix(TIMINGS))
    return {}


@dataclass
class Measure:
    samples: list[Sample] = field(default_factory=list)
    timed_out: bool = False

    @property
    def seconds(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def rss_mib(self) -> float:
        return statistics.median(s.maxrss_kb for s in self.samples) / MIB

    def phase(self, name: str) -> float | None:
        values = [s.phases[name] for s in self.samples if name in s.phases]
        return statistics.median(values) if values else None


def measured(cmd: list[str], what: str, timeout: float | None = None) -> tuple[Sample | None, str]:
    """Run ``cmd`` once in a fresh wrapper process; the sample (None on timeout) and the command's stderr."""
    with tempfile.TemporaryDirectory(prefix="opsbook-bench-") as tmp:
        result = Path(tmp) / "result.json"
        done = subprocess.run(
            [sys.executable, "-I", "-c", WRAPPER, str(result), str(timeout or 0), *cmd],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        if not result.is_file():
            sys.exit(f"{what}: the measuring wrapper failed ({done.returncode})\n{done.stderr[-3000:]}")
        info = json.loads(result.read_text())
    if info["timed_out"]:
        return None, done.stderr
    if info["returncode"] != 0:
        sys.exit(
            f"{what} failed with exit code {info['returncode']}: {' '.join(cmd)}\n"
            f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    return Sample(info["seconds"], info["maxrss_kb"], done.stdout), done.stderr


def repeated(cmd: list[str], what: str, repeat: int, timeout: float | None = None) -> Measure:
    m = Measure()
    for i in range(repeat):
        sample, _ = measured(cmd, what, timeout)
        if sample is None:
            say(f"{what}: no result within {timeout:.0f} s")
            m.timed_out = True
            return m
        m.samples.append(sample)
        say(
            f"{what}{f' ({i + 1}/{repeat})' if repeat > 1 else ''}: {sample.seconds:.2f} s, {sample.maxrss_kb / MIB:.0f} MiB"
        )
    return m


def warm(path: Path) -> None:
    """Read the file once so that every measurement starts with it in the page cache."""
    with path.open("rb") as f:
        while f.read(16 << 20):
            pass


def write_section(out: Path, markers: tuple[str, str], intro: str, body: str) -> None:
    """Rewrite the part of ``out`` between ``markers``; append ``intro`` and the section when it has none."""
    start, end = markers
    block = f"{start}\n{body}\n{end}"
    text = out.read_text(encoding="utf-8") if out.is_file() else "# 性能基准 / Benchmarks\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = f"{head}{block}{rest.split(end, 1)[1]}"
    else:
        text = text.rstrip("\n") + f"\n\n{intro}{block}\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")


def opsbook_command() -> str:
    beside = Path(sys.executable).parent / "opsbook"
    found = str(beside) if beside.is_file() else shutil.which("opsbook")
    if not found:
        sys.exit(f"opsbook not found: run with the project's venv, .venv/bin/python bench/{Path(sys.argv[0]).name}")
    return found


def sizes(text: str) -> list[int]:
    try:
        values = sorted({int(float(x)) for x in text.split(",") if x.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of sizes: {text!r} (e.g. 1e4,1e5)") from None
    if not values or values[0] < 100:
        raise argparse.ArgumentTypeError("sizes must be at least 100 events")
    return values
