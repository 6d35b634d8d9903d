"""What was checked, read from ``Report.meta``, as labelled lines every format shows the same way.

meta = {
    "inputs": [{"path", "format", "sha256", "rows_read", "rows_rejected"}, ...],
    "handbook": {"organisation", "version", "digest", "revision"},
    "tool_version": str, "as_of": ISO 8601 with offset, "timezone": str,
    "calendar": {"region", "covered_years", "overrides"},
    "rows": {"read", "checked", "rejected"},
    "options": {"mapping", "roster", "fail_on", "redact"},
}
Missing entries show as "—": a report says what it does not know.
"""

from __future__ import annotations

from checker.reports.i18n import labels

INPUT_COLUMNS = ("path", "format", "sha256", "rows_read", "rows_rejected")


def text(value: object) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={text(v)}" for k, v in value.items())
    return str(value)


def rows_balance(meta: dict, lang: str) -> str:
    rows = meta.get("rows") or {}
    read, checked, rejected = (rows.get(k) for k in ("read", "checked", "rejected"))
    line = labels(lang)["rows_equation"].format(read=text(read), checked=text(checked), rejected=text(rejected))
    balanced = all(isinstance(n, int) for n in (read, checked, rejected)) and read == checked + rejected
    return line if balanced else line + labels(lang)["mismatch"]


def facts(meta: dict, lang: str) -> list[tuple[str, str]]:
    """(label, text) lines after the inputs: handbook, tool, as-of, time zone, calendar, rows, options."""
    L = labels(lang)
    hb = meta.get("handbook") or {}
    cal = meta.get("calendar") or {}
    handbook = " ".join(
        part
        for part in (
            text(hb.get("organisation")),
            f"{L['version']} {text(hb.get('version'))}",
            f"{L['digest']} {text(hb.get('digest'))}",
            f"{L['revision']} {text(hb.get('revision'))}",
        )
    )
    calendar = (
        f"{text(cal.get('region'))}, {L['covered_years']} {text(cal.get('covered_years'))}, "
        f"{L['overrides']} {text(cal.get('overrides'))}"
    )
    return [
        (L["handbook"], handbook),
        (L["tool_version"], text(meta.get("tool_version"))),
        (L["as_of"], text(meta.get("as_of"))),
        (L["timezone"], text(meta.get("timezone"))),
        (L["calendar"], calendar),
        (L["rows"], rows_balance(meta, lang)),
        (L["options"], text(meta.get("options"))),
    ]


def inputs(meta: dict) -> list[dict[str, str]]:
    return [{k: text(item.get(k)) for k in INPUT_COLUMNS} for item in meta.get("inputs") or []]
