"""Check a simulated log against the handbook's shared constraint set with pm4py (benchmark only).

Runs in its own virtualenv, bench/.venv-pm4py (see bench/setup-pm4py): pm4py is AGPL and is never a
dependency of opsbook, and this script imports nothing from opsbook. bench/checker.py writes the constraint
set (derived from the handbook's processes) as JSON and starts this script as a child process:

    bench/.venv-pm4py/bin/python bench/pm4py_run.py LOG --format csv|parquet --constraints FILE --result FILE

The log is read with pandas and formatted for pm4py (case:concept:name = process + case_id, concept:name =
the step the activity label records, time:timestamp, org:resource = performer). Then, process by process:

- DECLARE conformance (``pm4py.conformance_declare``) of a hand-built model with ``existence`` of every
  required, unconditional step and ``precedence`` (predecessor, step) for every ``after`` whose predecessor
  is itself required and unconditional;
- four eyes (``pm4py.filter_four_eyes_principle``, keep_violations=True) for every ``separate_from`` pair;
- two-person review (``pm4py.filter_activity_done_different_resources``) for every step with
  ``min_performers: 2``: the cases where the step occurs but not by different resources.

The result file holds the timings of each phase (import, read, format, check), the violating cases per
constraint kind, and diagnostics computed after the timed part, which bench/checker.py uses to explain
where the answers differ from opsbook's.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

_T0 = time.perf_counter()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pm4py  # noqa: E402

SEP = "\t"  # between process id and case id in a pm4py case key
CASE, ACT, TS, RES = "case:concept:name", "concept:name", "time:timestamp", "org:resource"
RULE = {"support": 1.0, "confidence": 1.0}


def timestamps(text: pd.Series, tz: str) -> pd.Series:
    """Mixed ISO 8601 (with or without offset) and local forms such as 2026/3/2 10:52:34, as UTC instants.

    Without an offset a time is local in the handbook's time zone; unreadable ones become NaT (pm4py drops them).
    """
    aware = text.str.contains(r"(?:[+-]\d\d:?\d\d|Z)$", na=False)
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us, UTC]")
    for mask, local in ((aware, False), (~aware & text.notna(), True)):
        part = text[mask]
        parsed = pd.to_datetime(part, format="ISO8601", errors="coerce", utc=not local)
        retry = parsed.isna()
        if retry.any():
            again = pd.to_datetime(part[retry], format="mixed", errors="coerce", utc=not local)
            parsed[retry] = again
        if local:
            parsed = parsed.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT").dt.tz_convert("UTC")
        out[mask] = parsed.dt.as_unit("us")
    return out


def read(path: str, fmt: str, labels: dict[str, tuple[str, str]], tz: str) -> tuple[dict[str, pd.DataFrame], int]:
    """The log's step events, one frame per process with pm4py's column names, and the number of rows read."""
    columns = ["case_id", "activity", "timestamp", "performer"]
    if fmt == "csv":
        df = pd.read_csv(path, usecols=columns, dtype=str, keep_default_na=False, na_values=[""])
        df["timestamp"] = timestamps(df["timestamp"], tz)
    else:
        df = pd.read_parquet(path, columns=columns)
        if not pd.api.types.is_datetime64_any_dtype(df["timestamp"]):
            df["timestamp"] = timestamps(df["timestamp"].astype("string"), tz)
    rows = len(df)
    # Activity label -> (process, step): events of recurring obligations and unknown labels are dropped.
    df["process"] = df["activity"].map({label: p for label, (p, _) in labels.items()})
    df["step"] = df["activity"].map({label: s for label, (_, s) in labels.items()})
    df = df[df["process"].notna() & df["case_id"].notna()]
    frames = {}
    for process, part in df.groupby("process", sort=True):
        frames[process] = pd.DataFrame(
            {
                CASE: (process + SEP + part["case_id"]).to_numpy(),
                ACT: part["step"].to_numpy(),
                TS: part["timestamp"].to_numpy(),
                RES: part["performer"].to_numpy(),
            }
        )
    return frames, rows


def check(logs: dict[str, pd.DataFrame], processes: list[dict]) -> dict[str, set[str]]:
    """Violating case keys per constraint kind, using pm4py's own functions only."""
    found: dict[str, set[str]] = {"existence": set(), "precedence": set(), "four_eyes": set(), "two_person": set()}
    for p in processes:
        sub = logs.get(p["id"])
        if sub is None or sub.empty:
            continue
        model: dict[str, dict] = {}
        if p["existence"]:
            model["existence"] = {step: dict(RULE) for step in p["existence"]}
        if p["precedence"]:
            model["precedence"] = {(a, b): dict(RULE) for a, b in p["precedence"]}
        if model:
            result = pm4py.conformance_declare(sub, model)
            # One entry per case, in the order of pm4py's projection: the sorted distinct case ids.
            cases = np.unique(sub[CASE].to_numpy())
            if len(cases) != len(result):
                sys.exit(f"pm4py returned {len(result)} traces for {len(cases)} cases of {p['id']}")
            for case, entry in zip(cases, result, strict=True):
                for kind, _ in entry["deviations"]:
                    found[kind].add(case)
        for step, other in p["four_eyes"]:
            bad = pm4py.filter_four_eyes_principle(sub, step, other, keep_violations=True)
            found["four_eyes"].update(bad[CASE].unique())
        for step in p["two_person"]:
            with_step = set(sub.loc[sub[ACT] == step, CASE].unique())
            ok = pm4py.filter_activity_done_different_resources(sub, step, keep_violations=True)
            found["two_person"].update(with_step - set(ok[CASE].unique()))
    return found


