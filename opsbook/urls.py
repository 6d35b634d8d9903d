"""Stable page paths and anchors of the manual, in one place.

Checker findings link to these, and the generator writes these anchors, so a
finding always lands on the clause it breaks. Changing one is a breaking
change: old reports would link to nothing.

| what | path |
|---|---|
| role page | roles/<role>/ |
| role item (responsibility, KPI ...) | roles/<role>/#<item-id> |
| process page | processes/<process>/ |
| step | processes/<process>/#step-<step> |
| obligation | processes/<process>/#obligation-<obligation> |
| checker rule | rules/#<code, lower case> |
"""

from __future__ import annotations


def role(role_id: str, item: str | None = None) -> str:
    return f"roles/{role_id}/" + (f"#{item}" if item else "")


def process(process_id: str) -> str:
    return f"processes/{process_id}/"


def step_anchor(step_id: str) -> str:
    return f"step-{step_id}"


def obligation_anchor(obligation_id: str) -> str:
    return f"obligation-{obligation_id}"


def step(process_id: str, step_id: str) -> str:
    return f"{process(process_id)}#{step_anchor(step_id)}"


def obligation(process_id: str, obligation_id: str) -> str:
    return f"{process(process_id)}#{obligation_anchor(obligation_id)}"


def rule(code: str) -> str:
    return f"rules/#{code.lower()}"
