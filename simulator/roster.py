"""The staff: who holds which role on which day, written as roster.csv.

Each role of the handbook gets a number of holders (more for the front line,
scaled with the number of cases). Most hold their role through the whole
period; some leave or join part-way, trainees are promoted to consultants, a
few consultants become team leaders, single-holder posts may change hands, and
some secretaries double as sales clerks (two roles at once). Every role always
has a holder, so every step can be staffed on every day.

Days are day numbers (see ``clock``); ``from``/``to`` are inclusive, as the
checker reads them. People who appear in the log but never in the roster
(``externals``, temporary staff) are for the unknown-role deviation.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from opsbook.model import Handbook

from .clock import Clock
from .names import chinese_name
from .rand import Stream

BASE = {
    "general-manager": 1,
    "sales-director": 1,
    "marketing-manager": 1,
    "deputy-sales-manager": 1,
    "sales-manager": 2,
    "project-manager": 2,
    "deputy-project-manager": 2,
    "site-supervisor": 3,
    "team-leader": 4,
    "sales-consultant": 20,
    "trainee-consultant": 6,
    "account-manager": 4,
    "sales-assistant": 4,
    "sales-clerk": 3,
    "site-secretary": 3,
    "after-sales-specialist": 4,
    "finance-officer": 3,
    "marketing-specialist": 5,
    "filing-officer": 2,
}
PROMOTIONS = {"trainee-consultant": ("sales-consultant", 0.35), "sales-consultant": ("team-leader", 0.04)}
DOUBLES = {"site-secretary": ("sales-clerk", 0.15)}


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Tenure:
    person: int
    role: str
    start: int | None  # first day, inclusive; None = before anything the log shows
    end: int | None  # last day, inclusive; None = open


class Roster:
    def __init__(self, people: list[Person], tenures: list[Tenure], externals: list[Person], first: int, last: int):
        self.people, self.tenures, self.externals = people, tenures, externals
        self.first, self.last = first, last
        self.by_person: list[list[Tenure]] = [[] for _ in people]
        self._spans: dict[tuple[int, str], list[tuple[int, int]]] = {}
        for t in tenures:
            self.by_person[t.person].append(t)
            span = (t.start if t.start is not None else -(1 << 40), t.end if t.end is not None else 1 << 40)
            self._spans.setdefault((t.person, t.role), []).append(span)
        self._holders: dict[str, list[list[int]]] = {}
        for t in tenures:
            days = self._holders.setdefault(t.role, [[] for _ in range(last - first + 1)])
            lo = max(first, t.start if t.start is not None else first)
            hi = min(last, t.end if t.end is not None else last)
            for day in range(lo, hi + 1):
                days[day - first].append(t.person)
        self._empty: list[int] = []

    def holders(self, role: str, day: int) -> list[int]:
        days = self._holders.get(role)
        return days[day - self.first] if days is not None and self.first <= day <= self.last else self._empty

    def holds(self, person: int, role: str, day: int) -> bool:
        return any(lo <= day <= hi for lo, hi in self._spans.get((person, role), ()))

    def roles_on(self, person: int, day: int) -> tuple[str, ...]:
        return tuple(
            t.role
            for t in self.by_person[person]
            if (t.start is None or t.start <= day) and (t.end is None or day <= t.end)
        )

    def former(self, day: int) -> list[int]:
        """People in the roster who hold no role on ``day`` (they left, or have not started yet)."""
        return [p for p in range(len(self.people)) if self.by_person[p] and not self.roles_on(p, day)]

    def write_csv(self, path: Path, clock: Clock) -> None:
        def text(day: int | None) -> str:
            return clock.day_text(day) if day is not None else ""

        with path.open("w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle, lineterminator="\n")
            out.writerow(("person", "name", "role", "from", "to"))
            for t in sorted(self.tenures, key=lambda t: (t.person, t.start or 0, t.role)):
                person = self.people[t.person]
                out.writerow((person.id, person.name, t.role, text(t.start), text(t.end)))


def build_roster(handbook: Handbook, rs: Stream, first: int, last: int, scale: float) -> Roster:
    """Holders for every role of ``handbook`` over days ``first``..``last``."""
    people: list[Person] = []
    tenures: list[Tenure] = []
    span = last - first

    def person() -> int:
        people.append(Person(f"E{len(people) + 1:05d}", chinese_name(rs)))
        return len(people) - 1

    def inside() -> int:
        return first + 10 + rs.below(max(span - 20, 1))

    for role in handbook.roles:
        base = BASE.get(role.id, 2)
        slots = base if base < 2 else max(base, round(base * scale))
        for slot in range(slots):
            who = person()
            since = first - 30 - rs.below(1500)
            u = rs.random()
            if slot == 0:  # always there: the role never goes unstaffed
                if base == 1 and u < 0.3:  # the post changes hands part-way
                    day = inside()
                    tenures.append(Tenure(who, role.id, since, day))
                    tenures.append(Tenure(person(), role.id, day + 1, None))
                else:
                    tenures.append(Tenure(who, role.id, since, None))
            elif u < 0.07:
                tenures.append(Tenure(who, role.id, since, inside()))
            elif u < 0.13:
                tenures.append(Tenure(who, role.id, inside(), None))
            elif role.id in PROMOTIONS and rs.chance(PROMOTIONS[role.id][1]):
                day = inside()
                tenures.append(Tenure(who, role.id, since, day))
                tenures.append(Tenure(who, PROMOTIONS[role.id][0], day + 1, None))
            else:
                tenures.append(Tenure(who, role.id, since, None))
                if role.id in DOUBLES and rs.chance(DOUBLES[role.id][1]):
                    tenures.append(Tenure(who, DOUBLES[role.id][0], since, None))
    known = {r.id for r in handbook.roles}
    tenures = [t for t in tenures if t.role in known]
    externals = [Person(f"W{9001 + i}", chinese_name(rs)) for i in range(12)]
    return Roster(people, tenures, externals, first, last)


def role_names(handbook: Handbook) -> dict[str, tuple[str, ...]]:
    """Role id → the names a log may write for it (id, title, aliases) that the checker maps back to it.

    The checker reads ids first, then titles, then aliases; a name another role
    claims earlier is left out.
    """
    owner: dict[str, str] = {}
    for group in ([(r.id, r.id) for r in handbook.roles], [(r.title, r.id) for r in handbook.roles]):
        for name, rid in group:
            owner.setdefault(name, rid)
    for r in handbook.roles:
        for alias in r.aliases:
            owner.setdefault(alias, r.id)
    return {
        r.id: tuple(n for n in dict.fromkeys((r.title, r.id, *r.aliases)) if owner.get(n) == r.id and n.strip() == n)
        for r in handbook.roles
    }
