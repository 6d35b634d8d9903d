"""The C parser (libyaml) reads the handbook ten times faster; what it gives must be what the pure parser gives.

``opsbook.yamldoc.compose`` uses libyaml when the text has none of the constructs where the two are
known to part, and the pure parser otherwise or whenever libyaml complains. These tests compare the
two on the shipped handbook and on texts where they part.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from yaml.nodes import MappingNode, ScalarNode

from opsbook import yamldoc
from opsbook.yamldoc import compose, load_yaml

ROOT = Path(__file__).resolve().parents[2]
needs_libyaml = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")


def shape(node, seen=None) -> tuple:
    """What the loader reads of a node graph: kinds, tags, start positions; for scalars, value and end."""
    seen = {} if seen is None else seen
    if id(node) in seen:
        return ("alias", seen[id(node)])
    seen[id(node)] = len(seen)
    head = (type(node).__name__, node.tag, node.start_mark.line, node.start_mark.column)
    if isinstance(node, ScalarNode):
        return (*head, node.value, node.style == "|", node.start_mark.index, node.end_mark.line, node.end_mark.index)
    if isinstance(node, MappingNode):
        return (*head, *((shape(k, seen), shape(v, seen)) for k, v in node.value))
    return (*head, *(shape(child, seen) for child in node.value))


def shipped() -> list[Path]:
    return [
        ROOT / "handbook.yaml",
        *sorted((ROOT / "roles").glob("*.yaml")),
        *sorted((ROOT / "processes").glob("*.yaml")),
    ]


@needs_libyaml
@pytest.mark.parametrize("path", shipped(), ids=lambda p: p.name)
def test_the_shipped_handbook_is_read_by_libyaml_exactly_as_by_the_pure_parser(path):
    text = path.read_text(encoding="utf-8-sig")
    assert yamldoc._plain_sailing(text)  # the fast path is the one taken
    fast = yaml.compose(text, Loader=yaml.CSafeLoader)
    assert not yamldoc._empty_in_flow(fast)
    assert shape(fast) == shape(yaml.compose(text, Loader=yaml.SafeLoader))


@pytest.mark.parametrize(
    "text",
    [
        "activities: [起?合同]\n",  # the pure scanner ends a plain scalar at '?' in a flow collection
        "scope: {role: }\nsource: {doc: a, section: }\n",  # libyaml puts the empty value a column further
        "a: !\n",  # a bare tag: null for one, '' for the other
        "a: 1\n\ufeff  b: 2\n",  # a byte order mark inside the text
        "a:\n\tb: 1\n",  # tabs: the pure parser's message is the one reported
        "a: b",  # no final line break
        "kpis: " + "[" * 150 + "]" * 150 + "\n",  # deep, still on the fast path
        "kpis: " + "[" * 250 + "]" * 250 + "\n",  # deeper than the fast path goes
    ],
)
def test_where_the_parsers_part_the_pure_parsers_answer_stands(text):
    try:
        expected = shape(yaml.compose(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as exc:
        with pytest.raises(yaml.YAMLError) as raised:
            compose(text)
        assert str(raised.value) == str(exc)
    else:
        assert shape(compose(text)) == expected


@needs_libyaml
def test_a_complaint_of_libyaml_is_reported_in_the_pure_parsers_words(tmp_path, monkeypatch):
    calls = []
    real = yaml.compose
    monkeypatch.setattr(yaml, "compose", lambda text, Loader: calls.append(Loader) or real(text, Loader=Loader))
    path = tmp_path / "t.yaml"
    path.write_text("a: [1, 2\nb: 3\n", encoding="utf-8")
    doc, problems = load_yaml(path, "t.yaml")
    assert doc is None
    assert calls == [yaml.CSafeLoader, yaml.SafeLoader]
    assert [(p.code, p.line, p.column) for p in problems] == [("Y001", 2, 2)]
