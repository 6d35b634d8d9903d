"""JSON Schema validation of loaded documents, with positions for every error."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import quickschema
from .problems import Msg, Problem
from .suggest import Index
from .yamldoc import Document

if TYPE_CHECKING:  # jsonschema is imported when a document is not valid at a glance (opsbook.quickschema)
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError
    from referencing import Registry

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


def _as_written(pattern: str) -> str:
    """A pattern as the schema file writes it (the inverse of ``_python_patterns``)."""
    return pattern[:-2] + "$" if pattern.endswith(r"\Z") else pattern


def _visible(text: str) -> str:
    """``text`` with line breaks and other control characters written as escapes."""
    return "".join(ch if ch.isprintable() or ch == " " else repr(ch)[1:-1] for ch in text)


@cache
def _documents() -> dict[str, dict]:
    """Every schema by file name, patterns in Python's reading."""
    return {
        path.name: _python_patterns(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(schema_dir().glob("*.schema.json"))
    }


@cache
def _registry() -> Registry:
    from referencing import Registry, Resource

    registry = Registry()
    for name, contents in _documents().items():
        registry = registry.with_resource(name, Resource.from_contents(contents))
    return registry


@cache
def _quick() -> quickschema.Checker:
    return quickschema.Checker(_documents())


@cache
def validator(kind: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator({"$ref": f"{kind}.schema.json"}, registry=_registry())


def load_schema(kind: str) -> dict:
    return json.loads((schema_dir() / f"{kind}.schema.json").read_text(encoding="utf-8"))


_CODE_BY_KEYWORD = {"required": "S001", "additionalProperties": "S002", "type": "S003"}
ID_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
_TYPES = {"string", "array", "object", "integer", "number", "boolean", "null"}
_SIMPLE = {
    "minLength": "schema.too-short",
    "maxLength": "schema.too-long",
    "minimum": "schema.too-small",
    "maximum": "schema.too-large",
    "minItems": "schema.too-few",
    "uniqueItems": "schema.not-unique",
}


def _most_specific(error: ValidationError) -> ValidationError:
    from jsonschema.exceptions import best_match

    # oneOf/anyOf report "not valid under any of the given schemas"; the best
    # sub-error says what is really wrong (a wrong unit, a missing 'from' ...).
    # Of the alternatives, the one whose type fits the value says what is wrong with it
    # (reports_to: 售后服务专员 is a text that is not an id, not "should be a mapping").
    while error.context:
        fitting = [e for e in error.context if e.validator != "type"] or list(error.context)
        error = best_match(fitting)
    return error


def _type_name(value: object) -> str:
    return {
        str: "string",
        list: "array",
        dict: "object",
        int: "integer",
        float: "number",
        bool: "boolean",
        type(None): "null",
    }.get(type(value), "string")


def _describe(error: ValidationError, where: object) -> tuple[str, str, dict, bool]:
    """Code, message id, parameters, and whether to point at the offending key rather than the value."""
    keyword = error.validator
    code = _CODE_BY_KEYWORD.get(keyword, "S004")
    value = error.instance
    if keyword == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(k for k in value if k not in allowed)[0]
        params = {"field": extra, "allowed": ", ".join(allowed), "suggest": tuple(suggest_from(extra, allowed))}
        return code, "schema.unknown-field", params, True
    if keyword == "required":
        return code, "schema.missing-field", {"field": error.message.split(chr(39))[1]}, False
    if keyword == "type":
        wanted = error.validator_value if isinstance(error.validator_value, str) else error.validator_value[0]
        wanted = wanted if wanted in _TYPES else "string"
        return (
            code,
            "schema.wrong-type",
            {"expected": Msg(f"type.{wanted}"), "actual": Msg(f"type.{_type_name(value)}")},
            False,
        )
    if keyword == "pattern":
        pattern = _as_written(error.validator_value)
        shown = _visible(str(value))  # 'notify\n' must not break the message's line
        if pattern == ID_PATTERN:
            return code, "schema.not-an-id", {"value": shown}, False
        return code, "schema.bad-format", {"value": shown, "pattern": pattern}, False
    if keyword == "enum":
        choices = [str(c) for c in error.validator_value]
        params = {
            "value": str(value),
            "allowed": ", ".join(choices),
            "suggest": tuple(suggest_from(str(value), choices)),
        }
        return code, "schema.not-one-of", params, False
    if keyword in _SIMPLE:
        return code, _SIMPLE[keyword], {"value": str(value), "limit": str(error.validator_value)}, False
    return code, "schema.invalid", {"detail": error.message}, False


def suggest_from(typed: str, choices: list[str]) -> list[str]:
    return Index().extend((c, ()) for c in choices).suggest(typed)


def schema_problems(doc: Document, kind: str) -> list[Problem]:
    if _quick().valid(doc.data, kind) == quickschema.VALID:  # certainly valid: no need to look for errors
        return []
    problems = []
    for top in validator(kind).iter_errors(doc.data):
        error = _most_specific(top)
        path = tuple(error.absolute_path)
        if any(path[: len(alias)] == alias for alias in doc.alias_paths):
            continue  # already reported as Y003
        where = "/".join(str(p) for p in path) or Msg("where.document")
        code, msgid, params, at_key = _describe(error, where)
        if at_key:
            path = path + (params["field"],)
        problems.append(doc.problem(path, code, msgid, key=at_key, where=where, **params))
    return problems
