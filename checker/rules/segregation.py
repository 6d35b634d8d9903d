"""One person performed two steps that must be kept apart (segregation of duties).

A step lists in ``separate_from`` the steps its performer must not also have
performed in the same case (four eyes). Every event of the step is compared
with every event of the other step, not only the last ones: each person found
in both is one violation per (case, step, other step, person), with all of that
person's events of the two steps as evidence.

**Anti-pattern:** clerk p1 drafts contract H4 and later also approves it.

**Best practice:** have a second person perform the controlling step.
"""

from __future__ import annotations

import polars as pl

from checker.context import Context
from checker.engine.emit import emitter, one, say
from checker.finding import VIOLATION
from opsbook.model import Step

CODE = "C107"
NAME = "segregation"
TITLE = {"zh": "职责分离冲突", "en": "Segregation of duties"}
SEVERITY = VIOLATION
SCOPE = "case"  # reads only the step events of whole cases: may run case bucket by case bucket
EXAMPLE_FAIL = "合同 H4 由 p1 起草，又由 p1 审批。 / Contract H4 is drafted by p1 and approved by p1 too."
EXAMPLE_PASS = "合同 H4 由 p1 起草、p2 审批。 / Contract H4 is drafted by p1 and approved by p2."

_KEY = ["process", "case_id", "performer"]


def applies(step: Step) -> bool:
    """The rule checks a step with ``separate_from``."""
    return bool(step.separate_from)


new = emitter(globals())


def check(ctx: Context) -> pl.DataFrame:
    pairs = pl.DataFrame(
        [(p.id, s.id, other) for p in ctx.handbook.processes for s in p.steps for other in s.separate_from],
        schema={"process": pl.Utf8, "step": pl.Utf8, "other": pl.Utf8},
        orient="row",
    )
    involved = pl.concat([pairs.select("process", "step"), pairs.select("process", step="other")]).unique()
    events = ctx.events.filter((pl.col("kind") == "step") & pl.col("performer").is_not_null())
    events = events.select(*_KEY, "step", "ref").join(involved, on=["process", "step"], how="semi")
    did = events.select(*_KEY, "step").unique()
    both = did.join(pairs, on=["process", "step"]).join(did.rename({"step": "other"}), on=[*_KEY, "other"])
    evidence = (
        events.join(both.rename({"step": "_step"}), on=_KEY, maintain_order="left")
        .filter((pl.col("step") == pl.col("_step")) | (pl.col("step") == pl.col("other")))
        .group_by(*_KEY, "_step", "other", maintain_order=True)
        .agg(refs=pl.col("ref"))
    )
    return new(
        ctx,
        evidence,
        step=pl.col("_step"),
        case_id=pl.col("case_id"),
        detail=pl.format("{}/{}", "other", "performer"),
        expected=say("expected.different-people", step=pl.col("_step"), other=pl.col("other")),
        actual=say("actual.same-person", performer=pl.col("performer")),
        event_refs=pl.col("refs"),
        performers=one("performer"),
    )
