"""Injection that needs no script: line breaks that start Markdown blocks, Mermaid directives,
terminal escape sequences, ids that are page names, and the small ones of issue 10 §6."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from handbook import markdown, mermaid
from handbook.cli import build_site
from opsbook import urls
from opsbook.terminal import printable

from ..handbook.conftest import MINIMAL
from .helpers import make_handbook, opsbook

# Every line break Python-Markdown or a browser may honour, each followed by what would be a block.
BREAKS = ["\r", "\r\n", "\n", "\u2028", "\u2029", "\x0b", "\x0c", "\x85", "\x1c"]
# Markdown specials are escaped anyway; these are what escaping alone did not stop: a setext underline
# and a fence only count at the start of a line, and a blank line before an indented line makes code.
BLOCKS = ["# HEADING", "===", "~~~", "", "    indented code", "> quote", "- item", "1. item", "---", "| a | b |"]


@pytest.mark.parametrize("brk", BREAKS, ids=[ascii(b) for b in BREAKS])
def test_no_line_break_starts_a_markdown_block(brk):
    import markdown as md  # Python-Markdown, as the site renders it

    value = "标题" + "".join(brk + block for block in BLOCKS)
    for rendered in (markdown.text(value), markdown.block(value)):
        html = md.markdown(str(rendered), extensions=["tables"])
        assert not re.search(r"<(h\d|pre|code|blockquote|ul|ol|hr|table)\b", html), (brk, html)
        assert "HEADING" in html


DIRECTIVE = '起草 %%{init: {"theme": "dark"}}%% 合同'


def q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("injection")
    root = base / "book"
    shutil.copytree(MINIMAL, root)
    clerk = root / "roles" / "clerk.yaml"
    text = clerk.read_text(encoding="utf-8")
    text = text.replace("title: 内勤", "title: " + q("TITLE-HEADING\r==="))
    text = text.replace("purpose: 负责起草合同。", "purpose: " + q("目的\r~~~\rCODE-BLOCK\r\r    INDENTED"))
    clerk.write_text(text, encoding="utf-8")
    sale = root / "processes" / "sale.yaml"
    text = sale.read_text(encoding="utf-8")
    text = text.replace("title: 起草合同", "title: " + q(DIRECTIVE))
    sale.write_text(text, encoding="utf-8")
    settings = root / "handbook.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("name: 测试销售部", "name: A&B <销售部>"), "utf-8")
    ok, messages = build_site(root, base / "site", strict=True)
    assert ok, "\n".join(messages)
    return base / "site"


def test_a_lone_carriage_return_starts_no_heading_or_code_block(site):
    html = (site / urls.role("clerk") / "index.html").read_text(encoding="utf-8")
    assert "TITLE-HEADING" in html and "CODE-BLOCK" in html and "INDENTED" in html
    assert not re.search(r"<h\d[^>]*>\s*TITLE-HEADING\s*</h", html)  # the page's own h1 shows the ===
    assert not re.search(r"<(pre|code)[^>]*>[^<]*(CODE-BLOCK|INDENTED)", html)


def test_a_mermaid_directive_in_a_label_is_text(site):
    html = (site / urls.process("sale") / "index.html").read_text(encoding="utf-8")
    diagram = re.search(r'<pre class="mermaid"><code>(.*?)</code></pre>', html, re.S)
    assert diagram, "no diagram"
    assert "%%" not in diagram[1] and "init" in diagram[1]
    assert "%" not in mermaid.label("100%") and mermaid.label("100%") == "100#37;"


def test_an_ampersand_in_the_organisation_is_escaped_once(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    assert 'title="A&amp;B &lt;销售部&gt;运营手册"' in html
    assert "&amp;amp;" not in html and "&amp;lt;" not in html


# -- terminal escapes -------------------------------------------------------------------------

ESC = "\x1b[2J\x1b]8;;http://x\x07"


def test_printable_escapes_controls_and_bidi_but_keeps_lines():
    assert printable("a\x1b[31mb\r\nc\td\u202ee\x85") == "a\\u001b[31mb\\u000d\nc\td\\u202ee\\u0085"


def test_validate_prints_no_escape_sequence_from_yaml(tmp_path):
    root = make_handbook(tmp_path)
    clerk = root / "roles" / "clerk.yaml"
    clerk.write_text(clerk.read_text(encoding="utf-8") + f"{q(ESC + 'key')}: {q(ESC)}\n", encoding="utf-8")
    proc = opsbook("validate", str(root))
    assert proc.returncode == 2
    assert "\\u001b[2J\\u001b]8;;http://x\\u0007key" in proc.stdout
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", proc.stdout + proc.stderr)


def test_check_prints_no_escape_sequence_from_a_file_name(tmp_path):
    root = make_handbook(tmp_path)
    proc = opsbook("check", "--handbook", str(root), f"{ESC}.csv", cwd=tmp_path)
    assert proc.returncode == 2
    assert "\\u001b[2J" in proc.stderr
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", proc.stderr)


# -- ids that are page names --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["index", "search", "assets", "print"])
def test_a_role_or_process_id_that_names_a_page_is_refused(tmp_path, name):
    root = make_handbook(tmp_path)
    clerk = root / "roles" / "clerk.yaml"
    clerk.rename(root / "roles" / f"{name}.yaml")
    role = root / "roles" / f"{name}.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("id: clerk", f"id: {name}"), encoding="utf-8")
    sale = root / "processes" / "sale.yaml"
    sale.rename(root / "processes" / f"{name}.yaml")
    process = root / "processes" / f"{name}.yaml"
    process.write_text(process.read_text(encoding="utf-8").replace("id: sale", f"id: {name}"), encoding="utf-8")
    proc = opsbook("validate", "--lang", "en", str(root))
    assert proc.returncode == 2
    reserved = [line for line in proc.stdout.splitlines() if " X017 " in line]
    assert reserved == [
        f"processes/{name}.yaml:2:5: X017 process id '{name}' is the name of a page of the manual; choose another id",
        f"roles/{name}.yaml:2:5: X017 role id '{name}' is the name of a page of the manual; choose another id",
    ]


def test_every_page_the_generator_owns_is_reserved():
    from handbook.links import PAGES

    tops = {path.split("/")[0] for path in PAGES.values() if path}
    assert tops <= urls.RESERVED_IDS
    assert {"index", "search", "assets"} <= urls.RESERVED_IDS


# -- the small ones -----------------------------------------------------------------------------


def test_an_impossible_roster_date_names_file_entry_and_key(tmp_path):
    root = make_handbook(tmp_path)
    (tmp_path / "log.csv").write_text("case_id,activity,timestamp\nA1,起草合同,2026-03-02 09:00\n", encoding="utf-8")
    (tmp_path / "roster.yaml").write_text("- {person: 王小明, role: clerk, from: 2026-02-30}\n", encoding="utf-8")
    proc = opsbook("check", "--handbook", str(root), "log.csv", "--roster", "roster.yaml", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == (
        "opsbook check: error: roster.yaml: entry 1: 'from' is not a date: '2026-02-30' (expected e.g. 2024-03-05)\n"
    )


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ('{"case_id": "B",,}', "not JSON (Expecting property name enclosed in double quotes at column 17)"),
        ("[1, 2]", "a JSON list, not an object"),
    ],
)
def test_a_bad_json_lines_row_is_named_by_its_line(tmp_path, line, why):
    root = make_handbook(tmp_path)
    good = '{"case_id": "A", "activity": "起草合同", "timestamp": "2026-03-02 09:00"}'
    (tmp_path / "log.jsonl").write_text(f"{good}\n\n{line}\n{good}\n", encoding="utf-8")
    proc = opsbook("check", "--handbook", str(root), "log.jsonl", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == f"opsbook check: error: log.jsonl:3: unreadable JSON Lines: {why}\n"
