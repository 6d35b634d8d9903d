"""The schema's patterns match whole values in Python as they do in an editor (ECMA-262)."""

from __future__ import annotations

import json

import pytest

from opsbook.schemas import _registry, schema_dir, validator


def patterns(node):
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node["pattern"]
        for value in node.values():
            yield from patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from patterns(value)


def test_every_pattern_is_anchored_at_the_very_end_in_python():
    files = sorted(schema_dir().glob("*.schema.json"))
    written = [p for f in files for p in patterns(json.loads(f.read_text(encoding="utf-8")))]
    used = [p for f in files for p in patterns(_registry()[f.name].contents)]
    assert written and len(used) == len(written)
    assert all(p.endswith("\\Z") for p in used), used  # Python's $ would also match before a final "\n"


@pytest.mark.parametrize(
    ("path", "good"),
    [(("id",), "clerk"), (("responsibilities", 0, "id"), "r1")],
)
def test_a_value_with_a_trailing_line_break_is_refused(path, good):
    role = {
        "id": "clerk",
        "title": "内勤",
        "department": "销售部",
        "purpose": "起草合同。",
        "responsibilities": [{"id": "r1", "text": "起草合同。"}],
    }
    assert not list(validator("role").iter_errors(role))
    target = role
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = good + "\n"
    errors = list(validator("role").iter_errors(role))
    assert [tuple(e.absolute_path) for e in errors] == [path]
