"""The Markdown tables of bench/checker.py's report: end to end, phases, against pm4py, and the issue's targets."""

from __future__ import annotations

from checker_logs import KINDS
from checker_runs import Row
from measure import PHASES, Measure

GB_4 = 4e9 / 1024 / 1024  # the 4 GB target in MiB (decimal gigabytes: 3,815 MiB)


def n(x: float) -> str:
    return f"{x:,.0f}"


def times(x: float) -> str:
    return f"{x:.1f}×"


def main_table(rows: list[Row]) -> list[str]:
    lines = [
        "| format | events | end-to-end (s) | events/s | peak RSS (MiB) | read floor (s) | read RSS (MiB) | "
        "check ÷ read | findings |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.log.fmt} | {n(r.log.events)} | {r.e2e.seconds:.2f} | {n(r.log.events / r.e2e.seconds)} | "
            f"{n(r.e2e.rss_mib)} | {r.floor.seconds:.2f} | {n(r.floor.rss_mib)} | "
            f"{times(r.e2e.seconds / r.floor.seconds)} | {n(r.report.findings)} |"
        )
    return lines


def phase_table(rows: list[Row]) -> list[str]:
    """Where the end-to-end time goes, as ``opsbook check`` itself reports it (OPSBOOK_TIMINGS=1)."""
    if not any(r.e2e.phase("read") is not None for r in rows):
        return []
    lines = [
        "| format | events | load handbook (s) | read pass (s) | case rules (s) | log rules (s) | report (s) | "
        "start-up and rest (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        values = [r.e2e.phase(p) or 0.0 for p in PHASES]
        rest = r.e2e.seconds - sum(values)
        cells = " | ".join(f"{v:.2f}" for v in values)
        lines.append(f"| {r.log.fmt} | {n(r.log.events)} | {cells} | {rest:.2f} |")
    return lines


def pm4py_tables(rows: list[Row], spec: dict) -> list[str]:
    done = [r for r in rows if r.pm4py_result]
    lines = [
        "| format | events | ours, shared rules (s) | ours RSS (MiB) | pm4py (s) | pm4py RSS (MiB) | "
        "pm4py import / read / format / check (s) | pm4py ÷ ours | ours, all rules (s) |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for r in rows:
        if r.pm4py_result and r.pm4py and r.shared:
            s = r.pm4py_result["seconds"]
            phases = f"{s['import']:.1f} / {s['read']:.1f} / {s['format']:.1f} / {s['check']:.1f}"
            lines.append(
                f"| {r.log.fmt} | {n(r.log.events)} | {r.shared.seconds:.2f} | {n(r.shared.rss_mib)} | "
                f"{r.pm4py.seconds:.2f} | {n(r.pm4py.rss_mib)} | {phases} | "
                f"**{times(r.pm4py.seconds / r.shared.seconds)}** | {r.e2e.seconds:.2f} |"
            )
        elif r.pm4py_note:
            ours = f"{r.shared.seconds:.2f}" if r.shared else "–"
            lines.append(f"| {r.log.fmt} | {n(r.log.events)} | {ours} | | pm4py {r.pm4py_note} | | | | |")
    if not done:
        return lines

    lines += [
        "",
        "Violating cases per constraint kind (a case is counted once per kind; ours are the findings of the "
        "rule on the steps in the shared set):",
        "",
        "| events | format | kind: pm4py function | ours | pm4py cases | our cases | both | pm4py only | ours only | "
        "why they differ (counted in this run) |",
        "|---:|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    by_events: dict[int, list[Row]] = {}
    for r in done:
        by_events.setdefault(r.log.events, []).append(r)
    for events, group in by_events.items():
        answers = [answer_rows(r) for r in group]
        if all(a == answers[0] for a in answers):
            labelled = [(" = ".join(r.log.fmt for r in group), answers[0])]
        else:
            labelled = [(r.log.fmt, a) for r, a in zip(group, answers, strict=True)]
        for fmt, rows_ in labelled:
            for cells in rows_:
                lines.append(f"| {n(events)} | {fmt} | " + " | ".join(cells) + " |")
    return lines


def answer_rows(r: Row) -> list[list[str]]:
    assert r.pm4py_result and r.shared_report
    res, ours_all = r.pm4py_result, r.shared_report.cases
    diag = res["diagnostics"]
    out = []
    for kind, (function, code) in KINDS.items():
        theirs, ours = set(res["violations"][kind]), ours_all[kind]
        only_p, only_o = theirs - ours, ours - theirs
        why: list[str] = []
        explained_p: set[str] = set()
        explained_o: set[str] = set()
        if kind == "existence" and only_p:
            explained_p = only_p & set(diag["existence_open"])
            why.append(f"{n(len(explained_p))} of the pm4py-only cases are open (no final step yet)")
        if kind == "precedence" and only_p:
            absent = only_p & set(diag["precedence_predecessor_absent"])
            why.append(f"{n(len(absent))} of the pm4py-only cases lack the predecessor")
            ties = only_p - absent - set(diag["precedence_first_later_by_time"])
            if ties:
                why.append(f"{n(len(ties))} are out of order by position only (equal timestamps)")
            explained_p = absent | ties
        if kind == "four_eyes" and only_o:
            pairs = only_o & set(diag["four_eyes_any_pair"])
            why.append(f"{n(len(pairs))} of the ours-only cases share a person on an event other than the last one")
            explained_o = pairs
        unexplained = len(only_p - explained_p) + len(only_o - explained_o)
        if unexplained:
            why.append(f"{n(unexplained)} not explained by these")
        out.append(
            [
                f"{kind}: `{function}`",
                code,
                n(len(theirs)),
                n(len(ours)),
                n(len(theirs & ours)),
                n(len(only_p)),
                n(len(only_o)),
                "; ".join(why) or ("same cases" if not only_p and not only_o else ""),
            ]
        )
    return out


GIB_2 = 2 * 1024  # MiB


def targets_table(rows: list[Row], heavy: bool, startup: Measure | None) -> list[str]:
    """Issue #12's targets, each as measured, met or not (at 10⁷ events, or the largest size measured)."""

    def at(fmt: str) -> tuple[Row | None, str]:
        mine = [r for r in rows if r.log.fmt == fmt]
        exact = next((r for r in mine if r.log.target == 10**7), None)
        if exact or not mine:
            return exact, ""
        return max(mine, key=lambda r: r.log.events), " (10⁷ not measured in this run)"

    def verdict(ok: bool, note: str) -> str:
        return ("met" if ok else "not met") + note

    lines = ["| target | measured | met? |", "|---|---|---|"]
    parquet, p_note = at("parquet")
    csv, c_note = at("csv")
    if heavy:
        for r, note in ((parquet, p_note), (csv, c_note)):
            if r is None:
                continue
            rate, share = r.log.events / r.e2e.seconds, r.report.findings / r.log.events
            lines.append(
                f"| findings-heavy {r.log.fmt}: ≥ 500,000 events/s and peak RSS ≤ 2 GiB | {n(rate)} events/s, "
                f"{n(r.e2e.rss_mib)} MiB at {n(r.log.events)} events, one finding in {1 / share:.1f} events | "
                f"{verdict(rate >= 5e5 and r.e2e.rss_mib <= GIB_2, note)} |"
            )
        return lines
    if parquet:
        rate = parquet.log.events / parquet.e2e.seconds
        lines.append(
            f"| ≥ 1,000,000 events/s end to end from Parquet at 10⁷ events | {n(rate)} events/s "
            f"({n(parquet.log.events)} events in {parquet.e2e.seconds:.1f} s) | {verdict(rate >= 1e6, p_note)} |"
        )
    if csv:
        ok = csv.e2e.seconds <= 15 and csv.e2e.rss_mib <= GIB_2
        lines.append(
            f"| 10⁷ events from CSV in ≤ 15 s, peak RSS ≤ 2 GiB | {csv.e2e.seconds:.1f} s, {n(csv.e2e.rss_mib)} MiB "
            f"({n(csv.log.events)} events) | {verdict(ok, c_note)} |"
        )
        ratio = csv.e2e.seconds / csv.floor.seconds
        lines.append(
            f"| check ÷ bare read ≤ 4× for CSV at 10⁷ events | {times(ratio)} | {verdict(ratio <= 4, c_note)} |"
        )
    compared = [r for r in rows if r.pm4py and r.shared]
    if compared:
        top = max(r.log.events for r in compared)
        ratios = {r.log.fmt: r.pm4py.seconds / r.shared.seconds for r in compared if r.log.events == top}
        text = ", ".join(f"{fmt}: {times(x)}" for fmt, x in ratios.items())
        note = "" if top >= 0.9e7 else " (pm4py not run at 10⁷ in this run)"
        lines.append(
            f"| ≥ 15× faster than pm4py on the shared constraint set at 10⁷ | {text} at {n(top)} events | "
            f"{verdict(min(ratios.values()) >= 15, note)} |"
        )
    else:
        lines.append("| ≥ 15× faster than pm4py on the shared constraint set at 10⁷ | pm4py not run | not measured |")
    if startup is not None:
        lines.append(
            f"| start-up: `opsbook check` on the 394-row sample in ≤ 1.0 s | {startup.seconds:.2f} s "
            f"(median of {len(startup.samples)}) | {verdict(startup.seconds <= 1.0, '')} |"
        )
    return lines
