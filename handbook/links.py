"""From the stable site paths of ``opsbook.urls`` to Markdown source files and relative links.

``opsbook.urls`` speaks in site paths (``roles/sales-consultant/#r1``); the
generator writes Markdown files (``roles/sales-consultant.md``) and links
between them, which the site engine turns back into those very paths (with
directory URLs) and checks in strict builds. Pages that no checker report links
to (the glossary, the forms catalogue ...) are named here, in ``PAGES``.
"""

from __future__ import annotations

import posixpath

from opsbook import urls

# Site paths of the overview pages, in the same form as opsbook.urls.
PAGES = {
    "home": "",
    "org": "org/",
    "roles": "roles/",
    "processes": "processes/",
    "raci": "raci/",
    "calendar": "calendar/",
    "forms": "forms/",
    "glossary": "glossary/",
    "sources": "sources/",
    "rules": urls.rule("x").split("#")[0],
    "assumptions": "assumptions/",
    "editing": "reference/",
    "fields": "reference/fields/",
    "codes": "reference/codes/",
    "links": "reference/links/",
    "print": "print/",
    "manual": "print/manual/",
    "changes": "changes/",
}


def form(form_id: str) -> str:
    return f"{PAGES['forms']}#form-{form_id}"


def term(term_id: str) -> str:
    return f"{PAGES['glossary']}#term-{term_id}"


def source(doc_id: str) -> str:
    return f"{PAGES['sources']}#source-{doc_id}"


def problem_code(code: str) -> str:
    return f"{PAGES['codes']}#{code.lower()}"


def booklet(role_id: str) -> str:
    """The printable new-hire booklet of a role (its stable page stays ``urls.role``)."""
    return f"{PAGES['print']}roles/{role_id}/"


def changes_booklet(role_id: str) -> str:
    """The printable list of what changed for a role since the baseline release (for retraining)."""
    return f"{PAGES['print']}changes/{role_id}/"


def copy_id(site_path: str) -> str:
    """The anchor of a site path's target on a print page that holds a copy of its page.

    ``roles/x/#r1`` → ``print_roles_x_r1``, ``roles/x/`` → ``print_roles_x``. Ids in
    the YAML never hold ``_`` (schema), so a copy's anchor is never a stable anchor
    and copies of different targets never share one.
    """
    path, anchor = split(site_path)
    parts = [part for part in path.split("/") if part] + ([anchor] if anchor else [])
    return "_".join(["print", *(parts or ["home"])])


def split(site_path: str) -> tuple[str, str]:
    """``"roles/x/#r1"`` → ``("roles/x/", "r1")``."""
    path, _, fragment = site_path.partition("#")
    return path, fragment


def fragment(site_path: str) -> str:
    """The anchor id a site path points at: what the page must define."""
    return split(site_path)[1]


def source_file(site_path: str) -> str:
    """The Markdown file that becomes a site path: ``roles/x/`` → ``roles/x.md``, ``roles/`` → ``roles/index.md``."""
    path = split(site_path)[0]
    if path == "":
        return "index.md"
    if path in _SECTIONS:
        return f"{path}index.md"
    return f"{path.rstrip('/')}.md"


# Pages with pages below them (roles/<id>/ ...): each is its folder's index.md.
_SECTIONS = {PAGES["roles"], PAGES["processes"], PAGES["editing"], PAGES["print"], PAGES["changes"]}


def relative(from_file: str, site_path: str) -> str:
    """A link from the Markdown file ``from_file`` to ``site_path``, for the site engine to check."""
    target, anchor = source_file(site_path), fragment(site_path)
    if target == from_file:
        return f"#{anchor}" if anchor else posixpath.basename(target)
    rel = posixpath.relpath(target, posixpath.dirname(from_file) or ".")
    return rel + (f"#{anchor}" if anchor else "")
