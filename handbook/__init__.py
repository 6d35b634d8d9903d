"""The manual generator: from the typed handbook model to the pages of the manual site.

- ``pages``: the ordered pages (file, title, navigation place, Markdown), one
  template each in ``templates/``; knows nothing of the site engine.
- ``render``: the one Jinja environment; ``markdown``: escaping YAML text.
- ``derive``, ``checks``, ``words``, ``mermaid``: views derived from the model
  (RACI, org tree, applicable checker rules, deadlines in plain Chinese, diagrams).
- ``rules``, ``schemaref``, ``versions``: the rule catalogue (from the checker's
  registry), the editors' field reference (from the schemas), the releases and what each changed.
- ``links``: opsbook.urls site paths → Markdown files and relative links.
- ``mkdocs_hooks``: the thin MkDocs adapter; ``cli``: ``opsbook build``.
- ``search``, ``assets``: Chinese search folding and offline assets.
- ``print_pages``: the print pages (a booklet per role, the whole manual on one
  page); ``pdf``: ``opsbook pdf``, printing them to PDF with chromium.
"""
