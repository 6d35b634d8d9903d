"""The scope of an audit: which processes and recurring obligations a report covers.

``--process ID,...`` keeps the findings and the rates of those processes (the
obligations of other processes included: a complaints export says nothing about
sales reports); ``--obligation ID,...`` keeps only those obligations;
``--no-obligations`` keeps none. Findings about the log as a whole (unknown
activities, unknown roles without a process) stay, since they say whether the
log could be checked at all. The rules still read every event, so a finding
never depends on the scope, only whether it is reported. Unknown ids are a
usage error with a did-you-mean.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from checker.finding import Finding
from checker.findingset import FindingTable, tabled
from checker.suggest import closest
from opsbook.i18n import tr
from opsbook.model import Handbook


class ScopeError(ValueError):
    """An unknown process or obligation id (the message names it and suggests one)."""


@dataclass(frozen=True)
class Scope:
    processes: frozenset[str] | None = None  # None: every process
    obligations: frozenset[str] | None = None  # None: every obligation of the processes in scope
    no_obligations: bool = False
    obligation_ids: frozenset[str] = frozenset()  # every obligation id of the handbook

    @classmethod
    def parse(
        cls, handbook: Handbook, processes: str | None, obligations: str | None, no_obligations: bool, lang: str
    ) -> Scope:
        known_processes = {p.id: p.title for p in handbook.processes}
        known_obligations = {o.id: o.title for p in handbook.processes for o in p.obligations}
        return cls(
            _ids(processes, known_processes, "check.unknown-process", lang),
            _ids(obligations, known_obligations, "check.unknown-obligation", lang),
            no_obligations,
            frozenset(known_obligations),
        )

    @property
    def everything(self) -> bool:
        return self.processes is None and self.obligations is None and not self.no_obligations

    def select(self, findings: Iterable[Finding]) -> FindingTable:
        """The findings this scope reports, in their order (column-wise, on the findings table)."""
        table = tabled(findings)
        return table if self.everything else table.filter(self.keeps())  # a filter copies every column

    def keeps(self) -> pl.Expr:
        """True for a finding row in scope: about the log as a whole; an obligation kept by --obligation and
        --no-obligations; otherwise a process kept by --process."""
        in_processes = pl.lit(True) if self.processes is None else pl.col("process").is_in(sorted(self.processes))
        if self.no_obligations:
            obligation = pl.lit(False)
        elif self.obligations is not None:
            obligation = pl.col("step").is_in(sorted(self.obligations))
        else:
            obligation = in_processes
        is_obligation = pl.col("step").is_in(sorted(self.obligation_ids))
        return pl.col("process").is_null() | pl.when(is_obligation).then(obligation).otherwise(in_processes)

    def to_meta(self, rules: str | None) -> dict:
        return {
            "processes": sorted(self.processes) if self.processes is not None else None,
            "obligations": sorted(self.obligations) if self.obligations is not None else None,
            "no_obligations": self.no_obligations,
            "rules": rules,
        }


def _ids(given: str | None, known: dict[str, str], message: str, lang: str) -> frozenset[str] | None:
    if given is None:
        return None
    ids = [part.strip() for part in given.split(",") if part.strip()]
    for item in ids:
        if item in known:
            continue
        hint = closest(item, [(i, i) for i in known] + [(title, i) for i, title in known.items()])
        suggestion = tr("cli", "check.did-you-mean", lang, suggestion=hint) if hint else ""
        raise ScopeError(tr("cli", message, lang, id=item, suggestion=suggestion, known=", ".join(sorted(known))))
    return frozenset(ids)
