"""``opsbook pdf --changes-only``: which retraining sheets it prints, and its bad input (printing is in tests/browser)."""

from __future__ import annotations

import pytest

from handbook import pdf
from handbook.cli import build_site
from opsbook.cli import main
from tests.opsbook import release_repo


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return release_repo.make(tmp_path_factory.mktemp("pdf-changes") / "hb")


def test_the_sheets_are_those_of_the_touched_roles(repo, tmp_path):
    site = tmp_path / "site"
    ok, messages = build_site(repo, site, extra={"changes_since": "1"})
    assert ok, messages
    jobs = pdf.change_jobs(site, tmp_path / "out", None)
    assert [j.pdf.name for j in jobs] == ["auditor.pdf", "boss.pdf", "clerk.pdf"]
    assert [j.pdf.name for j in pdf.change_jobs(site, tmp_path / "out", ["clerk", "intern"])] == ["clerk.pdf"]


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("zh", "--changes-only 9：handbook.yaml 中没有这个发布版本（已发布：1, 2）"),
        ("en", "--changes-only 9: no such release in handbook.yaml (releases: 1, 2)"),
    ],
)
def test_an_unknown_release_is_one_line_and_exit_2(repo, tmp_path, capsys, monkeypatch, lang, line):
    monkeypatch.setenv("OPSBOOK_CHROMIUM", "/bin/true")  # never reached: the release is checked first
    monkeypatch.setenv("OPSBOOK_LANG", lang)
    out = tmp_path / "pdf-out"
    assert main(["pdf", str(repo), "--changes-only", "9", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"opsbook pdf: error: {line}"]
    assert not out.exists()
