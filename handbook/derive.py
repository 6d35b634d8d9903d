"""Views derived from the model, so no page repeats by hand what the YAML already says.

Who takes part in which step (RACI), the reporting tree, the obligations by
period, where each form is used, every assumption still to confirm, and which
items cite which source document.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from opsbook import urls
from opsbook.model import Handbook, Obligation, Process, ReportingLine, Role, Source, Step

from . import links, words

RACI_ORDER = ("R", "A", "C", "I")
ROLE_ITEM_LISTS = (
    ("responsibilities", "岗位职责"),
    ("kpis", "考核标准"),
    ("qualifications", "任职资格"),
    ("authorities", "权限"),
    ("conduct", "行为规范"),
)


@dataclass(frozen=True)
class Ref:
    """Something on a page of the manual that can be linked to."""

    label: str
    url: str  # an opsbook.urls / handbook.links site path


@dataclass(frozen=True)
class Assumption:
    where: Ref
    what: str  # the assumed value, in words ("" when the whole item is assumed)
    text: str  # the editors' note: what was assumed and why


def raci_letters(step: Step, role_id: str) -> str:
    raci = step.raci
    found = (
        role_id in raci.responsible,
        raci.accountable == role_id,
        role_id in raci.consulted,
        role_id in raci.informed,
    )
    return "".join(letter for letter, hit in zip(RACI_ORDER, found, strict=True) if hit)


def process_letters(process: Process, role_id: str) -> str:
    """The role's RACI letters over a whole process, e.g. ``R/A``; carrying out an obligation counts as R."""
    found = {letter for step in process.steps for letter in raci_letters(step, role_id)}
    if any(role_id in duty.responsible for duty in process.obligations):
        found.add("R")
    return "/".join(letter for letter in RACI_ORDER if letter in found)


def participation(handbook: Handbook, role_id: str) -> dict[str, list[tuple[Process, Step]]]:
    """RACI letter → the steps where the role has it, in process and step order."""
    grouped: dict[str, list[tuple[Process, Step]]] = {letter: [] for letter in RACI_ORDER}
    for process in handbook.processes:
        for step in process.steps:
            for letter in raci_letters(step, role_id):
                grouped[letter].append((process, step))
    return grouped


def duties(handbook: Handbook, role_id: str) -> list[tuple[Process, Obligation]]:
    """Recurring obligations the role carries out, or that apply to each holder of the role."""
    return [
        (process, duty)
        for process in handbook.processes
        for duty in process.obligations
        if role_id in duty.responsible or duty.scope.role == role_id or duty.scope.kind == "every-role"
    ]


def owned(handbook: Handbook, role_id: str) -> list[Process]:
    return [p for p in handbook.processes if p.owner == role_id]


def process_roles(process: Process) -> list[str]:
    """Roles taking part in a process, in order of first appearance."""
    seen: dict[str, None] = {}
    for step in process.steps:
        raci = step.raci
        for role_id in (*raci.responsible, raci.accountable, *raci.consulted, *raci.informed):
            if role_id:
                seen.setdefault(role_id)
    for duty in process.obligations:
        for role_id in duty.responsible:
            seen.setdefault(role_id)
    return list(seen)


def org_tree(handbook: Handbook) -> list[tuple[Role, int]]:
    """Roles depth first from the top of the organisation, with their depth."""
    ordered: list[tuple[Role, int]] = []

    def visit(role: Role, depth: int) -> None:
        ordered.append((role, depth))
        for report in handbook.direct_reports(role.id):
            visit(report, depth + 1)

    for role in handbook.roles:
        if role.reports_to is None:
            visit(role, 0)
    return ordered


def line_status(line: ReportingLine) -> str:
    """How sure a reporting line is, in one word for the chart: "" when a source states it."""
    if line.disputed:
        return "来源有分歧"
    if line.assumption:
        return "编者假设"
    return ""


def obligations_by_period(handbook: Handbook) -> list[tuple[str, list[tuple[Process, Obligation]]]]:
    groups: dict[str, list[tuple[Process, Obligation]]] = defaultdict(list)
    for process in handbook.processes:
        for duty in process.obligations:
            groups[words.period(duty.cadence)].append((process, duty))
    order = ("每天", "每个营业日", "每个工作日", "每周", "每月", "每季度", "每年", "按间隔", "按版本")
    return [(name, groups[name]) for name in order if groups[name]]


