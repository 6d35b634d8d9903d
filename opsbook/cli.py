"""The ``opsbook`` command line: one small function per command, each returning an exit code."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__, argtypes, exitcodes
from .loader import find_root, load
from .terminal import Escaping

EPILOG = """\
exit codes: 0 clean, 1 findings (or warnings with --strict), 2 bad input or usage, 3 internal error (a bug: please report it).
docs: README.md and the manual's “编辑者参考 / Reference for editors”."""


class UserError(Exception):
    """A mistake the user can fix: printed as one line, exit code 2."""


def cmd_validate(args: argparse.Namespace) -> int:
    from .i18n import tr

    root = find_root(Path(args.path))
    result = load(root)
    lang = args.lang
    if args.format == "json":
        payload = {
            "root": str(root),
            "files": len(result.files),
            "errors": len(result.errors),
            "warnings": len(result.warnings),
            "problems": [p.to_dict(lang) for p in result.problems],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for p in result.problems:
            print(p.line_text(lang))
        if not args.quiet or result.problems:
            counts = {"files": len(result.files), "errors": len(result.errors), "warnings": len(result.warnings)}
            print(tr("validate", "summary", lang, **counts), file=sys.stderr)
    if result.errors:
        return exitcodes.BAD_INPUT
    if result.warnings and args.strict:
        return exitcodes.FINDINGS
    return exitcodes.OK


def parser() -> argparse.ArgumentParser:
    main = argtypes.Parser(
        prog="opsbook",
        description="Policy as data: validate a handbook of roles and processes, build its manual site, "
        "and check activity logs against it.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    main.add_argument("--version", action="version", version=f"opsbook {__version__}")
    sub = main.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "validate",
        help="check the YAML against the schemas and the cross-references",
        description="Check handbook.yaml, roles/*.yaml and processes/*.yaml: YAML syntax (duplicate keys "
        "included), JSON Schemas, and cross-references (every role, step, form, attribute and source named "
        "exists; unique ids and activity labels; no cycles). Prints every problem as file:line:column: CODE message.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    argtypes.add_handbook_path(p)
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing when there is no problem")
    p.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=None,
        help="language of the messages (default: $OPSBOOK_LANG, else zh); codes are the same in both",
    )
    p.set_defaults(func=cmd_validate)

    # The generator and the checker own their commands; imported here so that
    # `opsbook --help` lists them all.
    from checker.audit.cli import add_parsers as add_audit
    from checker.cli import add_parser as add_check
    from handbook.cli import add_parser as add_build
    from handbook.pdf import add_parser as add_pdf
    from handbook.serve import add_parser as add_serve
    from opsbook.diff.cli import add_parser as add_diff
    from simulator.cli import add_parser as add_simulate

    add_build(sub)
    add_serve(sub)
    add_pdf(sub)
    add_check(sub)
    add_audit(sub)  # diff-findings, sample
    add_simulate(sub)
    add_diff(sub)
    return main


def main(argv: list[str] | None = None) -> int:
    streams = sys.stdout, sys.stderr
    sys.stderr = Escaping(sys.stderr)
    if sys.stdout.isatty():
        sys.stdout = Escaping(sys.stdout)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _main(argv: list[str] | None) -> int:
    prog = "opsbook"
    try:
        args = parser().parse_args(argv)
        if not getattr(args, "func", None):
            parser().print_help()
            return exitcodes.BAD_INPUT
        prog = f"opsbook {args.command}"
        return args.func(args)
    except UserError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return exitcodes.BAD_INPUT
    except KeyboardInterrupt:
        from opsbook.i18n import tr

        print(f"{prog}: {tr('cli', 'cli.interrupted')}", file=sys.stderr)
        return exitcodes.INTERRUPTED
    except BrokenPipeError:
        return exitcodes.OK
    except Exception as exc:  # a bug: one line for the user, the traceback only on request
        import os
        import traceback

        if os.environ.get("OPSBOOK_DEBUG") == "1":
            traceback.print_exc()
        detail = (str(exc).strip().splitlines() or [""])[0]
        what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
        from opsbook.i18n import tr

        print(f"opsbook: {tr('cli', 'cli.internal-error', error=what)}", file=sys.stderr)
        return exitcodes.INTERNAL


if __name__ == "__main__":
    sys.exit(main())
