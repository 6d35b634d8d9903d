"""The built site: strict, every stable URL lands on an anchor, failures leave the old site alone."""

from __future__ import annotations

import argparse
import shutil

from handbook import cli, links
from opsbook import urls

from .conftest import MINIMAL, REPO, page_ids, resolve


def stable_urls(handbook):
    for role in handbook.roles:
        yield urls.role(role.id)
        for attr in ("responsibilities", "kpis", "qualifications", "authorities", "conduct", "onboarding"):
            for item in getattr(role, attr):
                yield urls.role(role.id, item.id)
    for process in handbook.processes:
        yield urls.process(process.id)
        for step in process.steps:
            yield urls.step(process.id, step.id)
        for duty in process.obligations:
            yield urls.obligation(process.id, duty.id)


def test_every_stable_url_resolves_to_a_file_and_anchor(shipped, site):
    cache: dict = {}
    checked = 0
    for site_path in stable_urls(shipped):
        html_file, anchor = resolve(site, site_path)
        assert html_file.is_file(), site_path
        if anchor:
            ids = cache.setdefault(html_file, page_ids(html_file))
            assert anchor in ids, site_path
        checked += 1
    assert checked > 100


def test_rule_urls_resolve(site):
    from checker.rules import REGISTRY

    ids = page_ids(resolve(site, urls.rule("C101"))[0])
    for code in REGISTRY:
        assert links.fragment(urls.rule(code)) in ids


def test_every_overview_page_is_built(site):
    for name, path in links.PAGES.items():
        assert (site / path / "index.html").is_file(), name


def test_process_page_html_has_mermaid_and_admonitions(site):
    page = (site / urls.process("mortgage") / "index.html").read_text(encoding="utf-8")
    assert '<pre class="mermaid"><code>flowchart TD' in page
    assert 'class="admonition warning"' in page


def copy_minimal(tmp_path):
    root = tmp_path / "book"
    shutil.copytree(MINIMAL, root)
    return root


def run_build(root, site_dir, *extra):
    parser = argparse.ArgumentParser()
    cli.add_parser(parser.add_subparsers())
    args = parser.parse_args(["build", str(root), "--site-dir", str(site_dir), *extra])
    return args.func(args)


def test_build_command_builds_and_reports(tmp_path, capsys):
    root = copy_minimal(tmp_path)
    assert run_build(root, tmp_path / "site") == 0
    out = capsys.readouterr().out
    assert "pages into" in out
    assert (tmp_path / "site" / urls.process("sale") / "index.html").is_file()


def test_invalid_handbook_fails_with_problems_and_keeps_the_old_site(tmp_path, capsys):
    root = copy_minimal(tmp_path)
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "old.html").write_text("old site")
    (site_dir / ".opsbook-output").write_text("opsbook build\n")  # an earlier site of ours, so it may be replaced
    clerk = root / "roles" / "clerk.yaml"
    clerk.write_text(clerk.read_text(encoding="utf-8").replace("reports_to: boss", "reports_to: nobody"))
    assert run_build(root, site_dir) == 2
    err = capsys.readouterr().err
    assert "X001" in err and "roles/clerk.yaml" in err
    assert "Traceback" not in err
    assert (site_dir / "old.html").read_text() == "old site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book", "site"]  # no staging folder left


def test_broken_anchor_fails_a_strict_build(tmp_path, capsys):
    """A hand-written page linking to an anchor that no generated page defines."""
    root = copy_minimal(tmp_path)
    docs = tmp_path / "docs"
    shutil.copytree(REPO / "docs", docs)
    (docs / "extra.md").write_text("# 附加\n\n[不存在](roles/clerk.md#no-such-item)\n", encoding="utf-8")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: docs", f"docs_dir: {docs}")
    config = config.replace("handbook/", f"{REPO}/handbook/")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    assert run_build(root, tmp_path / "site") == 2
    assert "no-such-item" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()
    assert run_build(root, tmp_path / "site", "--no-strict") == 0


def test_the_employees_navigation_keeps_technical_pages_apart(site):
    """Roles, processes, calendar, forms, glossary and the rule catalogue first; docs/ pages in their own section."""
    import re

    from handbook.mkdocs_hooks import TECHNICAL

    home = (site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('class="md-nav md-nav--primary"') :]
    sections = re.findall(r'<label class="md-nav__link"[^>]*>\s*<span class="md-ellipsis">\s*([^<]+?)\s*</span>', nav)
    assert sections[-1] == TECHNICAL
    technical = nav[nav.index(TECHNICAL) :]
    for page in ("checker-semantics", "privacy", "benchmarks", "bad-input"):
        assert f'href="{page}/"' in technical and f'href="{page}/"' not in nav[: nav.index(TECHNICAL)]
