"""Shared fixtures: the shipped handbook, its pages, and one strict build of its site."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from handbook.pages import build
from opsbook.loader import load

REPO = Path(__file__).resolve().parents[2]
MINIMAL = REPO / "tests" / "fixtures" / "minimal"


@pytest.fixture(scope="session")
def shipped():
    result = load(REPO)
    assert not result.errors, "\n".join(map(str, result.errors))
    return result.handbook


@pytest.fixture(scope="session")
def pages(shipped):
    """Markdown file → Page, for the shipped handbook."""
    return {page.file: page for page in build(shipped)}


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The shipped handbook's site, built by `mkdocs build --strict` from the repository root."""
    site_dir = tmp_path_factory.mktemp("shipped") / "site"
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    return site_dir


class Ids(HTMLParser):
    """Every id (and <a name>) an HTML page defines."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)


def page_ids(html_file: Path) -> set[str]:
    parser = Ids()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return parser.ids


def resolve(site_dir: Path, site_path: str) -> tuple[Path, str]:
    """``roles/x/#r1`` → (site/roles/x/index.html, "r1")."""
    path, _, fragment = site_path.partition("#")
    return site_dir / path / "index.html", fragment
