"""The typed, immutable policy model shared by the manual generator and the checker.

Objects are built only from documents that passed validation, so constructors
trust their input. Tuples everywhere keep the objects hashable and read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from .durations import Duration


@dataclass(frozen=True, slots=True)
class Source:
    doc: str
    section: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """A linkable entry of a role: responsibility, KPI, qualification, authority, conduct rule."""

    id: str
    text: str
    source: Source | None = None
    assumption: str | None = None


@dataclass(frozen=True, slots=True)
class OnboardingItem:
    id: str
    topic: str
    due_days: int
    source: Source | None = None
    assumption: str | None = None


@dataclass(frozen=True, slots=True)
class ReportingLine:
    """Where a reporting line comes from: sourced, assumed by the editors, or disputed between sources.

    The org chart draws an assumed or disputed line dashed, with its note, so a
    reader never mistakes an editorial choice for a fact of the sources.
    """

    role: str
    source: Source | None = None
    assumption: str | None = None
    disputed: str | None = None

    @property
    def uncertain(self) -> bool:
        return bool(self.assumption or self.disputed)


@dataclass(frozen=True, slots=True)
class Headcount:
    """Planned number of posts (编制) of a role, with its provenance."""

    count: int
    note: str | None = None
    source: Source | None = None
    assumption: str | None = None


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    title: str
    department: str
    purpose: str
    responsibilities: tuple[Item, ...]
    title_en: str | None = None
    aliases: tuple[str, ...] = ()
    reports_to: str | None = None
    kpis: tuple[Item, ...] = ()
    qualifications: tuple[Item, ...] = ()
    authorities: tuple[Item, ...] = ()
    conduct: tuple[Item, ...] = ()
    onboarding: tuple[OnboardingItem, ...] = ()
    sources: tuple[Source, ...] = ()
    file: str = ""
    reporting: ReportingLine | None = None  # reports_to with its provenance; reports_to is its role
    headcount: Headcount | None = None


@dataclass(frozen=True, slots=True)
class Anchor:
    """What a deadline is measured from."""

    kind: Literal["case_start", "step", "attribute"]
    ref: str | None = None  # step id or attribute name


@dataclass(frozen=True, slots=True)
class Deadline:
    """'within D from X' (limit = X + D) or 'at least D before X' (limit = X - D)."""

    kind: Literal["within", "before"]
    duration: Duration
    anchor: Anchor
    source: Source | None = None
    assumption: str | None = None

    @property
    def sign(self) -> int:
        return 1 if self.kind == "within" else -1


@dataclass(frozen=True, slots=True)
class Condition:
    """True when the case attribute's value is one of ``values``."""

    attribute: str
    values: tuple[str | int | float | bool, ...]


@dataclass(frozen=True, slots=True)
class Raci:
    responsible: tuple[str, ...]
    accountable: str | None = None
    consulted: tuple[str, ...] = ()
    informed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    title: str
    activities: tuple[str, ...]
    raci: Raci
    description: str | None = None
    after: tuple[str, ...] = ()
    deadline: Deadline | None = None
    when: Condition | None = None
    optional: bool = False
    final: bool = False
    separate_from: tuple[str, ...] = ()
    min_performers: int | None = None
    min_count: int | None = None
    max_count: int | None = None
    forms: tuple[str, ...] = ()
    source: Source | None = None
    assumption: str | None = None

    @property
    def required(self) -> bool:
        """Required in every case where its condition (if any) holds."""
        return not self.optional


@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    type: Literal["string", "number", "date", "datetime"]
    description: str
    values: tuple[str | int | float, ...] = ()


@dataclass(frozen=True, slots=True)
class Cadence:
    """Calendar cadence (``every`` with a due point) or interval cadence (``interval``).

    Daily cadences have one period per day of a calendar: ``every: workday`` is
    ``every: day`` on the public working-day calendar; ``every: day`` takes
    ``calendar`` (default ``all``, every calendar day; ``office``, the
    organisation's opening days).
    """

    every: Literal["day", "workday", "week", "month", "quarter", "year"] | None = None
    due_day: int | None = None
    due_weekday: int | None = None
    due_time: str | None = None  # "HH:MM"; None means end of the due day
    interval: Duration | None = None
    confirm_within: Duration | None = None  # confirmation of the role page (scope every-role)
    confirm_version: str | None = None  # the event attribute naming the version confirmed
    calendar: Literal["all", "public", "office"] | None = None

    @property
    def daily(self) -> bool:
        return self.every in ("day", "workday")

    @property
    def day_calendar(self) -> Literal["all", "public", "office"] | None:
        """Which days are periods of a daily cadence; None for the others."""
        if self.every == "workday":
            return "public"
        if self.every == "day":
            return self.calendar or "all"
        return None

    @property
    def kind(self) -> Literal["calendar", "interval", "confirm"]:
        if self.confirm_within is not None:
            return "confirm"
        return "calendar" if self.interval is None else "interval"


