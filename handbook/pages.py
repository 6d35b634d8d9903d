"""From a Handbook to the ordered pages of the manual: file, title, place in the navigation, Markdown.

Nothing here knows the site engine; ``mkdocs_hooks.py`` is the thin adapter.
Each page is one template in ``templates/`` rendered with the model and the
derived views it needs (``derive``, ``checks``, ``rules``, ``schemaref``). The
print pages (``print_pages``) come last, rendered from the same drafts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from opsbook import urls
from opsbook.diff.render import kind_text
from opsbook.model import Handbook, Process, Role
from opsbook.problems import CODES, meaning

from . import checks, derive, links, print_pages, rules, schemaref, versions, words
from .render import render

ORG, FLOW, AUDIT, LIBRARY, EDITORS = "组织与岗位", "业务流程", "合规与审计", "资料", "编辑者参考"
CHANGES = "版本变更"
ROLES, PROCESSES = (ORG, "岗位说明书"), (FLOW, "流程说明")

# Overview pages after the role and process pages: links.PAGES key, template, title, sections.
OVERVIEWS = (
    ("raci", "raci.md.j2", "RACI 矩阵", (FLOW,)),
    ("calendar", "calendar.md.j2", "周期性工作日历", (FLOW,)),
    ("rules", "rules.md.j2", "合规检查规则", (AUDIT,)),
    ("assumptions", "assumptions.md.j2", "待确认的假设", (AUDIT,)),
    ("forms", "forms.md.j2", "表单目录", (LIBRARY,)),
    ("glossary", "glossary.md.j2", "术语表", (LIBRARY,)),
    ("sources", "sources.md.j2", "来源文件", (LIBRARY,)),
    ("editing", "editing.md.j2", "编辑指南", (EDITORS,)),
    ("fields", "fields.md.j2", "YAML 字段", (EDITORS,)),
    ("codes", "codes.md.j2", "校验代码", (EDITORS,)),
    ("links", "links.md.j2", "稳定链接", (EDITORS,)),
)


@dataclass(frozen=True)
class Page:
    file: str  # Markdown source path, e.g. "roles/sales-consultant.md"
    title: str  # navigation title (plain text)
    section: tuple[str, ...]  # navigation sections it sits in, outermost first
    text: str  # Markdown
    in_nav: bool = True  # False: reached from a page's links only (the print pages)


@dataclass(frozen=True)
class Draft:
    """A page before rendering: a print page renders its copy of the page from the same template and context."""

    site_path: str  # opsbook.urls / handbook.links path; the page's file follows from it
    template: str
    title: str
    section: tuple[str, ...]
    context: dict = field(default_factory=dict)


class _Builder:
    def __init__(self, handbook: Handbook, catalogue: rules.Catalogue, history: versions.History):
        self.handbook = handbook
        self.catalogue = catalogue
        self.history = history
        self.common = {
            "handbook": handbook,
            "version_label": history.label,
            "kind_text": kind_text,
            "release_page": versions.page,
            "change_target": lambda change: versions.target(handbook, change),
            "source_docs": {s.id: s for s in handbook.sources},
            "forms": {f.id: f for f in handbook.forms},
            "glossary_terms": {t.id: t for t in handbook.glossary},
            "rule_codes": {r.code for r in catalogue.rules},
        }

    def page(self, site_path: str, template: str, title: str, section: tuple[str, ...], **context) -> Draft:
        """A page of the manual, to render (``finish``) or to copy into a print page."""
        return Draft(site_path, template, title, section, context)

    def render(self, draft: Draft, file: str | None = None, **extra) -> str:
        """The draft's Markdown as its own file, or as ``file``: a print page holding a copy of it."""
        file = file or links.source_file(draft.site_path)
        return render(draft.template, file, title=draft.title, **self.common, **draft.context, **extra)

    def finish(self, draft: Draft, in_nav: bool = True) -> Page:
        return Page(links.source_file(draft.site_path), draft.title, draft.section, self.render(draft), in_nav)

    def drafts(self) -> list[Draft]:
        hb, tree = self.handbook, derive.org_tree(self.handbook)
        editions = self.history.editions
        found = [
            self.page(links.PAGES["home"], "index.md.j2", "首页", (), editions=editions,
                      assumptions=derive.assumptions(hb)),
            self.page(links.PAGES["org"], "org.md.j2", "组织架构", (ORG,), tree=tree),
            self.page(links.PAGES["roles"], "role_index.md.j2", "岗位索引", ROLES, tree=tree),
            *(self.role_page(role) for role, _depth in tree),
            self.page(links.PAGES["processes"], "process_index.md.j2", "流程索引", PROCESSES),
            *(self.process_page(process) for process in hb.processes),
        ]  # fmt: skip
        contexts = self.overview_contexts()
        for key, template, title, section in OVERVIEWS:
            found.append(self.page(links.PAGES[key], template, title, section, **contexts.get(key, {})))
        found.append(self.page(links.PAGES["changes"], "changes_index.md.j2", "版本记录", (CHANGES,),
                               editions=editions))  # fmt: skip
        for edition in reversed(editions):
            title = f"{edition.release.version} 版本变更"
            found.append(self.page(versions.page(edition.release.version), "changes.md.j2", title, (CHANGES,),
                                   edition=edition))  # fmt: skip
        return found

    def pages(self) -> list[Page]:
        drafts = self.drafts()
        return [self.finish(draft) for draft in drafts] + print_pages.pages(self, drafts)

    def overview_contexts(self) -> dict[str, dict]:
        hb = self.handbook
        return {
            "raci": {
                "tree": derive.org_tree(hb),
                "process_roles": derive.process_roles,
                "letters": derive.process_letters,
                "raci_letters": derive.raci_letters,
            },
            "calendar": {"groups": derive.obligations_by_period(hb)},
            "rules": {"catalogue": self.catalogue, "applications": checks.applications(hb), "general": checks.GENERAL},
            "assumptions": {"assumptions": derive.assumptions(hb)},
            "forms": {"usage": derive.form_usage(hb)},
            "sources": {"citations": derive.citations(hb)},
            "fields": {"kinds": schemaref.KINDS, "fields": schemaref.fields, "schema_title": schemaref.schema_title},
            "codes": {"codes": CODES, "meaning": meaning},
            "links": {"urls_doc": _scheme(urls.__doc__), "item_lists": derive.ROLE_ITEM_LISTS},
        }

    def role_page(self, role: Role) -> Draft:
        hb = self.handbook
        return self.page(
            urls.role(role.id), "role.md.j2", role.title, ROLES,
            role=role, item_lists=derive.ROLE_ITEM_LISTS, participation=derive.participation(hb, role.id),
            duties=derive.duties(hb, role.id), owned=derive.owned(hb, role.id),
            since=self.history.since, changed=self.history.changes,
        )  # fmt: skip

    def process_page(self, process: Process) -> Draft:
        hb = self.handbook
        step_checks = {s.id: checks.step_checks(hb, process, s) for s in process.steps}
        obligation_checks = {o.id: checks.obligation_checks(hb, process, o) for o in process.obligations}
        codes = {c.code for group in (*step_checks.values(), *obligation_checks.values()) for c in group}
        return self.page(
            urls.process(process.id), "process.md.j2", process.title, PROCESSES,
            process=process, roles=derive.process_roles(process), step_checks=step_checks,
            obligation_checks=obligation_checks, check_codes=sorted(codes),
            with_forms=any(s.forms for s in process.steps),
            with_controls=any(words.controls(process, s) for s in process.steps),
        )  # fmt: skip


def _scheme(doc: str) -> list[list[str]]:
    """The (what, path) rows of opsbook.urls' docstring table: the scheme, stated once, beside its code."""
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in doc.splitlines()]
    rows = [r for r in rows if len(r) == 2 and not set(r[1]) <= set("-: ")]
    return rows[1:]  # without the header row


def build(
    handbook: Handbook,
    root: Path | None = None,
    catalogue: rules.Catalogue | None = None,
    since: str | None = None,
    history: versions.History | None = None,
) -> list[Page]:
    """Every page of the manual, in navigation order.

    ``root`` (the handbook folder, in git) lets the release pages read the older releases and the
    version label see unreleased edits; ``since`` (a release) is the baseline of "changes since".
    """
    history = history or versions.history(handbook, root, since)
    return _Builder(handbook, catalogue or rules.catalogue(), history).pages()
