"""Plain Chinese for the model's rules: deadlines, conditions, cadences, scopes.

Every function returns plain text (escaped later, like any YAML text), e.g.
``「签订合同」后3个工作日内``, ``交房日期前2周``, ``每个工作日18:00前``,
``至少每6个月一次``. The meaning follows SPEC-checker §3–4 and checker/periods.py.
"""

from __future__ import annotations

import re

from opsbook.model import (
    Anchor,
    Cadence,
    Condition,
    Deadline,
    Handbook,
    Obligation,
    OfficeCalendar,
    Process,
    Scope,
    Step,
)

WEEKDAYS = "一二三四五六日"
RACI_NAMES = {"R": "负责执行", "A": "审批/负责", "C": "咨询", "I": "知会"}
CASE_START = "立案（案件开始）"
_LABEL_END = re.compile(r"[：:，,。；;（(]")


def quoted(title: str) -> str:
    return f"「{title}」"


def short_title(title: str) -> str:
    """A document title without its parenthesised subtitle: ``编者补充（…）`` → ``编者补充``."""
    return _LABEL_END.split(title, 1)[0].strip() or title


def attribute_label(process: Process, name: str) -> str:
    """The attribute's description up to its first punctuation: ``交房日期。`` → ``交房日期``."""
    for attribute in process.attributes:
        if attribute.name == name:
            label = _LABEL_END.split(attribute.description, 1)[0].strip()
            return label or name
    return name


def anchor(process: Process, point: Anchor) -> str:
    if point.kind == "case_start":
        return CASE_START
    if point.kind == "step":
        return quoted(process.step(point.ref).title)
    return attribute_label(process, point.ref)


def deadline(process: Process, limit: Deadline) -> str:
    """``within`` → ``X后3个工作日内``; ``before`` → ``X前2周``."""
    amount = limit.duration.to_chinese()
    if limit.kind == "within":
        return f"{anchor(process, limit.anchor)}后{amount}内"
    return f"{anchor(process, limit.anchor)}前{amount}"


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return quoted(str(value))


def condition(process: Process, when: Condition) -> str:
    """``仅当付款方式为「按揭」时``."""
    values = "或".join(_value(v) for v in when.values)
    return f"仅当{attribute_label(process, when.attribute)}为{values}时"


# The days of a daily cadence (Cadence.day_calendar), as the calendar page groups them.
DAY_CALENDARS = {"all": "每天", "public": "每个工作日", "office": "每个营业日"}


def cadence(rhythm: Cadence) -> str:
    """When a recurring obligation is due, in the checker's reading of the cadence."""
    if rhythm.interval is not None:
        return f"至少每{rhythm.interval.to_chinese()}一次"
    if rhythm.confirm_within is not None:
        return f"上岗或本岗位说明书有变化的版本发布后{rhythm.confirm_within.to_chinese()}内（以较晚者起算）"
    at = rhythm.due_time or ""  # "HH:MM"; none means the end of the due day
    every = rhythm.every
    if rhythm.daily:
        days = DAY_CALENDARS[rhythm.day_calendar]
        return f"{days}{at}前" if at else f"{days}（当日内）"
    if every == "week":
        if rhythm.due_weekday:
            return f"每周{WEEKDAYS[rhythm.due_weekday - 1]}{at}前"
        return f"每周（周日{at}前）" if at else "每周（当周内）"
    if rhythm.due_day:
        day = f"{rhythm.due_day}日{at}前" + ("（无此日的月份为月末）" if rhythm.due_day > 28 else "")
        return {"month": f"每月{day}", "quarter": f"每季度首月{day}", "year": f"每年1月{day}"}[every]
    return {"month": "每月（当月内）", "quarter": "每季度（当季内）", "year": "每年（当年内）"}[every]


def office_days(office: OfficeCalendar) -> str:
    """``每周一至周日营业`` or the listed weekdays, with the dated exceptions."""
    days = office.weekdays
    if list(days) == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        text = f"每周{WEEKDAYS[days[0] - 1]}至周{WEEKDAYS[days[-1] - 1]}营业"
    else:
        text = "每周" + "、".join(f"周{WEEKDAYS[d - 1]}" for d in days) + "营业"
    shut = [d.isoformat() for d, is_open, _ in office.exceptions if not is_open]
    extra = [d.isoformat() for d, is_open, _ in office.exceptions if is_open]
    if shut:
        text += "，" + "、".join(shut) + "不营业"
    if extra:
        text += "，" + "、".join(extra) + "照常营业"
    return text + "。"


def period(rhythm: Cadence) -> str:
    """The calendar page's grouping: 每个工作日, 每周, 每月, 每季度, 每年, 按间隔."""
    if rhythm.interval is not None:
        return "按间隔"
    if rhythm.confirm_within is not None:
        return "按版本"
    if rhythm.daily:
        return DAY_CALENDARS[rhythm.day_calendar]
    return {"week": "每周", "month": "每月", "quarter": "每季度", "year": "每年"}[rhythm.every]


def scope(handbook: Handbook, process: Process, who: Scope) -> str:
    if who.kind == "organisation":
        return "全公司（每期一次）"
    if who.kind == "every-role":
        return "每位在岗人员（按花名册，每个所任岗位）"
    if who.kind == "role":
        return f"每位{handbook.role(who.role).title}"
    each = f"每个{attribute_label(process, who.entity)}"
    return f"{each}（{condition(process, who.when)}）" if who.when else each


def onboarding_due(days: int) -> str:
    return "入职当天" if days == 0 else f"入职后{days}天内"


def roles(handbook: Handbook, role_ids: tuple[str, ...]) -> str:
    return "、".join(handbook.role(r).title for r in role_ids)


def step_summary(process: Process, step: Step) -> str:
    """One line for lists: the step's deadline and condition, if any."""
    parts = []
    if step.deadline:
        parts.append(deadline(process, step.deadline))
    if step.when:
        parts.append(condition(process, step.when))
    return "；".join(parts)


def controls(process: Process, step: Step) -> str:
    """The step's segregation, review and count rules, in one line."""
    parts = [f"不得与{quoted(process.step(other).title)}同一人" for other in step.separate_from]
    if step.min_performers:
        parts.append(f"至少{step.min_performers}人执行")
    if step.min_count:
        parts.append(f"至少{step.min_count}次")
    if step.max_count:
        parts.append(f"最多{step.max_count}次")
    return "；".join(parts)


def obligation_summary(handbook: Handbook, process: Process, duty: Obligation) -> str:
    return f"{cadence(duty.cadence)}；{scope(handbook, process, duty.scope)}"
