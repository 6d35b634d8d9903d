"""The values a comparison produces: a ``Change`` per difference, and the ``Diff`` that holds them."""

from __future__ import annotations

from dataclasses import dataclass

# Every kind of change, in the order a reader meets them; each has a message id ``diff.kind.<kind>``.
KINDS = (
    "role.added",
    "role.removed",
    "role.renamed",
    "role.department",
    "role.reports-to",
    "role.purpose",
    "item.added",
    "item.removed",
    "item.reworded",
    "onboarding.added",
    "onboarding.removed",
    "onboarding.changed",
    "process.added",
    "process.removed",
    "process.renamed",
    "process.owner",
    "step.added",
    "step.removed",
    "step.renamed",
    "step.reordered",
    "step.deadline",
    "step.raci",
    "step.controls",
    "step.condition",
    "step.activities",
    "step.forms",
    "obligation.added",
    "obligation.removed",
    "obligation.renamed",
    "obligation.cadence",
    "obligation.responsible",
    "obligation.scope",
    "obligation.activities",
)


@dataclass(frozen=True)
class Change:
    """One difference. ``subject`` and ``item`` name it by id; ``where`` in the handbook's own words."""

    kind: str  # one of KINDS
    subject: str  # the role id (role.*, item.*, onboarding.*) or the process id
    where: str  # e.g. "置业顾问 · 岗位职责 r3" or "按揭办理 · 「收集资料」"
    before: str | None = None  # None: did not exist
    after: str | None = None  # None: no longer exists
    item: str | None = None  # item, step or obligation id
    roles: tuple[str, ...] = ()  # the roles it touches, sorted
    url: str | None = None  # opsbook.urls site path in the newer version; None when removed

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "item": self.item,
            "where": self.where,
            "before": self.before,
            "after": self.after,
            "roles": list(self.roles),
            "url": self.url,
        }


@dataclass(frozen=True)
class Diff:
    old: str  # the older version's label (release version, revision or folder)
    new: str
    changes: tuple[Change, ...]
    role_titles: tuple[tuple[str, str], ...] = ()  # role id → title, both versions (the newer wins)

    def for_role(self, role_id: str) -> tuple[Change, ...]:
        """Only what touches the role: its own page, the steps it is R/A/C/I on, its obligations."""
        return tuple(c for c in self.changes if role_id in c.roles)

    def touched_roles(self) -> tuple[str, ...]:
        return tuple(sorted({r for c in self.changes for r in c.roles}))

    def title(self, role_id: str) -> str:
        return dict(self.role_titles).get(role_id, role_id)

    def to_dict(self) -> dict:
        return {
            "old": self.old,
            "new": self.new,
            "changes": [c.to_dict() for c in self.changes],
            "roles": {r: [i for i, c in enumerate(self.changes) if r in c.roles] for r in self.touched_roles()},
        }
