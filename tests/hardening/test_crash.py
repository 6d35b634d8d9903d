"""A bug in opsbook is one line on stderr and exit code 3; the traceback only with OPSBOOK_DEBUG=1."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from opsbook import cli, exitcodes

from .helpers import opsbook

LINE = "opsbook: 内部错误（opsbook 的缺陷，请报告）：RuntimeError: boom。设置 OPSBOOK_DEBUG=1 可显示详细信息。\n"
# The real entry point with a command that fails as a bug would.
CRASHING = (
    "import sys\n"
    "from opsbook import cli\n"
    "def broken(args):\n"
    "    raise RuntimeError('boom\\nsecond line')\n"
    "cli.cmd_validate = broken\n"
    "sys.exit(cli.main(['validate']))\n"
)


def crash(monkeypatch, exc: BaseException) -> None:
    def broken(args):
        raise exc

    monkeypatch.setattr(cli, "cmd_validate", broken)


def test_internal_error_is_one_line_and_exit_three(monkeypatch, capsys):
    monkeypatch.delenv("OPSBOOK_DEBUG", raising=False)
    monkeypatch.delenv("OPSBOOK_LANG", raising=False)
    crash(monkeypatch, RuntimeError("boom\nsecond line"))
    assert cli.main(["validate"]) == exitcodes.INTERNAL == 3
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", LINE)


def test_internal_error_without_a_message_names_its_type(monkeypatch, capsys):
    monkeypatch.delenv("OPSBOOK_DEBUG", raising=False)
    crash(monkeypatch, KeyError())
    assert cli.main(["validate"]) == 3
    assert (
        capsys.readouterr().err
        == "opsbook: 内部错误（opsbook 的缺陷，请报告）：KeyError。设置 OPSBOOK_DEBUG=1 可显示详细信息。\n"
    )


def test_debug_shows_the_traceback(monkeypatch, capsys):
    monkeypatch.setenv("OPSBOOK_DEBUG", "1")
    crash(monkeypatch, RuntimeError("boom"))
    assert cli.main(["validate"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert err.endswith(LINE)


@pytest.mark.parametrize(
    ("exc", "code", "err"),
    [
        (cli.UserError("no such thing"), 2, "opsbook validate: error: no such thing\n"),
        (KeyboardInterrupt(), 130, "opsbook validate: 已中断\n"),
        (BrokenPipeError(), 0, ""),
    ],
)
def test_expected_exceptions_keep_their_exit_codes(monkeypatch, capsys, exc, code, err):
    crash(monkeypatch, exc)
    assert cli.main(["validate"]) == code
    assert capsys.readouterr().err == err


def test_usage_errors_are_still_argparse_exit_two(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["check"])
    assert exit_.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("debug", [False, True])
def test_internal_error_in_a_fresh_interpreter(debug):
    env = {k: v for k, v in os.environ.items() if k != "OPSBOOK_DEBUG"} | ({"OPSBOOK_DEBUG": "1"} if debug else {})
    proc = subprocess.run([sys.executable, "-c", CRASHING], capture_output=True, text=True, env=env, encoding="utf-8")
    assert proc.returncode == 3
    if debug:
        assert proc.stderr.startswith("Traceback (most recent call last):") and proc.stderr.endswith(LINE)
    else:
        assert proc.stderr == LINE


def test_version_still_works():
    proc = opsbook("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("opsbook ")
