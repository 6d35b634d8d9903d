"""The ground truth covers every kind of finding, and meta.json accounts for the log."""

from __future__ import annotations

import csv
import json

from .conftest import checked, expected, run_simulation

ALL_CODES = {f"C1{n:02d}" for n in range(1, 12)} | {"C201", "C202", "C203"}


def test_every_code_appears_at_rate_0_2(tmp_path):
    meta = run_simulation(tmp_path, 4_000, rate=0.2, seed=2)
    lines = [json.loads(line) for line in (tmp_path / "ground-truth.jsonl").read_text("utf-8").splitlines()]
    assert {f["code"] for f in lines} == ALL_CODES
    assert meta["counts"]["findings"] == {c: sum(f["code"] == c for f in lines) for c in ALL_CODES}
    assert meta["counts"]["spontaneous"] == {}


def test_meta_accounts_for_every_row(tmp_path):
    meta = run_simulation(tmp_path, 500, seed=4)
    with (tmp_path / "events.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    counts = meta["counts"]
    assert len(rows) == counts["events"] == counts["case_events"] + counts["obligation_events"]
    assert sum(counts["cases_by_process"].values()) == 500
    assert len({r["case_id"] for r in rows if r["case_id"]}) == 500
    assert 0 < counts["open_cases"] < 500
    assert min(r["timestamp"][:10].replace("/", "-") for r in rows) >= meta["start"]


def test_roster_has_role_changes_and_the_log_uses_it(tmp_path):
    run_simulation(tmp_path, 2_000, seed=6)
    with (tmp_path / "roster.csv").open(encoding="utf-8") as handle:
        roster = list(csv.DictReader(handle))
    people = {}
    for row in roster:
        people.setdefault(row["person"], []).append(row)
    assert any(len({r["role"] for r in rows}) > 1 for rows in people.values()), "someone changes role"
    assert any(r["to"] for r in roster), "someone leaves"
    with (tmp_path / "events.csv").open(encoding="utf-8") as handle:
        performers = {r["performer"] for r in csv.DictReader(handle)}
    assert performers - set(people) <= {p for p in performers if p.startswith("W")}, "only temporary staff are unlisted"


def test_customer_tiers_change_and_upgraded_key_customers_are_watched_from_the_upgrade(tmp_path):
    sim = tmp_path / "sim"
    meta = run_simulation(sim, 3_000, rate=1.0, seed=1)  # every case deviates: visit gaps of upgraded customers
    changes = meta["counts"]["tier_changes"]
    assert changes.get("upgrade", 0) > 0 and changes.get("downgrade", 0) > 0
    with (sim / "events.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    first_tier = {}
    for r in rows:
        if r["case_id"]:
            first_tier.setdefault(r["case_id"], r["customer_tier"])
    lines = [json.loads(line) for line in (sim / "ground-truth.jsonl").read_text("utf-8").splitlines()]
    upgraded = [
        f for f in lines if f["step"] == "key-customer-visit" and first_tier.get(f["scope"], "重点客户") != "重点客户"
    ]
    assert upgraded, "a customer first seen as another tier and later as a key one has a visit gap"
    opening = rows[int(upgraded[0]["event_refs"][0].rsplit(":", 1)[1]) - 1]
    assert (opening["customer_id"], opening["customer_tier"]) == (upgraded[0]["scope"], "重点客户")
    got, _ = checked(sim, tmp_path / "report")
    assert got == expected(sim), "the checker agrees with the ground truth, upgraded customers included"
