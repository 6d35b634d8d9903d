"""Command-line options shared by the commands that read activity logs (``check``, ``sample``)."""

from __future__ import annotations

from opsbook import argtypes


def add_log_inputs(p) -> None:
    """The options that say what to read and for which time (shared by ``check`` and ``sample``)."""
    p.add_argument(
        "logs", nargs="+", type=argtypes.path, metavar="LOG", help="activity log file(s), e.g. one per month"
    )
    argtypes.add_handbook_option(p)
    p.add_argument(
        "--roster",
        type=argtypes.regular_file,
        metavar="FILE",
        help="person → role(s) with optional from/to dates (CSV, XLSX or YAML)",
    )
    p.add_argument(
        "--mapping",
        type=argtypes.regular_file,
        metavar="FILE",
        help="YAML mapping the log's own headers to case_id, activity, timestamp ...",
    )
    for field in ("case_id", "activity", "timestamp", "performer", "role"):
        p.add_argument(
            f"--{field.replace('_', '-')}-column",
            dest=f"col_{field}",
            type=argtypes.text,
            metavar="HEADER",
            help=f"the log header holding the {field} (overrides --mapping)",
        )
    p.add_argument(
        "--attribute",
        action="append",
        default=[],
        type=argtypes.text,
        metavar="NAME=HEADER",
        help="map a log header to a case attribute (repeatable)",
    )
    p.add_argument(
        "--encoding",
        type=argtypes.text_encoding,
        help="encoding of CSV logs (default: detect UTF-8, UTF-8 with BOM or GB18030)",
    )
    p.add_argument(
        "--as-of",
        type=argtypes.text,
        metavar="TIME",
        help="the instant the audit is run for (default: the latest event); local time unless it has an offset",
    )
    p.add_argument(
        "--from",
        dest="start",
        type=argtypes.text,
        metavar="TIME",
        help="evaluate recurring obligations from this time (default: the earliest event)",
    )
