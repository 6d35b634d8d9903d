"""What the browser tests do on a page: search, wait for diagrams, list the site's pages."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

SEARCH_INPUT = "input[data-md-component=search-query]"
RESULT_LINKS = ".md-search-result__list > .md-search-result__item > a"
TIMEOUT = 20_000  # ms


def page_url(base: str, path: str) -> str:
    """A site path (``roles/x/``) under ``base``; under file:// a folder means its index.html."""
    url = urljoin(base, path)
    if url.startswith("file:") and url.endswith("/"):
        url += "index.html"
    return url


def site_path(base: str, url: str) -> str:
    """``http://…/roles/x/?h=q#a`` → ``roles/x/``."""
    path = urlsplit(url).path
    root = urlsplit(base).path
    path = path[len(root) :] if path.startswith(root) else path
    return path.removesuffix("index.html")


def search(page, query: str) -> list[str]:
    """Type ``query`` into the header's search box; the result pages' links, best first."""
    box = page.locator(SEARCH_INPUT)
    box.click()
    box.fill("")
    page.locator(RESULT_LINKS).first.wait_for(state="detached", timeout=TIMEOUT)  # no stale results
    page.keyboard.type(query)
    # Typed CJK text fires no key-up, which is what material listens to.
    page.keyboard.press("End")
    first = page.locator(RESULT_LINKS).first
    first.wait_for(state="attached", timeout=TIMEOUT)
    links = page.locator(RESULT_LINKS)
    return [links.nth(i).get_attribute("href") for i in range(links.count())]


def diagrams(page, expected: int) -> list[dict]:
    """Wait until ``expected`` mermaid blocks became diagrams; size and text of each rendered svg."""
    page.wait_for_function(
        """expected => {
            const hosts = [...document.querySelectorAll('div.mermaid')];
            return hosts.length >= expected && hosts.every(h => h.shadowRoot && h.shadowRoot.querySelector('svg'));
        }""",
        arg=expected,
        timeout=TIMEOUT,
    )
    return page.evaluate(
        """() => [...document.querySelectorAll('div.mermaid')].map(host => {
            const svg = host.shadowRoot.querySelector('svg');
            const box = svg.getBoundingClientRect();
            const labels = [...svg.querySelectorAll('text, foreignObject')].map(e => e.textContent.trim());
            return {width: Math.round(box.width), height: Math.round(box.height), text: labels.join(' ')};
        })"""
    )


def html_pages(site: Path) -> list[str]:
    """Site paths of every page (``roles/x/``), home first; the 404 page and the zh-Hant edition
    (the same pages converted, tested in test_editions.py) left out."""
    paths = []
    for file in sorted(site.rglob("index.html")):
        rel = file.parent.relative_to(site).as_posix()
        if rel.split("/")[0] == "zh-Hant":
            continue
        paths.append("" if rel == "." else f"{rel}/")
    return sorted(paths, key=lambda p: (p != "", p))


def mermaid_blocks(site: Path, path: str) -> int:
    """How many mermaid blocks the built page holds before the browser renders them."""
    return (site / path / "index.html").read_text(encoding="utf-8").count('class="mermaid"')


def pages_with_diagrams(site: Path) -> list[str]:
    return [p for p in html_pages(site) if mermaid_blocks(site, p)]
