"""The traditional-Chinese edition (zh-Hant/): converted text, its own search, a way back."""

from __future__ import annotations

import pytest

from .helpers import page_url, search, site_path

pytestmark = pytest.mark.browser


def test_the_traditional_edition_reads_in_traditional_characters(page, base_url):
    page.goto(page_url(base_url, "zh-Hant/roles/sales-consultant/"))
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    assert page.locator("h1").first.inner_text().startswith("置業顧問")
    body = page.locator(".md-content").inner_text()
    assert "崗位職責" in body and "岗位职责" not in body
    assert page.title().endswith("銷售部運營手冊")


def test_each_edition_links_to_the_other(page, base_url):
    page.goto(page_url(base_url, "roles/sales-consultant/"))
    to_hant = page.locator('a.md-select__link[hreflang="zh-Hant"]')
    assert site_path(base_url, to_hant.evaluate("a => a.href")) == "zh-Hant/"
    page.goto(page_url(base_url, "zh-Hant/processes/mortgage/"))
    back = page.locator('a.md-select__link[hreflang="zh"]')
    assert site_path(base_url, back.evaluate("a => a.href")) == ""


@pytest.mark.parametrize("query", ["職責", "职责", "認購書"])
def test_search_in_the_traditional_edition_finds_both_scripts(page, base_url, query):
    page.goto(page_url(base_url, "zh-Hant/"))
    results = [site_path(base_url, href) for href in search(page, query)]
    assert results and all(path.startswith("zh-Hant/") for path in results)
