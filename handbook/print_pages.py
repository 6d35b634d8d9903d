"""The printable pages: a booklet per role for its new hires, and the whole manual on one page.

A print page renders its copy of a page from that page's own draft (template
and context, ``pages.Draft``), so nothing about a role or a process is written
twice: the booklet extends the role page's template (``print_role.md.j2``), the
manual joins copies of the pages it holds. Anchors in a copy are the copy's own
(``links.copy_id``), so every stable URL still lands on its real page, and the
manual's links lead to its own copies. The booklets and the manual stay out of
the navigation and the search; the one navigation entry is their index, ``print/``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from opsbook import urls
from opsbook.model import GlossaryTerm, Handbook, Obligation, Process, Role, Step

from . import derive, links, markdown

if TYPE_CHECKING:  # pages.py imports this module
    from .pages import Draft, Page, _Builder

TITLE = "打印版"
MANUAL_TITLE = "运营手册全册"
# The manual after its home page, organisation chart, role pages and process pages.
MANUAL_OVERVIEWS = ("raci", "calendar", "rules", "glossary", "forms")


@dataclass(frozen=True)
class Involvement:
    """A process the role takes part in: its steps with the role's RACI letters, and the role's duties in it."""

    process: Process
    steps: tuple[tuple[int, Step, str], ...]  # (number in the process, step, letters such as "RC")
    duties: tuple[Obligation, ...]


def involvement(handbook: Handbook, role_id: str) -> list[Involvement]:
    duties = derive.duties(handbook, role_id)
    found = []
    for process in handbook.processes:
        numbered = ((n, s, derive.raci_letters(s, role_id)) for n, s in enumerate(process.steps, 1))
        steps = tuple(row for row in numbered if row[2])
        own = tuple(duty for p, duty in duties if p is process)
        if steps or own:
            found.append(Involvement(process, steps, own))
    return found


def terms_used(handbook: Handbook, role: Role, involved: list[Involvement]) -> list[GlossaryTerm]:
    """Glossary terms named, by the term or an alias, in what the booklet says about the role and its processes."""
    texts = [role.title, role.purpose, *(o.topic for o in role.onboarding)]
    texts += [item.text for attr, _ in derive.ROLE_ITEM_LISTS for item in getattr(role, attr)]
    for part in involved:
        texts += [part.process.title, part.process.purpose]
        texts += [t for _, s, _ in part.steps for t in (s.title, s.description) if t]
        texts += [t for duty in part.duties for t in (duty.title, duty.description) if t]
    said = "\n".join(texts)
    return [t for t in handbook.glossary if any(name in said for name in (t.term, *t.aliases))]


def pages(builder: _Builder, drafts: list[Draft]) -> list[Page]:
    """The index of the print pages, a booklet per role (in reporting order), and the manual.

    ``builder`` is the ``pages._Builder`` that made ``drafts``: it renders them.
    """
    by_path = {draft.site_path: draft for draft in drafts}
    booklets = [booklet(builder, by_path[urls.role(role.id)]) for role, _ in derive.org_tree(builder.handbook)]
    retraining = changes_booklets(builder, drafts)
    index = builder.page(links.PAGES["print"], "print_index.md.j2", TITLE, (), booklets=booklets,
                         manual_title=MANUAL_TITLE, retraining=retraining)  # fmt: skip
    return [
        builder.finish(index),
        *(builder.finish(draft, in_nav=False) for draft in booklets),
        *(builder.finish(draft, in_nav=False) for draft in retraining),
        builder.finish(manual(builder, by_path), in_nav=False),
    ]


def changes_booklets(builder: _Builder, drafts: list[Draft]) -> list[Draft]:
    """For each role a change touches: only those changes, to print for retraining and sign as read.

    The baseline is the role pages' (``pages.build(since=...)``, ``opsbook pdf --changes-only SINCE``).
    """
    found = []
    for draft in drafts:
        role, changed = draft.context.get("role"), draft.context.get("changed")
        if draft.template != "role.md.j2" or changed is None or not changed.for_role(role.id):
            continue
        found.append(dataclasses.replace(
            draft, site_path=links.changes_booklet(role.id), template="print_changes.md.j2",
            title=f"{role.title}岗位变化说明", section=(), context={**draft.context, "changes": changed.for_role(role.id)},
        ))  # fmt: skip
    return found


def booklet(builder: _Builder, role_page: Draft) -> Draft:
    """The new hire's booklet: the role page's draft, printed through ``print_role.md.j2``."""
    role = role_page.context["role"]
    involved = involvement(builder.handbook, role.id)
    context = {**role_page.context, "involved": involved, "terms": terms_used(builder.handbook, role, involved)}
    return dataclasses.replace(
        role_page, site_path=links.booklet(role.id), template="print_role.md.j2",
        title=f"{role.title}新员工手册", section=(), context=context,
    )  # fmt: skip


def manual(builder: _Builder, by_path: dict[str, Draft]) -> Draft:
    """The whole manual on one page: a copy of each page it holds, linking to the other copies."""
    hb = builder.handbook
    roles = [by_path[urls.role(role.id)] for role, _ in derive.org_tree(hb)]
    processes = [by_path[urls.process(process.id)] for process in hb.processes]
    overviews = [by_path[links.PAGES[key]] for key in MANUAL_OVERVIEWS]
    home, org = by_path[links.PAGES["home"]], by_path[links.PAGES["org"]]
    held = [home, org, *roles, *processes, *overviews]
    file = links.source_file(links.PAGES["manual"])
    holds = frozenset(links.source_file(draft.site_path) for draft in held)
    parts = [(draft, markdown.Markup(builder.render(draft, file, holds=holds))) for draft in held]
    # Contents: role and process pages under the name of their navigation section.
    contents = [(None, [org]), *((group[0].section[-1], group) for group in (roles, processes) if group)]
    contents.append((None, overviews))
    return builder.page(links.PAGES["manual"], "print_manual.md.j2", MANUAL_TITLE, (), parts=parts,
                        contents=contents, holds=holds)  # fmt: skip
