"""A quick yes for a valid document, before the full JSON Schema validation.

``jsonschema`` validates a handbook file in about 5 ms, most of it resolving ``$ref``
and building error context; ``opsbook check`` reads the handbook twice (the working
tree and the previous release, for the confirmation rules C204–C206), which made
schema validation a quarter of its start-up. This walks the same schemas (the
keywords they use, nothing more) and answers VALID only when the document is valid
for certain; any doubt (a keyword it does not know, an enum of another type, items
it cannot compare) is UNKNOWN. Only VALID skips ``jsonschema``: every error is still
found, worded and placed by ``opsbook.schemas`` exactly as before.

Three answers, not two, because ``oneOf`` and ``not`` turn a wrong "invalid" into a
wrong "valid": under them an UNKNOWN branch makes the whole UNKNOWN.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from urllib.parse import urldefrag

VALID, INVALID, UNKNOWN = 1, 0, -1
ANNOTATIONS = frozenset({"description", "title", "default", "$schema", "$defs", "$comment", "format", "examples"})


class _Unknown(Exception):
    """A schema construct this checker does not evaluate: the answer is UNKNOWN."""


def _is_type(value: object, name: str) -> bool:
    """JSON Schema's types as ``jsonschema`` reads Python values (bool is no number; 1.0 is an integer)."""
    if name == "string":
        return isinstance(value, str)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if isinstance(value, bool):
        return False
    if name == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, int | float)
    raise _Unknown(name)


def _same(value: object, choice: object) -> bool:
    """Equal for ``enum``/``const`` as jsonschema compares, where that is plain ``==``: a text or None on
    either side (a text equals only a text, None only None); numbers, lists and mappings are left to it."""
    if isinstance(value, str) or isinstance(choice, str) or value is None or choice is None:
        return value == choice
    raise _Unknown("enum")


class Checker:
    """The schemas by file name (patterns already in Python's reading, see ``opsbook.schemas``)."""

    def __init__(self, documents: dict[str, dict]):
        self.documents = documents
        self.targets: dict[tuple[str, str], tuple[dict, str]] = {}  # (ref, base) → (schema, its document)

    def valid(self, instance: object, kind: str) -> int:
        try:
            return (
                VALID
                if self._check(instance, self.documents[f"{kind}.schema.json"], f"{kind}.schema.json")
                else INVALID
            )
        except _Unknown:
            return UNKNOWN

    def _resolve(self, ref: str, base: str) -> tuple[dict, str]:
        if (ref, base) not in self.targets:
            self.targets[ref, base] = self._find(ref, base)
        return self.targets[ref, base]

    def _find(self, ref: str, base: str) -> tuple[dict, str]:
        target, fragment = urldefrag(ref)
        base = target or base
        node = self.documents[base]
        if fragment:
            if not fragment.startswith("/"):
                raise _Unknown(ref)
            for part in fragment[1:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
        return node, base

    def _check(self, value: object, schema: object, base: str) -> bool:
        if schema is True or schema is False:
            return schema
        if not isinstance(schema, dict):
            raise _Unknown(schema)
        for key, rule in schema.items():
            if key in ANNOTATIONS:
                continue
            check = _KEYWORDS.get(key)
            if check is None:
                raise _Unknown(key)
            if not check(self, value, rule, schema, base):
                return False
        return True


def _type(c: Checker, value, rule, schema, base) -> bool:
    return any(_is_type(value, name) for name in ([rule] if isinstance(rule, str) else rule))


def _ref(c: Checker, value, rule, schema, base) -> bool:
    target, where = c._resolve(rule, base)
    return c._check(value, target, where)


def _properties(c: Checker, value, rule, schema, base) -> bool:
    return not isinstance(value, dict) or all(c._check(value[k], sub, base) for k, sub in rule.items() if k in value)


def _additional(c: Checker, value, rule, schema, base) -> bool:
    if not isinstance(value, dict):
        return True
    if "patternProperties" in schema:
        raise _Unknown("patternProperties")
    known = schema.get("properties", {})
    return all(c._check(v, rule, base) for k, v in value.items() if k not in known)


def _items(c: Checker, value, rule, schema, base) -> bool:
    if "prefixItems" in schema:
        raise _Unknown("prefixItems")
    return not isinstance(value, list) or all(c._check(item, rule, base) for item in value)


def _unique(c: Checker, value, rule, schema, base) -> bool:
    if not rule or not isinstance(value, list):
        return True
    if not (all(isinstance(item, str) for item in value) or all(type(item) is int for item in value)):
        raise _Unknown("uniqueItems")  # 1 and 1.0 are one item, True and 1 two: left to jsonschema
    return len(set(value)) == len(value)


def _one_of(c: Checker, value, rule, schema, base) -> bool:
    return sum(_exactly(c, value, sub, base) for sub in rule) == 1


def _exactly(c: Checker, value, schema, base) -> bool:
    """Valid or not, for certain (an UNKNOWN inside propagates as _Unknown)."""
    return c._check(value, schema, base)


def _if(c: Checker, value, rule, schema, base) -> bool:
    branch = "then" if c._check(value, rule, base) else "else"
    return branch not in schema or c._check(value, schema[branch], base)


def _sized(measure: Callable[[object], int | None], test: Callable[[int, object], bool]):
    def check(c: Checker, value, rule, schema, base) -> bool:
        size = measure(value)
        return size is None or test(size, rule)

    return check


def _length(value) -> int | None:
    return len(value) if isinstance(value, str) else None


def _count(value) -> int | None:
    return len(value) if isinstance(value, list) else None


def _number(value):
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


@cache
def _pattern(text: str) -> re.Pattern:
    return re.compile(text)


_KEYWORDS: dict[str, Callable[..., bool]] = {
    "type": _type,
    "$ref": _ref,
    "properties": _properties,
    "additionalProperties": _additional,
    "items": _items,
    "required": lambda c, value, rule, schema, base: not isinstance(value, dict) or all(k in value for k in rule),
    # the comparisons as jsonschema makes them (a NaN is neither too small nor too large)
    "minLength": _sized(_length, lambda n, limit: not n < limit),
    "maxLength": _sized(_length, lambda n, limit: not n > limit),
    "minItems": _sized(_count, lambda n, limit: not n < limit),
    "minimum": _sized(_number, lambda n, limit: not n < limit),
    "maximum": _sized(_number, lambda n, limit: not n > limit),
    "pattern": lambda c, value, rule, schema, base: not isinstance(value, str) or bool(_pattern(rule).search(value)),
    "uniqueItems": _unique,
    "enum": lambda c, value, rule, schema, base: any(_same(value, choice) for choice in rule),
    "const": lambda c, value, rule, schema, base: _same(value, rule),
    "oneOf": _one_of,
    "anyOf": lambda c, value, rule, schema, base: any(c._check(value, sub, base) for sub in rule),
    "not": lambda c, value, rule, schema, base: not c._check(value, rule, base),
    "if": _if,
    "then": lambda *_: True,  # read by "if"
    "else": lambda *_: True,
}
