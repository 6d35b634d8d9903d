"""The exception register: ``dispositions.yaml`` read, validated and applied to a run's findings.

An auditor explains a finding once (an approved exception, a false positive, a
remediation) and every later run shows it as *disposed* with that reason, in its
own section, instead of among the open findings: nothing disappears without a
recorded reason (the anchors are ruff's ``noqa`` with codes and semgrep's
baselines). An entry names findings by their stable key (``Finding.key``), or
by the parts of it: code and process with a case or an obligation's member, and
optionally the step, the period and the detail.

The file is read like the handbook's files (``opsbook.yamldoc`` keeps every
node's line and column, ``opsbook.schemas`` checks ``schema/dispositions.schema.json``),
so every problem is reported as ``file:line:column: CODE message``.

Time comes from the audit, not the wall clock: an entry with ``expires`` applies
while the audit's local as-of date is on or before that day, so re-running an
audit gives the same answer next year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import unquote

from checker.finding import Finding, _part
from opsbook.problems import Problem
from opsbook.schemas import schema_problems
from opsbook.yamldoc import Document, load_yaml

KIND = "dispositions"
DISPOSITIONS = ("accepted-exception", "false-positive", "remediated")
# entry field -> Finding attribute, in the order of the key's parts
FIELDS = {
    "code": "code",
    "process": "process",
    "case": "case_id",
    "member": "scope",
    "step": "step",
    "obligation": "step",  # an obligation's id: the step part of its findings' keys
    "period": "period",
    "detail": "detail",
}


class DispositionsError(ValueError):
    """The dispositions file is unusable: every problem, each at file:line:column (exit 2)."""

    def __init__(self, problems: list[Problem], lang: str | None = None):
        super().__init__("\n".join(f"{p.file}:{p.line}:{p.column}: {p.code} {p.render(lang)}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Entry:
    """One entry of the register: which findings, and what was decided about them."""

    where: str  # "dispositions.yaml:12:5", where the entry starts
    disposition: str
    reason: str
    approved_by: str
    date: str
    expires: str | None = None
    reference: str | None = None
    key: str | None = None
    fields: tuple[tuple[str, str], ...] = ()  # (entry field, value) when not matched by key
    shown: bool = True  # False with --redact: reports name the entry by its place only, not by the case it names

    def matches(self, f: Finding) -> bool:
        if self.key is not None:
            return f.key == self.key
        return all(getattr(f, FIELDS[name]) == value for name, value in self.fields)

    @property
    def code(self) -> str:
        return dict(self.fields).get("code") or (self.key or "").split("/")[0]

    def expired(self, today: date) -> bool:
        return self.expires is not None and date.fromisoformat(self.expires) < today

    @property
    def selector(self) -> str:
        """What the entry matches, as one line: the key, or its fields."""
        if not self.shown:
            return "—"
        if self.key is not None:
            return self.key
        return " ".join(f"{name}={value}" for name, value in self.fields)

    def to_dict(self) -> dict:
        return {
            "where": self.where,
            "match": self.selector,
            "disposition": self.disposition,
            "reason": self.reason,
            "approved_by": self.approved_by,
            "date": self.date,
            "expires": self.expires,
            "reference": self.reference,
        }


@dataclass(frozen=True)
class Applied:
    """A run's findings split by the register: open ones, disposed ones (with their entry), and unused entries."""

    open: tuple[Finding, ...]
    disposed: tuple[tuple[Finding, Entry], ...] = ()
    stale: tuple[Entry, ...] = ()  # in force, matched no finding: the finding is gone or the entry is mistyped
    expired: tuple[Entry, ...] = ()  # past their expiry: their findings are open again
    source: str | None = None  # the file, as given
    entries: int = 0


def load(path: str | Path, lang: str = "zh") -> tuple[Entry, ...]:
    """Read and validate the file; raises DispositionsError with every problem found."""
    label = str(path)
    doc, problems = load_yaml(Path(path), label)
    if doc is None:
        raise DispositionsError(problems, lang)
    problems += schema_problems(doc, KIND)
    if problems:
        raise DispositionsError(sorted(set(problems)), lang)
    entries, problems = _entries(doc)
    if problems:
        raise DispositionsError(sorted(set(problems)), lang)
    return entries


