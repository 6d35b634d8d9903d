"""The escape filter: YAML text stays text in every Markdown context the generator writes."""

from __future__ import annotations

import html
import re

import markdown as python_markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handbook.markdown import Markup, admonition, anchor, block, code, link, text

# The site's Markdown extensions (mkdocs.yml), minus the ones that only add ids.
EXTENSIONS = ["attr_list", "admonition", "tables", "pymdownx.superfences", "pymdownx.details"]

GOLDEN = [
    ("<script>alert(1)</script>", r"&lt;script&gt;alert\(1\)&lt;/script&gt;"),
    ("<img src=x onerror=alert(1)>", r"&lt;img src=x onerror=alert\(1\)&gt;"),
    ("[click](javascript:alert(1))", r"\[click\]\(javascript:alert\(1\)\)"),
    ("**bold** _em_ `code`", r"\*\*bold\*\* \_em\_ \`code\`"),
    ("# 标题", r"\# 标题"),
    ("1. 第一", r"1\. 第一"),
    ("- 项目", r"\- 项目"),
    ("a | b", r"a \| b"),
    ("{#evil}", r"\{\#evil\}"),
    ("=== 下划线", "&#61;== 下划线"),
    ("~~~ 围栏", "&#126;~~ 围栏"),
    ('A & B &amp; "q"', "A &amp; B &amp;amp; &quot;q&quot;"),
    ("反斜杠 \\", "反斜杠 \\\\"),
    ("    缩进", "缩进"),
    ("第一行\n\n第二行", "第一行<br>第二行"),
    ("签约后3个工作日内", "签约后3个工作日内"),
]


@pytest.mark.parametrize(("raw", "escaped"), GOLDEN)
def test_text_golden(raw, escaped):
    assert text(raw) == escaped


def test_block_keeps_paragraphs_and_escapes_each_line():
    assert block("第一段 *a*\n续行\n\n# 第二段") == "第一段 \\*a\\*\n续行\n\n\\# 第二段"


def test_markup_passes_through_unchanged():
    already = Markup("[链接](a.md)")
    assert text(already) is already
    assert block(already) is already


def render(source: str) -> str:
    return python_markdown.markdown(source, extensions=EXTENSIONS)


def shown(rendered: str) -> str:
    """The text a reader sees: tags removed, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rendered)).split())


NASTY = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "**bold**",
    "<a href='javascript:alert(1)'>x</a>",
    "![img](http://x/y.png)",
    "<http://example.com>",
    "| a | b |\n|---|---|",
    "```\ncode\n```",
    "> 引用",
    "* 列表",
    "Title\n===",
    "[ref]: http://x",
    "&lt;已转义&gt;",
    "\\*",
]


@pytest.mark.parametrize("raw", NASTY)
def test_rendered_markup_is_only_the_text(raw):
    rendered = render(f"前 {text(raw)} 后")
    assert rendered.startswith("<p>") and rendered.count("<p>") == 1
    assert re.sub(r"<br ?/?>|</?p>", "", rendered).count("<") == 0  # no element but our own line breaks
    assert shown(rendered) == " ".join(f"前 {raw} 后".split())


@pytest.mark.parametrize("raw", NASTY)
def test_escaped_text_is_safe_in_a_table_cell(raw):
    rendered = render(f"| 列 | 说明 |\n|---|---|\n| {text(raw)} | 尾 |\n")
    assert rendered.count("<td>") == 2  # the cell did not split
    assert "尾" in rendered
    assert not re.search(r"<(script|img|a)\b", rendered)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40))
def test_any_single_line_round_trips(raw):
    rendered = render(f"x {text(raw)} y")
    assert shown(rendered) == " ".join(f"x {raw} y".split())


def test_link_escapes_its_label_only():
    assert link("a*b", "../roles/x.md#r1") == r"[a\*b](../roles/x.md#r1)"


def test_anchor_refuses_unsafe_ids():
    assert anchor("step-a_1") == '<a id="step-a_1"></a>'
    with pytest.raises(ValueError):
        anchor('x" onmouseover="alert(1)')


def test_code_span_cannot_be_closed_by_the_value():
    assert code("a`b") == "``a`b``"
    assert "<code>a`b</code>" in render(f"x {code('a`b')}")


def test_admonition_body_and_title_are_text():
    source = admonition("warning", '标题 "引号" <b>', "正文 <script>x</script>\n\n第二段")
    rendered = render(source)
    assert 'class="admonition warning"' in rendered
    assert "<script>" not in rendered and "<b>" not in rendered
    assert "正文 &lt;script&gt;x&lt;/script&gt;" in rendered and "第二段" in rendered
