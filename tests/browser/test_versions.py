"""The site built with every version, served over HTTP: the version selector, and a role's "changes since"."""

from __future__ import annotations

import pytest

from tests.handbook.test_all_versions import build_editions

from .conftest import serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def editions(playwright_api, tmp_path_factory):
    _, site = build_editions(tmp_path_factory.mktemp("editions"))
    server, url = serve(site)
    yield url
    server.shutdown()
    server.server_close()


def test_the_selector_lists_every_release_and_opens_the_one_chosen(editions, page):
    page.goto(editions)  # the root sends the reader to the newest release
    page.wait_for_url(f"{editions}2/")
    current = page.locator(".md-version__current")
    current.wait_for()
    assert current.inner_text().strip() == "2"
    links = page.locator(".md-version__link")
    assert [links.nth(i).inner_text().strip() for i in range(links.count())] == ["2", "1"]
    page.goto(f"{editions}2/roles/clerk/")
    page.locator(".md-version__current").focus()  # the list opens on focus or hover
    page.locator(".md-version__link", has_text="1").click()
    page.wait_for_url(f"{editions}1/**")  # Material opens the same page when the sitemaps name it, else the home page
    assert page.locator(".md-version__current").inner_text().strip() == "1"
    assert "手册版本 1" in page.locator(".oh-version").inner_text()
    assert not page.errors


def test_a_role_page_shows_what_changed_for_it(editions, page):
    page.goto(f"{editions}2/roles/clerk/")
    heading = page.locator("h2#changes-since")
    assert heading.inner_text().strip().startswith("自 1 以来本岗位的变化")
    body = page.evaluate(
        """() => { const out = []; let n = document.getElementById('changes-since').nextElementSibling;
                   while (n && n.tagName !== 'H2') { out.push(n.innerText); n = n.nextElementSibling; } return out.join('\\n'); }"""
    )
    assert "条目改写" in body and "步骤顺序变更" in body
    assert "时限变更" not in body, "the approval step's deadline is the boss's change"
    page.locator("h2#changes-since ~ * a", has_text="1").first.click()
    page.wait_for_url(f"{editions}2/changes/**")
