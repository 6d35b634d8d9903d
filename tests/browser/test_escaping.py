"""Text from the YAML is shown as text: no page, diagram or search result runs script from data."""

from __future__ import annotations

import shutil

import pytest
import yaml

from .conftest import REPO, build_site, serve
from .helpers import diagrams, html_pages, mermaid_blocks, page_url, search

pytestmark = pytest.mark.browser

MARK = "注入测试"  # a word to search for, so that search results show the payload too
PAYLOAD = (
    f'{MARK}<script>alert("xss-script")</script><img src=x onerror=alert("xss-img")>[链接](javascript:alert("xss-md"))'
)


def test_no_shipped_page_opens_a_dialog(page, site, base_url):
    for path in html_pages(site):
        page.goto(page_url(base_url, path))
        if mermaid_blocks(site, path):
            diagrams(page, mermaid_blocks(site, path))
    assert page.dialogs == []
    assert page.errors == []


# A Mermaid directive restyles the whole diagram wherever it stands, a quoted label included (issue 10 §6).
DIRECTIVE = '%%{init:{"theme":"dark"}}%%'


def _inject(folder) -> None:
    """Put the payload in a role's purpose and duty, a step's title and description, a form and a term."""

    def rewrite(path, change):
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        path.write_text(f"{first_line}\n{text}", encoding="utf-8")

    def role(data):
        data["purpose"] += PAYLOAD
        data["responsibilities"][0]["text"] += PAYLOAD

    def process(data):
        data["steps"][0]["title"] += '"><img src=x onerror=alert("xss-step")>'
        data["steps"][1]["title"] += DIRECTIVE
        data["steps"][0]["description"] = (data["steps"][0].get("description") or "") + PAYLOAD

    def settings(data):
        data["forms"][0]["purpose"] += PAYLOAD
        data["glossary"][0]["definition"] += PAYLOAD

    rewrite(folder / "roles" / "sales-consultant.yaml", role)
    rewrite(folder / "processes" / "mortgage.yaml", process)
    rewrite(folder / "handbook.yaml", settings)


@pytest.fixture(scope="module")
def injected_site(tmp_path_factory, playwright_api):
    folder = tmp_path_factory.mktemp("injected")
    for name in ("handbook.yaml", "roles", "processes"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, folder / name)
    _inject(folder)
    site = build_site(folder / "site", handbook_dir=folder)
    server, url = serve(site)
    yield site, url
    server.shutdown()
    server.server_close()


def test_injected_markup_stays_text(page, injected_site):
    site, base = injected_site
    for path in ("roles/sales-consultant/", "processes/mortgage/", "forms/", "glossary/"):
        page.goto(page_url(base, path))
        if mermaid_blocks(site, path):
            shown = diagrams(page, mermaid_blocks(site, path))
            if path == "processes/mortgage/":
                assert any(DIRECTIVE.strip() in d["text"] for d in shown), "the directive is not shown as text"
        assert 'alert("xss-script")' in page.locator("article").inner_text(), f"{path}: payload not shown as text"
    page.goto(page_url(base, ""))
    assert search(page, MARK), "the injected text is not in the search index"
    page.wait_for_timeout(500)
    assert page.dialogs == []
    assert page.locator("article img[src=x], .md-search-result img[src=x]").count() == 0
