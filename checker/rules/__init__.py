"""The checks, one module each, in code order.

Every module has a docstring (its page in the manual's rule catalogue), ``CODE``,
``NAME``, ``TITLE`` {zh, en}, ``SEVERITY``, ``EXAMPLE_FAIL``, ``EXAMPLE_PASS``,
``SCOPE`` ("case" or "log", see checker.engine.api) and ``check(ctx)`` returning
its findings as a table (``checker.engine.frames.FINDINGS_SCHEMA``), built from
the failing rows by ``checker.engine.emit``: no Python object per finding.
A rule that applies to particular steps or obligations says which with
``applies(step_or_obligation)``, read by the manual (handbook/checks.py) to
list the checks each step gets; the others (C106, C111) apply to every event.
Codes never change meaning and are never reused.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    confirmation_late,
    confirmation_missing,
    confirmation_pending,
    deadline,
    interval_exceeded,
    missing_step,
    obligation_late,
    obligation_missed,
    order,
    overdue_step,
    segregation,
    too_few,
    too_many,
    two_person,
    unauthorised_role,
    unknown_activity,
    unknown_role,
)

REGISTRY: dict[str, ModuleType] = {
    "C101": missing_step,
    "C102": overdue_step,
    "C103": order,
    "C104": deadline,
    "C105": unauthorised_role,
    "C106": unknown_role,
    "C107": segregation,
    "C108": two_person,
    "C109": too_many,
    "C110": too_few,
    "C111": unknown_activity,
    "C201": obligation_missed,
    "C202": obligation_late,
    "C203": interval_exceeded,
    "C204": confirmation_missing,
    "C205": confirmation_late,
    "C206": confirmation_pending,
}
SCOPES = ("case", "log")


def codes_of(scope: str) -> set[str]:
    """The codes of the rules with this ``SCOPE`` (see checker.pipeline)."""
    return {code for code, rule in REGISTRY.items() if scope == rule.SCOPE}


def general() -> tuple[str, ...]:
    """The codes of the rules that apply to every event rather than to a step's or obligation's fields."""
    return tuple(code for code, rule in REGISTRY.items() if not hasattr(rule, "applies"))


def applies(code: str, thing) -> bool:
    """Whether rule ``code`` checks this step or obligation (``applies`` of its module)."""
    rule = REGISTRY[code]
    return hasattr(rule, "applies") and rule.applies(thing)