def _entries(doc: Document) -> tuple[tuple[Entry, ...], list[Problem]]:
    from checker.rules import REGISTRY  # the rule codes: imported late, the registry imports every rule

    problems: list[Problem] = []
    entries: list[Entry] = []
    first: dict[tuple, int] = {}

    def problem(path: tuple, problem_code: str, msgid: str, *, at_key: bool = True, **params) -> None:
        problems.append(doc.problem(path, problem_code, msgid, key=at_key, **params))

    for i, raw in enumerate(doc.data["dispositions"]):
        at = ("dispositions", i)
        given = {name: str(raw[name]) for name in FIELDS if name in raw}
        if "key" in raw and given:
            problem(at + (next(iter(given)),), "S004", "dispositions.key-and-fields")
        elif "key" not in raw:
            for name in ("code", "process"):
                if name not in raw:
                    problem(at, "S001", "dispositions.missing", field=name)
            if "step" in raw and "obligation" in raw:
                problem(at + ("obligation",), "S004", "dispositions.step-or-obligation")
            if ("case" in raw) == ("member" in raw):
                problem(at, "S001" if "case" not in raw else "S004", "dispositions.case-or-member")
        code = given.get("code") or (raw.get("key") or "").split("/")[0]
        if (code or "key" in raw) and code not in REGISTRY:  # a missing code field is reported above
            where = at + ("key" if "key" in raw else "code",)
            problem(where, "S004", "dispositions.unknown-code", at_key=False, code=code)
        for name in ("date", "expires"):
            if name in raw and _date(raw[name]) is None:
                problem(at + (name,), "S004", "dispositions.bad-date", at_key=False, field=name, value=raw[name])
        if _date(raw.get("expires")) and _date(raw["date"]) and raw["expires"] < raw["date"]:
            problem(at + ("expires",), "S004", "dispositions.expires-before", expires=raw["expires"], date=raw["date"])
        entry = Entry(
            where="{}:{}:{}".format(doc.label, *doc.where(at)),
            disposition=raw["disposition"],
            reason=raw["reason"].strip(),
            approved_by=raw["approved_by"].strip(),
            date=raw["date"],
            expires=raw.get("expires"),
            reference=raw.get("reference"),
            key=normal_key(raw["key"]) if "key" in raw else None,
            fields=tuple(given.items()),
        )
        seen = (entry.key, tuple(sorted(entry.fields)))
        if seen in first:
            problem(at, "X006", "dispositions.duplicate", line=first[seen])
        first.setdefault(seen, doc.where(at)[0])
        entries.append(entry)
    return tuple(entries), problems


def normal_key(key: str) -> str:
    """A key as ``Finding.key`` writes it: written with or without percent-encoding (``C111////发放宣传单页``)."""
    return "/".join(_part(unquote(part)) for part in key.strip().split("/")).rstrip("/")


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def apply(
    findings: tuple[Finding, ...] | list[Finding],
    entries: tuple[Entry, ...],
    today: date,
    source: str | None = None,
    codes: frozenset[str] | None = None,
) -> Applied:
    """Mark every finding with the first entry in force that matches it; the rest stay open.

    ``today`` is the audit's local as-of date. An entry is stale when it matches no
    finding at all (an entry shadowed by an earlier one still counts as used),
    unless its rule was not run (``codes``, from ``--rules``).
    """
    in_force = [e for e in entries if not e.expired(today)]
    by_key: dict[str, list[int]] = {}
    for i, e in enumerate(in_force):
        if e.key is not None:
            by_key.setdefault(e.key, []).append(i)
    by_fields = [i for i, e in enumerate(in_force) if e.key is None]
    used: set[int] = set()
    open_: list[Finding] = []
    disposed: list[tuple[Finding, Entry]] = []
    for f in findings:
        hits = by_key.get(f.key, []) + [i for i in by_fields if in_force[i].matches(f)]
        if not hits:
            open_.append(f)
            continue
        used.update(hits)
        disposed.append((f, in_force[min(hits)]))
    return Applied(
        open=tuple(open_),
        disposed=tuple(disposed),
        stale=tuple(e for i, e in enumerate(in_force) if i not in used and (codes is None or e.code in codes)),
        expired=tuple(e for e in entries if e.expired(today)),
        source=source,
        entries=len(entries),
    )
