"""Browser tests: build the shipped manual once, serve it on 127.0.0.1, drive Debian's chromium.

Needs /usr/bin/chromium, fonts-noto-cjk and poppler-utils (``.ci/install-system-deps``)
and Playwright's Python package; never ``playwright install``. Without chromium
the tests are skipped, except under CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("OPSBOOK_CHROMIUM", "/usr/bin/chromium"))  # Debian's; never `playwright install`
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Material renders each diagram into a *closed* shadow root; the tests open it to look inside.
OPEN_SHADOW_ROOTS = """
const attachShadow = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attachShadow.call(this, { ...init, mode: "open" }); };
"""
BUILD_TIMEOUT = 600


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Debian's chromium (/usr/bin/chromium) through Playwright")


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (CI must run the browser tests: run .ci/install-system-deps first)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def playwright_api():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: install Debian's chromium (sudo bash .ci/install-system-deps)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is missing: pip install playwright (never `playwright install`)")
    with sync_playwright() as api:
        yield api


@pytest.fixture(scope="session")
def browser(playwright_api):
    # launch() gives every run a fresh temporary user-data directory.
    browser = playwright_api.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


def build_site(site_dir: Path, handbook_dir: Path | None = None) -> Path:
    """``opsbook build`` when the command exists, else ``mkdocs build`` from the repository root."""
    has_build = (
        subprocess.run(
            [sys.executable, "-m", "opsbook", "build", "--help"], cwd=REPO, capture_output=True, timeout=120
        ).returncode
        == 0
    )
    if has_build:
        command = [sys.executable, "-m", "opsbook", "build"]
        command += [str(handbook_dir)] if handbook_dir else []
        command += ["--site-dir", str(site_dir)]
    elif handbook_dir is None:
        command = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site_dir)]
    else:
        pytest.skip("building another handbook folder needs `opsbook build PATH`")
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    assert (site_dir / "index.html").is_file(), f"no index.html in {site_dir}"
    return site_dir


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The shipped manual, built once; OPSBOOK_TEST_SITE=DIR reuses a site built before."""
    prebuilt = os.environ.get("OPSBOOK_TEST_SITE")
    if prebuilt:
        return Path(prebuilt).resolve()
    return build_site(tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="session")
def site(playwright_api, built_site) -> Path:
    """The built manual, for tests that drive the browser (skipped before building without one)."""
    return built_site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def serve(directory: Path):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_port}/"


@pytest.fixture(scope="session")
def base_url(site) -> str:
    server, url = serve(site)
    yield url
    server.shutdown()
    server.server_close()


class Requests:
    """Every request a browser context makes; anything leaving this machine is also aborted."""

    def __init__(self):
        self.urls: list[str] = []

    def record(self, request):
        self.urls.append(request.url)

    def external(self) -> list[str]:
        return sorted({url for url in self.urls if not is_local(url)})


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("file", "data", "blob", "about"):
        return True
    return parts.scheme in ("http", "https") and parts.hostname == "127.0.0.1"


@pytest.fixture
def requests() -> Requests:
    return Requests()


@pytest.fixture
def context(browser, requests):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_init_script(OPEN_SHADOW_ROOTS)
    context.on("request", requests.record)
    context.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"), _abort_external)
    yield context
    context.close()


def _abort_external(route):
    if is_local(route.request.url):
        route.continue_()
    else:
        route.abort("blockedbyclient")


@pytest.fixture
def page(context):
    page = context.new_page()
    page.dialogs = []
    page.errors = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


@pytest.fixture(scope="session")
def handbook():
    from opsbook.loader import load

    result = load(REPO)
    assert result.handbook is not None, "the shipped handbook does not load: run `opsbook validate`"
    return result.handbook


@pytest.fixture(scope="session")
def pdftotext():
    tool = shutil.which("pdftotext")
    if not tool:
        _unavailable("pdftotext is missing: install poppler-utils (sudo bash .ci/install-system-deps)")
    return tool
