"""Full-width punctuation where YAML expects its own (：，、“” and the full-width space).

A Chinese input method types ``title：客服专员``; YAML then reads the line as
part of a text and complains one line later ("could not find expected ':'").
Scanning the raw lines first lets the message name the real mistake at its own
line and column. Block scalars (``|``, ``>``) and comments are left alone: any
punctuation is fine inside text.
"""

from __future__ import annotations

import re

from .problems import Problem

_KEY = re.compile(r"^(?P<indent>[ \u3000]*)(?:[-－—][ \u3000]+)?(?P<key>[A-Za-z_][A-Za-z0-9_-]*)[ \t]*(?P<mark>：)")
_DASH = re.compile(r"^[ ]*(?P<mark>[－—])[ \u3000]*[A-Za-z_][A-Za-z0-9_-]*[ \t]*:")
_FLOW = re.compile(r":[ \t]+\[(?P<body>[^\]#]*)\]")
_QUOTED = re.compile(r"^[ ]*(?:-[ ]+)?[A-Za-z_][A-Za-z0-9_-]*:[ \t]+(?P<mark>[“‘])[^\n]*[”’][ \t]*$")
_BLOCK = re.compile(r":[ \t]+[|>][+-]?[0-9]?[ \t]*(?:#.*)?$")
_MARKS = re.compile("[\u3000－—：，、“‘]")  # a line without any of these has nothing for _check_line to find


def fullwidth_problems(text: str, label: str) -> list[Problem]:
    """Y001 problems for full-width punctuation in YAML syntax positions."""
    problems: list[Problem] = []
    block_indent: int | None = None
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block_indent is not None:
            if not stripped or indent > block_indent:
                continue  # inside a | or > text
            block_indent = None
        if not stripped or stripped.startswith("#"):
            continue
        problem = _check_line(line, number, label) if _MARKS.search(line) else None
        if problem:
            problems.append(problem)
        elif _BLOCK.search(line):
            block_indent = indent
    return problems


def _check_line(line: str, number: int, label: str) -> Problem | None:
    def at(code_column: int, msgid: str, **params: object) -> Problem:
        return Problem.of(label, number, code_column + 1, "Y001", msgid, **params)

    if "\u3000" in line[: len(line) - len(line.lstrip(" \u3000"))]:
        return at(line.index("\u3000"), "yaml.fullwidth-space")
    dash = _DASH.match(line)
    if dash:
        return at(dash.start("mark"), "yaml.fullwidth-dash", mark=dash["mark"])
    key = _KEY.match(line)
    if key:
        return at(key.start("mark"), "yaml.fullwidth-colon", name=key["key"])
    flow = _FLOW.search(line)
    if flow and ("'" not in flow["body"] and '"' not in flow["body"]):
        for mark in "，、":
            if mark in flow["body"]:
                return at(flow.start("body") + flow["body"].index(mark), "yaml.fullwidth-comma", mark=mark)
    quoted = _QUOTED.match(line)
    if quoted:
        pair = "“”" if quoted["mark"] == "“" else "‘’"
        return at(quoted.start("mark"), "yaml.fullwidth-quotes", mark=pair)
    return None
