"""What was checked, read from ``Report.meta``, as labelled lines every format shows the same way.

meta = {
    "inputs": [{"path", "format", "sha256", "rows_read", "rows_rejected"}, ...],
    "handbook": {"organisation", "organisation_en", "version", "digest", "revision"},
    "tool_version": str, "as_of": ISO 8601 with offset, "timezone": str,
    "calendar": {"region", "covered_years", "overrides"},
    "rows": {"read", "checked", "rejected"},
    "options": {"mapping", "roster", "fail_on", "redact"},
    "manual": {"url", "built"},  # where clause links point, and whether a local site is there
    "scope": {"processes", "obligations", "no_obligations", "rules"},
}
Missing entries show as "—": a report says what it does not know. Option names
are shown as the command-line flags they came from (``--fail-on``), in both languages.
"""

from __future__ import annotations

from checker.reports.i18n import labels
from checker.texts import join

INPUT_COLUMNS = ("path", "format", "sha256", "rows_read", "rows_rejected")


def text(value: object, lang: str = "zh") -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return labels(lang).yes_no(value)
    if isinstance(value, list | tuple):
        return ", ".join(text(v, lang) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={text(v, lang)}" for k, v in value.items())
    return str(value)


def options(value: dict | None, lang: str) -> str:
    """``--mapping map.yaml (SHA-256 …), --fail-on violation``: the flags as typed, empty ones left out."""
    value = value or {}
    shown = []
    for key, v in value.items():
        if v in (None, "") or key.endswith("_sha256"):
            continue
        digest = value.get(f"{key}_sha256")
        shown.append(
            f"--{key.replace('_', '-')} {text(v, lang)}" + (f" ({labels(lang).sha256} {digest})" if digest else "")
        )
    return ", ".join(shown) or "—"


def manual(meta: dict, lang: str) -> str:
    info = meta.get("manual") or {}
    where = text(info.get("url"))
    return labels(lang)("manual_missing", where=where) if info.get("built") is False else where


def scope(meta: dict, lang: str, names=None) -> str:
    """The audit's scope in words: every process, or the processes and obligations chosen."""
    L = labels(lang)
    info = meta.get("scope") or {}
    titles = names.processes if names else {}
    parts = []
    if info.get("processes"):
        parts.append(L("scope_processes", processes=join([titles.get(p, p) for p in info["processes"]], lang)))
    if info.get("no_obligations"):
        parts.append(L.scope_no_obligations)
    elif info.get("obligations"):
        parts.append(L("scope_obligations", obligations=join(info["obligations"], lang)))
    parts.append(L("rules", codes=info["rules"]) if info.get("rules") else L.rules_all)
    if len(parts) == 1:
        parts.insert(0, L.scope_all)
    return "; ".join(parts)


def rows_balance(meta: dict, lang: str) -> str:
    rows = meta.get("rows") or {}
    read, checked, rejected = (rows.get(k) for k in ("read", "checked", "rejected"))
    line = labels(lang)("rows_equation", read=text(read), checked=text(checked), rejected=text(rejected))
    balanced = all(isinstance(n, int) for n in (read, checked, rejected)) and read == checked + rejected
    return line if balanced else line + labels(lang)["mismatch"]


def facts(meta: dict, lang: str, names=None) -> list[tuple[str, str]]:
    """(label, text) lines after the inputs: scope, handbook, manual, tool, times, calendar, rows, options."""
    L = labels(lang)
    hb = meta.get("handbook") or {}
    cal = meta.get("calendar") or {}
    handbook = " ".join(
        part
        for part in (
            text((lang == "en" and hb.get("organisation_en")) or hb.get("organisation")),
            f"{L['version']} {text(hb.get('version'))}",
            f"{L['digest']} {text(hb.get('digest'))}",
            f"{L['revision']} {text(hb.get('revision'))}",
        )
    )
    overrides = [f"{o.get('date')} {text(o.get('working'), lang)}" for o in cal.get("overrides") or []]
    calendar = L(
        "calendar_line",
        region=text(cal.get("region")),
        years=text(cal.get("covered_years")),
        overrides=text(overrides),
    )
    return [
        (L["audit_scope"], scope(meta, lang, names)),
        (L["handbook"], handbook),
        (L["manual"], manual(meta, lang)),
        (L["tool_version"], text(meta.get("tool_version"))),
        (L["as_of"], text(meta.get("as_of"))),
        (L["from"], text(meta.get("from"))),
        (L["timezone"], text(meta.get("timezone"))),
        (L["calendar"], calendar),
        (L["rows"], rows_balance(meta, lang)),
        (L["row_numbers"], L.row_numbering_data),
        (L["options"], options(meta.get("options"), lang)),
    ]


def inputs(meta: dict) -> list[dict[str, str]]:
    return [{k: text(item.get(k)) for k in INPUT_COLUMNS} for item in meta.get("inputs") or []]
