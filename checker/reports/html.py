"""report.html: one self-contained page (no network): what was checked, charts, filterable findings, cases.

The one Jinja environment of the checker's reports lives here, autoescaping on:
text from logs (case ids, performers, labels) is always escaped, never markup.
Findings reach the filter script as JSON inside <script type="application/json">,
with < > & ' written as \\u escapes so that data cannot close the element. A
Content-Security-Policy allows only this page's own style and script (by hash),
so even an escaping mistake could not run injected script or fetch anything.

The page is a list of sections (``SECTIONS``: templates under
``templates/sections/``), each fed from one context built by ``CONTEXT``
functions, so a later part of the checker adds a section with a template and a
context function without editing the others.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from checker.audit import sections as audit_sections
from checker.report import REJECTED_SHOWN, Report, grouped, rule_title, summary
from checker.reports import checked
from checker.reports.i18n import labels, lateness_words
from checker.reports.ratetables import percent, tables
from checker.reports.rejected import field_words, reason_words
from checker.reports.svg import bar_chart

SECTIONS: list[str] = ["notes", "checked", "summary", "rates", "charts", "findings", "cases", "audit", "rejected"]

ENV = Environment(
    loader=PackageLoader("checker.reports", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def _asset(name: str) -> tuple[Markup, str]:
    """A CSS or JS file's text, and its CSP hash source."""
    text = ENV.loader.get_source(ENV, name)[0]
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return Markup(text), f"'sha256-{digest}'"


def _rows(report: Report) -> list[dict]:
    L = labels(report.lang)
    rows = []
    for i, f in enumerate(report.findings):
        d = report.entry(f)
        d.update(
            i=i,
            title=rule_title(f.code, report.lang, f.rule),
            severity_label=L.severity_word(f.severity),
            lateness=lateness_words(f.lateness_seconds, report.lang),
        )
        rows.append(d)
    return rows


def _cases(report: Report, rows: list[dict]) -> list[dict]:
    L = labels(report.lang)
    out, n = [], 0
    for process, subjects in grouped(report.findings).items():
        sections = []
        for (kind, value), indices in subjects.items():
            n += 1
            for i in indices:
                rows[i]["group"] = f"case-{n}"
            sections.append({"id": f"case-{n}", "kind": L[kind], "value": value, "rows": [rows[i] for i in indices]})
        out.append({"process": report.process_title(process) or L["no_process"], "sections": sections})
    return out


class _Titles:
    """Titles for templates: ``titles.process(id)``."""

    def __init__(self, report: Report) -> None:
        self.process = report.process_title


def _rate_tables(report: Report) -> list[dict]:
    """Rate tables with cells ready to show (text, and a sort key for numbers) and their chart."""
    out = []
    for table in tables(report):
        cells = [
            [
                {
                    "text": percent(v) if i in table.rates else ("—" if v is None else str(v)),
                    "num": isinstance(v, int | float) or i in table.rates,
                    "sort": "" if v is None else v,
                }
                for i, v in enumerate(row)
            ]
            for row in table.rows
        ]
        chart = None
        if table.chart:
            label, rate = table.chart
            items = [(str(row[label]), row[rate]) for row in table.rows if row[rate] is not None]
            chart = bar_chart(table.header[rate], items, top=1.0, shown=percent) if items else None
        out.append(
            {"name": table.name, "title": table.title, "header": table.header, "cells": cells, "chart_svg": chart}
        )
    return out


def base_context(report: Report) -> dict:
    L = labels(report.lang)
    s = summary(report)
    rows = _rows(report)
    charts = [
        bar_chart(L["by_code"], [(f"{c['code']} {c['title']}", c["count"]) for c in s["by_code"]]),
        bar_chart(L["by_process"], [(p["title"] or L["no_process"], p["count"]) for p in s["by_process"]]),
        bar_chart(L["by_week"], [(w["week"], w["count"]) for w in s["by_week"]]),
    ]
    return {
        "L": L,
        "titles": _Titles(report),
        "notes": report.notes,
        "inputs": checked.inputs(report.meta),
        "facts": checked.facts(report.meta, report.lang, report.names),
        "summary": s,
        "rate_tables": _rate_tables(report),
        "charts": [c for c in charts if c.bars],
        "cases": _cases(report, rows),
        "rows": rows,
        "processes": sorted({f.process for f in report.findings if f.process}),
        "data_json": htmlsafe_json_dumps(
            [{k: r[k] for k in r if k != "group"} for r in rows], sort_keys=True, ensure_ascii=False
        ),
        "rejected": [
            {
                "ref": r.ref,
                "field": r.field,
                "field_words": field_words(r.field, report.lang),
                "words": reason_words(r, report.lang, report.names),
            }
            for r in report.rejected[:REJECTED_SHOWN]
        ],
        "rejected_more": max(len(report.rejected) - REJECTED_SHOWN, 0),
    }


def audit_context(report: Report) -> dict:
    return {"audit": audit_sections.html_context(report)}  # dispositions, changes, trend (checker.audit)


CONTEXT: list[Callable[[Report], dict]] = [base_context, audit_context]


def render_html(report: Report) -> str:
    css, css_hash = _asset("report.css")
    js, js_hash = _asset("report.js")
    context: dict = {}
    for part in CONTEXT:
        context.update(part(report))
    return ENV.get_template("report.html.j2").render(
        **context,
        sections=SECTIONS,
        html_lang="zh-CN" if report.lang == "zh" else "en",
        csp=f"default-src 'none'; style-src {css_hash}; script-src {js_hash}; base-uri 'none'; form-action 'none'",
        css=css,
        js=js,
    )


def write(report: Report, path: Path) -> None:
    path.write_bytes(render_html(report).encode("utf-8"))
