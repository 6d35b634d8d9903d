"""The compliance checker: activity logs in, evidence-backed findings out.

Semantics: ../shared/SPEC-checker.md, as documented in the manual's rule
catalogue. Layout:

- ``events``: the normalised event table every reader produces.
- ``readers/``: CSV, JSON Lines, Parquet, XLSX, XES → event table, with row accounting.
- ``rules/``: one module per check, with its metadata; ``rules.REGISTRY``.
- ``engine``: prepares the table (step mapping, case attributes, roles) and runs the rules.
- ``finding``: the Finding value every report renders.
- ``reports/``: text, json, csv, xlsx, html.
"""
