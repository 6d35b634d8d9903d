"""The quick schema check says VALID only for documents jsonschema finds no error in.

``opsbook.quickschema`` lets ``schema_problems`` skip jsonschema for valid files; a wrong
VALID would hide a schema error, so it is compared with jsonschema on the shipped handbook,
on every fixture, and on many random edits of the shipped files.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest

from opsbook import quickschema, schemas
from opsbook.yamldoc import load_yaml

ROOT = Path(__file__).resolve().parents[2]
KIND = {"roles": "role", "processes": "process"}


def kind_of(path: Path) -> str:
    return "handbook" if path.name == "handbook.yaml" else KIND[path.parent.name]


def shipped() -> list[Path]:
    return [
        ROOT / "handbook.yaml",
        *sorted((ROOT / "roles").glob("*.yaml")),
        *sorted((ROOT / "processes").glob("*.yaml")),
    ]


def data(path: Path):
    doc, _ = load_yaml(path, path.name)
    return doc.data


def errors(value, kind: str) -> list:
    return list(schemas.validator(kind).iter_errors(value))


def quick(value, kind: str) -> int:
    return schemas._quick().valid(value, kind)


@pytest.mark.parametrize("path", shipped(), ids=lambda p: p.name)
def test_the_shipped_handbook_is_valid_at_a_glance(path):
    assert quick(data(path), kind_of(path)) == quickschema.VALID
    assert errors(data(path), kind_of(path)) == []


def fixtures() -> list[Path]:
    found = []
    for pattern in ("tests/fixtures/**/*.yaml", "tests/hardening/corpus/handbook/**/*.yaml"):
        for path in sorted(ROOT.glob(pattern)):
            if (path.name == "handbook.yaml" or path.parent.name in KIND) and load_yaml(path, path.name)[0]:
                found.append(path)  # the ones that are YAML at all
    return found


@pytest.mark.parametrize("path", fixtures(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_fixture_with_a_schema_error_is_taken_for_valid(path):
    doc, _ = load_yaml(path, path.name)
    if errors(doc.data, kind_of(path)):
        assert quick(doc.data, kind_of(path)) != quickschema.VALID


VALUES = ["", "x", "a" * 600, "bad id", "case_start", "every-role", "2 workdays", 0, 1, 7, 8, -1, 2.5, 1.0,
          True, False, None, [], ["x"], ["x", "x"], [1, 1], {}, {"id": "x"}, float("nan")]  # fmt: skip


def edits(value, rng: random.Random):
    """One random edit of a document: replace, delete or add somewhere."""
    value = copy.deepcopy(value)
    node, key = None, None
    cursor = value
    while isinstance(cursor, dict | list) and cursor and rng.random() < 0.8:
        key = rng.choice(list(cursor)) if isinstance(cursor, dict) else rng.randrange(len(cursor))
        node, cursor = cursor, cursor[key]
    if node is None:
        return value
    move = rng.random()
    if move < 0.6:
        node[key] = copy.deepcopy(rng.choice(VALUES))
    elif move < 0.8:
        del node[key]
    elif isinstance(node, dict):
        node[rng.choice(["extra", "id", "title", "scope", "every", "due"])] = copy.deepcopy(rng.choice(VALUES))
    else:
        node.append(copy.deepcopy(rng.choice([*VALUES, node[key]])))
    return value


@pytest.mark.parametrize("seed", range(4))
def test_random_edits_of_the_shipped_files_are_never_wrongly_valid(seed):
    rng = random.Random(seed)
    originals = [(data(path), kind_of(path)) for path in shipped()]
    verdicts = {quickschema.VALID: 0, quickschema.INVALID: 0, quickschema.UNKNOWN: 0}
    for _ in range(300):
        original, kind = rng.choice(originals)
        edited = edits(edits(original, rng), rng) if rng.random() < 0.3 else edits(original, rng)
        verdict = quick(edited, kind)
        verdicts[verdict] += 1
        if verdict == quickschema.VALID:
            assert errors(edited, kind) == [], edited
        elif verdict == quickschema.INVALID:
            assert errors(edited, kind) != [], edited
    assert verdicts[quickschema.INVALID] > 50  # the edits do reach the schema's rules
