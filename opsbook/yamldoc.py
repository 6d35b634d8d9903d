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
_STR = "tag:yaml.org,2002:str"


def _pos(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    def __init__(self, doc: Document, text: str):
        self.doc = doc
        self.text = text  # the source, for the folded lines of a scalar
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
        if node.tag == _STR:  # most scalars: the constructor would return node.value
            return _join_cjk_folds(node, node.value, self.text)
        # An explicit tag (!!int abc, !custom x, a bare '=') or a value Python will
        # not hold (an integer of 5,000 digits) is the author's mistake, not ours.
        try:
            value = self.scalars.construct_object(node)
            return _join_cjk_folds(node, value, self.text) if isinstance(value, str) else value
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


def _join_cjk_folds(node: ScalarNode, value: str, text: str) -> str:
    """A text folded over lines reads without the space YAML puts at each line break between
    two Chinese characters or punctuation marks (解决，⏎并对 is 解决，并对, not 解决， 并对);
    spaces typed inside a line stay.

    The scalar's source is sliced from ``text`` by the marks' character index: the C
    parser's marks carry no buffer, and both parsers count the index in characters."""
    start, end = node.start_mark, node.end_mark
    if start.line == end.line or node.style == "|":
        return value
    lines = text[start.index : end.index].split("\n")
    for before, after in zip(lines, lines[1:], strict=False):
        left, right = before.rstrip().rstrip("\\"), after.lstrip().lstrip("\\")
        if left and right and _CJK.match(left[-1]) and _CJK.match(right[0]):
            value = value.replace(f"{left[-1]} {right[0]}", left[-1] + right[0])
    return value


_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE  # what the pure reader refuses
# where the two parsers are known to part: a tab, a byte order mark inside the text, a '?'
# (the pure scanner ends a plain scalar at it in [flow, collections]), a '!' (a bare tag is
# null for one, '' for the other), the exotic line breaks
_PARTING = ("\t", "\ufeff", "?", "!", "\x85", "\u2028", "\u2029")
_LEADING = re.compile(r"^[ ?:-]*", re.MULTILINE)  # indentation and block indicators opening a line
_C_MAX_DEPTH = 200  # well below where the pure parser or the builder run out of recursion


def _plain_sailing(text: str) -> bool:
    """Whether the C parser's answer is the pure parser's: none of the characters where they
    are known to part, none the pure reader refuses, and a nesting bound (flow brackets,
    plus two levels per column of block indentation) far from the depth at which the
    pure composer stops with too-deep, where the C one would go on."""
    if not text.endswith("\n") or any(c in text for c in _PARTING) or _NON_PRINTABLE.search(text):
        return False
    indent = max((len(m) for m in _LEADING.findall(text)), default=0)
    return text.count("[") + text.count("{") + 2 * indent + 2 <= _C_MAX_DEPTH


def compose(text: str) -> Node | None:
    """The node graph of ``text``: by libyaml when available, ten times faster than the pure parser.

    Marks (line, column, index) are the same from both. Any complaint of the C parser is
    thrown away and the pure parser re-run, so that every error keeps today's wording
    and position; so are texts where the two might disagree (``_plain_sailing``)."""
    if getattr(yaml, "__with_libyaml__", False) and _plain_sailing(text):
        try:
            node = yaml.compose(text, Loader=yaml.CSafeLoader)
        except Exception:  # whatever it is, the pure parser says it as it always has
            node = None
        if node is not None and not _empty_in_flow(node):
            return node
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _empty_in_flow(root: Node) -> bool:
    """Whether an empty value stands in a flow collection (``{role: }``): the C parser puts it one column further."""
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen or isinstance(node, ScalarNode):
            continue
        seen.add(id(node))
        children = [n for pair in node.value for n in pair] if isinstance(node, MappingNode) else node.value
        if node.flow_style and any(isinstance(c, ScalarNode) and not c.value and not c.style for c in children):
            return True
        stack.extend(children)
    return False


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
        node = compose(text)
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
    builder = _Builder(doc, text)
    try:
        doc.data = builder.build(node, ())
    except RecursionError:
        return fail("Y001", "yaml.too-deep")
    return doc, punctuation + builder.problems
