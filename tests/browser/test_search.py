"""Chinese search in the real site: segmented at build time, both scripts, domain terms first."""

from __future__ import annotations

import pytest

from .helpers import page_url, search, site_path

pytestmark = pytest.mark.browser


def role_page(path: str) -> bool:
    return path.startswith("roles/") and path.count("/") == 2


# query → what the first result must be (a site path, a tuple of them, or a test)
CASES = {
    "职责": role_page,
    "職責": role_page,
    "按揭": "processes/mortgage/",
    "入伙": "processes/handover/",
    "置业顾问": "roles/sales-consultant/",
    "预验收": "processes/handover/",
    "客户来访登记表": ("forms/", "processes/customer-reception/"),
    # English and mixed queries: words are indexed unstemmed, each query word is a prefix
    "mortgage": "processes/mortgage/",
    "Mortgage Processing": "processes/mortgage/",
    "Processing": ("processes/mortgage/", "processes/property-certificate/"),
    "sales": role_page,  # a role whose title says sales (项目经理 is "Project Sales Manager")
    "Sales Consultant": "roles/sales-consultant/",
    "按揭 mortgage": "processes/mortgage/",
}


def accepts(expected, path: str) -> bool:
    if callable(expected):
        return expected(path)
    return path in ((expected,) if isinstance(expected, str) else expected)


@pytest.mark.parametrize("query", CASES)
def test_first_result(page, base_url, query):
    page.goto(page_url(base_url, ""))
    results = [site_path(base_url, href) for href in search(page, query)]
    assert results, f"no result for {query}"
    assert accepts(CASES[query], results[0]), f"{query}: first results {results[:5]}"


@pytest.mark.parametrize(("simplified", "traditional"), [("职责", "職責"), ("入伙", "入夥"), ("认购书", "認購書")])
def test_both_scripts_find_as_many_pages(page, base_url, simplified, traditional):
    """Same number of results (the theme renders only the first ten; ties may come in any order)."""
    page.goto(page_url(base_url, ""))
    counts = []
    for query in (simplified, traditional):
        search(page, query)
        counts.append(page.locator(".md-search-result__meta").inner_text())
    assert counts[0] == counts[1], counts
