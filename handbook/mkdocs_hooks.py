"""The thin adapter between the generator and MkDocs (``hooks:`` in mkdocs.yml).

- ``on_config``: load and validate the handbook (validation errors fail the
  build, listed one per line; under ``serve`` they become the error page of
  handbook/errorpage.py instead) and generate the pages.
- ``on_files``: add the generated pages as in-memory files; set the navigation.
- ``on_serve``: rebuild when a policy file, schema or template changes.
- ``on_post_build``: fold the search index and install offline assets, once
  ``handbook/search.py`` and ``handbook/assets.py`` exist.

The handbook root is the folder of mkdocs.yml unless ``extra.handbook_root``
names another one (``opsbook build PATH`` sets it).
"""

from __future__ import annotations

import html
import importlib
import importlib.util
import logging
import os
from pathlib import Path

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from handbook import editions, versions
from handbook.errorpage import error_pages
from handbook.pages import Page, build
from opsbook.loader import load

log = logging.getLogger("mkdocs.plugins.handbook")
WATCHED = ("handbook.yaml", "roles", "processes", "schema")
TECHNICAL = "技术文档（审计与开发）"  # the hand-written pages, apart from the employees' manual
_state: dict[str, object] = {}


def handbook_root(config) -> Path:
    if "handbook_root" not in config.extra and os.environ.get("OPSBOOK_HANDBOOK_ROOT"):  # `opsbook serve PATH`
        return Path(os.environ["OPSBOOK_HANDBOOK_ROOT"]).resolve()
    base = Path(config.config_file_path).parent
    return (base / config.extra.get("handbook_root", ".")).resolve()


def navigation(pages: list[Page]) -> list:
    """MkDocs ``nav`` from the pages' sections, keeping their order; pages not in the navigation left out.

    Titles are HTML-escaped: the theme writes nav titles (and so page titles)
    into the HTML unescaped, and a role title is YAML text.
    """
    nav: list = []
    for page in pages:
        if not page.in_nav:
            continue
        level = nav
        for section in page.section:
            found = next((entry[section] for entry in level if isinstance(entry, dict) and section in entry), None)
            if found is None:
                found = []
                level.append({section: found})
            level = found
        title = html.escape(page.title)
        level.append(page.file if page.file.endswith("index.md") and page.section else {title: page.file})
    return nav


def on_startup(command, dirty):
    _state["command"] = command


def on_config(config):
    root = handbook_root(config)
    result = load(root)
    if result.errors and _state.get("command") == "serve":
        for problem in result.errors:
            log.warning("handbook: %s", problem)
        known = [page.file for page in _state.get("pages", [])]  # the pages the editor may have open
        _state.update(root=root, pages=error_pages(result.errors, known))
        return config
    if result.errors:
        lines = "\n".join(str(p) for p in result.errors)
        raise PluginError(f"the handbook in {root} failed validation with {len(result.errors)} error(s):\n{lines}")
    for problem in result.warnings:
        log.info("handbook: %s", problem)
    handbook = result.handbook
    history = versions.history(handbook, root, config.extra.get("changes_since"))
    published = config.extra.get("published")  # an edition of `opsbook build --all-versions` (all_versions.py)
    if published:
        history = versions.published(handbook, Path(config.extra["history_root"]), published["label"])
    pages = build(handbook, root, history=history)
    config.extra["version_label"] = history.label  # the footer (theme/partials/copyright.html) shows it
    _state.update(root=root, pages=pages)
    # The theme writes the name unescaped in most places and with "| e" in the logo's title: escaped
    # once, as Markup, it shows right in both ("A&amp;B", not "A&amp;amp;B").
    config.site_name = Markup(html.escape(f"{handbook.organisation}运营手册"))
    edition = config.extra.get("edition")
    if edition:  # built with its sibling edition (opsbook build): the header links the two
        config.extra["alternate"] = editions.alternates(edition)
    if edition == editions.HANT:
        config.theme["language"] = editions.HANT
        config.site_name = Markup(editions.convert(config.site_name))
        _state["pages"] = [
            Page(p.file, editions.convert(p.title), tuple(map(editions.convert, p.section)), p.text, p.in_nav)
            for p in pages
        ]
    search = _optional("handbook.search")
    if search is not None and hasattr(search, "prepare_jieba"):
        search.prepare_jieba(handbook)  # before the search plugin cuts the pages into words
    return config


def on_files(files: Files, config) -> Files:
    pages = _state["pages"]
    hand_written = [f.src_uri for f in files.documentation_pages()]
    for page in pages:
        if page.file in hand_written:
            raise PluginError(f"docs/{page.file} would replace a generated page; remove it from docs/")
        inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, page.file, content=page.text, inclusion=inclusion))
    config.nav = navigation(pages)
    if hand_written:  # docs/: how the checker decides, privacy, benchmarks: for auditors and developers
        title = editions.convert(TECHNICAL) if config.extra.get("edition") == editions.HANT else TECHNICAL
        config.nav.append({title: sorted(hand_written)})
    return files


def on_page_markdown(markdown, page, config, files):
    """Every page of the traditional edition, generated or hand-written, in traditional characters."""
    return editions.convert(markdown) if config.extra.get("edition") == editions.HANT else markdown


def on_serve(server, config, builder):
    root = _state.get("root") or handbook_root(config)
    for name in WATCHED:
        if (root / name).exists():
            server.watch(str(root / name))
    server.watch(str(Path(__file__).parent / "templates"))
    return server


def _optional(module: str):
    """A sibling module another part of the project provides, or None until it exists."""
    if importlib.util.find_spec(module) is None:
        log.info("%s is not installed yet; skipping it", module)
        return None
    return importlib.import_module(module)


def on_post_build(config):
    site_dir = Path(config.site_dir)
    search = _optional("handbook.search")
    if search is not None:
        search.fold_index(site_dir)
    assets = _optional("handbook.assets")
    if assets is not None:
        assets.install(config, site_dir)
