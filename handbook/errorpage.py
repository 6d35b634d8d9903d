"""What `opsbook serve` / `mkdocs serve` shows while the handbook has errors.

A preview that fails to build leaves the browser waiting and the reason in a
terminal the editor may not be looking at. Instead, in serve mode, every page
the preview knew (and the home page) becomes one page listing the problems at
file:line:column, and the next save that fixes them brings the manual back
(the live-reload watches the policy files).
"""

from __future__ import annotations

import html

from opsbook.i18n import tr

from .pages import Page


def error_pages(problems, known_files: list[str]) -> list[Page]:
    """The error page under every known page file (index.md first), in the navigation once."""
    title = tr("site", "serve.error-title", count=len(problems))
    items = "\n".join(
        f"- `{html.escape(p.file)}:{p.line}:{p.column}` **{p.code}** {html.escape(p.message)}" for p in problems
    )
    text = f"# {html.escape(title)}\n\n{tr('site', 'serve.error-hint')}\n\n{items}\n"
    files = dict.fromkeys(["index.md", *known_files])
    return [Page(file, title, (), text, in_nav=file == "index.md") for file in files]