def diagnose(logs: dict[str, pd.DataFrame], processes: list[dict], found: dict[str, set[str]]) -> dict[str, list]:
    """Untimed: which violations are in open cases, lack the predecessor; four-eyes over every pair of events."""
    log = pd.concat(logs.values()) if logs else pd.DataFrame(columns=[CASE, ACT, TS, RES])
    present = log.groupby([CASE, ACT], observed=True)[TS].min()
    first = present.to_dict()
    steps_in = {case: set(acts) for case, acts in log.groupby(CASE, observed=True)[ACT].unique().items()}
    finals = {p["id"]: set(p["final"]) for p in processes}
    pairs = {p["id"]: p["precedence"] for p in processes}
    open_cases = [c for c in found["existence"] if not (steps_in[c] & finals[c.split(SEP, 1)[0]])]
    absent, ts_order = [], []
    for case in found["precedence"]:
        have = steps_in[case]
        for a, b in pairs[case.split(SEP, 1)[0]]:
            if b in have and a not in have:
                absent.append(case)
                break
        for a, b in pairs[case.split(SEP, 1)[0]]:
            if a in have and b in have and first[(case, a)] > first[(case, b)]:
                ts_order.append(case)
                break
    any_pair = set()
    for p in processes:
        sub = logs.get(p["id"])
        for step, other in p["four_eyes"] if sub is not None else ():
            a = sub.loc[sub[ACT] == step, [CASE, RES]].dropna()
            b = sub.loc[sub[ACT] == other, [CASE, RES]].dropna()
            any_pair.update(a.merge(b, on=[CASE, RES])[CASE].unique())
    return {
        "four_eyes_any_pair": sorted(any_pair),
        "existence_open": sorted(open_cases),
        "precedence_predecessor_absent": sorted(set(absent)),
        "precedence_first_later_by_time": sorted(set(ts_order)),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("log")
    ap.add_argument("--format", choices=("csv", "parquet"), required=True)
    ap.add_argument("--constraints", required=True, help="JSON written by bench/checker.py")
    ap.add_argument("--result", required=True, help="JSON file to write")
    args = ap.parse_args()
    imported = time.perf_counter()
    with open(args.constraints, encoding="utf-8") as f:
        spec = json.load(f)
    processes = spec["processes"]
    labels = {label: (p["id"], step) for p in processes for label, step in p["labels"].items()}

    t0 = time.perf_counter()
    raw, rows = read(args.log, args.format, labels, spec["timezone"])
    t1 = time.perf_counter()
    logs = {p: pm4py.format_dataframe(df, case_id=CASE, activity_key=ACT, timestamp_key=TS) for p, df in raw.items()}
    t2 = time.perf_counter()
    found = check(logs, processes)
    t3 = time.perf_counter()
    diagnostics = diagnose(logs, processes, found)

    result = {
        "pm4py": pm4py.__version__,
        "pandas": pd.__version__,
        "python": sys.version.split()[0],
        "rows_read": rows,
        "events_used": sum(len(df) for df in logs.values()),
        "cases": sum(int(df[CASE].nunique()) for df in logs.values()),
        "seconds": {"import": imported - _T0, "read": t1 - t0, "format": t2 - t1, "check": t3 - t2},
        "violations": {kind: sorted(cases) for kind, cases in found.items()},
        "diagnostics": diagnostics,
        "separator": SEP,
    }
    with open(args.result, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
