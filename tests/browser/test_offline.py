"""Offline: viewing the manual requests nothing but its own files, over http:// and from file://."""

from __future__ import annotations

import pytest

from .helpers import diagrams, mermaid_blocks, page_url, search, site_path

pytestmark = pytest.mark.browser

ROLE = "roles/sales-consultant/"
PROCESS = "processes/mortgage/"


def tour(page, site, base: str) -> None:
    """Home, a role page, a process page with its diagram, and a search."""
    page.goto(page_url(base, ""))
    page.goto(page_url(base, ROLE))
    page.goto(page_url(base, PROCESS))
    assert diagrams(page, mermaid_blocks(site, PROCESS))
    results = search(page, "按揭")
    assert site_path(base, results[0]) == PROCESS, results[:3]


def test_http_requests_stay_on_this_machine(page, site, base_url, requests):
    tour(page, site, base_url)
    assert requests.external() == [], "requests left 127.0.0.1"
    fetched = {url.split("?")[0].removeprefix(base_url) for url in requests.urls}
    assert "assets/vendor/mermaid/mermaid.min.js" in fetched
    assert "search/search_index.json" in fetched


def test_file_requests_stay_on_this_machine(page, site, requests):
    base = site.as_uri() + "/"
    tour(page, site, base)
    assert requests.external() == []
    assert all(url.startswith(("file://", "data:", "blob:", "about:")) for url in requests.urls), requests.urls
    fetched = {url.removeprefix(base) for url in requests.urls}
    assert "search/search_index.js" in fetched, "search from file:// reads the index as a script"
    assert "assets/vendor/iframe-worker/shim.js" in fetched


def test_file_links_open_pages(page, site):
    """Directory links (roles/x/) lead to the folder's index.html, not a folder listing."""
    base = site.as_uri() + "/"
    page.goto(page_url(base, ""))
    # A click event, as a reader's click or Enter gives it (the link may sit in a collapsed menu).
    page.eval_on_selector(f'a[href$="{ROLE}"]', "link => link.click()")
    page.wait_for_url(page_url(base, ROLE))
    assert page.locator("article h1").count() == 1
