"""The simulated logs of bench/checker.py, and the constraint set it shares with pm4py.

``simulated`` makes (or reuses) a log with ``opsbook simulate`` in the work folder; ``constraint_set`` is what
pm4py can check of the handbook, and ``shared_steps`` the steps whose findings correspond to it.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from measure import REPO, say

EVENTS_PER_CASE = 7.4  # what the simulator produces with the shipped handbook (10,000 cases -> 73,831 events)
SEED = 1
DEVIATION_RATE = 0.05  # the simulator's default
SIM_JOBS = 2
KINDS = {  # constraint kind -> (pm4py function, our code)
    "existence": ("conformance_declare: existence", "C101"),
    "precedence": ("conformance_declare: precedence", "C103"),
    "four_eyes": ("filter_four_eyes_principle", "C107"),
    "two_person": ("filter_activity_done_different_resources", "C108"),
}


# --------------------------------------------------------------------------- logs


def cases_for(events: int) -> int:
    """Cases giving about ``events`` events, rounded to three significant digits (1e6 -> 135,000)."""
    cases = events / EVENTS_PER_CASE
    unit = 10 ** max(0, math.floor(math.log10(cases)) - 2)
    return max(1, round(cases / unit) * unit)


@dataclass
class Log:
    target: int
    fmt: str
    folder: Path
    meta: dict

    @property
    def path(self) -> Path:
        return self.folder / self.meta["files"]["log"]

    @property
    def events(self) -> int:
        return self.meta["counts"]["events"]


def reusable(folder: Path, cases: int, fmt: str, digest: str, rate: float = DEVIATION_RATE) -> dict | None:
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        same = (
            meta["cases"] == cases
            and meta["seed"] == SEED
            and meta["format"] == fmt
            and meta["deviation_rate"] == rate
            and meta["handbook"]["digest"] == digest
        )
        files = (folder / meta["files"]["log"]).is_file() and (folder / meta["files"]["roster"]).is_file()
    except (OSError, KeyError, ValueError):
        return None
    return meta if same and files else None


def simulated(work: Path, target: int, fmt: str, opsbook: str, digest: str, rate: float = DEVIATION_RATE) -> Log:
    cases = cases_for(target)
    folder = work / (f"{fmt}-{cases}c-seed{SEED}" + ("" if rate == DEVIATION_RATE else f"-rate{rate:g}"))
    meta = reusable(folder, cases, fmt, digest, rate)
    if meta:
        say(f"reusing {folder} ({meta['counts']['events']:,} events)")
        return Log(target, fmt, folder, meta)
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    say(f"generating {cases:,} cases ({fmt}) into {folder}")
    start = time.perf_counter()
    cmd = [opsbook, "simulate", "--cases", str(cases), "--seed", str(SEED), "--out", str(partial)]
    cmd += ["--format", fmt, "-q", "--jobs", str(SIM_JOBS), "--deviation-rate", str(rate)]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"opsbook simulate failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr[-3000:]}")
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    meta = reusable(folder, cases, fmt, digest, rate)
    if not meta:
        sys.exit(f"{folder}/meta.json does not describe what was asked for ({cases} cases, {fmt}, seed {SEED})")
    say(f"generated {meta['counts']['events']:,} events in {time.perf_counter() - start:.0f} s")
    return Log(target, fmt, folder, meta)


# --------------------------------------------------------------------------- the shared constraint set


def constraint_set(handbook) -> dict:
    """What pm4py can check of the handbook: existence, precedence, four eyes, two-person review."""
    processes, skipped = [], {"conditional_steps": 0, "precedence_pairs": 0, "min_performers_over_2": 0}
    for p in handbook.processes:
        if not p.steps:
            continue
        always = {s.id for s in p.steps if s.required and s.when is None}
        skipped["conditional_steps"] += sum(1 for s in p.steps if s.required and s.when is not None)
        precedence = [[a, s.id] for s in p.steps for a in s.after if a in always]
        skipped["precedence_pairs"] += sum(1 for s in p.steps for a in s.after if a not in always)
        skipped["min_performers_over_2"] += sum(1 for s in p.steps if (s.min_performers or 0) > 2)
        processes.append(
            {
                "id": p.id,
                "labels": {label: s.id for s in p.steps for label in s.activities},
                "existence": [s.id for s in p.steps if s.id in always],
                "precedence": precedence,
                "four_eyes": [[s.id, other] for s in p.steps for other in s.separate_from],
                "two_person": [s.id for s in p.steps if s.min_performers == 2],
                "final": [s.id for s in p.steps if s.final],
            }
        )
    return {"timezone": handbook.timezone, "processes": processes, "skipped": skipped}


def shared_steps(spec: dict) -> dict[str, set[tuple[str, str]]]:
    """(process, step) pairs whose findings of each code correspond to a pm4py constraint."""
    out: dict[str, set[tuple[str, str]]] = {k: set() for k in KINDS}
    for p in spec["processes"]:
        out["existence"].update((p["id"], s) for s in p["existence"])
        out["precedence"].update((p["id"], b) for _, b in p["precedence"])
        out["four_eyes"].update((p["id"], s) for s, _ in p["four_eyes"])
        out["two_person"].update((p["id"], s) for s in p["two_person"])
    return out
