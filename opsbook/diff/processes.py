"""Compare the processes of two handbooks: steps, their order, deadlines, RACI and controls; obligations.

A change to a step touches every role that is R, A, C or I on it, before or
after; a change of RACI touches only the roles whose letters changed. A change
to an obligation touches the roles that carry it out or that it applies to.
Values are described in the handbook's words (``handbook.words``), as the
manual shows them.
"""

from __future__ import annotations

import dataclasses

from handbook import words
from opsbook import urls
from opsbook.model import Handbook, Obligation, Process, Step

from .changes import Change

RACI = ("R", "A", "C", "I")


def compare(old: Handbook, new: Handbook, renamed: dict[str, str]) -> list[Change]:
    found: list[Change] = []
    for process in new.processes:
        if process.id not in old._processes:
            roles = _process_roles(process, renamed)
            found.append(Change("process.added", process.id, process.title, None, process.title, roles=roles,
                                url=urls.process(process.id)))  # fmt: skip
            found += [_whole("step.added", process, s, None, s, renamed) for s in process.steps]
            found += [_duty("obligation.added", new, process, None, o, renamed) for o in process.obligations]
        else:
            found += _process(old.process(process.id), process, old, new, renamed)
    for process in old.processes:
        if process.id not in new._processes:
            found.append(Change("process.removed", process.id, process.title, process.title, None,
                                roles=_process_roles(process, renamed)))  # fmt: skip
    return found


def _new_id(role_id: str | None, renamed: dict[str, str]) -> str | None:
    return renamed.get(role_id, role_id) if role_id else None


def _letters(step: Step, renamed: dict[str, str]) -> dict[str, tuple[str, ...]]:
    raci = step.raci
    ids = (raci.responsible, (raci.accountable,) if raci.accountable else (), raci.consulted, raci.informed)
    return {letter: tuple(_new_id(r, renamed) for r in group) for letter, group in zip(RACI, ids, strict=True)}


def _step_roles(step: Step | None, renamed: dict[str, str]) -> set[str]:
    return {r for group in _letters(step, renamed).values() for r in group} if step else set()


def _duty_roles(duty: Obligation | None, renamed: dict[str, str]) -> set[str]:
    if duty is None:
        return set()
    found = {_new_id(r, renamed) for r in duty.responsible}
    return found | ({_new_id(duty.scope.role, renamed)} if duty.scope.role else set())


def _holders(handbook: Handbook, *duties: Obligation | None) -> set[str]:
    """Every role, when one of ``duties`` applies to each role holder (scope every-role): it is on every role page."""
    return {r.id for r in handbook.roles} if any(d and d.scope.kind == "every-role" for d in duties) else set()


def _process_roles(process: Process, renamed: dict[str, str]) -> tuple[str, ...]:
    found = {_new_id(process.owner, renamed)}
    for step in process.steps:
        found |= _step_roles(step, renamed)
    for duty in process.obligations:
        found |= _duty_roles(duty, renamed)
    return tuple(sorted(found))


def _where(process: Process, title: str) -> str:
    return f"{process.title} · {words.quoted(title)}"


def _whole(kind: str, process: Process, a: Step | None, b: Step | None, renamed: dict[str, str]) -> Change:
    """A step added or removed: its title and summary as the before or after."""
    step = b or a
    text = words.quoted(step.title) + (f"（{words.step_summary(process, step)}）" if step.deadline or step.when else "")
    url = urls.step(process.id, step.id) if b else None
    roles = tuple(sorted(_step_roles(a, renamed) | _step_roles(b, renamed)))
    return Change(kind, process.id, _where(process, step.title), text if a else None, text if b else None, step.id,
                  roles, url)  # fmt: skip


def _process(a: Process, b: Process, old: Handbook, new: Handbook, renamed: dict[str, str]) -> list[Change]:
    found: list[Change] = []
    everyone = tuple(sorted(set(_process_roles(a, renamed)) | set(_process_roles(b, renamed))))
    if a.title != b.title:
        found.append(Change("process.renamed", b.id, b.title, a.title, b.title, None, everyone, urls.process(b.id)))
    if _new_id(a.owner, renamed) != b.owner:
        owners = tuple(sorted({_new_id(a.owner, renamed), b.owner}))
        found.append(Change("process.owner", b.id, b.title, old.role(a.owner).title, new.role(b.owner).title, None,
                            owners, urls.process(b.id)))  # fmt: skip
    before = {s.id: s for s in a.steps}
    moved = _moved([s.id for s in a.steps], [s.id for s in b.steps])
    for step in b.steps:
        if step.id not in before:
            found.append(_whole("step.added", b, None, step, renamed))
        else:
            found += _step(a, b, before[step.id], step, old, new, renamed, step.id in moved)
    found += [_whole("step.removed", a, s, None, renamed) for s in a.steps if s.id not in {t.id for t in b.steps}]
    duties = {o.id: o for o in a.obligations}
    for duty in b.obligations:
        if duty.id not in duties:
            found.append(_duty("obligation.added", new, b, None, duty, renamed))
        else:
            found += _duty_changes(old, new, a, b, duties[duty.id], duty, renamed)
    kept = {o.id for o in b.obligations}
    found += [_duty("obligation.removed", old, a, o, None, renamed) for o in a.obligations if o.id not in kept]
    return found


