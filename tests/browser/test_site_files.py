"""The built site's files, without a browser: no external URL, the vendored scripts, the folded index.

Unit tests of handbook/assets.py and handbook/search.py sit here too, beside the
browser tests that exercise the same code end to end.
"""

from __future__ import annotations

import json
import re

import pytest
from mkdocs.exceptions import PluginError

from handbook import assets, search

ZWSP = "\u200b"


def test_built_site_requests_nothing_external(built_site):
    assert assets.view_time_requests(built_site) == []


def test_every_page_loads_the_vendored_scripts(built_site):
    for page in built_site.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        for script in (assets.SCRIPT, assets.POLYFILL, assets.FILE_URLS):
            assert re.search(rf'src="[./]*{re.escape(script)}"', html), f"{page}: no {script}"
    for asset in assets.ASSETS:
        assert (built_site / asset.target).stat().st_size > 0


def test_view_time_requests_finds_what_a_browser_would_fetch(tmp_path):
    (tmp_path / "index.html").write_text(
        '<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>'
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<link rel="canonical" href="https://example.org/manual/">'
        '<script src="https://unpkg.com/mermaid@11/dist/mermaid.min.js"></script>'
        '<img srcset="local.png 1x, //cdn.example.net/a.png 2x">'
        '<a href="https://example.org/">a link loads nothing</a>'
        '<a href="https://github.com/x/y" class="md-source">repo</a>'
        "<style>@import url('https://fonts.googleapis.com/css2?family=Noto');</style>",
        encoding="utf-8",
    )
    (tmp_path / "extra.css").write_text("body{background:url(https://cdnjs.cloudflare.com/x.png)}", encoding="utf-8")
    (tmp_path / "extra.js").write_text(
        'load("https://cdn.jsdelivr.net/npm/x");var m="https://unpkg.com/mermaid@11/dist/mermaid.min.js"',
        encoding="utf-8",
    )
    found = {url.split(" ")[0] for _, url in assets.view_time_requests(tmp_path)}
    assert found == {
        "https://fonts.gstatic.com",
        "https://fonts.googleapis.com/css?family=Roboto",
        "https://unpkg.com/mermaid@11/dist/mermaid.min.js",
        "//cdn.example.net/a.png",
        "https://github.com/x/y",
        "https://fonts.googleapis.com/css2?family=Noto",
        "https://cdnjs.cloudflare.com/x.png",
        "https://cdn.jsdelivr.net/npm/x",
    }


def test_missing_node_modules_says_run_npm_ci(tmp_path):
    with pytest.raises(PluginError, match="run `npm ci`"):
        assets.check_installed(tmp_path / "node_modules")


def test_finest_cuts_compounds_and_keeps_words(built_site):
    # built_site ran prepare_jieba in its own process; here the words matter, not the domain terms.
    assert search.finest("职责分离") == ("职责", "分离")
    assert search.finest("岗位职责") == ("岗位", "职责")
    assert search.finest("按揭") == ("按揭",)


def test_fold_document_adds_the_other_script_and_whole_terms():
    doc = {"location": "roles/x/#duties", "title": f"岗位{ZWSP}职责", "text": f"<p>{ZWSP}置业顾问{ZWSP}</p>"}
    search.fold_document(doc)
    assert doc["title"].replace(ZWSP, "") == "岗位职责"
    assert "職責" in doc["title_fold"].split(ZWSP)
    assert doc["text"].replace(ZWSP, "") == "<p>置业顾问</p>"
    assert {"置业顾问", "置業顧問", "置业顾"} <= set(doc["text_terms"].split(ZWSP))
    assert doc["boost"] == search.PRIMARY_BOOST


def test_fold_index_is_idempotent_and_writes_the_script(tmp_path):
    folder = tmp_path / "search"
    folder.mkdir()
    index = {
        "config": {"lang": ["en"], "separator": "[\\s\\u200b]+", "pipeline": [], "fields": {"title": {"boost": 1000}}},
        "docs": [{"location": "glossary/#term-x", "title": "入伙", "text": "职责"}],
    }
    (folder / "search_index.json").write_text(json.dumps(index), encoding="utf-8")
    assert search.fold_index(tmp_path) == 1
    first = (folder / "search_index.json").read_text(encoding="utf-8")
    search.fold_index(tmp_path)
    assert (folder / "search_index.json").read_text(encoding="utf-8") == first
    assert (folder / "search_index.js").read_text(encoding="utf-8") == f"var __index = {first}"
    folded = json.loads(first)
    assert folded["config"]["fields"]["title_fold"] == {"boost": 1000}
    assert folded["docs"][0]["title_fold"] == "入夥"
    assert "boost" not in folded["docs"][0]


def test_built_index_answers_in_both_scripts(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    tokens = set()
    for doc in index["docs"]:
        for field in ("title", "text", "title_fold", "text_fold"):
            tokens.update(re.split(rf"[\s{ZWSP}]+", doc.get(field, "")))
    assert {"职责", "職責", "置业", "置業", "入伙", "入夥", "预验收", "預驗收"} <= tokens
    assert (built_site / "search" / "search_index.js").read_text(encoding="utf-8").startswith("var __index = {")
