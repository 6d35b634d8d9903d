"""``opsbook serve``: preview the manual while editing.

MkDocs' development server with the manual's configuration: it rebuilds when a
YAML file, schema or template changes, and while the handbook has errors it
shows them as a page (handbook/errorpage.py) instead of leaving the browser
waiting. Nothing is written into the handbook folder.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from opsbook import argtypes, exitcodes
from opsbook.loader import find_root

from .cli import config_file

ROOT_ENV = "OPSBOOK_HANDBOOK_ROOT"  # read by handbook.mkdocs_hooks.handbook_root


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "serve",
        help="preview the manual in a browser while editing (reloads on save)",
        description="Serve the manual at http://127.0.0.1:8000/ and rebuild it whenever a file in handbook.yaml, "
        "roles/, processes/ or schema/ is saved. While the handbook has errors, the browser shows them "
        "(file:line:column) until they are fixed. Stop with Ctrl+C.",
    )
    argtypes.add_handbook_path(p)
    p.add_argument("--port", type=argtypes.whole(1, 65535), default=8000, help="the port to listen on (default: 8000)")
    p.add_argument("--open", action="store_true", help="open the manual in the default browser")
    p.set_defaults(func=cmd_serve)
    return p


def cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    root = find_root(Path(args.path))
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # the theme's banner is not the editors' business
    os.environ[ROOT_ENV] = str(root)
    serve(config_file=str(config_file(root)), dev_addr=f"127.0.0.1:{args.port}", open_in_browser=args.open)
    return exitcodes.OK
