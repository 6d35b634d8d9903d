"""Find the passage a `source` cites in a seed document, and the words a value needs there.

A citation can be checked mechanically when it points at a passage a program can
find: a quotation in full-width brackets (“第6篇 置业顾问岗位职责 14（每周一交部门主管）”)
or a numbered clause (“3.2.1”). The comparison ignores white space and punctuation
(the seeds mix ASCII and full-width commas). A value is “in” a passage when the
number and its unit appear together (“1 month” needs 1个月, 一个月 or 1月).
"""

from __future__ import annotations

import re
import unicodedata

CLAUSE = re.compile(r"^\s*(\d+(?:\.\d+)+)(?!\d)")
QUOTE = re.compile(r"（([^（）]+)）")
NUMERALS = {
    1: "1|一",
    2: "2|二|两",
    3: "3|三",
    4: "4|四",
    5: "5|五",
    6: "6|六",
    7: "7|七",
    10: "10|十",
    12: "12|十二",
    20: "20|二十",
    24: "24|二十四",
    30: "30|三十",
}
UNITS = {
    "hours": "小时|个小时",
    "days": "天|日",
    "workdays": "个工作日|工作日",
    "weeks": "周|个星期|星期",
    "months": "个月|月",
    "years": "年",
}
# values a passage states in words rather than with the number
WORDED = {("6", "months"): "半年", ("12", "months"): "一年|每年", ("31", "day"): "月底|月末|最后一日"}
WEEKDAYS = "一二三四五六日"


def norm(text: str) -> str:
    """Text without white space and punctuation, full-width forms folded to ASCII (NFKC)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch)[0] == "P"))


def passages(seed: str, section: str) -> list[str] | None:
    """The normalised passages a section string cites, or None when none can be located.

    Quoted passages must occur in the seed; a numbered clause runs to the next number.
    A quotation that is not in the seed is returned as the empty string, so callers see it.
    """
    text = norm(seed)
    found: list[str] = []
    for part in section.split("；"):
        quotes = QUOTE.findall(part)
        if quotes:
            found += [norm(q) if norm(q) in text else "" for q in quotes]
            continue
        clause = CLAUSE.match(part)
        if clause:  # numbered clauses are found in the text with its dots, then normalised
            raw = unicodedata.normalize("NFKC", seed)
            for at in re.finditer(re.escape(clause.group(1)) + r"(?![\d.])", raw):
                following = re.search(r"\d+\.\d+(?:\.\d+)*", raw[at.end() :])
                found.append(norm(raw[at.end() : at.end() + following.start()] if following else raw[at.end() :]))
    return found or None


def needles(kind: str, value: str) -> str | None:
    """A regular expression for how a passage would state the value, or None if it cannot be said."""
    if kind == "duration":
        amount, unit = value.split()
        unit = unit if unit.endswith("s") else unit + "s"
        words = WORDED.get((amount, unit))
        number = NUMERALS.get(int(amount), amount)
        pattern = f"(?:{number})(?:{UNITS[unit]})"
        return f"{pattern}|{words}" if words else pattern
    if kind == "day":
        words = WORDED.get((value, "day"))
        pattern = f"(?:{NUMERALS.get(int(value), value)})(?:日|号)"
        return f"{pattern}|{words}" if words else pattern
    if kind == "weekday":
        return f"(?:周|星期){WEEKDAYS[int(value) - 1]}"
    return None


def stated(passage_list: list[str], kind: str, value: str) -> bool:
    pattern = needles(kind, value)
    return pattern is not None and any(re.search(pattern, p) for p in passage_list if p)
