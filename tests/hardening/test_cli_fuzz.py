"""Every option of every command, given hostile values: exit 0, 1 or 2, never an internal error (exit 3).

The options are walked from the parser itself, so a new option is fuzzed the
day it is added. Each run changes one value of a working command line; the
command runs in-process in a throw-away folder (home included). Building the
site and printing PDFs are replaced by stand-ins that write a page, so what is
exercised is the parsing, the checks at start-up and the output guard, on a
fixed budget.
"""

from __future__ import annotations

import argparse
import os
import shutil
import stat
from pathlib import Path

import pytest

from opsbook import cli
from opsbook.safepath import MARKER

from .helpers import make_handbook

LOG = "case_id,activity,timestamp,performer,role\nA1,起草合同,2026-03-02 09:00,p1,clerk\n"

# Values that broke, or could break, a command line: bounds, formats, paths, encodings, control characters.
HOSTILE = [
    "",
    " ",
    "-1",
    "0",
    "+5",
    "1_000",
    "1e309",
    "nan",
    "9" * 400,
    "99999999999999999999",
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "a\nb",
    "notify\n",
    "\x1b[31mred",
    "x" * 5000,
    "中文,😀",
    "{count}%s",
    "/",
    ".",
    "..",
    "~",
    "/dev/zero",
    "/dev/null",
    "/proc/self/status",
    "a-file",
    "theirs",
    "rot13",
    "zlib_codec",
    "utf-16",
    "C101,C999",
    "text,json,html,xlsx,csv",
    "\x00",  # only in-process: an argv cannot hold a NUL byte
]


def commands() -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in cli.parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def fuzzed(command: str) -> list[argparse.Action]:
    return [a for a in commands()[command]._actions if not isinstance(a, argparse._HelpAction)]


def base(command: str, root: Path) -> list[str]:
    """A command line that works, in the sandbox."""
    return {
        "validate": ["validate", str(root)],
        "build": ["build", str(root), "--site-dir", "site-out"],
        "pdf": ["pdf", str(root), "--out", "pdf-out"],
        "check": ["check", "--handbook", str(root), "log.csv", "-q"],
        "simulate": ["simulate", "--handbook", str(root), "--cases", "3", "--jobs", "1", "-q", "--out", "sim-out"],
        "serve": ["serve", str(root), "--port", "8000"],
        "diff": ["diff", str(root), str(root), "--path", str(root)],
        "diff-findings": ["diff-findings", "findings.json", "findings.json"],
        "sample": ["sample", "--handbook", str(root), "log.csv", "-q", "--size", "1", "--seed", "1", "--out", "smp"],
    }[command]


OUTPUTS = {"out", "site_dir"}  # the options naming what a command writes

COMMANDS = ["validate", "build", "pdf", "check", "simulate", "serve", "diff", "diff-findings", "sample"]


def test_every_command_is_fuzzed():
    assert sorted(commands()) == sorted(COMMANDS)


def with_value(argv: list[str], action: argparse.Action, value: str) -> list[str]:
    """``argv`` with ``action`` given ``value`` (a flag is just given; a positional is replaced)."""
    if not action.option_strings:
        keep = [a for a in argv[1:] if a.startswith("-") or not Path(a).name.startswith(("log.csv", "hb", "findings"))]
        return [argv[0], *keep, value]
    argv = list(argv)
    for name in action.option_strings:
        if name in argv:
            at = argv.index(name)
            del argv[at : at + (1 if action.nargs == 0 else 2)]
    return [*argv, action.option_strings[-1]] if action.nargs == 0 else [*argv, action.option_strings[-1], value]


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    home = tmp_path / "home"
    work = home / "work"
    work.mkdir(parents=True)
    root = make_handbook(home)
    (work / "log.csv").write_text(LOG, encoding="utf-8")
    os.mkfifo(work / "fifo")
    (work / "a-file").write_text("a file", encoding="utf-8")
    (work / "theirs").mkdir()
    (work / "theirs" / "notes.txt").write_text("keep me", encoding="utf-8")
    monkeypatch.chdir(work)
    assert cli.main(["check", "--handbook", str(root), "log.csv", "-q", "--format", "json", "--out", "run"]) in (0, 1)
    shutil.copyfile(work / "run" / "findings.json", work / "findings.json")  # for diff-findings
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("OPSBOOK_DEBUG", raising=False)
    monkeypatch.setenv("OPSBOOK_HANDBOOK_ROOT", str(root))  # serve sets it; restored afterwards

    def fake_build(config):  # mkdocs: a page instead of the whole manual (of each edition)
        Path(config["site_dir"]).mkdir(parents=True, exist_ok=True)
        Path(config["site_dir"], "index.html").write_text("<html></html>", encoding="utf-8")

    monkeypatch.setattr("mkdocs.commands.build.build", fake_build)
    monkeypatch.setattr("handbook.pdf.find_chromium", lambda: Path("/bin/true"))
    monkeypatch.setattr("handbook.pdf.ensure_site", lambda root, site_dir: None)
    monkeypatch.setattr("handbook.pdf.jobs", lambda site_dir, out_dir, roles: [])
    monkeypatch.setattr("handbook.pdf.print_all", lambda chromium, todo, out_dir, workers: None)
    monkeypatch.setattr("mkdocs.commands.serve.serve", lambda **options: None)  # no server in a test
    return root, work


