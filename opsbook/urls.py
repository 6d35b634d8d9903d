"""Stable page paths and anchors of the manual, in one place.

Checker findings link to these, and the generator writes these anchors, so a
finding always lands on the clause it breaks. Changing one is a breaking
change: old reports would link to nothing.

| what | path |
|---|---|
| role page | roles/<role>/ |
| role item (responsibility, KPI ...) | roles/<role>/#<item-id> |
| process page | processes/<process>/ |
| step | processes/<process>/#step-<step> |
| obligation | processes/<process>/#obligation-<obligation> |
| checker rule | rules/#<code, lower case> |
"""

from __future__ import annotations


def role(role_id: str, item: str | None = None) -> str:
    return f"roles/{role_id}/" + (f"#{item}" if item else "")


def process(process_id: str) -> str:
    return f"processes/{process_id}/"


def step_anchor(step_id: str) -> str:
    return f"step-{step_id}"


def obligation_anchor(obligation_id: str) -> str:
    return f"obligation-{obligation_id}"


def step(process_id: str, step_id: str) -> str:
    return f"{process(process_id)}#{step_anchor(step_id)}"


def obligation(process_id: str, obligation_id: str) -> str:
    return f"{process(process_id)}#{obligation_anchor(obligation_id)}"


def rule(code: str) -> str:
    return f"rules/#{code.lower()}"


# Role and process ids become page files (roles/<id>.md): an id that is also the name of a page or
# folder the generator or the site owns would overwrite it or fail the build with a message naming no
# YAML file. "index" is each section's own page; the others are the site's top-level pages and folders
# (handbook.links.PAGES, tested to be covered) and what MkDocs and the theme write (search, assets, 404).
RESERVED_IDS = frozenset(
    {"index", "readme", "search", "assets", "404", "sitemap", "print", "manual", "org", "roles", "processes"}
    | {"raci", "calendar", "forms", "glossary", "sources", "rules", "assumptions", "reference", "changes"}
)
