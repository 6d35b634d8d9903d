"""``opsbook diff OLD NEW``: what changed between two versions, and with ``--roster``, who must be retrained."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from opsbook import argtypes, exitcodes, releases, safepath
from opsbook.i18n import translator
from opsbook.loader import find_root
from opsbook.releases import ReleaseError

from . import render, retrain, sources
from .compare import compare


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "diff",
        help="what changed between two versions of the handbook (roles, duties, steps, deadlines, RACI ...)",
        description="Compare two versions of the handbook as policy, not as text: roles added, removed or "
        "renamed; duties reworded; steps added, removed or reordered; deadlines, RACI, controls and obligations "
        "changed, each with its before and after. A version is a handbook folder, a release listed in "
        "handbook.yaml (e.g. 2026.1), or a git revision; older versions are read from git into a temporary "
        "folder. With --roster, list the people whose role is touched (the retraining list).",
    )
    p.add_argument(
        "old", type=argtypes.text, metavar="OLD", help="the older version: folder, release version or git revision"
    )
    p.add_argument(
        "new",
        type=argtypes.text,
        metavar="NEW",
        nargs="?",
        default=".",
        help="the newer version (default: the working tree)",
    )
    p.add_argument(
        "--path",
        default=".",
        type=argtypes.existing,
        help="the handbook folder whose releases and git history are meant",
    )
    p.add_argument("--format", choices=tuple(render.FORMATS), default="text", help="output format (default: text)")
    p.add_argument(
        "--role", default=None, type=argtypes.text, metavar="ID", help="only the changes that touch this role"
    )
    p.add_argument(
        "--roster",
        default=None,
        type=argtypes.regular_file,
        metavar="FILE",
        help="roster (CSV, XLSX, YAML): list who must be retrained",
    )
    p.add_argument("--on", default=None, type=argtypes.text, metavar="DATE", help="with --roster: who holds the role on this day "
                   "(default: NEW's release date, else today)")  # fmt: skip
    p.add_argument(
        "--out", default=None, type=argtypes.path, metavar="FILE", help="write to FILE (with --roster: .csv or .xlsx)"
    )
    p.add_argument("--lang", choices=("zh", "en"), default=None, help="language of the output (default: zh)")
    p.set_defaults(func=cmd_diff)
    return p


def cmd_diff(args: argparse.Namespace) -> int:
    t = translator("diff", args.lang)
    root = find_root(Path(args.path))
    if args.out:
        safepath.guard_file(args.out, option="--out")
    try:
        if args.out and not Path(args.out).resolve().parent.is_dir():
            raise ReleaseError("diff.out-dir", path=args.out)
        with sources.opened(root, args.old) as (old, old_label), sources.opened(root, args.new) as (new, new_label):
            diff = compare(old, new, old_label, new_label)
            if args.role is not None:
                if args.role not in {r for r, _ in diff.role_titles}:
                    raise ReleaseError("diff.unknown-role", role=args.role)
                diff = type(diff)(diff.old, diff.new, diff.for_role(args.role), diff.role_titles)
            if args.roster:
                return _retraining(args, t, diff, new, old)
            output = render.FORMATS[args.format](diff, args.lang)
    except ReleaseError as exc:
        print(f"opsbook diff: {t(exc.msgid, **exc.params)}", file=sys.stderr)
        return exitcodes.BAD_INPUT
    if args.out:
        try:
            _write_text(Path(args.out), output)
        except OSError as exc:
            raise safepath.unusable("--out", args.out, exc) from None
    else:
        sys.stdout.write(output)
    return exitcodes.FINDINGS if diff.changes else exitcodes.OK


def _on(args: argparse.Namespace, new, t) -> date:
    if args.on:
        try:
            return date.fromisoformat(args.on)
        except ValueError:
            raise ReleaseError("diff.bad-date", value=args.on) from None
    release = releases.find(new, new.version)
    return date.fromisoformat(release.date) if release else date.today()


def _retraining(args, t, diff, new, old) -> int:
    from checker.readers import LogError
    from checker.roster import read_roster

    if args.out and Path(args.out).suffix.lower() not in retrain.FORMATS:
        raise ReleaseError("diff.out-format", path=args.out)
    on = _on(args, new, t)
    try:
        roster = read_roster(args.roster, (*new.roles, *old.roles))  # a roster may still use the older titles
    except LogError as exc:
        raise ReleaseError("diff.bad-roster", problem=str(exc)) from None
    rows = retrain.people(diff, roster, on)
    header, body = retrain.table(diff, rows, args.lang)
    if args.out:
        try:
            retrain.write(Path(args.out), header, body, t("diff.sheet"))
        except OSError as exc:
            raise safepath.unusable("--out", args.out, exc) from None
        print(t("diff.retraining-written", count=len(rows), path=args.out, on=on), file=sys.stderr)
    else:
        print(t("diff.retraining-heading", count=len(rows), on=on))
        for row in body:
            print(f"{row[0]}\t{row[1]}\t{row[5]}")
            for line in row[6].splitlines():
                print(f"    {line}")
    return exitcodes.FINDINGS if rows else exitcodes.OK


def _write_text(path: Path, text: str) -> None:
    fd, partial = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(partial, path)
    finally:
        Path(partial).unlink(missing_ok=True)
