"""The one Jinja environment of the generator, and ``render()``.

Templates write Markdown. Every ``{{ expression }}`` is escaped as Markdown
text by ``finalize`` unless it is already ``Markup`` (the output of ``link``,
``anchor``, ``block`` and the other helpers below), so YAML text shows as text
even where a template forgets a filter. Autoescape is on only so that macros
and ``caller()`` return ``Markup`` and pass through unchanged.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context

from opsbook import urls

from . import links, markdown, mermaid, words

TEMPLATES = Path(__file__).parent / "templates"


def _finalize(value: object) -> markdown.Markup:
    return markdown.text("" if value is None else value)


@pass_context
def _link(context: Context, label: object, site_path: str) -> markdown.Markup:
    """A link from the page being rendered to an opsbook.urls / handbook.links site path.

    A print page that holds copies of pages (``holds``: their Markdown files) links
    to the copy on itself instead.
    """
    if links.source_file(site_path) in context.get("holds", ()):
        return markdown.link(label, f"#{links.copy_id(site_path)}")
    return markdown.link(label, links.relative(context["page_file"], site_path))


def _anchor_id(context: Context, site_path: str) -> str:
    """The stable anchor on the page the URL names; elsewhere (a print page's copy) the copy's own."""
    if links.source_file(site_path) == context["page_file"]:
        return links.fragment(site_path)
    return links.copy_id(site_path)


@pass_context
def _anchor(context: Context, site_path: str) -> markdown.Markup:
    """The anchor a stable URL points at, written on the page that URL names."""
    return markdown.anchor(_anchor_id(context, site_path))


@pass_context
def _heading_id(context: Context, site_path: str) -> markdown.Markup:
    """``{#step-x}`` after a heading (attr_list), from the stable URL's anchor."""
    return markdown.Markup(f"{{#{_anchor_id(context, site_path)}}}")


def _join(values: object, separator: str = "、") -> markdown.Markup:
    """Like Jinja's ``join``, but escaping each value as Markdown text (the built-in escapes only HTML)."""
    return markdown.Markup(separator).join(markdown.text(v) for v in values)


def _trusted_markdown(source: str) -> markdown.Markup:
    """Markdown written by the project's developers (a checker rule's docstring), never YAML text."""
    return markdown.Markup(source)


def _nested(depth: int) -> markdown.Markup:
    """Indentation for a list item ``depth`` levels down (Python-Markdown nests by four spaces)."""
    return markdown.Markup("    " * depth)


def _fence(code: str, language: str) -> markdown.Markup:
    """A fenced block; the code is generated (e.g. a Mermaid diagram with encoded labels)."""
    return markdown.Markup(f"``` {language}\n{code}\n```")


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,
    )
    env.filters.update(
        block=markdown.block,
        text=markdown.text,
        code=markdown.code,
        join=_join,
        trusted_markdown=_trusted_markdown,
        anchor=_anchor,
        heading_id=_heading_id,
    )
    env.globals.update(
        urls=urls,
        pages=links.PAGES,
        links=links,
        words=words,
        mermaid=mermaid,
        link=_link,
        admonition=markdown.admonition,
        fence=_fence,
        nested=_nested,
    )
    return env


def render(template: str, page_file: str, **context: object) -> str:
    """Render ``templates/<template>`` as the Markdown file ``page_file`` (for its relative links)."""
    return environment().get_template(template).render(page_file=page_file, **context)
