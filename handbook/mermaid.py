"""Mermaid diagrams: a process flow with one lane per role, and the org chart.

Labels are data: they are encoded with Mermaid's entity codes (``#quot;``)
so no quote, bracket or tag in a title can end a label or become markup.
Node ids are generated (``s1``), never taken from the YAML.
"""

from __future__ import annotations

from opsbook.model import Handbook, Process

from . import derive

# "%" too: "%%" starts a comment and "%%{init: …}%%" a directive that restyles the whole diagram,
# wherever it stands, inside a quoted label included.
_CODES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;", "%": "#37;"}


def label(value: str) -> str:
    """Text for a quoted Mermaid label; line breaks become spaces."""
    flat = " ".join(str(value).split())
    return "".join(_CODES.get(char, char) for char in flat)


def process_flow(handbook: Handbook, process: Process) -> str:
    """``flowchart TD`` with a subgraph (lane) per role; a step sits in its first responsible role's lane."""
    node = {step.id: f"s{i}" for i, step in enumerate(process.steps, 1)}
    lanes: dict[str, list[str]] = {}
    for i, step in enumerate(process.steps, 1):
        text = f"{i}. {step.title}"
        if len(step.raci.responsible) > 1:
            others = "、".join(handbook.role(r).title for r in step.raci.responsible[1:])
            text += f"（协同：{others}）"
        shape = ('(["', '"])') if step.final else ('["', '"]')
        lanes.setdefault(step.raci.responsible[0], []).append(f"{node[step.id]}{shape[0]}{label(text)}{shape[1]}")
    lines = ["flowchart TD", '  start(("开始"))']
    for n, (role_id, nodes) in enumerate(lanes.items(), 1):
        lines.append(f'  subgraph lane{n}["{label(handbook.role(role_id).title)}"]')
        lines += [f"    {text}" for text in nodes]
        lines.append("  end")
    for step in process.steps:
        sources = [node[a] for a in step.after] or ["start"]
        lines += [f"  {source} --> {node[step.id]}" for source in sources]
    optional = [node[s.id] for s in process.steps if s.optional or s.when]
    if optional:
        lines.append("  classDef conditional stroke-dasharray: 5 5")
        lines.append(f"  class {','.join(optional)} conditional")
    return "\n".join(lines)


def org_chart(handbook: Handbook) -> str:
    """Reporting lines top-down; a disputed or assumed line is dashed and labelled, a headcount follows the title."""
    node = {role.id: f"r{i}" for i, role in enumerate(handbook.roles, 1)}
    lines = ["flowchart TD"]
    for role, _depth in derive.org_tree(handbook):
        text = role.title + (f"（编制 {role.headcount.count}）" if role.headcount else "")
        lines.append(f'  {node[role.id]}["{label(text)}"]')
    for role, _depth in derive.org_tree(handbook):
        line = role.reporting
        if line is None:
            continue
        note = derive.line_status(line)
        if note:
            lines.append(f'  {node[line.role]} -.->|"{label(note)}"| {node[role.id]}')
        else:
            lines.append(f"  {node[line.role]} --> {node[role.id]}")
    return "\n".join(lines)
