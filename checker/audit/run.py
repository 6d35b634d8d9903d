"""``opsbook check --dispositions FILE --baseline PREVIOUS/findings.json``: the audit trail of one run.

``checker.cli`` calls three things: ``add_arguments`` (the flags), ``inputs``
(read both files before the log, so a mistake in them stops the run at once,
exit 2) and ``trail`` (after the rules: split the findings by the register,
compare with the baseline, compute the trend). Dispositions are matched on the
findings as the log states them, before ``--redact`` replaces ids by pseudonyms.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from checker.audit import Trail, baseline, dispositions, trend
from checker.audit.cases import CaseLog
from checker.finding import Finding
from opsbook import argtypes
from opsbook.i18n import tr


def add_arguments(p) -> None:
    p.add_argument(
        "--dispositions",
        type=argtypes.regular_file,
        metavar="FILE",
        help="the auditors' register of explained findings (dispositions.yaml): matching findings are shown as "
        "disposed with their reason, and only open violations set the exit code",
    )
    p.add_argument(
        "--baseline",
        type=argtypes.regular_file,  # /dev/zero would be read until memory runs out
        metavar="FINDINGS_JSON",
        help="the findings.json of the previous audit: every report then shows new, persisting and resolved findings",
    )


def options(args) -> dict:
    """The run's options for the report's 'what was checked': the files given, with their digests."""
    out = {}
    for name in ("dispositions", "baseline"):
        path = getattr(args, name)
        if path:
            out[name] = path
            out[f"{name}_sha256"] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return out


class Redact:
    """--redact for the audit trail: findings in their order, and the case ids of the checked cases."""

    def __init__(self, redactor, handbook, names, roster):
        self.redactor, self.handbook, self.names, self.roster = redactor, handbook, names, roster

    def __call__(self, findings: list[Finding]) -> list[Finding]:
        out, _ = self.redactor.redact(
            findings, (), handbook=self.handbook, names=self.names, roster=self.roster, keep_order=True
        )
        return out

    def case(self, case_id: str) -> str:
        return self.redactor.pseudonym("case", case_id)


@dataclass(frozen=True)
class Inputs:
    entries: tuple[dispositions.Entry, ...] | None
    source: str | None
    before: baseline.Run | None


def inputs(args) -> Inputs:
    """Read --dispositions and --baseline; DispositionsError / BaselineError (both ValueError) name the place."""
    entries = dispositions.load(args.dispositions, args.lang) if args.dispositions else None
    before = baseline.read(args.baseline, args.lang) if args.baseline else None
    return Inputs(entries, args.dispositions, before)


def trail(
    given: Inputs,
    findings: Sequence[Finding],
    cases: CaseLog,
    *,
    as_of: datetime,
    start: datetime,
    tz: ZoneInfo,
    lang: str,
    redact=None,
    rules: str | None = None,
    stream=None,
) -> tuple[Sequence[Finding], Trail]:
    """The open findings (they set the exit code) and the trail the reports show.

    ``redact(findings) -> findings`` (order kept) and ``redact.case(id)`` replace
    personal data after matching; stale and expired entries are also warned
    about on ``stream``.
    """
    stream = stream or sys.stderr
    today = as_of.astimezone(tz).date()
    applied = None
    open_ = findings
    if given.entries is not None:
        applied = dispositions.apply(findings, given.entries, today, given.source, baseline.rule_codes(rules))
        open_ = list(applied.open)
        for entry in applied.stale:
            print(tr("cli", "dispositions.stale-warning", lang, where=entry.where, match=entry.selector), file=stream)
        for entry in applied.expired:
            print(
                tr("cli", "dispositions.expired-warning", lang, where=entry.where, expires=entry.expires), file=stream
            )
    months = trend.monthly(cases.table(), open_, tz)  # counts only: computed before any redaction
    checked = cases.checked()
    if redact is not None:
        disposed = applied.disposed if applied else ()
        both = redact([*open_, *(f for f, _ in disposed)])
        open_ = sorted(both[: len(open_)], key=Finding.sort_key)
        if applied is not None:
            pairs = tuple(zip(both[len(applied.open) :], (e for _, e in disposed), strict=True))
            hide = partial(replace, shown=False)  # an entry's selector names case ids and people
            applied = dispositions.Applied(
                open_,
                tuple((f, hide(e)) for f, e in pairs),
                tuple(map(hide, applied.stale)),
                tuple(map(hide, applied.expired)),
                applied.source,
                applied.entries,
            )
        checked = {p: sorted(redact.case(c) for c in ids) for p, ids in checked.items()}
    changes = None
    if given.before is not None:
        now = baseline.Run(
            source="",
            as_of=today,
            start=start.astimezone(tz).date(),
            findings={f.key: {} for f in [*open_, *(f for f, _ in (applied.disposed if applied else ()))]},
            checked={p: set(ids) for p, ids in checked.items()},
            codes=baseline.rule_codes(rules),
        )
        if given.before.redacted != (redact is not None):
            print(tr("cli", "baseline.redaction-differs", lang, path=given.before.source), file=stream)
        changes = baseline.compare(given.before, now)
        months = trend.merged(months, given.before.trend)
    return open_, Trail(applied=applied, changes=changes, trend=tuple(months), checked_cases=checked)
