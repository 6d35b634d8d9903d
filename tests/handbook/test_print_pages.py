"""The print pages: a role's booklet for new hires, the whole manual on one page, and `opsbook pdf` without a browser."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from handbook import derive, links, markdown, pdf, print_pages, words
from handbook.mkdocs_hooks import navigation
from opsbook import urls

from .conftest import page_ids

ROLE = "sales-consultant"
BOOKLET = links.source_file(links.booklet(ROLE))
MANUAL = links.source_file(links.PAGES["manual"])
STABLE_ID = re.compile(r'<a id="(?!print_)|\{#(?!print_)')  # an anchor that is not a print copy's


def body(text: str) -> str:
    """The Markdown after the front matter."""
    return text.split("\n---\n", 1)[1]


def test_print_pages_are_reached_from_one_navigation_entry(shipped, pages):
    listed = [p for p in pages.values() if p.file.startswith("print/")]
    assert {p.file for p in listed if p.in_nav} == {"print/index.md"}
    assert {BOOKLET, MANUAL} <= {p.file for p in listed if not p.in_nav}
    assert len(listed) == len(shipped.roles) + 2
    print_entries = [entry for entry in navigation(list(pages.values())) if "print/index.md" in str(entry)]
    assert print_entries == [{print_pages.TITLE: "print/index.md"}]
    index = pages["print/index.md"].text
    for role in shipped.roles:
        assert f"]({links.relative('print/index.md', links.booklet(role.id))})" in index
    assert "](manual.md)" in index


@pytest.mark.parametrize("file", [BOOKLET, MANUAL])
def test_print_pages_stay_out_of_the_search_and_the_sidebars(pages, file):
    text = pages[file].text
    assert text.startswith("---\ntitle: ")
    front = text.split("\n---\n", 1)[0]
    assert "search:\n  exclude: true" in front and "- navigation" in front and "- toc" in front


def test_booklet_has_a_cover_and_the_full_role_description(shipped, pages):
    role = shipped.role(ROLE)
    text = body(pages[BOOKLET].text)
    assert pages[BOOKLET].title == f"{role.title}新员工手册"
    cover, rest = text.split('<div class="oh-page-break"></div>', 1)
    assert f"{shipped.organisation} · 新员工手册" in cover
    assert f"# {role.title}" in cover and f"`{role.id}`" in cover
    assert f"| {markdown.text(shipped.version)} |" in cover  # the cover table: role, version, date, whom to ask
    assert "## 岗位目的" in rest and role.purpose in rest
    for attr, heading in derive.ROLE_ITEM_LISTS:
        items = getattr(role, attr)
        assert (f"## {heading}" in rest) == bool(items)
        for item in items:
            assert f'<a id="{links.copy_id(urls.role(role.id, item.id))}"></a>' in rest


def test_booklet_has_the_onboarding_checklist_with_due_days(shipped, pages):
    role = shipped.role(ROLE)
    checklist = body(pages[BOOKLET].text).split("## 入职清单", 1)[1].split("\n## ", 1)[0]
    assert role.onboarding
    rows = [line for line in checklist.splitlines() if line.startswith("| ☐ |")]
    assert len(rows) == len(role.onboarding)
    for row, item in zip(rows, role.onboarding, strict=True):
        assert item.topic in row and words.onboarding_due(item.due_days) in row
    assert "签名" in checklist


def test_booklet_has_each_process_with_the_steps_the_role_takes_part_in(shipped, pages):
    text = body(pages[BOOKLET].text)
    involved = print_pages.involvement(shipped, ROLE)
    assert len(involved) >= 5
    letters = derive.participation(shipped, ROLE)
    expected = {(p.id, s.id) for rows in letters.values() for p, s in rows}
    assert {(part.process.id, s.id) for part in involved for _, s, _ in part.steps} == expected
    for part in involved:
        process = part.process
        assert f"### [{process.title}](" in text and process.purpose in text
        for number, step, found in part.steps:
            heading = f"#### {number}. {step.title} {{#{links.copy_id(urls.step(process.id, step.id))}}}"
            assert heading in text
            section = text.split(heading, 1)[1].split("\n#", 1)[0]
            assert f"- **本岗位**：{words.RACI_NAMES[found[0]]}（{found[0]}）" in section
            if step.deadline:
                assert f"- **时限**：{words.deadline(process, step.deadline)}" in section
        for duty in part.duties:
            assert words.cadence(duty.cadence) in text
    others = [s for p in shipped.processes for s in p.steps if (p.id, s.id) not in expected]
    assert not [s.title for s in others if f". {s.title} {{#" in text], "steps the role has no part in"


def test_booklet_lists_the_glossary_terms_it_uses(shipped, pages):
    text = body(pages[BOOKLET].text)
    used = print_pages.terms_used(shipped, shipped.role(ROLE), print_pages.involvement(shipped, ROLE))
    assert "按揭" in [t.term for t in used]
    glossary = text.split("## 常用术语", 1)[1]
    for term in used:
        assert f"### {term.term} {{#{links.copy_id(links.term(term.id))}}}" in glossary
    filing = shipped.role("filing-officer")
    fewer = print_pages.terms_used(shipped, filing, print_pages.involvement(shipped, filing.id))
    assert 0 < len(fewer) < len(shipped.glossary)


def test_print_pages_write_no_stable_anchor(pages):
    for file in (BOOKLET, MANUAL):
        found = STABLE_ID.findall(pages[file].text)
        assert not found, f"{file} defines anchors of the real pages"


def test_manual_holds_every_part_each_from_a_new_sheet(shipped, pages):
    text = body(pages[MANUAL].text)
    held = [
        links.PAGES["home"],
        links.PAGES["org"],
        *(urls.role(role.id) for role, _ in derive.org_tree(shipped)),
        *(urls.process(process.id) for process in shipped.processes),
        *(links.PAGES[key] for key in print_pages.MANUAL_OVERVIEWS),
    ]
    starts = re.findall(r'<div class="oh-part[^"]*"><a id="([^"]+)"></a></div>', text)
    assert starts == [links.copy_id(path) for path in held]
    assert text.count('class="oh-part oh-page-break"') == len(held)  # the contents page, then every part but home
    for role in shipped.roles:
        assert f"\n# {role.title}" in text
    for process in shipped.processes:
        assert f"\n# {process.title}" in text
    for title in ("# RACI 矩阵", "# 周期性工作日历", "# 合规检查规则", "# 术语表", "# 表单目录", "# 组织架构"):
        assert f"\n{title}" in text


def test_manual_links_lead_to_its_own_copies(pages):
    text = body(pages[MANUAL].text)
    assert f"](#{links.copy_id(urls.step('mortgage', 'submit-to-bank'))})" in text
    assert f"](#{links.copy_id(urls.rule('C101'))})" in text
    assert "](../roles/sales-consultant.md" not in text
    assert "](../assumptions.md)" in text  # a page the manual does not hold stays a link to it


def test_copy_ids_never_meet_a_stable_anchor():
    assert links.copy_id(urls.role("sales-consultant", "r1")) == "print_roles_sales-consultant_r1"
    assert links.copy_id(urls.step("a-b", "c")) != links.copy_id(urls.step("a", "b-c"))
    assert links.copy_id(links.PAGES["home"]) == "print_home"
    assert links.source_file(links.PAGES["print"]) == "print/index.md"
    assert links.source_file(links.booklet("x")) == "print/roles/x.md"


def test_strict_build_has_the_print_pages_apart_from_the_real_ones(shipped, site):
    for role in shipped.roles:
        booklet = site / links.booklet(role.id) / "index.html"
        assert booklet.is_file(), role.id
    manual = site / links.PAGES["manual"] / "index.html"
    ids = page_ids(manual)
    html = manual.read_text(encoding="utf-8")
    targets = set(re.findall(r'href="#([^"]+)"', html))
    assert not targets - ids, f"links within the manual that land nowhere: {sorted(targets - ids)[:5]}"
    assert not {"r1", "step-submit-to-bank", "c101", "term-mortgage"} & ids
    assert "<title>运营手册全册 - " in html
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="print/"' in home and "print/roles/" not in home
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert '"location":"print/"' in index.replace(" ", "")
    assert "print/roles/" not in index and "print/manual/" not in index


# `opsbook pdf` up to the browser: finding chromium, choosing the pages, reporting mistakes.


def run_pdf(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    pdf.add_parser(parser.add_subparsers())
    args = parser.parse_args(["pdf", *argv])
    return args.func(args)


def test_without_chromium_the_command_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OPSBOOK_CHROMIUM", str(tmp_path / "no-chromium"))
    assert run_pdf(str(tmp_path), "--site-dir", str(tmp_path / "site")) == 2
    err = capsys.readouterr().err
    assert "apt-get install chromium fonts-noto-cjk" in err and "Traceback" not in err
    monkeypatch.delenv("OPSBOOK_CHROMIUM")
    monkeypatch.setattr(pdf.os, "access", lambda path, mode: False)
    with pytest.raises(pdf.PdfError, match=r"chromium was not found: install Debian's chromium"):
        pdf.find_chromium()


def test_jobs_are_the_booklets_then_the_manual(site, tmp_path):
    out = tmp_path / "pdf"
    everything = pdf.jobs(site, out, None)
    assert len(everything) == len(list(site.glob("print/roles/*/index.html"))) + 1
    assert everything[-1] == pdf.Job(site / "print" / "manual" / "index.html", out / "manual.pdf")
    chosen = pdf.jobs(site, out, ["sales-consultant"])
    assert [job.pdf for job in chosen] == [out / "roles" / "sales-consultant.pdf", out / "manual.pdf"]
    with pytest.raises(pdf.PdfError, match="no booklet for role.s. nobody; the roles are: account-manager"):
        pdf.jobs(site, out, ["nobody"])


def test_a_site_without_print_pages_asks_for_a_build(tmp_path):
    (tmp_path / "index.html").write_text("an older site", encoding="utf-8")
    with pytest.raises(pdf.PdfError, match="run `opsbook build` first"):
        pdf.jobs(tmp_path, tmp_path / "pdf", None)


def test_chromium_prints_offline_without_header_or_footer(tmp_path):
    job = pdf.Job(tmp_path / "print" / "manual" / "index.html", tmp_path / "manual.pdf")
    argv = pdf.command(Path("/usr/bin/chromium"), job, tmp_path / ".manual-x.pdf", tmp_path / "profile")
    assert argv[-1] == job.page.as_uri() and argv[-1].startswith("file://")
    for flag in ("--headless", "--no-pdf-header-footer", f"--print-to-pdf={tmp_path / '.manual-x.pdf'}"):
        assert flag in argv
    assert any(a.startswith("--virtual-time-budget=") for a in argv)
    assert "--host-resolver-rules=MAP * ~NOTFOUND" in argv


def test_the_booklet_cover_says_role_version_date_and_whom_to_ask(shipped, pages):
    text = body(pages[BOOKLET].text)
    role = shipped.role(ROLE)
    boss = shipped.role(role.reports_to)
    release = next(r for r in shipped.releases if r.version == shipped.version)
    row = next(line for line in text.splitlines() if line.startswith(f"| {role.title} |")).replace("\\", "")
    assert str(release.date) in row and f"直接上级：{boss.title}" in row
    assert "YAML" not in text.split('<div class="oh-page-break"></div>')[0]


def test_the_home_page_keeps_editors_figures_for_editors(pages):
    home = pages["index.md"].text
    figures = home[home.index("| 版本 |") :].split("\n\n")[0]
    assert "假设" not in figures
    editors = home[home.index("### 手册编者") :].split("\n## ")[0]
    assert "待业务负责人确认的取值" in editors
    assert "YAML 文件（" not in home.split("## 怎样使用本手册")[0]


def test_booklets_go_beside_the_site_where_a_build_leaves_them(tmp_path, monkeypatch):
    """`opsbook pdf` writes to pdf/ in the handbook folder by default, not into site/ (which a build replaces)."""
    seen = {}
    monkeypatch.setattr(pdf, "find_chromium", lambda: "chromium")
    monkeypatch.setattr(pdf, "ensure_site", lambda root, site_dir: None)  # no build, no browser: only the folder
    monkeypatch.setattr(pdf, "jobs", lambda site, out, roles: seen.setdefault("out", out) and [])
    monkeypatch.setattr(pdf, "print_all", lambda *args: None)
    (tmp_path / "handbook.yaml").write_text("organisation: {name: x}\n", encoding="utf-8")
    (tmp_path / "site").mkdir()
    assert run_pdf(str(tmp_path), "--site-dir", str(tmp_path / "site")) == 0
    assert seen["out"] == (tmp_path / "pdf").resolve()
