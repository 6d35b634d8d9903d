"""What machine and software a benchmark ran on, for the line above its table (shared by the bench scripts)."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PRODUCT = ["checker", "opsbook", "simulator", "handbook", "schema", "roles", "processes", "handbook.yaml"]


def _first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def git_revision() -> str:
    """The short commit, and whether the product's files differ from it."""
    try:
        rev = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", *PRODUCT], capture_output=True, text=True
        )
    except OSError:
        return "unknown"
    return (rev.stdout.strip() or "unknown") + (
        " plus uncommitted changes to the product" if dirty.stdout.strip() else ""
    )


def machine(*packages: str) -> dict[str, str]:
    """CPUs, CPU model, RAM, OS, load average, Python, git revision and the versions of ``packages``."""
    mem = _first("/proc/meminfo", "MemTotal")
    if mem.endswith("kB"):
        mem = f"{int(mem.split()[0]) / 1024 / 1024:.1f} GiB"
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"
    info = {
        "nproc": str(nproc),
        "memory": mem,
        "cpu": _first("/proc/cpuinfo", "model name"),
        "os": f"{platform.system()} {platform.release()}",
        "load": load,
        "python": platform.python_version(),
        "git": git_revision(),
    }
    return info | {name: version(name) for name in packages}
