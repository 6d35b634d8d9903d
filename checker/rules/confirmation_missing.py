"""A role holder has not confirmed the version of their role page that applies to them.

Every holder of every role (from the roster) confirms, by an event of the
confirmation obligation (activity 确认阅读岗位说明书, with the version in an
attribute), the version of their role page that applies to them: the release
that last changed the role when they start it, and each release that changes it
while they hold it. The confirmation is due within the obligation's limit after
the later of the role's start and the release date. A release that does not
change a role asks nothing of its holders (what "changes a role" is the
manual's 版本变更 page: its duties, the steps it is R/A/C/I on, its
obligations). A confirmation of an older version does not count.

When the due point has passed at the as-of time and no confirmation of the
required version (or a later one) by that person in that role exists, this is
one violation per person, role and version. A confirmation after the due point
is C205 instead.

**Anti-pattern:** release 2026.2 rewords the sales clerk's duties on 2026-03-02;
clerk u1 confirmed only 2026.1 and nothing since.

**Best practice:** after each release, send every holder of a changed role its
changes-only sheet (``opsbook pdf --changes-only``) and record their
confirmation with the version they read.
"""

from __future__ import annotations

from collections.abc import Iterator

from checker import attest
from checker.context import Context
from checker.finding import VIOLATION, Finding, factory, text

CODE = "C204"
NAME = "confirmation-missing"
TITLE = {"zh": "未确认阅读岗位说明书", "en": "Role page not confirmed"}
SEVERITY = VIOLATION
SCOPE = "log"  # reads the confirmation events of the whole log
EXAMPLE_FAIL = (
    "2026.2 版于 2026-03-02 改写销售内勤职责，须 10 个工作日内确认；截至审计时点内勤 u1 只确认过 2026.1。"
    " / Release 2026.2 rewords the clerk's duties on 2026-03-02, to confirm within 10 workdays;"
    " clerk u1 has confirmed only 2026.1."
)
EXAMPLE_PASS = (
    "2026.2 版未改动案场秘书的职责和步骤，案场秘书无需再次确认。"
    " / Release 2026.2 does not change the site secretary's role: no new confirmation is asked."
)


applies = attest.applies


new = factory(globals())


def check(ctx: Context) -> Iterator[Finding]:
    for process, ob, req in attest.each(ctx):
        if req.open or req.confirmed is not None:
            continue
        if req.others:
            versions = tuple(sorted({o[2] or "?" for o in req.others}))
            actual = text("actual.confirmed-other", versions=", ".join(versions), at=attest.local(ctx.as_of, ctx))
        else:
            actual = text("actual.none-by", at=attest.local(ctx.as_of, ctx))
        yield attest.finding(new, ctx, process, ob, req, actual, tuple(sorted(o[1] for o in req.others)))
