"""`opsbook serve` while editing: errors appear in the browser, the manual comes back on the fix."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "minimal"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, text: str, timeout: float = 120) -> str:
    deadline, body = time.monotonic() + timeout, ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read().decode("utf-8")
            if text in body:
                return body
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{text!r} never appeared at {url}; last page: {body[:500]}")


def _open(page, url: str) -> None:
    """``page.goto``, again if the preview's own live reload (the page reloads itself after a rebuild)
    interrupted the navigation."""
    for attempt in range(5):
        try:
            page.goto(url)
            return
        except PlaywrightError as exc:
            if "ERR_ABORTED" not in str(exc) or attempt == 4:
                raise
            page.wait_for_timeout(500)


@pytest.fixture
def served(tmp_path):
    root = tmp_path / "hb"
    shutil.copytree(FIXTURE, root)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "opsbook", "serve", str(root), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield root, f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0]
        assert "Material for MkDocs team" not in output  # the MkDocs 2.0 banner is silenced
        assert "Traceback" not in output


def test_errors_show_in_the_browser_and_the_fix_brings_the_manual_back(served, page):
    root, url = served
    _wait_for(url, "测试销售部运营手册")
    clerk = root / "roles" / "clerk.yaml"
    good = clerk.read_text(encoding="utf-8")
    clerk.write_text(good.replace("title: 内勤", "title：内勤"), encoding="utf-8")
    _wait_for(url, "手册有 1 个错误")
    _open(page, url)
    heading = page.locator("h1").first.inner_text().rstrip("¶")
    assert heading == "手册有 1 个错误，暂时无法预览"
    item = page.locator("li", has_text="roles/clerk.yaml:3:6").first.inner_text()
    assert "Y001" in item and "全角冒号" in item
    clerk.write_text(good, encoding="utf-8")
    _wait_for(url, "测试销售部运营手册")
    _open(page, url)
    assert "手册有" not in page.locator("h1").first.inner_text()
