"""``opsbook build``: the manual site, built atomically.

The site is built by MkDocs into a temporary folder beside the target and
renamed into place only when the build succeeds, so a failed build leaves the
previous site untouched. Validation problems and build warnings (in strict
mode, every broken link or anchor) are printed one per line; no traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from opsbook import argtypes, exitcodes, interrupt, safepath
from opsbook.i18n import tr
from opsbook.loader import find_root

from . import editions

CONFIG = "mkdocs.yml"
KIND = "build"  # the command named in the site's marker file
# The manual's own configuration, used for a handbook folder without a mkdocs.yml.
DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / CONFIG


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings and errors to print them plainly if the build fails."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "build",
        help="build the manual site (HTML) from the handbook",
        description="Validate the handbook and build its manual site with MkDocs: role and process pages, "
        "org chart, RACI matrix, calendar, glossary, forms, rule catalogue and editors' reference. "
        "The site is replaced only when the build succeeds.",
    )
    argtypes.add_handbook_path(p)
    p.add_argument(
        "--site-dir",
        default=None,
        type=argtypes.path,
        help="where to write the site (default: site/ in the handbook folder); an existing folder is replaced "
        "only when it is empty or an earlier site built by opsbook",
    )
    p.add_argument(
        "--strict",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="fail on any warning, e.g. a broken link or a missing anchor (default: on)",
    )
    p.add_argument(
        "--hant",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also build the traditional-Chinese edition (繁體版, OpenCC s2twp) into SITE/zh-Hant/ (default: on)",
    )
    p.add_argument(
        "--all-versions",
        action="store_true",
        help="build every release of handbook.yaml under SITE_DIR/<version>/ with a version selector and "
        "SITE_DIR/versions.json; SITE_DIR/ opens the newest (older releases are read from git)",
    )
    p.set_defaults(func=cmd_build)
    return p


def config_file(root: Path) -> Path:
    own = root / CONFIG
    return own if own.is_file() else DEFAULT_CONFIG


def build_site(
    root: Path, site_dir: Path, *, strict: bool = True, hant: bool = True, extra: dict | None = None
) -> tuple[bool, list[str]]:
    """Build into ``site_dir`` (replaced atomically on success), with the traditional edition in
    ``zh-Hant/`` unless ``hant`` is false. Returns (ok, messages).

    ``site_dir`` must pass the output guard (``opsbook.safepath``): a folder that
    is new, empty or an earlier site of ours. The staging folder beside it is
    removed whatever happens (a failed build, an error, Ctrl-C or SIGTERM), and so
    are the parent folders created for it when the build fails.

    ``extra`` is added to the configuration's ``extra``: e.g. ``changes_since`` (handbook/versions.py).
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # the theme's banner is not the user's business here
    site_dir = safepath.guard(site_dir, option="--site-dir", kind=KIND, handbook=root)
    created = safepath.missing_parents(site_dir)
    staging: Path | None = None
    collect, logger = _Collect(), logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        with interrupt.interruptible():
            staging = _staging(site_dir, created)
            try:
                for edition, folder in _editions(staging, hant):
                    config = load_config(str(config_file(root)), site_dir=str(folder), strict=strict)
                    config.extra["handbook_root"] = str(root)
                    config.extra["edition"] = edition if hant else None
                    config.extra.update(extra or {})
                    build(config)
            except (MkDocsException, OSError) as exc:
                messages = collect.messages or [str(exc)]
                if str(exc) not in messages and not str(exc).startswith("Aborted"):
                    messages.append(str(exc))
                return False, messages
            _publish(staging, site_dir)
            created = []
            return True, collect.messages
    finally:
        logger.removeHandler(collect)
        if staging is not None and staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        safepath.remove_empty(created)


def _staging(site_dir: Path, created: list[Path]) -> Path:
    """A private folder beside ``site_dir`` to build into (so the rename is atomic)."""
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-build-", dir=site_dir.parent))
    except OSError as exc:
        safepath.remove_empty(created)
        raise safepath.OutputRefused(
            tr("cli", "output.unusable", option="--site-dir", path=str(site_dir), reason=exc.strerror or str(exc))
        ) from None


def _publish(staging: Path, site_dir: Path) -> None:
    """Mark the new site, open it to every reader (mkdtemp made it 0700), and put it in place."""
    safepath.claim(staging, KIND)
    staging.chmod(0o777 & ~safepath.umask())
    with interrupt.deferred():  # never a moment with the old site moved away and the new one not in place
        _replace(staging, site_dir)


def _editions(staging: Path, hant: bool) -> list[tuple[str, Path]]:
    """(edition, folder) to build, simplified first: its build empties the folder the other goes in."""
    return [("zh", staging), *([(editions.HANT, staging / editions.FOLDER)] if hant else [])]


def _replace(staging: Path, site_dir: Path) -> None:
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-old-", dir=site_dir.parent))
        old.rmdir()
        site_dir.rename(old)
    try:
        staging.rename(site_dir)
    except BaseException:
        if old is not None:
            old.rename(site_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def cmd_build(args: argparse.Namespace) -> int:
    root = find_root(Path(args.path))
    site_dir = Path(args.site_dir) if args.site_dir else root / "site"
    if args.all_versions:
        from .all_versions import build_all

        ok, messages = build_all(root, site_dir, strict=args.strict, hant=args.hant)
    else:
        ok, messages = build_site(root, site_dir, strict=args.strict, hant=args.hant)
    for message in messages:
        for line in message.splitlines():
            print(line, file=sys.stderr)
    if not ok:
        print(f"opsbook: build failed; {site_dir} was left as it was", file=sys.stderr)
        return exitcodes.BAD_INPUT
    pages = sum(1 for f in site_dir.rglob("index.html") if f.relative_to(site_dir).parts[0] != editions.FOLDER)
    print(f"built {pages} pages into {site_dir}  (已生成 {pages} 个页面：{site_dir / 'index.html'})")
    return exitcodes.OK
