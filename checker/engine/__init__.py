"""The rule engine: prepare events, build the case table, run the rules, return findings as a table.

| module | what |
|---|---|
| ``api`` | the entry points every engine calls: ``check_cases``, ``case_witnesses``, ``check_log`` with a ``Setting`` |
| ``frames`` | ``FINDINGS_SCHEMA``, findings tables ↔ ``Finding`` values |
| ``merge`` | the buckets' findings tables → the run's one table, in memory or in files |
| ``prepare`` | labels → (process, step), roles, local dates, row by row |
| ``cases`` | the case table the case rules filter |
| ``instants`` | instants and deadline limits (SPEC-checker §3) |
| ``wording`` | parts of findings' texts and keys several rules share |
"""

from __future__ import annotations

from .api import Setting, case_witnesses, check_cases, check_log, findings, prepare_events, run, run_frame
from .cases import CASE, case_steps, case_table, condition_expr, step_meta, steps_with, with_evidence
from .frames import FINDINGS_SCHEMA, to_findings, to_frame
from .instants import add_limits, localize, parse_instant
from .prepare import label_table, prepare, role_keys
from .wording import deadline_text, event_detail, local_text

__all__ = [
    "CASE",
    "FINDINGS_SCHEMA",
    "Setting",
    "add_limits",
    "case_steps",
    "case_table",
    "case_witnesses",
    "check_cases",
    "check_log",
    "condition_expr",
    "deadline_text",
    "event_detail",
    "findings",
    "label_table",
    "local_text",
    "localize",
    "parse_instant",
    "prepare",
    "prepare_events",
    "role_keys",
    "run",
    "run_frame",
    "step_meta",
    "steps_with",
    "to_findings",
    "to_frame",
    "with_evidence",
]
