"""Which checker rules apply to a step or an obligation, and what each one checks there.

The codes are the checker's stable codes (.dev/checker-contract.md); their
names and explanations come from the checker's own registry (``rules.py``),
and so does which rule applies to a step or obligation (each rule module's
``applies``). What is written here is only the step-specific sentence: what
the rule checks there, with the YAML's values.
"""

from __future__ import annotations

from dataclasses import dataclass

from opsbook.model import Handbook, Obligation, Process, Step

from . import words

# A rule applies to a step or obligation when the field it reads is set.
MISSING, OVERDUE, ORDER, DEADLINE, ROLE = "C101", "C102", "C103", "C104", "C105"
SEGREGATION, TWO_PERSON, TOO_MANY, TOO_FEW = "C107", "C108", "C109", "C110"
MISSED, LATE, INTERVAL = "C201", "C202", "C203"
UNCONFIRMED, CONFIRMED_LATE, UNCONFIRMED_YET = "C204", "C205", "C206"
# Rules that apply to every event rather than to a step's fields (checker.rules.general(); a test keeps them equal).
GENERAL = ("C106", "C111")


def _applies(code: str, thing: Step | Obligation) -> bool:
    """The checker's own answer (each rule's ``applies``), imported late so the manual builds without it."""
    from checker import rules

    return rules.applies(code, thing)


@dataclass(frozen=True)
class Check:
    code: str
    text: str  # plain text: what is checked at this step


def step_checks(handbook: Handbook, process: Process, step: Step) -> list[Check]:
    applies = lambda code: _applies(code, step)  # noqa: E731
    found = []
    if applies(MISSING):
        when = f"（{words.condition(process, step.when)}）" if step.when else ""
        found.append(Check(MISSING, f"每个案件都必须执行{when}；已完结的案件缺少此步骤即违规"))
    if applies(OVERDUE):
        found.append(Check(OVERDUE, f"未完结的案件超过时限（{words.deadline(process, step.deadline)}）仍未执行即违规"))
    if applies(ORDER):
        for before in step.after:
            found.append(Check(ORDER, f"不得早于{words.quoted(process.step(before).title)}"))
    if applies(DEADLINE):
        found.append(Check(DEADLINE, f"须在{words.deadline(process, step.deadline)}完成"))
    if applies(ROLE):
        found.append(Check(ROLE, f"只能由{words.roles(handbook, step.raci.responsible)}执行"))
    if applies(SEGREGATION):
        for other in step.separate_from:
            found.append(Check(SEGREGATION, f"同一案件中执行人不得同时执行{words.quoted(process.step(other).title)}"))
    if applies(TWO_PERSON):
        found.append(Check(TWO_PERSON, f"至少由{step.min_performers}名不同人员执行（双人复核）"))
    if applies(TOO_MANY):
        found.append(Check(TOO_MANY, f"每个案件最多执行{step.max_count}次"))
    if applies(TOO_FEW):
        found.append(Check(TOO_FEW, f"执行了的案件至少执行{step.min_count}次"))
    return found


def obligation_checks(handbook: Handbook, process: Process, duty: Obligation) -> list[Check]:
    scope = words.scope(handbook, process, duty.scope)
    found = []
    if _applies(INTERVAL, duty):
        gap = duty.cadence.interval.to_chinese()
        found.append(Check(INTERVAL, f"{scope}：相邻两次之间（及最后一次至审计时点）不得超过{gap}"))
    due = "" if duty.cadence.interval is not None else words.cadence(duty.cadence)
    if _applies(UNCONFIRMED, duty):
        found.append(Check(UNCONFIRMED, f"{scope}：{due}确认阅读本岗位说明书的当前版本；到期仍未确认即违规"))
    if _applies(CONFIRMED_LATE, duty):
        found.append(Check(CONFIRMED_LATE, f"{scope}：到期后才确认即为迟确认；确认较旧的版本不算"))
    if _applies(UNCONFIRMED_YET, duty):
        found.append(Check(UNCONFIRMED_YET, f"{scope}：尚未到期、也未确认的，列为提示，便于提醒"))
    if _applies(MISSED, duty):
        found.append(Check(MISSED, f"{scope}：{due}完成；整个周期都未完成即违规"))
    if _applies(LATE, duty):
        found.append(Check(LATE, f"{scope}：超过截止时点、在本周期结束前才完成即为迟交"))
    return found


def applications(handbook: Handbook) -> dict[str, list[tuple[Process, int]]]:
    """Rule code → the processes it applies to, each with how many checks it makes there."""
    found: dict[str, list[tuple[Process, int]]] = {}
    for process in handbook.processes:
        counts: dict[str, int] = {}
        for step in process.steps:
            for check in step_checks(handbook, process, step):
                counts[check.code] = counts.get(check.code, 0) + 1
        for duty in process.obligations:
            for check in obligation_checks(handbook, process, duty):
                counts[check.code] = counts.get(check.code, 0) + 1
        for code, count in counts.items():
            found.setdefault(code, []).append((process, count))
    return found
