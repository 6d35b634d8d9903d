"""``opsbook build --all-versions``: every release under its own path, with a version selector.

The layout is mike's, so mkdocs-material's own version selector works unchanged
(``extra.version.provider: mike``): ``site/<version>/`` holds the manual of each
release, ``site/versions.json`` lists them newest first with the alias
``latest`` on the newest, and ``site/index.html`` sends the reader to it. An
older release is built from its content read from git (``opsbook.releases``)
with today's generator, so every edition has the same pages and links; its
version pages still read the repository's history. The newest release is the
working tree; with unreleased edits its selector entry says so (its label).

Like ``opsbook build``, the whole site is assembled aside and replaced only when
every edition built. The selector fetches ``versions.json``, so it shows when
the site is served over HTTP (a web server, ``python -m http.server``), not from
``file://``; each edition still works on its own there.
"""

from __future__ import annotations

import html
import json
import shutil
import tempfile
from pathlib import Path

from opsbook import releases
from opsbook.i18n import tr
from opsbook.loader import load
from opsbook.releases import ReleaseError

from .cli import _replace, build_site

VERSIONS = "versions.json"
LATEST = "latest"
REDIRECT = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>{title}</title>
<meta http-equiv="refresh" content="0; url={target}/"><link rel="canonical" href="{target}/"></head>
<body><p><a href="{target}/">{title}</a></p></body></html>
"""


def build_all(root: Path, site_dir: Path, *, strict: bool = True, hant: bool = True) -> tuple[bool, list[str]]:
    """Build every release of the handbook in ``root`` into ``site_dir``; (ok, messages) as ``build_site``."""
    result = load(root)
    if result.handbook is None:
        return False, [str(p) for p in result.errors]
    handbook = result.handbook
    if not handbook.releases:
        return False, [tr("cli", "build.no-releases")]
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-all-", dir=site_dir.parent))
    label = releases.label(root, handbook)
    entries, messages = [], []
    try:
        for release in reversed(handbook.releases):
            title = label if release.commit is None else release.version
            extra = {"version": {"provider": "mike"}, "published": {"version": release.version, "label": title}}
            try:
                with releases.content(root, release) as folder:
                    ok, said = build_site(folder, staging / release.version, strict=strict, hant=hant,
                                          extra={**extra, "history_root": str(root)})  # fmt: skip
            except ReleaseError:
                ok, said = (
                    False,
                    [tr("cli", "build.release-unreadable", version=release.version, commit=release.commit)],
                )
            messages += [f"{release.version}: {m}" for m in said]
            if not ok:
                shutil.rmtree(staging, ignore_errors=True)
                return False, messages
            entries.append({"version": release.version, "title": title, "aliases": []})
        entries[0]["aliases"] = [LATEST]
        (staging / VERSIONS).write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
        newest = html.escape(entries[0]["version"], quote=True)
        (staging / "index.html").write_text(REDIRECT.format(target=newest, title=newest), encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _replace(staging, site_dir)
    return True, messages
