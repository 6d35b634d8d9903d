"""Command-line options of the commands that read activity logs: shared by ``check`` and ``sample``
(``add_log_inputs``), and ``check``'s own (``add_check_options``)."""

from __future__ import annotations

from opsbook import argtypes

from .pipeline import BUCKET_EVENTS
from .redact import ENV as REDACT_ENV
from .reports import WRITERS

FAIL_ON = ("violation", "warning", "never")
MAX_BUCKET_EVENTS = 10**12  # beyond any memory: a larger number is a typing mistake


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


def add_check_options(p) -> None:
    """What ``check`` reports and how: rules, scope, formats, language, exit code, redaction, memory."""
    p.add_argument(
        "--rules", type=argtypes.text, metavar="CODES", help="only these rule codes, comma-separated (default: all)"
    )
    p.add_argument(
        "--process",
        type=argtypes.text,
        metavar="IDS",
        help="report only these processes (comma-separated ids), with their rates; the report states the scope",
    )
    p.add_argument(
        "--obligation",
        type=argtypes.text,
        metavar="IDS",
        help="report only these recurring obligations (comma-separated ids)",
    )
    p.add_argument("--no-obligations", action="store_true", help="report no recurring obligation")
    p.add_argument(
        "--format",
        default="text",
        type=argtypes.text,
        metavar="FORMATS",
        help=f"comma-separated, from {', '.join(WRITERS)} (default: text)",
    )
    p.add_argument(
        "--out", type=argtypes.path, metavar="DIR", help="write the reports into DIR (default: print the text report)"
    )
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="report language (default: zh)")
    p.add_argument(
        "--base-url",
        type=argtypes.text,
        metavar="URL",
        help="the published manual, e.g. https://handbook.example/ (default: manual_url in handbook.yaml, "
        "else the page files of the local site/ folder)",
    )
    p.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="violation",
        help="exit 1 when a finding is at least this severe (default: violation)",
    )
    p.add_argument(
        "--redact",
        action="store_true",
        help="replace case ids, person names and phone numbers in every report by stable keyed pseudonyms",
    )
    p.add_argument(
        "--redact-key-file",
        type=argtypes.regular_file,
        metavar="FILE",
        help=f"the secret key for --redact (default: the environment variable {REDACT_ENV}; there is no default key)",
    )
    p.add_argument(
        "--bucket-events",
        type=argtypes.whole(1, MAX_BUCKET_EVENTS),
        default=BUCKET_EVENTS,
        metavar="N",
        help="check at most about N step events at a time; bigger logs are spilled to disk in case buckets "
        f"(default: {BUCKET_EVENTS:,}; lower it to use less memory)",
    )
    p.add_argument(
        "--spill-dir",
        type=argtypes.folder,
        metavar="DIR",
        help="folder in which private (0700) folders take the temporary files of large logs (their events, and "
        "their findings until the reports are written), removed afterwards, also on Ctrl-C or SIGTERM "
        "(default: the system's temp folder)",
    )
