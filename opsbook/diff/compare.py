"""Compare two handbooks: roles here, processes in ``processes``.

Things are matched by id, the handbook's stable names. A role whose id changed
but whose title (or failing that, whose duties) stayed is a rename, not a
removal and an addition. Role items are matched by id, then leftovers by text,
so renumbering ``r3`` to ``r4`` is not a change a role holder must relearn.
"""

from __future__ import annotations

from handbook import words
from opsbook import urls
from opsbook.model import Handbook, Item, OnboardingItem, Role

from . import processes
from .changes import Change, Diff

ROLE_KINDS = ("role", "item", "onboarding")
ITEM_LISTS = ("responsibilities", "kpis", "qualifications", "authorities", "conduct")
LIST_NAMES = {"responsibilities": "岗位职责", "kpis": "考核标准", "qualifications": "任职资格",
              "authorities": "权限", "conduct": "行为规范"}  # fmt: skip


def compare(old: Handbook, new: Handbook, old_label: str = "", new_label: str = "") -> Diff:
    renamed = role_renames(old, new)
    found = [*compare_roles(old, new, renamed), *processes.compare(old, new, renamed)]
    found.sort(key=lambda c: (c.kind.split(".")[0] not in ROLE_KINDS, c.subject))  # stable: keeps page order
    titles = {r.id: r.title for r in old.roles} | {r.id: r.title for r in new.roles}
    return Diff(old_label or old.version, new_label or new.version, tuple(found), tuple(sorted(titles.items())))


def role_renames(old: Handbook, new: Handbook) -> dict[str, str]:
    """Old role id → new role id, for roles whose id changed but that are recognisably the same role."""
    gone = [r for r in old.roles if r.id not in new._roles]
    came = [r for r in new.roles if r.id not in old._roles]
    found: dict[str, str] = {}
    for same in (lambda a, b: a.title == b.title, lambda a, b: _texts(a) == _texts(b) and _texts(a)):
        for role in gone:
            match = [r for r in came if r.id not in found.values() and same(role, r)]
            if role.id not in found and len(match) == 1:
                found[role.id] = match[0].id
    return found


def _texts(role: Role) -> frozenset[str]:
    return frozenset(item.text for item in role.responsibilities)


def compare_roles(old: Handbook, new: Handbook, renamed: dict[str, str]) -> list[Change]:
    found: list[Change] = []
    back = {v: k for k, v in renamed.items()}
    for role in new.roles:
        before_id = back.get(role.id, role.id)
        if before_id not in old._roles:
            found.append(Change("role.added", role.id, role.title, None, role.title, roles=(role.id,),
                                url=urls.role(role.id)))  # fmt: skip
            continue
        found += _role(old.role(before_id), role, old, new)
    for role in old.roles:
        if role.id not in new._roles and role.id not in renamed:
            found.append(Change("role.removed", role.id, role.title, role.title, None, roles=(role.id,)))
    return found


def _role(a: Role, b: Role, old: Handbook, new: Handbook) -> list[Change]:
    def change(kind: str, before, after, item: str | None = None, where: str = b.title) -> Change:
        return Change(kind, b.id, where, before, after, item, (b.id,), urls.role(b.id, item))

    found = []
    if (a.id, a.title) != (b.id, b.title):
        found.append(change("role.renamed", f"{a.title}（{a.id}）", f"{b.title}（{b.id}）"))
    if a.department != b.department:
        found.append(change("role.department", a.department, b.department))
    if a.reports_to != b.reports_to:
        found.append(change("role.reports-to", _title(old, a.reports_to), _title(new, b.reports_to)))
    if a.purpose != b.purpose:
        found.append(change("role.purpose", a.purpose, b.purpose))
    for attr in ITEM_LISTS:
        for kind, before, after, item_id in compare_items(getattr(a, attr), getattr(b, attr)):
            where = f"{b.title} · {LIST_NAMES[attr]} {item_id}"
            found.append(change(kind, before, after, item_id, where))
    before = {o.id: o for o in a.onboarding}
    after = {o.id: o for o in b.onboarding}
    for item_id in sorted(before.keys() | after.keys()):
        x, y = before.get(item_id), after.get(item_id)
        if _onboarding(x) != _onboarding(y):
            kind = "onboarding.added" if x is None else "onboarding.removed" if y is None else "onboarding.changed"
            found.append(change(kind, _onboarding(x), _onboarding(y), item_id, f"{b.title} · 入职清单 {item_id}"))
    return found


def _title(handbook: Handbook, role_id: str | None) -> str:
    return handbook.role(role_id).title if role_id else "—"


def _onboarding(item: OnboardingItem | None) -> str | None:
    return f"{item.topic}（{words.onboarding_due(item.due_days)}）" if item else None


def compare_items(a: tuple[Item, ...], b: tuple[Item, ...]) -> list[tuple[str, str | None, str | None, str]]:
    """(kind, before, after, item id) for the items of one list; renumbered items with the same text are kept."""
    before, after = {i.id: i.text for i in a}, {i.id: i.text for i in b}
    gone = {k: v for k, v in before.items() if k not in after}
    came = {k: v for k, v in after.items() if k not in before}
    moved = set(gone.values()) & set(came.values())
    found = []
    for item_id, text in after.items():
        if item_id in before and before[item_id] != text:
            found.append(("item.reworded", before[item_id], text, item_id))
        elif item_id in came and text not in moved:
            found.append(("item.added", None, text, item_id))
    found += [("item.removed", text, None, item_id) for item_id, text in gone.items() if text not in moved]
    return found