@dataclass(frozen=True, slots=True)
class Scope:
    kind: Literal["organisation", "every-role", "role", "entity"]
    role: str | None = None
    entity: str | None = None
    when: Condition | None = None


@dataclass(frozen=True, slots=True)
class Obligation:
    id: str
    title: str
    activities: tuple[str, ...]
    responsible: tuple[str, ...]
    scope: Scope
    cadence: Cadence
    description: str | None = None
    forms: tuple[str, ...] = ()
    source: Source | None = None
    assumption: str | None = None


@dataclass(frozen=True, slots=True)
class Process:
    id: str
    title: str
    owner: str
    purpose: str
    title_en: str | None = None
    trigger: str | None = None
    case_description: str | None = None
    case_id_label: str | None = None
    attributes: tuple[Attribute, ...] = ()
    steps: tuple[Step, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    sources: tuple[Source, ...] = ()
    file: str = ""

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    id: str
    term: str
    definition: str
    term_en: str | None = None
    aliases: tuple[str, ...] = ()
    source: Source | None = None
    see_also: tuple[str, ...] = ()
    assumption: str | None = None


@dataclass(frozen=True, slots=True)
class Form:
    id: str
    title: str
    purpose: str
    title_en: str | None = None
    fields: tuple[str, ...] = ()
    keeper: str | None = None
    source: Source | None = None
    assumption: str | None = None


@dataclass(frozen=True, slots=True)
class SourcePart:
    """A part of a source document, and whether (and why) the handbook uses it."""

    part: str
    used: bool
    reason: str


@dataclass(frozen=True, slots=True)
class SourceDoc:
    id: str
    title: str
    file: str | None = None
    description: str | None = None
    scope: tuple[SourcePart, ...] = ()


@dataclass(frozen=True, slots=True)
class OfficeCalendar:
    """The organisation's own opening days: listed weekdays (1 = Monday), then dated exceptions."""

    weekdays: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)
    exceptions: tuple[tuple[date, bool, str | None], ...] = ()
    source: Source | None = None
    assumption: str | None = None

    def is_open(self, day: date) -> bool:
        for when, is_open, _note in self.exceptions:
            if when == day:
                return is_open
        return day.isoweekday() in self.weekdays


@dataclass(frozen=True, slots=True)
class Release:
    """A published version of the handbook (``releases:`` in handbook.yaml).

    Its content is the policy files at ``commit``; without one, the working tree
    itself (only the newest release may say so). Commits, not tags: tags do not
    survive every way the repository is copied.
    """

    version: str
    date: str  # YYYY-MM-DD, the day it takes effect
    summary: str  # short Chinese release note
    commit: str | None = None


@dataclass(frozen=True, slots=True)
class Handbook:
    """Everything the YAML says, validated and cross-checked."""

    organisation: str
    version: str
    timezone: str
    roles: tuple[Role, ...]
    processes: tuple[Process, ...]
    organisation_en: str | None = None
    description: str | None = None
    calendar_overrides: tuple[tuple[str, bool, str | None], ...] = ()
    sources: tuple[SourceDoc, ...] = ()
    glossary: tuple[GlossaryTerm, ...] = ()
    forms: tuple[Form, ...] = ()
    office: OfficeCalendar = OfficeCalendar()  # every day open unless handbook.yaml says otherwise
    digest: str = ""  # SHA-256 over the policy files, recorded in every report
    revision: str | None = None  # git revision of the policy files, when known
    manual_url: str | None = None  # the published manual, where checker reports link (handbook.yaml manual_url)
    releases: tuple[Release, ...] = ()  # oldest first, as listed in handbook.yaml
    _roles: dict = field(default_factory=dict, repr=False, compare=False)
    _processes: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        self._roles.update((r.id, r) for r in self.roles)
        self._processes.update((p.id, p) for p in self.processes)

    def role(self, role_id: str) -> Role:
        return self._roles[role_id]

    def process(self, process_id: str) -> Process:
        return self._processes[process_id]

    def form(self, form_id: str) -> Form:
        return next(f for f in self.forms if f.id == form_id)

    def direct_reports(self, role_id: str) -> tuple[Role, ...]:
        return tuple(r for r in self.roles if r.reports_to == role_id)

    def activity_index(self) -> dict[str, tuple[Process, Step | Obligation]]:
        """Activity label → the one step or obligation it records."""
        index = {}
        for process in self.processes:
            for thing in (*process.steps, *process.obligations):
                for label in thing.activities:
                    index[label] = (process, thing)
        return index
