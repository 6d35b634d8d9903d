"""A finding: one deviation, its stable key, and its evidence. Every output format renders ``to_dict()``.

The shape is settled once for every engine and every report:

- **key** — the same across runs, machines and re-exports of the log when the
  underlying case and step are the same: built from the code, the process, the
  case id (or the obligation's scope member and period), the step and a
  rule-specific ``detail`` (the other step of a pair, the person, the event's
  instant, the start of a gap), never from row numbers or row order. Dispositions and baselines
  match on it (docs/checker-semantics.md, "Finding keys").
- **expected / actual** — a :class:`Text`: a message id of the ``report``
  catalogue and its parameters (ids, numbers, local times), rendered in the
  report's language by ``checker.texts``; never prose in code.
- **evidence** — event references and performers, sorted; engines may fill
  them only for the findings they report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import quote

VIOLATION = "violation"
WARNING = "warning"
INFO = "info"
SEVERITIES = (VIOLATION, WARNING, INFO)

Param = str | int | float | tuple | None


@dataclass(frozen=True, slots=True)
class Text:
    """A sentence for people, as data: catalogue id + named parameters (kept in the order given)."""

    id: str
    params: tuple[tuple[str, Param], ...] = ()

    def param(self, name: str) -> Param:
        return dict(self.params).get(name)

    def with_params(self, **changed: Param) -> Text:
        return Text(self.id, tuple((k, changed.get(k, v)) for k, v in self.params))

    def to_dict(self) -> dict:
        return {"id": self.id, "params": {k: list(v) if isinstance(v, tuple) else v for k, v in self.params}}


def text(msgid: str, **params: Param) -> Text:
    return Text(msgid, tuple(params.items()))


# What ``quote`` leaves alone with the safe set below (it drops the non-ASCII \u00a0 from it): a part made
# only of these is its own encoding, and most are (codes, ids), so a key costs no call of quote.
_PLAIN = re.compile(r"[A-Za-z0-9_.~ :@+()\[\]#!$&'*,;=-]*")


def _part(value: str | None) -> str:
    if not value:
        return ""
    if _PLAIN.fullmatch(value):
        return value
    return quote(value, safe=" -_.:@+()[]#~!$&'*,;=\u00a0")


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # stable rule code, e.g. "C101"
    rule: str  # rule name, e.g. "missing-step"
    severity: str  # violation | warning | info
    clause: str  # manual path of the clause it breaks, e.g. "processes/mortgage/#step-collect-docs"
    process: str | None = None
    case_id: str | None = None
    step: str | None = None  # step or obligation id
    scope: str | None = None  # obligation scope member: a person, an entity value, or "organisation"
    period: str | None = None  # obligation period, e.g. "2024-03-05", "2024-W10", "2024-03", "2024-Q1"
    detail: str | None = None  # what else tells two findings of one rule, case and step apart (see module doc)
    expected: Text | None = None
    actual: Text | None = None
    lateness_seconds: int | None = None
    event_refs: tuple[str, ...] = ()
    performers: tuple[str, ...] = ()
    # The key, once made (a report asks for it several times). Not an argument, so ``replace`` (e.g. with
    # pseudonyms for --redact) makes a finding that builds its own.
    _key: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def key(self) -> str:
        """``code/process/case-or-member/step/detail-or-period``, '/' and '%' inside parts percent-encoded."""
        if self._key is None:
            parts = (self.code, self.process, self.case_id or self.scope, self.step, self.detail or self.period)
            object.__setattr__(self, "_key", "/".join(_part(p) for p in parts).rstrip("/"))
        return self._key

    def sort_key(self) -> tuple:
        return (
            self.process or "",
            self.case_id or "",
            self.scope or "",
            self.period or "",
            self.step or "",
            self.code,
            self.event_refs,
            self.performers,
            self.detail or "",
        )

    def to_dict(self, base_url: str = "", render=None) -> dict:
        """The finding as plain data; ``render(text, finding) -> str`` gives expected/actual in words."""

        def words(value: Text | None) -> str | None:
            if value is None:
                return None
            return render(value, self) if render else value.id

        return {
            "key": self.key,
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity,
            "process": self.process,
            "case_id": self.case_id,
            "step": self.step,
            "scope": self.scope,
            "period": self.period,
            "expected": words(self.expected),
            "actual": words(self.actual),
            "lateness_seconds": self.lateness_seconds,
            "event_refs": list(self.event_refs),
            "performers": list(self.performers),
            "clause": self.clause,
            "url": base_url + self.clause,
            "texts": {
                name: value.to_dict() for name, value in (("expected", self.expected), ("actual", self.actual)) if value
            },
        }


def factory(module_globals: dict):
    """``new = factory(globals())`` in a rule module: ``new(...)`` builds its findings with its code, name, severity."""
    return partial(
        Finding, code=module_globals["CODE"], rule=module_globals["NAME"], severity=module_globals["SEVERITY"]
    )
