"""Safe YAML loading that remembers where every node stands.

PyYAML's ``safe_load`` forgets positions and silently keeps the last of two
duplicate keys. We compose the node graph ourselves, build plain Python data
(no object construction, timestamps kept as text so JSON Schema sees what the
author typed) and keep a map from each JSON path to its 1-based line and column.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problem
from .punctuation import fullwidth_problems

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

    def problem(self, path: JsonPath, code: str, msgid: str, /, *, key: bool = False, **params: object) -> Problem:
        line, column = self.where(path, key=key)
        return Problem.of(self.label, line, column, code, msgid, **params)


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
            self.problems.append(self.doc.problem(path, "Y003", "yaml.alias", key=True))
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
                self.problems.append(self.doc.problem(path, "Y001", "yaml.plain-keys", key=False))
                continue
            key = str(key)
            line, col = _pos(key_node)
            if key in first_seen:
                self.problems.append(
                    Problem.of(self.doc.label, line, col, "Y002", "yaml.duplicate-key", name=key, first=first_seen[key])
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
            value = self.scalars.construct_object(node)
            return _join_cjk_folds(node, value) if isinstance(value, str) else value
        except (yaml.YAMLError, ValueError, KeyError, TypeError) as exc:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            shown = node.value if len(node.value) <= 40 else node.value[:40] + "…"
            reason = getattr(exc, "problem", None) or str(exc).split(";")[0]
            if isinstance(exc, KeyError) or not reason:
                reason = "not a valid value"
            line, col = _pos(node)
            if reason.startswith("could not determine a constructor"):
                found = Problem.of(self.doc.label, line, col, "Y001", "yaml.unknown-tag", tag=tag, value=repr(shown))
            else:
                found = Problem.of(
                    self.doc.label, line, col, "Y001", "yaml.bad-scalar", tag=tag, value=repr(shown), reason=reason
                )
            self.problems.append(found)
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


_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef“”‘’…—]")


def _join_cjk_folds(node: ScalarNode, value: str) -> str:
    """A text folded over lines reads without the space YAML puts at each line break between
    two Chinese characters or punctuation marks (解决，⏎并对 is 解决，并对, not 解决， 并对);
    spaces typed inside a line stay."""
    start, end = node.start_mark, node.end_mark
    if start.line == end.line or node.style == "|" or not start.buffer:
        return value
    lines = start.buffer[start.pointer : end.pointer].split("\n")
    for before, after in zip(lines, lines[1:], strict=False):
        left, right = before.rstrip().rstrip("\\"), after.lstrip().lstrip("\\")
        if left and right and _CJK.match(left[-1]) and _CJK.match(right[0]):
            value = value.replace(f"{left[-1]} {right[0]}", left[-1] + right[0])
    return value


def load_yaml(path: Path, label: str) -> tuple[Document | None, list[Problem]]:
    """Load one file. Never raises for bad content: problems are returned instead."""

    def fail(code: str, msgid: str, line: int = 1, column: int = 1, **params: object):
        return None, [Problem.of(label, line, column, code, msgid, **params)]

    try:
        raw, size = read_regular(path, MAX_BYTES + 1)
    except NotRegular:
        return fail("Y004", "file.not-regular")
    except OSError as exc:
        return fail("Y004", "file.unreadable", reason=str(exc.strerror or exc))
    if len(raw) > MAX_BYTES:
        return fail("Y005", "file.too-large", size=f"{size:,}", limit=f"{MAX_BYTES:,}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return fail("Y004", "file.not-utf8", line, column, byte=f"{raw[exc.start]:02x}")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return fail("Y004", "file.nul", line)
    doc = Document(path=path, label=label, data=None, first_line=text.split("\n", 1)[0])
    punctuation = fullwidth_problems(text, label)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        if punctuation:  # the parser's complaint would point past the real mistake
            return None, punctuation
        mark = exc.problem_mark or exc.context_mark
        where = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "\t" in text and "'\\t'" in str(exc):
            return fail("Y001", "yaml.tabs", *where)
        return fail("Y001", "yaml.syntax", *where, detail=exc.problem or exc.context or "invalid YAML")
    except yaml.YAMLError as exc:
        return fail("Y001", "yaml.syntax", detail=str(exc).splitlines()[0] if str(exc) else "invalid YAML")
    except RecursionError:
        return fail("Y001", "yaml.too-deep")
    if node is None:
        return fail("Y004", "file.empty")
    builder = _Builder(doc)
    try:
        doc.data = builder.build(node, ())
    except RecursionError:
        return fail("Y001", "yaml.too-deep")
    return doc, punctuation + builder.problems
