"""The command line's Spark options, and the audit function ``opsbook check`` calls for ``--engine``."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable

from opsbook.i18n import tr

from . import SparkUnavailable, require
from .session import DEFAULT_MASTER, ConfError, parse_conf

ENGINES = ("local", "spark")
_REMOTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|[*?\[{]")  # a URI scheme, or a glob


def looks_remote(given: str) -> bool:
    """A URI or a glob: an input only ``--engine spark`` reads (with folders)."""
    return bool(_REMOTE.search(given))


class SparkOptionError(ValueError):
    """Spark asked for but not usable as given: one line for the user, exit code 2."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default="local",
        help="local: this machine, bounded memory (default); spark: Apache Spark, for logs beyond one machine "
        "(needs pip install 'opsbook[spark]' and Java 17)",
    )
    parser.add_argument(
        "--spark-master",
        metavar="URL",
        help="with --engine spark: the master, e.g. local[4], spark://host:7077, yarn "
        f"(default: $SPARK_MASTER, else {DEFAULT_MASTER}: every core of this machine)",
    )
    parser.add_argument(
        "--spark-conf",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="with --engine spark: a Spark configuration property, as spark-submit --conf (repeatable)",
    )


def engine(args: argparse.Namespace, local: Callable) -> Callable:
    """``local`` (``pipeline.audit``) or the Spark audit with the session the options ask for.

    Raises SparkOptionError, before anything is read, when pyspark or Java is missing or a
    ``--spark-conf`` is not KEY=VALUE.
    """
    if args.engine == "local":
        return local
    try:
        require()
        conf = parse_conf(args.spark_conf)
    except SparkUnavailable as exc:
        raise SparkOptionError(tr("cli", exc.what, getattr(args, "lang", None))) from None
    except ConfError as exc:
        raise SparkOptionError(tr("cli", "check.spark-conf", getattr(args, "lang", None), given=str(exc))) from None

    def run(*paths, spill_dir=None, **options):
        from .audit import audit
        from .inputs import NoLogFiles
        from .session import session

        try:
            return audit(*paths, **options, spark=session(args.spark_master, conf))
        except NoLogFiles as exc:
            raise SparkOptionError(tr("cli", exc.msgid, getattr(args, "lang", None), **exc.params)) from None

    return run
