"""Page content for the shipped handbook: what HR, managers and auditors look for is on the page."""

from __future__ import annotations

from handbook import derive, links, words
from opsbook import urls
from opsbook.problems import CODES


def text_of(pages, site_path):
    return pages[links.source_file(site_path)].text


def test_one_page_per_role_and_process_at_the_stable_paths(shipped, pages):
    for role in shipped.roles:
        assert links.source_file(urls.role(role.id)) in pages
    for process in shipped.processes:
        assert links.source_file(urls.process(process.id)) in pages
    for name, path in links.PAGES.items():
        assert links.source_file(path) in pages, name


def test_role_page_lists_items_with_their_anchors(shipped, pages):
    role = shipped.role("sales-consultant")
    page = text_of(pages, urls.role(role.id))
    for attr, heading in derive.ROLE_ITEM_LISTS:
        if getattr(role, attr):
            assert f"## {heading}" in page
        for item in getattr(role, attr):
            assert f'<a id="{links.fragment(urls.role(role.id, item.id))}"></a>' in page


def test_role_page_derives_every_step_the_role_takes_part_in(shipped, pages):
    role_id = "sales-consultant"
    page = text_of(pages, urls.role(role_id))
    involved = derive.participation(shipped, role_id)
    assert involved["R"], "the sales consultant performs steps"
    for letter, rows in involved.items():
        if rows:
            assert f"### {words.RACI_NAMES[letter]}（{letter}）" in page
        for process, step in rows:
            assert f"{links.relative('roles/sales-consultant.md', urls.step(process.id, step.id))})" in page
            if step.deadline:
                assert words.deadline(process, step.deadline) in page


def test_role_page_has_the_onboarding_checklist(shipped, pages):
    role = shipped.role("sales-consultant")
    page = text_of(pages, urls.role(role.id))
    assert "## 入职清单" in page
    assert role.onboarding, "the shipped sales consultant has an onboarding checklist"
    for item in role.onboarding:
        assert f'<a id="{item.id}"></a>' in page
        assert words.onboarding_due(item.due_days) in page


def test_role_page_lists_recurring_duties(shipped, pages):
    page = text_of(pages, urls.role("sales-consultant"))
    for process, duty in derive.duties(shipped, "sales-consultant"):
        assert f"{links.relative('roles/sales-consultant.md', urls.obligation(process.id, duty.id))})" in page
        assert words.cadence(duty.cadence) in page


def test_mortgage_page_has_flow_step_anchors_and_deadline_words(shipped, pages):
    process = shipped.process("mortgage")
    page = text_of(pages, urls.process(process.id))
    assert "``` mermaid\nflowchart TD" in page
    assert page.count("  subgraph lane") == len({s.raci.responsible[0] for s in process.steps})
    for step in process.steps:
        assert f"{{#{urls.step_anchor(step.id)}}}" in page
    assert "「收集并初审按揭资料」后3个工作日内" in page
    assert "仅当付款方式为「按揭」时" in page


def test_assumed_values_are_marked_for_confirmation(shipped, pages):
    process = shipped.process("mortgage")
    page = text_of(pages, urls.process(process.id))
    assumed = [s for s in process.steps if s.deadline and s.deadline.assumption]
    assert assumed
    assert page.count('!!! warning "时限为假设，待确认') == len(assumed)
    assert '<span class="oh-assumption">待确认</span>' in page


def test_compliance_checks_name_the_rules_that_apply(shipped, pages):
    page = text_of(pages, urls.process("mortgage"))
    assert "## 合规检查一览" in page
    for code in ("C101", "C103", "C104", "C105", "C109"):
        assert f"[{code}](../rules.md#{code.lower()})" in page


def test_deadline_words():
    from opsbook.loader import load

    from .conftest import MINIMAL

    sale = load(MINIMAL).handbook.process("sale")
    assert words.deadline(sale, sale.step("approve").deadline) == "「起草合同」后3个工作日内"
    assert words.deadline(sale, sale.step("notify").deadline) == "交房日期前2周"
    assert words.cadence(sale.obligations[0].cadence) == "每个工作日18:00前"


def test_raci_matrix_has_a_row_per_step(shipped, pages):
    page = pages[links.source_file(links.PAGES["raci"])].text
    for process in shipped.processes:
        for step in process.steps:
            assert f"{links.relative('raci.md', urls.step(process.id, step.id))})" in page
    mortgage = shipped.process("mortgage")
    row = next(line for line in page.splitlines() if "#step-report-loan-arrival)" in line)
    roles = derive.process_roles(mortgage)
    cells = [c.strip() for c in row.strip("|").split("|")][1:]
    assert cells[roles.index("finance-officer")] == "R/A"
    assert cells[roles.index("marketing-manager")] == "I"


def test_calendar_groups_obligations_by_period(shipped, pages):
    page = pages[links.source_file(links.PAGES["calendar"])].text
    assert "## 每个工作日" in page and "## 按间隔" in page
    assert "每个工作日18:00前" in page
    assert "至少每6个月一次" in page


def test_rule_catalogue_lists_every_registered_code(pages):
    from checker.rules import REGISTRY

    page = pages["rules.md"].text
    for code, module in REGISTRY.items():
        assert f"{{#{code.lower()}}}" in page
        assert module.TITLE["zh"] in page


def test_editors_reference_comes_from_schemas_and_codes(pages):
    fields = pages[links.source_file(links.PAGES["fields"])].text
    for path in ("`steps[].deadline.within`", "`responsibilities[].id`", "`glossary[].term`"):
        assert path in fields
    codes = pages[links.source_file(links.PAGES["codes"])].text
    for code in CODES:
        assert f'<a id="{code.lower()}"></a>{code}' in codes


def test_glossary_and_forms(shipped, pages):
    glossary = pages[links.source_file(links.PAGES["glossary"])].text
    forms = pages[links.source_file(links.PAGES["forms"])].text
    for term in shipped.glossary:
        assert f"{{#{links.fragment(links.term(term.id))}}}" in glossary
    for form in shipped.forms:
        assert f"{{#{links.fragment(links.form(form.id))}}}" in forms


def test_home_page_guides_each_audience(pages):
    home = pages["index.md"].text
    for audience in ("### 新员工", "### 管理者", "### 审计人员"):
        assert audience in home
    assert "## 版本记录" in home
