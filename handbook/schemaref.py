"""The editors' field reference, read from the JSON Schemas (the contract, never retyped).

``fields(kind)`` flattens a schema into rows: ``steps[].deadline.within``, its
type, whether it is required, its description and its constraints.
"""

from __future__ import annotations

from dataclasses import dataclass

from opsbook.schemas import load_schema

KINDS = (
    ("handbook", "handbook.yaml", "全局设置"),
    ("role", "roles/<id>.yaml", "岗位"),
    ("process", "processes/<id>.yaml", "流程"),
)
_TYPES = {"string": "文本", "integer": "整数", "number": "数字", "boolean": "布尔值", "object": "对象", "array": "列表"}


@dataclass(frozen=True)
class Field:
    path: str
    type: str
    required: bool
    description: str
    constraints: str


class _Walker:
    def __init__(self, kind: str):
        self.schemas = {"common.schema.json": load_schema("common"), f"{kind}.schema.json": load_schema(kind)}
        self.home = f"{kind}.schema.json"
        self.rows: list[Field] = []

    def resolve(self, node: dict, home: str) -> tuple[dict, str]:
        """Follow ``$ref`` (keeping the referring node's own description), with the file it lives in."""
        while "$ref" in node:
            file, _, pointer = node["$ref"].partition("#")
            home = file or home
            target = self.schemas[home]
            for part in filter(None, pointer.split("/")):
                target = target[part]
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return node, home

    def type_of(self, node: dict, home: str) -> str:
        if "const" in node:
            return f"固定值 {node['const']}"
        if "oneOf" in node and "type" not in node:
            forms = [self.type_of(*self.resolve(alt, home)) for alt in node["oneOf"]]
            return " 或 ".join(forms)
        if "enum" in node and "type" not in node:
            return "选项"
        kinds = node.get("type", "")
        if isinstance(kinds, list):
            return "、".join(_TYPES.get(k, k) for k in kinds)
        if kinds == "array":
            items, item_home = self.resolve(node.get("items", {}), home)
            return f"{self.type_of(items, item_home)}的列表"
        if kinds == "object" and "properties" in node:
            return f"对象（{'、'.join(node['properties'])}）"
        return _TYPES.get(kinds, kinds or "—")

    @staticmethod
    def constraints(node: dict) -> str:
        parts = []
        if "enum" in node:
            parts.append("取值：" + "、".join(str(v) for v in node["enum"]))
        if "pattern" in node:
            parts.append(f"格式：{node['pattern']}")
        for key, label in (("minimum", "最小"), ("maximum", "最大"), ("minLength", "最短"), ("maxLength", "最长")):
            if key in node:
                parts.append(f"{label} {node[key]}")
        if "minItems" in node:
            parts.append(f"至少 {node['minItems']} 项")
        if node.get("uniqueItems"):
            parts.append("不可重复")
        if "default" in node:
            parts.append(f"默认 {node['default']}")
        return "；".join(parts)

    def walk(self, node: dict, home: str, path: str, required: bool, depth: int = 0) -> None:
        node, home = self.resolve(node, home)
        if path:
            row = Field(path, self.type_of(node, home), required, node.get("description", ""), self.constraints(node))
            self.rows.append(row)
        if depth > 8:
            return
        if node.get("type") == "array":
            items, item_home = self.resolve(node.get("items", {}), home)
            self.children(items, item_home, f"{path}[]", depth)
        else:
            self.children(node, home, path, depth)

    def children(self, node: dict, home: str, path: str, depth: int) -> None:
        prefix = f"{path}." if path else ""
        needed = set(node.get("required", []))
        for name, child in node.get("properties", {}).items():
            self.walk(child, home, prefix + name, name in needed, depth + 1)
        for alternative in node.get("oneOf", []):  # e.g. an anchor is case_start, {step} or {attribute}
            alt, alt_home = self.resolve(alternative, home)
            if "properties" in alt:
                self.children(alt, alt_home, path, depth)


def fields(kind: str) -> list[Field]:
    walker = _Walker(kind)
    walker.walk(walker.schemas[walker.home], walker.home, "", True)
    seen, unique = set(), []
    for row in walker.rows:  # alternatives sharing a field name (cadence forms) list it once
        if row.path not in seen:
            seen.add(row.path)
            unique.append(row)
    return unique


def schema_title(kind: str) -> tuple[str, str]:
    schema = load_schema(kind)
    return schema.get("title", kind), schema.get("description", "")
