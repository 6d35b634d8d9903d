"""A role holder has not yet confirmed the version of their role page that applies to them; it is not due yet.

The requirement is C204's. While its due point is still ahead at the as-of
time and no confirmation counts, the report lists it as information: the
list HR works through during a confirmation campaign after a release, or
with new hires, before anything is late. It never makes the check fail
(severity info), and the same requirement becomes C204 once the due point
passes without a confirmation.

**Anti-pattern:** waiting for the audit after the limit to learn who has not
read the new release.

**Best practice:** run the check with ``--as-of`` today during the campaign
and remind the people it lists.
"""

from __future__ import annotations

from collections.abc import Iterator

from checker import attest
from checker.context import Context
from checker.finding import INFO, Finding, factory, text

CODE = "C206"
NAME = "confirmation-pending"
TITLE = {"zh": "尚未确认阅读岗位说明书（未到期）", "en": "Role page not yet confirmed (not due)"}
SEVERITY = INFO
SCOPE = "log"  # reads the confirmation events of the whole log
EXAMPLE_FAIL = (
    "2026.2 版于 2026-03-02 改写销售内勤职责，须于 03-16 前确认；03-05 审计时内勤 u1 尚未确认：列出以便提醒。"
    " / Release 2026.2 changes the clerk's role on 2026-03-02, to confirm by 03-16;"
    " at an audit on 03-05 clerk u1 has not confirmed yet: listed as a reminder."
)
EXAMPLE_PASS = (
    "内勤 u1 于 2026-03-03 确认阅读 2026.2 版：不再列出。"
    " / Clerk u1 confirms release 2026.2 on 2026-03-03: no longer listed."
)


applies = attest.applies


new = factory(globals())


def check(ctx: Context) -> Iterator[Finding]:
    for process, ob, req in attest.each(ctx):
        if not req.open or req.confirmed is not None:
            continue
        actual = text("actual.none-by", at=attest.local(ctx.as_of, ctx))
        yield attest.finding(new, ctx, process, ob, req, actual, tuple(sorted(o[1] for o in req.others)))
