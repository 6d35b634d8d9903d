"""``opsbook diff`` output: text for the terminal, JSON for programs, Markdown for a page or a mail.

Every word comes from the ``diff`` catalogue; the before and after values are the
handbook's own wording. The manual renders its change pages from the same
``Diff`` with its own templates (``handbook/templates/changes*.md.j2``).
"""

from __future__ import annotations

import json

from opsbook.i18n import translator

from .changes import Change, Diff


def kind_text(kind: str, lang: str | None = None) -> str:
    return translator("diff", lang)(f"diff.kind.{kind}")


def _roles(diff: Diff, change: Change) -> str:
    return "、".join(diff.title(r) for r in change.roles)


def text(diff: Diff, lang: str | None = None) -> str:
    t = translator("diff", lang)
    lines = [t("diff.heading", old=diff.old, new=diff.new) + " " + t("diff.count", count=len(diff.changes))]
    if not diff.changes:
        lines.append(t("diff.none"))
    for change in diff.changes:
        lines.append(f"[{kind_text(change.kind, lang)}] {change.where}")
        if change.before is not None:
            lines.append(f"    {t('diff.before')}: {change.before}")
        if change.after is not None:
            lines.append(f"    {t('diff.after')}: {change.after}")
        if change.roles:
            lines.append(f"    {t('diff.roles')}: {_roles(diff, change)}")
    return "\n".join(lines) + "\n"


def as_json(diff: Diff, lang: str | None = None) -> str:
    payload = diff.to_dict()
    for entry, change in zip(payload["changes"], diff.changes, strict=True):
        entry["kind_text"] = kind_text(change.kind, lang)
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _cell(value: str | None) -> str:
    if value is None:
        return "—"
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>").replace("<", "&lt;")


def markdown(diff: Diff, lang: str | None = None) -> str:
    t = translator("diff", lang)
    lines = [f"# {_cell(t('diff.heading', old=diff.old, new=diff.new))}", "", t("diff.count", count=len(diff.changes))]
    if not diff.changes:
        return "\n".join([*lines, "", t("diff.none"), ""])
    header = (t("diff.col.kind"), t("diff.col.where"), t("diff.before"), t("diff.after"), t("diff.roles"))
    lines += ["", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for c in diff.changes:
        cells = (kind_text(c.kind, lang), c.where, c.before, c.after, _roles(diff, c))
        lines.append("| " + " | ".join(_cell(v) for v in cells) + " |")
    return "\n".join(lines) + "\n"


FORMATS = {"text": text, "json": as_json, "md": markdown}
