"""Text from YAML shows as text in the built site: never a tag, an attribute or a link."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from handbook.cli import build_site
from opsbook import urls

from .conftest import MINIMAL

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[click](javascript:alert(1))"
BOLD = "**bold**"
ALL = f"{SCRIPT} {IMG} {LINK} {BOLD}"
TITLE = f"</title>{SCRIPT}"  # would end <title> early if the theme unescaped it


def q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("escaping")
    root = base / "book"
    shutil.copytree(MINIMAL, root)
    clerk = root / "roles" / "clerk.yaml"
    text = clerk.read_text(encoding="utf-8")
    text = text.replace("title: 内勤", f"title: {q(TITLE)}")
    text = text.replace("purpose: 负责起草合同。", f"purpose: {q(ALL)}")
    text = text.replace("text: 起草合同。", f"text: {q(ALL)}\n    assumption: {q(IMG)}")
    clerk.write_text(text, encoding="utf-8")
    sale = root / "processes" / "sale.yaml"
    text = sale.read_text(encoding="utf-8")
    text = text.replace("title: 起草合同", f"title: {q(SCRIPT + ' 起草')}")
    text = text.replace("description: 交房日期。", f"description: {q(IMG)}")
    sale.write_text(text, encoding="utf-8")
    settings = root / "handbook.yaml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace("definition: 以所购房屋作抵押向银行贷款。", f"definition: {q(ALL)}")
    settings.write_text(text, encoding="utf-8")
    ok, messages = build_site(root, base / "site", strict=True)
    assert ok, "\n".join(messages)
    return base / "site"


def pages(site):
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def test_no_markup_from_data_anywhere(site):
    for name, html in pages(site).items():
        assert "<script>alert" not in html, name
        assert not re.search(r"<img[^>]*onerror", html), name
        assert not re.search(r"""href=["']?javascript:""", html), name
        assert "<strong>bold</strong>" not in html, name


def test_role_page_shows_the_text(site):
    html = (site / urls.role("clerk") / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "[click](javascript:alert(1))" in html
    assert "**bold**" in html
    assert 'id="r1"' in html  # the anchor survives next to escaped text


def test_titles_in_navigation_and_head_are_escaped(site):
    html = (site / urls.role("boss") / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the clerk in the navigation
    own = (site / urls.role("clerk") / "index.html").read_text(encoding="utf-8")
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; - " in own


def test_diagram_labels_are_encoded(site):
    html = (site / urls.process("sale") / "index.html").read_text(encoding="utf-8")
    flow = html.split('<pre class="mermaid"><code>', 1)[1].split("</code></pre>", 1)[0]
    assert "#lt;script#gt;alert(1)#lt;/script#gt; 起草" in flow
    assert "<" not in flow.replace("&lt;", "").replace("&gt;", "")


def test_glossary_definition_is_text(site):
    html = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "**bold**" in html
