"""Self-hosted browser assets: the manual makes no request beyond its own files.

The theme fetches Mermaid from a CDN unless ``mermaid`` is already defined when
a page with a diagram is mounted, and search from ``file://`` needs the
``iframe-worker`` shim, which material's offline plugin would add from a CDN
(and which also forces ``use_directory_urls: false``). Both come from the npm
registry instead: ``package.json``/``package-lock.json`` pin them, ``npm ci``
installs them into ``node_modules/`` and :func:`install` copies them into the
site. The config must reference the copies (see ``SCRIPT`` and ``POLYFILL``),
and ``FILE_URLS``, a few lines of our own that make directory links work from
``file://``.

:func:`view_time_requests` then reads the built site for anything a browser
would still fetch from elsewhere, and :func:`install` refuses such a site.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from mkdocs.exceptions import PluginError

VENDOR = "assets/vendor"
SCRIPT = f"{VENDOR}/mermaid/mermaid.min.js"  # extra_javascript entry
POLYFILL = f"{VENDOR}/iframe-worker/shim.js"  # extra.polyfills entry
FILE_URLS = "assets/javascripts/file-urls.js"  # extra_javascript entry

# Directory URLs (roles/x/) keep opsbook.urls stable, but under file:// they open
# a folder listing: send such clicks to the folder's index.html instead.
FILE_URLS_JS = """\
if (location.protocol === "file:") {
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest("a[href]");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var url = new URL(link.href, location.href);
    if (url.protocol !== "file:" || !url.pathname.endsWith("/") || link.target === "_blank") return;
    event.preventDefault();
    url.pathname += "index.html";
    location.href = url.href;
  }, true);
}
"""


@dataclass(frozen=True)
class Asset:
    package: str  # npm package name, pinned in package.json
    source: str  # path inside node_modules/<package>/
    target: str  # path inside the site


ASSETS = (
    Asset("mermaid", "dist/mermaid.min.js", SCRIPT),
    Asset("mermaid", "LICENSE", f"{VENDOR}/mermaid/LICENSE"),
    Asset("iframe-worker", "shim/index.js", POLYFILL),
    Asset("iframe-worker", "LICENSE", f"{VENDOR}/iframe-worker/LICENSE"),
)

# References that sit in shipped JavaScript but are never requested with this
# setup, each checked against the theme's sources (bundle.*.min.js.map):
#  - unpkg mermaid: fetched only when ``mermaid`` is undefined; we define it.
#  - unpkg resize-observer-polyfill: only in browsers without ResizeObserver.
#  - api.github.com / GitLab API: only when ``repo_url`` is set (the header
#    then renders .md-source, which view_time_requests reports on its own).
DORMANT_IN_JS = (
    "https://unpkg.com/mermaid@",
    "https://unpkg.com/resize-observer-polyfill",
    "https://api.github.com/",
    "https://${",
)

# Hosts that serve scripts, styles or fonts: any mention in shipped JS is
# treated as a request unless listed in DORMANT_IN_JS.
CDN_HOSTS = (
    "fonts.googleapis.com",
    "fonts.gstatic.com",
    "unpkg.com",
    "cdn.jsdelivr.net",
    "cdnjs.cloudflare.com",
    "esm.sh",
    "cdn.skypack.dev",
    "ajax.googleapis.com",
    "code.jquery.com",
    "use.fontawesome.com",
    "kit.fontawesome.com",
    "www.googletagmanager.com",
    "www.google-analytics.com",
    "api.github.com",
)

EXTERNAL = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
CSS_LOADS = re.compile(r"""(?:url\(\s*["']?|@import\s+(?:url\(\s*)?["']?)((?:https?:)?//[^\s"'<>)]+)""", re.IGNORECASE)
CDN_IN_JS = re.compile(r"""https?://(?:""" + "|".join(map(re.escape, CDN_HOSTS)) + r""")[^\s"'`<>)]*""")
# <link rel=...> values that make the browser fetch or connect by itself.
FETCHING_RELS = {
    "stylesheet",
    "preconnect",
    "dns-prefetch",
    "preload",
    "prefetch",
    "modulepreload",
    "icon",
    "apple-touch-icon",
    "manifest",
    "mask-icon",
}
LOADING_ATTRS = {"src", "poster", "data", "srcset", "background"}


