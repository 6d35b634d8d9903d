"""JSON Schema validation of loaded documents, with positions for every error."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource

from .problems import Problem
from .yamldoc import Document

KINDS = ("role", "process", "handbook")


def schema_dir() -> Path:
    """The schema folder: beside the package in a checkout, inside it in a wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "schema", here / "schema"):
        if (candidate / "common.schema.json").is_file():
            return candidate
    raise FileNotFoundError("the schema/ folder is missing from the installation")


def _python_patterns(node):
    """The schema with every ``pattern``'s final ``$`` made ``\\Z``.

    The files are ECMA-262 for editors, where a final ``$`` ends the string; Python's
    ``$`` also matches before a final line break, so ``notify\\n`` or a folded
    ``3 workdays\\n`` would pass as an id or a duration, then break the build.
    """
    if isinstance(node, list):
        return [_python_patterns(x) for x in node]
    if not isinstance(node, dict):
        return node
    fixed = {k: _python_patterns(v) for k, v in node.items()}
    pattern = fixed.get("pattern")
    if isinstance(pattern, str) and pattern.endswith("$") and not pattern.endswith("\\$"):
        fixed["pattern"] = pattern[:-1] + r"\Z"
    return fixed


@cache
def _registry() -> Registry:
    registry = Registry()
    for path in sorted(schema_dir().glob("*.schema.json")):
        contents = _python_patterns(json.loads(path.read_text(encoding="utf-8")))
        registry = registry.with_resource(path.name, Resource.from_contents(contents))
    return registry


@cache
def validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": f"{kind}.schema.json"}, registry=_registry())


def load_schema(kind: str) -> dict:
    return json.loads((schema_dir() / f"{kind}.schema.json").read_text(encoding="utf-8"))


_CODE_BY_KEYWORD = {"required": "S001", "additionalProperties": "S002", "type": "S003"}


def _most_specific(error: ValidationError) -> ValidationError:
    # oneOf/anyOf report "not valid under any of the given schemas"; the best
    # sub-error says what is really wrong (a wrong unit, a missing 'from' ...).
    while error.context:
        error = best_match(error.context)
    return error


def _describe(error: ValidationError, where: str) -> tuple[str, str, bool]:
    """Code, message, and whether to point at the offending key rather than the value."""
    keyword = error.validator
    code = _CODE_BY_KEYWORD.get(keyword, "S004")
    if keyword == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in allowed)
        return code, f"unknown field '{extra[0]}' in {where}; allowed: {', '.join(sorted(allowed))}", True
    if keyword == "required":
        return code, f"{where} is missing the required field '{error.message.split(chr(39))[1]}'", False
    if keyword == "type":
        return code, f"{where} should be of type {error.validator_value}, not {type(error.instance).__name__}", False
    return code, f"{where}: {error.message}", False


def schema_problems(doc: Document, kind: str) -> list[Problem]:
    problems = []
    for top in validator(kind).iter_errors(doc.data):
        error = _most_specific(top)
        path = tuple(error.absolute_path)
        if any(path[: len(alias)] == alias for alias in doc.alias_paths):
            continue  # already reported as Y003
        where = "/".join(str(p) for p in path) or "the document"
        code, message, at_key = _describe(error, where)
        if at_key:
            extra = next(k for k in error.instance if k not in error.schema.get("properties", {}))
            problems.append(doc.problem(path + (extra,), code, message, key=True))
        else:
            problems.append(doc.problem(path, code, message))
    return problems
