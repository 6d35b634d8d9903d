"""Argument types for every command: each option's value is checked when the command line is parsed.

argparse calls these as ``type=`` functions; an ArgumentTypeError becomes one
usage line (``opsbook check: error: argument --seed: ...``) and exit code 2,
before anything is read or written. Numbers have both bounds (a 400-digit
``--cases`` is a mistake, not a long run); paths may not hold a NUL byte; files
read must be regular files (a FIFO would block, ``/dev/zero`` never ends).
What depends on other options (an output folder against the handbook, a time
against the handbook's zone) is checked when the command starts.
"""

from __future__ import annotations

import argparse
import codecs
import math
import os
import re
import stat
from collections.abc import Callable
from datetime import date

from opsbook.i18n import tr

MAX_TEXT = 4096  # characters of an option that is not a path: column headers, codes, URLs


def _fail(msgid: str, **params: object) -> argparse.ArgumentTypeError:
    return argparse.ArgumentTypeError(tr("cli", msgid, **params))


def _shown(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:60] + "…")


def whole(low: int, high: int) -> Callable[[str], int]:
    """A whole number from ``low`` to ``high`` (``_`` and ``,`` allowed as digit separators)."""

    def parse(text: str) -> int:
        digits = text.strip().replace("_", "").replace(",", "")
        if len(digits) > 30 or not re.fullmatch(r"[+-]?[0-9]+", digits) or not low <= int(digits) <= high:
            raise _fail("arg.whole", value=_shown(text), low=f"{low:,}", high=f"{high:,}")
        return int(digits)

    parse.__name__ = "whole number"
    return parse


def share(text: str) -> float:
    """A number from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0.0 <= value <= 1.0:  # also false for NaN
        raise _fail("arg.share", value=_shown(text))
    return value


def percent(text: str) -> float:
    """A percentage from 0 up to (not including) 100: a rate or a confidence level."""
    try:
        value = float(text) if len(text) <= 40 else math.nan
    except ValueError:
        value = math.nan
    if not 0.0 <= value < 100.0:  # also false for NaN
        raise _fail("arg.percent", value=_shown(text))
    return value


def day(low: date, high: date) -> Callable[[str], date]:
    """A date written YYYY-MM-DD from ``low`` to ``high``."""

    def parse(text: str) -> date:
        try:
            value = date.fromisoformat(text.strip()) if len(text) <= 40 else None
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise _fail("arg.day", value=_shown(text), low=low.isoformat(), high=high.isoformat())
        return value

    parse.__name__ = "date"
    return parse


def text(value: str) -> str:
    """Any short text without control characters (a header, a list of codes, a URL)."""
    if len(value) > MAX_TEXT:
        raise _fail("arg.too-long", length=f"{len(value):,}", limit=f"{MAX_TEXT:,}")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise _fail("arg.control", value=_shown(value))
    return value


def path(value: str) -> str:
    """A path to be created or checked later: not empty, no NUL byte, not absurdly long."""
    if not value or "\x00" in value:
        raise _fail("arg.path", value=_shown(value))
    if len(os.fsencode(value)) > 4096:
        raise _fail("arg.too-long", length=f"{len(value):,}", limit="4,096")
    return value


def existing(value: str) -> str:
    """A path that exists (a folder or a file): where to look for the handbook."""
    path(value)
    try:
        found = os.path.exists(value)
    except (OSError, ValueError):
        found = False
    if not found:
        raise _fail("arg.missing", value=_shown(value))
    return value


def folder(value: str) -> str:
    """An existing folder (e.g. --spill-dir)."""
    existing(value)
    if not os.path.isdir(value):
        raise _fail("arg.not-a-folder", value=_shown(value))
    return value


def regular_file(value: str) -> str:
    """An existing regular file (links followed): never a folder, FIFO, socket or device."""
    existing(value)
    try:
        mode = os.stat(value).st_mode
    except OSError as exc:
        raise _fail("arg.unreadable", value=_shown(value), reason=exc.strerror or str(exc)) from None
    if not stat.S_ISREG(mode):
        raise _fail("arg.not-a-file", value=_shown(value))
    return value


def text_encoding(value: str) -> str:
    """The name of a codec that turns bytes into text (not rot13, base64, zlib ...)."""
    text(value)
    try:
        name = codecs.lookup(value).name
        "x".encode(name)  # the non-text codecs refuse str: "is not a text encoding"
        b"".decode(name)
    except (LookupError, ValueError, TypeError):
        raise _fail("arg.encoding", value=_shown(value)) from None
    return value


class Parser(argparse.ArgumentParser):
    """argparse with usage mistakes as one line (the usage itself is one ``--help`` away), exit code 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {tr('cli', 'arg.usage', message=message, prog=self.prog)}\n")


def add_handbook_path(parser: argparse.ArgumentParser) -> None:
    """The optional PATH of the commands that read a handbook (validate, build, pdf, serve): they all look
    from it upwards for handbook.yaml (``opsbook.loader.find_root``)."""
    parser.add_argument(
        "path",
        nargs="?",
        default=".",
        type=existing,
        metavar="PATH",
        help="the handbook folder (default: the current folder or the nearest parent with handbook.yaml)",
    )


def add_handbook_option(parser: argparse.ArgumentParser) -> None:
    """``--handbook PATH`` of the commands that read a handbook besides their own inputs (check, sample,
    simulate): from it upwards to the nearest handbook.yaml, as ``add_handbook_path``."""
    parser.add_argument(
        "--handbook",
        default=".",
        type=existing,
        metavar="PATH",
        help="the handbook folder (default: nearest with handbook.yaml)",
    )