class _Loads(HTMLParser):
    """Collects the URLs an HTML page loads by itself (a link <a href> loads nothing)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.inline: list[str] = []  # inline script and style text
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in LOADING_ATTRS & attrs.keys():
            value = attrs[name] or ""
            candidates = [part.split()[0] for part in value.split(",") if part.strip()] if name == "srcset" else [value]
            self.urls += [url for url in candidates if EXTERNAL.match(url.strip())]
        rels = set((attrs.get("rel") or "").lower().split())
        if tag == "link" and rels & FETCHING_RELS and EXTERNAL.match(attrs.get("href") or ""):
            self.urls.append(attrs["href"])
        # The header's repository link makes the theme call the forge's API for stars and forks.
        if tag == "a" and "md-source" in (attrs.get("class") or "").split():
            self.urls.append(f"{attrs.get('href')} (repo_url: the theme queries its API)")
        if "style" in attrs:
            self.inline.append(attrs["style"] or "")
        self._in = tag if tag in ("script", "style") and "src" not in attrs else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in:
            self.inline.append(data)


def node_modules(config=None) -> Path:
    """``node_modules/`` beside mkdocs.yml, else at the repository root."""
    candidates = []
    if config is not None and config.get("config_file_path"):
        candidates.append(Path(config["config_file_path"]).resolve().parent / "node_modules")
    candidates.append(Path(__file__).resolve().parent.parent / "node_modules")
    return next((c for c in candidates if c.is_dir()), candidates[-1])


def _pinned(root: Path) -> dict[str, str]:
    path = root / "package.json"
    if not path.is_file():
        return {}
    manifest = json.loads(path.read_text(encoding="utf-8"))
    return {**manifest.get("dependencies", {}), **manifest.get("devDependencies", {})}


def check_installed(modules: Path) -> None:
    """Raise PluginError unless every asset's package is installed at its pinned version."""
    pinned = _pinned(modules.parent)
    for package in sorted({a.package for a in ASSETS}):
        manifest = modules / package / "package.json"
        if not manifest.is_file():
            raise PluginError(
                f"{manifest.parent} is missing: run `npm ci` in {modules.parent} "
                "to install the manual's browser assets (mermaid, iframe-worker)"
            )
        version = json.loads(manifest.read_text(encoding="utf-8"))["version"]
        if package in pinned and pinned[package] != version:
            raise PluginError(
                f"{package} {version} is installed but package.json pins {pinned[package]}: "
                f"run `npm ci` in {modules.parent}"
            )


def install(config, site_dir) -> list[Path]:
    """Copy the vendored assets into the site, then refuse a site that would fetch from elsewhere."""
    modules = node_modules(config)
    check_installed(modules)
    site = Path(site_dir)
    written = []
    for asset in ASSETS:
        target = site / asset.target
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(modules / asset.package / asset.source, target)
        written.append(target)
    script = site / FILE_URLS
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(FILE_URLS_JS, encoding="utf-8")
    written.append(script)
    problems = view_time_requests(site)
    if problems:
        listing = "\n".join(f"  {file}: {url}" for file, url in problems[:20])
        raise PluginError(
            f"the built site would request {len(problems)} external URL(s) at view time "
            f"(set theme.font: false, no repo_url, self-host the rest):\n{listing}"
        )
    return written


def view_time_requests(site_dir) -> list[tuple[str, str]]:
    """(file, url) for every external URL a browser would load while viewing the site."""
    site = Path(site_dir)
    found = []
    for path in sorted(site.rglob("*")):
        if path.suffix not in {".html", ".css", ".js", ".mjs"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            parser = _Loads()
            parser.feed(text)
            inline = "\n".join(parser.inline)
            urls = parser.urls + [m.group(1) for m in CSS_LOADS.finditer(inline)]
            urls += [m.group(0) for m in CDN_IN_JS.finditer(inline)]
        elif path.suffix == ".css":
            urls = [m.group(1) for m in CSS_LOADS.finditer(text)]
        else:
            urls = [m.group(0) for m in CDN_IN_JS.finditer(text) if not m.group(0).startswith(DORMANT_IN_JS)]
        found += [(path.relative_to(site).as_posix(), url) for url in dict.fromkeys(urls)]
    return found