def step_ref(process: Process, step: Step) -> Ref:
    return Ref(f"{process.title} › {step.title}", urls.step(process.id, step.id))


def obligation_ref(process: Process, duty: Obligation) -> Ref:
    return Ref(f"{process.title} › {duty.title}", urls.obligation(process.id, duty.id))


def form_usage(handbook: Handbook) -> dict[str, list[Ref]]:
    used: dict[str, list[Ref]] = defaultdict(list)
    for process in handbook.processes:
        for step in process.steps:
            for form_id in step.forms:
                used[form_id].append(step_ref(process, step))
        for duty in process.obligations:
            for form_id in duty.forms:
                used[form_id].append(obligation_ref(process, duty))
    return used


def assumptions(handbook: Handbook) -> list[Assumption]:
    found: list[Assumption] = []
    org = links.PAGES["org"]
    for role in handbook.roles:
        line = role.reporting
        if line and line.assumption:
            boss = handbook.role(line.role).title
            found.append(Assumption(Ref(f"{role.title} › 上级", org), f"向{boss}汇报", line.assumption))
        if role.headcount and role.headcount.assumption:
            what = f"编制 {role.headcount.count} 人"
            found.append(Assumption(Ref(f"{role.title} › 编制", org), what, role.headcount.assumption))
        for attr, heading in ROLE_ITEM_LISTS:
            for item in getattr(role, attr):
                if item.assumption:
                    where = Ref(f"{role.title} › {heading} › {item.text}", urls.role(role.id, item.id))
                    found.append(Assumption(where, "", item.assumption))
        for item in role.onboarding:
            if item.assumption:
                where = Ref(f"{role.title} › 入职清单 › {item.topic}", urls.role(role.id, item.id))
                found.append(Assumption(where, words.onboarding_due(item.due_days), item.assumption))
    for process in handbook.processes:
        for step in process.steps:
            if step.deadline and step.deadline.assumption:
                what = words.deadline(process, step.deadline)
                found.append(Assumption(step_ref(process, step), what, step.deadline.assumption))
            if step.assumption:
                found.append(Assumption(step_ref(process, step), "", step.assumption))
        for duty in process.obligations:
            if duty.assumption:
                what = words.cadence(duty.cadence)
                found.append(Assumption(obligation_ref(process, duty), what, duty.assumption))
    for term in handbook.glossary:
        if term.assumption:
            found.append(Assumption(Ref(f"术语表 › {term.term}", links.term(term.id)), "", term.assumption))
    for form in handbook.forms:
        if form.assumption:
            found.append(Assumption(Ref(f"表单目录 › {form.title}", links.form(form.id)), "", form.assumption))
    office = handbook.office
    if office.assumption:
        what = "营业日：" + "、".join(words.WEEKDAYS[d - 1] for d in office.weekdays)
        found.append(Assumption(Ref("周期性义务日历 › 营业日", links.PAGES["calendar"]), what, office.assumption))
    return found


def citations(handbook: Handbook) -> dict[str, list[tuple[Ref, int]]]:
    """Source document id → the pages citing it, each with how many of its items do."""
    cited: dict[str, dict[Ref, int]] = defaultdict(lambda: defaultdict(int))

    def cite(source: Source | None, page: Ref) -> None:
        if source is not None:
            cited[source.doc][page] += 1

    for role in handbook.roles:
        page = Ref(role.title, urls.role(role.id))
        for source in role.sources:
            cite(source, page)
        cite(role.reporting.source if role.reporting else None, page)
        cite(role.headcount.source if role.headcount else None, page)
        for attr, _ in ROLE_ITEM_LISTS:
            for item in getattr(role, attr):
                cite(item.source, page)
        for item in role.onboarding:
            cite(item.source, page)
    for process in handbook.processes:
        page = Ref(process.title, urls.process(process.id))
        for source in process.sources:
            cite(source, page)
        for step in process.steps:
            cite(step.source, page)
            cite(step.deadline.source if step.deadline else None, page)
        for duty in process.obligations:
            cite(duty.source, page)
    for term in handbook.glossary:
        cite(term.source, Ref("术语表", links.PAGES["glossary"]))
    for form in handbook.forms:
        cite(form.source, Ref("表单目录", links.PAGES["forms"]))
    return {doc: list(pages.items()) for doc, pages in cited.items()}