def _moved(old_order: list[str], new_order: list[str]) -> set[str]:
    """The fewest steps that moved: those outside a longest run kept in the old relative order."""
    common = [s for s in new_order if s in old_order]
    ranks = [old_order.index(s) for s in common]
    best: list[list[int]] = []  # best[i]: the longest increasing run of positions ending at i
    for i, rank in enumerate(ranks):
        prior = [best[j] for j in range(i) if ranks[j] < rank]
        best.append(max(prior, key=len, default=[]) + [i])
    kept = set(max(best, key=len, default=[]))
    return {s for i, s in enumerate(common) if i not in kept}


def _position(process: Process, step: Step) -> str:
    number = process.steps.index(step) + 1
    after = "、".join(words.quoted(process.step(s).title) for s in step.after)
    return f"第{number}步" + (f"，在{after}之后" if after else "")


def _step(a: Process, b: Process, x: Step, y: Step, old: Handbook, new: Handbook, renamed, moved: bool):
    everyone = tuple(sorted(_step_roles(x, renamed) | _step_roles(y, renamed)))
    found = []

    def change(kind: str, before: str, after: str, roles: tuple[str, ...] = everyone) -> None:
        if before != after:
            found.append(Change(kind, b.id, _where(b, y.title), before or "—", after or "—", y.id, roles,
                                urls.step(b.id, y.id)))  # fmt: skip

    change("step.renamed", x.title, y.title)
    if moved or tuple(x.after) != tuple(y.after):
        found.append(Change("step.reordered", b.id, _where(b, y.title), _position(a, x), _position(b, y), y.id,
                            everyone, urls.step(b.id, y.id)))  # fmt: skip
    change("step.deadline", words.deadline(a, x.deadline) if x.deadline else "", words.deadline(b, y.deadline) if
           y.deadline else "")  # fmt: skip
    letters_x, letters_y = _letters(x, renamed), _letters(y, renamed)
    if letters_x != letters_y:
        touched = {r for k in RACI for r in set(letters_x[k]) ^ set(letters_y[k])}
        change("step.raci", _raci(old, x, renamed), _raci(new, y, renamed), tuple(sorted(touched)))
    change("step.controls", _controls(a, x), _controls(b, y))
    change("step.condition", words.condition(a, x.when) if x.when else "", words.condition(b, y.when) if y.when
           else "")  # fmt: skip
    change("step.activities", "、".join(x.activities), "、".join(y.activities))
    change("step.forms", _forms(old, x.forms), _forms(new, y.forms))
    return found


def _raci(handbook: Handbook, step: Step, renamed: dict[str, str]) -> str:
    back = {v: k for k, v in renamed.items()}

    def title(role_id: str) -> str:
        before = back.get(role_id, role_id)
        return handbook.role(before).title if before in handbook._roles else role_id

    parts = [f"{k} {'、'.join(title(r) for r in ids)}" for k, ids in _letters(step, renamed).items() if ids]
    return "；".join(parts)


def _controls(process: Process, step: Step) -> str:
    parts = [words.controls(process, step)] if words.controls(process, step) else []
    parts += ["可选步骤" if step.optional else "", "结案步骤" if step.final else ""]
    return "；".join(p for p in parts if p)


def _forms(handbook: Handbook, forms: tuple[str, ...]) -> str:
    titles = {f.id: f.title for f in handbook.forms}
    return "、".join(titles.get(f, f) for f in forms)


def _duty_text(handbook: Handbook, process: Process, duty: Obligation) -> str:
    return f"{words.quoted(duty.title)}（{words.obligation_summary(handbook, process, duty)}）"


def _duty(kind, handbook: Handbook, process: Process, a: Obligation | None, b: Obligation | None, renamed):
    duty = b or a
    text = _duty_text(handbook, process, duty)
    roles = tuple(sorted(_duty_roles(a, renamed) | _duty_roles(b, renamed) | _holders(handbook, a, b)))
    url = urls.obligation(process.id, duty.id) if b else None
    return Change(kind, process.id, _where(process, duty.title), text if a else None, text if b else None, duty.id,
                  roles, url)  # fmt: skip


def _duty_changes(old, new, a: Process, b: Process, x: Obligation, y: Obligation, renamed) -> list[Change]:
    roles = tuple(sorted(_duty_roles(x, renamed) | _duty_roles(y, renamed) | _holders(new, x, y)))
    same_scope = dataclasses.replace(x.scope, role=_new_id(x.scope.role, renamed)) == y.scope
    same_people = tuple(_new_id(r, renamed) for r in x.responsible) == y.responsible
    pairs = (  # (kind, unchanged, before, after): roles are compared by id, so a renamed role is no change here
        ("obligation.renamed", x.title == y.title, x.title, y.title),
        ("obligation.cadence", x.cadence == y.cadence, words.cadence(x.cadence), words.cadence(y.cadence)),
        ("obligation.responsible", same_people, words.roles(old, x.responsible), words.roles(new, y.responsible)),
        ("obligation.scope", same_scope, words.scope(old, a, x.scope), words.scope(new, b, y.scope)),
        ("obligation.activities", x.activities == y.activities, "、".join(x.activities), "、".join(y.activities)),
    )
    return [
        Change(kind, b.id, _where(b, y.title), before, after, y.id, roles, urls.obligation(b.id, y.id))
        for kind, unchanged, before, after in pairs
        if not unchanged
    ]
