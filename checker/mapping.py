"""Which log column holds what: the column mapping, from a YAML file or CLI flags.

A mapping file names the log's own headers, for example for a Chinese Excel export::

    case_id: 客户编号
    activity: 动作
    timestamp: 时间
    performer: 经办人
    role: 岗位
    id: 流水号            # optional: used as the event reference
    attributes:           # attribute name: log header
      payment_method: 付款方式
      handover_date: 交房日期

A field the mapping leaves out falls back to the default column names
(``checker.readers.normalise.DEFAULT_COLUMNS``: ours and the XES keys). A header
the mapping names must exist in every log file read with it. Log columns the
mapping does not name are kept as ``attr:<header>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping as AnyMapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

import yaml

from checker.readers.errors import LogError
from opsbook.yamldoc import MAX_BYTES, NotRegular, read_regular

FIELDS = ("case_id", "activity", "timestamp", "performer", "role", "id")
KEYS = (*FIELDS, "attributes")
_SAFE_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}


@dataclass(frozen=True, slots=True)
class Mapping:
    case_id: str | None = None
    activity: str | None = None
    timestamp: str | None = None
    performer: str | None = None
    role: str | None = None
    id: str | None = None  # a column of unique row ids, used as event references
    attributes: tuple[tuple[str, str], ...] = ()  # (attribute name, log header)
    source: str = ""  # the file or flags it came from, for messages

    def header(self, field: str) -> str | None:
        return getattr(self, field)

    def merged(self, other: Mapping) -> Mapping:
        """This mapping with ``other``'s fields on top (flags over a file)."""
        changes = {f: getattr(other, f) for f in FIELDS if getattr(other, f)}
        attributes = dict(self.attributes) | dict(other.attributes)
        return replace(self, **changes, attributes=tuple(attributes.items()))

    def to_dict(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name in FIELDS and getattr(self, f.name)}
        if self.attributes:
            out["attributes"] = dict(self.attributes)
        return out

    @classmethod
    def from_flags(
        cls,
        *,
        case_id: str | None = None,
        activity: str | None = None,
        timestamp: str | None = None,
        performer: str | None = None,
        role: str | None = None,
        id: str | None = None,
        attributes: Iterable[str] | AnyMapping[str, str] = (),
    ) -> Mapping:
        """From CLI flags; ``attributes`` as ``NAME=HEADER`` strings or a dict."""
        if isinstance(attributes, AnyMapping):
            pairs = list(attributes.items())
        else:
            pairs = []
            for spec in attributes:
                name, sep, header = spec.partition("=")
                if not sep or not name.strip() or not header.strip():
                    raise LogError("--attr", f"expected NAME=COLUMN, got {spec!r}")
                pairs.append((name.strip(), header.strip()))
        values = dict(case_id=case_id, activity=activity, timestamp=timestamp, performer=performer, role=role, id=id)
        return cls(**values, attributes=tuple(pairs), source="command line")

    @classmethod
    def load(cls, path: str | Path) -> Mapping:
        """Read a mapping file; unknown keys and malformed values raise LogError naming file and line."""
        path = Path(path)
        try:
            raw, size = read_regular(path, MAX_BYTES + 1)
            if size > MAX_BYTES:
                raise LogError(path, f"the file is {size:,} bytes; a mapping is limited to {MAX_BYTES:,}")
            text = raw.decode("utf-8-sig")
            _refuse_aliases(path, text)
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except NotRegular:
            raise LogError(path, "not a regular file (a folder, FIFO or device is never read)") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise LogError(path, f"cannot read mapping file: {exc}") from None
        except RecursionError:
            raise LogError(path, "not valid YAML: the YAML is nested too deeply") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise LogError(path, f"not valid YAML: {getattr(exc, 'problem', exc)}", _line(mark)) from None
        if not isinstance(node, yaml.MappingNode) or node.tag not in _SAFE_TAGS:
            raise LogError(path, "expected keys such as 'activity: 动作'", _line(node.start_mark if node else None))
        values: dict = {}
        for key_node, value_node in node.value:
            key, line = key_node.value, _line(key_node.start_mark)
            if key not in KEYS:
                raise LogError(path, f"unknown key {key!r} (expected one of: {', '.join(KEYS)})", line)
            if key in values:
                raise LogError(path, f"key {key!r} given twice", line)
            values[key] = _pairs(path, value_node) if key == "attributes" else _text(path, key, value_node)
        return cls(**values, source=str(path))


def _refuse_aliases(path: Path, text: str) -> None:
    # As in the handbook (opsbook.yamldoc): one place per value, and no alias bomb to walk.
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise LogError(path, "anchors and aliases are not allowed here", _line(event.start_mark))


def _line(mark) -> int | None:
    return mark.line + 1 if mark is not None else None


def _text(path: Path, key: str, node: yaml.Node) -> str:
    # The raw scalar text, so a header such as 001 or 2024 stays exactly as written.
    _check_tag(path, key, node)
    if not isinstance(node, yaml.ScalarNode) or not node.value.strip():
        raise LogError(path, f"{key!r} must name a column header", _line(node.start_mark))
    return node.value.strip()


def _check_tag(path: Path, key: str, node: yaml.Node) -> None:
    # Only the tags safe_load would accept; nodes are never constructed anyway.
    if node.tag not in _SAFE_TAGS:
        raise LogError(path, f"{key!r}: unsupported YAML tag {node.tag!r}", _line(node.start_mark))


def _pairs(path: Path, node: yaml.Node) -> tuple[tuple[str, str], ...]:
    _check_tag(path, "attributes", node)
    if not isinstance(node, yaml.MappingNode):
        raise LogError(path, "'attributes' must map attribute names to column headers", _line(node.start_mark))
    pairs: dict[str, str] = {}
    for key_node, value_node in node.value:
        name = _text(path, "attributes", key_node)
        if name in pairs:
            raise LogError(path, f"attribute {name!r} given twice", _line(key_node.start_mark))
        pairs[name] = _text(path, f"attributes.{name}", value_node)
    return tuple(pairs.items())
