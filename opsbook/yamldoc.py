"""Safe YAML loading that remembers where every node stands.

PyYAML's ``safe_load`` forgets positions and silently keeps the last of two
duplicate keys. We compose the node graph ourselves, build plain Python data
(no object construction, timestamps kept as text so JSON Schema sees what the
author typed) and keep a map from each JSON path to its 1-based line and column.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problem

MAX_BYTES = 1 << 20
JsonPath = tuple[str | int, ...]


@dataclass
class Document:
    """A loaded YAML file: plain data plus the position of every node."""

    path: Path
    label: str  # how the file is named in messages (relative to the handbook root)
    data: Any
    first_line: str = ""
    positions: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    alias_paths: set[JsonPath] = field(default_factory=set)

    def where(self, path: JsonPath, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the node at ``path`` (or of its key), else its nearest ancestor."""
        path = tuple(path)
        if key and path in self.key_positions:
            return self.key_positions[path]
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def problem(self, path: JsonPath, code: str, message: str, *, key: bool = False) -> Problem:
        line, column = self.where(path, key=key)
        return Problem(self.label, line, column, code, message)


class _Scalars(SafeConstructor):
    """Scalars resolved as YAML 1.1 safe types, but dates stay strings."""

    def construct_yaml_timestamp(self, node):  # noqa: D102 - keep what the author typed
        return node.value


_Scalars.add_constructor("tag:yaml.org,2002:timestamp", _Scalars.construct_yaml_timestamp)


_UNREADABLE = object()  # a scalar that could not be read (already reported)


def _pos(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    def __init__(self, doc: Document):
        self.doc = doc
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.scalars = _Scalars()

    def build(self, node: Node, path: JsonPath) -> Any:
        self.doc.positions[path] = _pos(node)
        if id(node) in self.seen:
            # Composed aliases share the node object; refuse them so an alias
            # bomb cannot blow up and so each value has one place in the file.
            self.problems.append(self.doc.problem(path, "Y003", "anchors and aliases are not allowed here", key=True))
            self.doc.alias_paths.add(path)
            return None
        self.seen.add(id(node))
        if isinstance(node, ScalarNode):
            value = self.scalar(node)
            if value is _UNREADABLE:
                self.doc.alias_paths.add(path)  # reported once, as Y001; no schema error on top
                return None
            return value
        if isinstance(node, SequenceNode):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        out: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node) if isinstance(key_node, ScalarNode) else None
            if key is _UNREADABLE:
                continue
            if not isinstance(key, str | int | float | bool) or key is None:
                self.problems.append(self.doc.problem(path, "Y001", "mapping keys must be plain text", key=False))
                continue
            key = str(key)
            line, col = _pos(key_node)
            if key in first_seen:
                self.problems.append(
                    Problem(
                        self.doc.label,
                        line,
                        col,
                        "Y002",
                        f"duplicate key '{key}' (first defined at line {first_seen[key]})",
                    )
                )
                continue
            first_seen[key] = line
            self.doc.key_positions[path + (key,)] = (line, col)
            out[key] = self.build(value_node, path + (key,))
        return out

    def scalar(self, node: ScalarNode) -> Any:
        # An explicit tag (!!int abc, !custom x, a bare '=') or a value Python will
        # not hold (an integer of 5,000 digits) is the author's mistake, not ours.
        try:
            return self.scalars.construct_object(node)
        except (yaml.YAMLError, ValueError, KeyError, TypeError) as exc:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            shown = node.value if len(node.value) <= 40 else node.value[:40] + "…"
            reason = getattr(exc, "problem", None) or str(exc).split(";")[0]
            if isinstance(exc, KeyError) or not reason:
                reason = "not a valid value"
            if reason.startswith("could not determine a constructor"):
                message = f"unknown tag {tag} on {shown!r}; remove the tag, or quote the value to keep it as text"
            else:
                message = f"cannot read {shown!r} as {tag}: {reason}"
            line, col = _pos(node)
            self.problems.append(Problem(self.doc.label, line, col, "Y001", message))
            return _UNREADABLE


class NotRegular(OSError):
    """The path names a folder, FIFO, device or socket, not a file."""


def read_regular(path: Path, limit: int) -> tuple[bytes, int]:
    """At most ``limit`` bytes of ``path`` and its size, if it is a regular file (links followed); else NotRegular.

    A FIFO named ``x.yaml`` would block the reader and ``/dev/zero`` never ends, so
    the file is opened without blocking and checked before a byte is read.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(str(path))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(limit)
        return raw, max(info.st_size, len(raw))
    finally:
        os.close(fd)


def load_yaml(path: Path, label: str) -> tuple[Document | None, list[Problem]]:
    """Load one file. Never raises for bad content: problems are returned instead."""

    def fail(code: str, message: str, line: int = 1, column: int = 1):
        return None, [Problem(label, line, column, code, message)]

    try:
        raw, size = read_regular(path, MAX_BYTES + 1)
    except NotRegular:
        return fail(
            "Y004", "not a regular file (a folder, FIFO, device or socket is never read); remove it or rename it"
        )
    except OSError as exc:
        return fail("Y004", f"cannot read the file: {exc.strerror or exc}")
    if len(raw) > MAX_BYTES:
        return fail("Y005", f"the file is {size:,} bytes; policy files are limited to {MAX_BYTES:,}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return fail("Y004", f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", line, column)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return fail("Y004", "the file contains a NUL byte; it is not a text file", line)
    doc = Document(path=path, label=label, data=None, first_line=text.split("\n", 1)[0])
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        if "\t" in text and "'\\t'" in str(exc):
            what += " (tabs cannot indent YAML; use spaces)"
        return fail("Y001", what, *where)
    except yaml.YAMLError as exc:
        return fail("Y001", str(exc).splitlines()[0] if str(exc) else "invalid YAML")
    except RecursionError:
        return fail("Y001", "the YAML is nested too deeply")
    if node is None:
        return fail("Y004", "the file is empty")
    builder = _Builder(doc)
    try:
        doc.data = builder.build(node, ())
    except RecursionError:
        return fail("Y001", "the YAML is nested too deeply")
    return doc, builder.problems
