"""Every mermaid block of the site becomes a diagram, with the self-hosted mermaid."""

from __future__ import annotations

import pytest

from .helpers import diagrams, mermaid_blocks, page_url, pages_with_diagrams

pytestmark = pytest.mark.browser


def test_process_pages_have_diagrams(site):
    assert any(p.startswith("processes/") for p in pages_with_diagrams(site))


def test_every_diagram_renders(page, site, base_url):
    failures = []
    for path in pages_with_diagrams(site):
        page.goto(page_url(base_url, path))
        expected = mermaid_blocks(site, path)
        try:
            rendered = diagrams(page, expected)
        except Exception as error:  # noqa: BLE001 - report every page, not just the first
            failures.append(f"{path}: not rendered ({type(error).__name__})")
            continue
        for svg in rendered:
            if svg["width"] < 50 or svg["height"] < 50 or "Syntax error" in svg["text"]:
                failures.append(f"{path}: {svg['width']}x{svg['height']} {svg['text'][:200]!r}")
    assert not failures, "\n".join(failures)
    assert not page.errors, page.errors