def run(argv: list[str]) -> int:
    try:
        return cli.main(argv)
    except SystemExit as stop:  # argparse: usage mistakes, --version
        return stop.code if isinstance(stop.code, int) else 2


@pytest.mark.parametrize("command", COMMANDS)
def test_a_working_command_line_works(sandbox, command, capsys):
    root, _ = sandbox
    assert run(base(command, root)) in (0, 1), capsys.readouterr().err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_with_hostile_values_never_crashes(sandbox, command, capsys):
    root, work = sandbox
    crashes = []
    for action in fuzzed(command):
        for value in HOSTILE if action.nargs != 0 else [""]:
            if action.dest in OUTPUTS and value.startswith("/dev/"):
                value = "fifo"  # a device as an output is tried with a FIFO of the sandbox: never risk the real one
            argv = with_value(base(command, root), action, value)
            code = run(argv)
            err = capsys.readouterr().err
            if code not in (0, 1, 2) or "Traceback" in err or (code == 2 and not err.strip()):
                crashes.append((argv[len(base(command, root)) - 1 :], code, err[-300:]))
    assert all(stat.S_ISCHR(os.stat(device).st_mode) for device in ("/dev/null", "/dev/zero"))
    assert not crashes, "\n".join(f"{argv[-2:]!r}: exit {code}: {err.strip()[-200:]}" for argv, code, err in crashes)
    assert (work / "theirs" / "notes.txt").read_text(encoding="utf-8") == "keep me"
    if command != "diff":  # diff --out names a file, which it replaces (a-file is named on purpose)
        assert (work / "a-file").read_text(encoding="utf-8") == "a file"
    assert (root / "handbook.yaml").is_file() and not (root / MARKER).exists()


@pytest.mark.parametrize(
    ("command", "option", "value"),
    [
        ("check", "--encoding", "rot13"),  # a codec, but not a text encoding
        ("check", "--encoding", "base64"),
        ("check", "--roster", "/dev/zero"),
        ("check", "--bucket-events", "0"),
        ("check", "--timestamp-column", "time\nstamp"),
        ("simulate", "--seed", "-1"),
        ("simulate", "--start", "9999-12-01"),
        ("simulate", "--cases", "9" * 400),
        ("simulate", "--deviation-rate", "nan"),
        ("simulate", "--jobs", "0"),
        ("pdf", "--jobs", "-3"),
    ],
)
def test_reported_values_are_refused_when_parsed(sandbox, capsys, command, option, value):
    """The values of issue 10 that ended in exit 3: one line naming the option, exit 2, nothing written."""
    root, work = sandbox
    before = sorted(p.name for p in work.iterdir())
    assert (
        run(with_value(base(command, root), next(a for a in fuzzed(command) if option in a.option_strings), value)) == 2
    )
    err = capsys.readouterr().err
    assert err.startswith(f"opsbook {command}: error: argument {option}") and err.count("\n") == 1, err
    assert sorted(p.name for p in work.iterdir()) == before
