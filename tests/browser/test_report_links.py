"""The clause links of report.html land on their clause: opened from disk, over http, and with --base-url."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from opsbook.cli import main

from .conftest import REPO, serve

pytestmark = pytest.mark.browser
EXAMPLES = REPO / "examples"


def _check(root: Path, out: Path, *extra: str) -> Path:
    main(
        [
            "check", str(EXAMPLES / "sample-log.csv"), "--handbook", str(root),
            "--mapping", str(EXAMPLES / "mapping.yaml"), "--roster", str(EXAMPLES / "roster.csv"),
            "--as-of", "2026-06-30T23:59:00+08:00", "--from", "2026-06-01",
            "--out", str(out), "--format", "html", "-q", *extra,
        ]
    )  # fmt: skip
    return out / "report.html"


@pytest.fixture(scope="module")
def audit(site, tmp_path_factory) -> Path:
    """A handbook folder whose site/ is the built manual, with the report in its out/ folder."""
    root = tmp_path_factory.mktemp("audit")
    for name in ("handbook.yaml", "roles", "processes"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, root / name)
    (root / "site").symlink_to(site, target_is_directory=True)
    _check(root, root / "out")
    return root


def _clauses(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a.clause", "links => links.map(a => a.href)")
    return sorted(set(hrefs))


def _lands(page, href: str) -> None:
    page.goto(href)
    anchor = unquote(urlsplit(href).fragment)
    assert page.title() and "Index of" not in page.content(), href
    assert page.locator(f"[id='{anchor}']").count() == 1, f"no #{anchor} on {href}"


def test_links_work_from_disk(page, audit):
    report = audit / "out" / "report.html"
    page.goto(report.as_uri())
    hrefs = _clauses(page)
    assert hrefs and all(h.startswith("file://") and "/index.html#" in h for h in hrefs)
    first = page.locator("#findings-table a.clause").first
    target = first.evaluate("a => a.href")
    with page.expect_navigation():
        first.click()
    assert page.url == target and page.locator(f"[id='{unquote(urlsplit(target).fragment)}']").count() == 1
    for href in hrefs:
        _lands(page, href)


def test_evidence_references_never_break_inside(page, audit):
    page.set_viewport_size({"width": 1000, "height": 800})
    page.goto((audit / "out" / "report.html").as_uri())
    lines = page.eval_on_selector_all("#findings-table .ref", "refs => refs.map(r => r.getClientRects().length)")
    assert lines and set(lines) == {1}  # each sample-log.csv:201 on one line, however narrow its column


def test_links_work_over_http(page, audit):
    server, url = serve(audit)
    try:
        page.goto(url + "out/report.html")
        hrefs = _clauses(page)
        assert hrefs and all(h.startswith(url + "site/") for h in hrefs)
        for href in hrefs[:15]:
            _lands(page, href)
    finally:
        server.shutdown()
        server.server_close()


def test_base_url_gives_absolute_links(page, site, tmp_path):
    server, url = serve(site)
    try:
        report = _check(REPO, tmp_path, "--base-url", url)
        page.goto(report.as_uri())
        hrefs = _clauses(page)
        assert hrefs and all(h.startswith(url) and "index.html" not in h for h in hrefs)
        for href in hrefs[:15]:
            _lands(page, href)
    finally:
        server.shutdown()
        server.server_close()
