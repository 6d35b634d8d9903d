"""A role holder confirmed the version of their role page that applies to them, but after it was due.

The requirement is C204's: the version that applies (the release that last
changed the role at its start, or a release that changes it while held), due
within the obligation's limit after the later of the role's start and the
release date. The first confirmation of that version (or a later one) after
the due point is one violation, with how late it was. A confirmation exactly
at the due point is on time.

**Anti-pattern:** a new sales consultant starts on 2026-04-01 and confirms the
role page on 2026-04-20, after the 10 working days allowed.

**Best practice:** confirm in the first days in the role, and within the limit
after a release that changes the role.
"""

from __future__ import annotations

from collections.abc import Iterator

from checker import attest
from checker.context import Context
from checker.finding import VIOLATION, Finding, factory, text

CODE = "C205"
NAME = "confirmation-late"
TITLE = {"zh": "逾期确认阅读岗位说明书", "en": "Role page confirmed late"}
SEVERITY = VIOLATION
SCOPE = "log"  # reads the confirmation events of the whole log
EXAMPLE_FAIL = (
    "置业顾问 u7 于 2026-04-01 上岗，须 10 个工作日内确认阅读；2026-04-20 才确认。"
    " / Consultant u7 starts on 2026-04-01, to confirm within 10 workdays; confirms on 2026-04-20."
)
EXAMPLE_PASS = (
    "置业顾问 u7 于 2026-04-01 上岗，2026-04-03 确认阅读当前版本。"
    " / Consultant u7 starts on 2026-04-01 and confirms the current version on 2026-04-03."
)


applies = attest.applies


new = factory(globals())


def check(ctx: Context) -> Iterator[Finding]:
    for process, ob, req in attest.each(ctx):
        if req.open or req.confirmed is None or req.confirmed[0] <= req.due:
            continue
        at, ref, version = req.confirmed
        actual = text("actual.confirmed-at", at=attest.local(at, ctx), version=version)
        yield attest.finding(new, ctx, process, ob, req, actual, (ref,), int((at - req.due).total_seconds()))
