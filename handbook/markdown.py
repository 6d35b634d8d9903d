"""Markdown escaping and the few Markdown constructs the generator writes.

Text from YAML is data: it must show as text, never as markup. HTML
autoescaping cannot help in Markdown (``*``, ``[x](y)`` and ``#`` are markup
too), so every YAML value goes through :func:`text` or :func:`block`. Values
that are already Markdown are wrapped in :class:`Markup`, which the Jinja
environment (``render.py``) passes through; anything else is escaped there
automatically, so a template that forgets a filter still shows text.

The escapes rely on the site's Markdown extensions: ``\\|`` needs ``tables``.
"""

from __future__ import annotations

import re

from markupsafe import Markup

__all__ = ["Markup", "text", "block", "code", "link", "anchor", "admonition"]

# Python-Markdown's escapable characters (plus "|" from the tables extension).
_BACKSLASHED = set("\\`*_{}[]()#+-.!|")
# Characters that are markup but cannot be backslash-escaped: HTML entities instead.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
# Only special at the start of a line: setext underline ("==="), fence ("~~~").
_LINE_START = {"=": "&#61;", "~": "&#126;"}
_BLANK_LINES = re.compile(r"\n\s*\n")


def _escape_line(line: str) -> str:
    line = line.strip()
    out = []
    for i, char in enumerate(line):
        if char in _BACKSLASHED:
            out.append("\\" + char)
        elif char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif i == 0 and char in _LINE_START:
            out.append(_LINE_START[char])
        else:
            out.append(char)
    return "".join(out)


def _lines(value: object) -> list[str]:
    """The value's lines, split at every line break Markdown or a browser may honour: a lone carriage
    return (old Mac files, pasted text) ends a line for Python-Markdown too, and would otherwise start
    a heading or a code block in the middle of an escaped value; so do U+2028/U+2029, vertical tab,
    form feed and NEL."""
    return str(value).splitlines()


def text(value: object) -> Markup:
    """Inline text: safe in a paragraph, list item, heading, link text or table cell.

    Line breaks become ``<br>``, so the value never changes the block structure.
    """
    if isinstance(value, Markup):
        return value
    return Markup("<br>".join(_escape_line(line) for line in _lines(value) if line.strip()))


def block(value: object) -> Markup:
    """Paragraphs: blank lines in the YAML text separate paragraphs, other line breaks stay soft."""
    if isinstance(value, Markup):
        return value
    paragraphs = _BLANK_LINES.split("\n".join(_lines(value)).strip())
    return Markup("\n\n".join("\n".join(_escape_line(line) for line in p.split("\n")) for p in paragraphs))


def code(value: object) -> Markup:
    """An inline code span that no backtick inside the value can close early."""
    content = " ".join(str(value).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", content)), default=0) + 1)
    pad = " " if content.startswith("`") or content.endswith("`") else ""
    return Markup(f"{fence}{pad}{content}{pad}{fence}")


def link(label: object, target: str) -> Markup:
    """``[label](target)``; the target is built by ``links.relative`` from an opsbook.urls path."""
    return Markup(f"[{text(label)}]({target})")


def anchor(anchor_id: str) -> Markup:
    """An explicit anchor where a heading is not wanted (list items, table rows)."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", anchor_id):
        raise ValueError(f"not a safe anchor id: {anchor_id!r}")
    return Markup(f'<a id="{anchor_id}"></a>')


def admonition(kind: str, title: object, body: object) -> Markup:
    """A Material admonition (``!!! kind "title"``) whose body is escaped text."""
    title_md = text(title)  # has no raw '"', so it cannot end the quoted title early
    body_md = "\n".join(f"    {line}" if line else "" for line in str(block(body)).split("\n"))
    return Markup(f'!!! {kind} "{title_md}"\n\n{body_md}\n')
