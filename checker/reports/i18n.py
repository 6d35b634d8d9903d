"""Report wording in Chinese (first) and English, and lateness in words."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "合规检查报告",
        "checked": "检查范围",
        "inputs": "输入文件",
        "path": "文件",
        "format": "格式",
        "sha256": "SHA-256",
        "rows_read": "读取行数",
        "rows_rejected": "拒绝行数",
        "handbook": "手册",
        "version": "版本",
        "digest": "摘要",
        "revision": "修订",
        "tool_version": "工具版本",
        "as_of": "审计时点",
        "timezone": "时区",
        "calendar": "工作日历",
        "covered_years": "覆盖年份",
        "overrides": "自定义调整",
        "rows": "行数",
        "rows_equation": "读取 {read} = 检查 {checked} + 拒绝 {rejected}",
        "mismatch": "（不一致！）",
        "options": "选项",
        "summary": "汇总",
        "total": "共发现 {n} 项",
        "by_severity": "按严重程度",
        "by_code": "按规则",
        "by_process": "按流程",
        "by_step": "按流程与步骤",
        "by_week": "按周",
        "worst_cases": "问题最多的案例",
        "findings": "问题明细",
        "no_findings": "未发现问题。",
        "process": "流程",
        "no_process": "（无流程）",
        "case": "案例",
        "scope": "范围",
        "none": "（其他）",
        "period": "期间",
        "step": "步骤",
        "code": "规则",
        "severity": "严重程度",
        "rule_title": "规则名称",
        "expected": "应当",
        "actual": "实际",
        "lateness": "迟延",
        "evidence": "证据",
        "performers": "执行人",
        "link": "条款",
        "count": "数量",
        "violations": "违规",
        "rejected": "被拒绝的行",
        "ref": "引用",
        "field": "字段",
        "reason": "原因",
        "more": "… 另有 {n} 行",
        "filter_all": "全部",
        "search": "搜索",
        "shown": "显示",
        "cases": "按案例查看",
        "charts": "图表",
        "violation": "违规",
        "warning": "警告",
        "info": "提示",
    },
    "en": {
        "title": "Compliance check report",
        "checked": "What was checked",
        "inputs": "Inputs",
        "path": "File",
        "format": "Format",
        "sha256": "SHA-256",
        "rows_read": "Rows read",
        "rows_rejected": "Rows rejected",
        "handbook": "Handbook",
        "version": "version",
        "digest": "digest",
        "revision": "revision",
        "tool_version": "Tool version",
        "as_of": "As of",
        "timezone": "Time zone",
        "calendar": "Calendar",
        "covered_years": "years",
        "overrides": "overrides",
        "rows": "Rows",
        "rows_equation": "read {read} = checked {checked} + rejected {rejected}",
        "mismatch": " (MISMATCH!)",
        "options": "Options",
        "summary": "Summary",
        "total": "{n} findings",
        "by_severity": "By severity",
        "by_code": "By rule",
        "by_process": "By process",
        "by_step": "By process and step",
        "by_week": "By week",
        "worst_cases": "Cases with the most violations",
        "findings": "Findings",
        "no_findings": "No findings.",
        "process": "Process",
        "no_process": "(no process)",
        "case": "Case",
        "scope": "Scope",
        "none": "(other)",
        "period": "Period",
        "step": "Step",
        "code": "Rule",
        "severity": "Severity",
        "rule_title": "Rule title",
        "expected": "Expected",
        "actual": "Actual",
        "lateness": "Lateness",
        "evidence": "Evidence",
        "performers": "Performers",
        "link": "Clause",
        "count": "Count",
        "violations": "Violations",
        "rejected": "Rejected rows",
        "ref": "Ref",
        "field": "Field",
        "reason": "Reason",
        "more": "… and {n} more",
        "filter_all": "All",
        "search": "Search",
        "shown": "Shown",
        "cases": "By case",
        "charts": "Charts",
        "violation": "violation",
        "warning": "warning",
        "info": "info",
    },
}

_UNITS = {
    "zh": (("天", 86400), ("小时", 3600), ("分钟", 60), ("秒", 1)),
    "en": (("d", 86400), ("h", 3600), ("min", 60), ("s", 1)),
}


def labels(lang: str) -> dict[str, str]:
    return LABELS[lang]


def lateness_words(seconds: int | None, lang: str) -> str:
    """ "迟了 2天3小时" / "2 d 3 h late": the largest unit and the next one, when not zero."""
    if seconds is None:
        return ""
    if seconds <= 0:
        return "按时" if lang == "zh" else "on time"
    parts, rest = [], seconds
    for unit, size in _UNITS[lang]:
        n, rest = divmod(rest, size)
        if n or parts:
            parts.append((n, unit))
        if len(parts) == 2:
            break
    parts = [(n, unit) for n, unit in parts if n]
    if lang == "zh":
        return "迟了 " + "".join(f"{n}{unit}" for n, unit in parts)
    return " ".join(f"{n} {unit}" for n, unit in parts) + " late"
