"""The Spark session: master and configuration as Spark's own tools take them.

``--spark-master`` (default: ``SPARK_MASTER``, else ``local[*]``: every core of
this machine, as pyspark's own shell) and ``--spark-conf KEY=VALUE``
(repeatable, like ``spark-submit --conf``) go to the session builder; what
the user gives wins over the defaults below. In a notebook (Databricks) a
session already exists and is used as it is. Under
``spark-submit`` (``python -m checker.spark``) the JVM is already running with
spark-submit's master and ``--conf``: the builder adds only what it can still
set, and a master only when one is given.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

DEFAULT_MASTER = "local[*]"

# Why each default: timestamps cross the JVM as UTC instants (the rules read UTC and convert with the
# handbook's zone themselves); Arrow batches carry the rows to Python; a console progress bar and the UI
# are noise for a command-line run; few shuffle partitions suit a laptop (a cluster sets its own).
DEFAULTS = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "8",
    "spark.sql.adaptive.enabled": "true",
}
LOCAL_DEFAULTS = {"spark.ui.enabled": "false"}
LOG4J = Path(__file__).with_name("log4j2.properties")


class ConfError(ValueError):
    """A ``--spark-conf`` that is not KEY=VALUE."""


def master_from(given: str | None) -> str:
    return given or os.environ.get("SPARK_MASTER") or DEFAULT_MASTER


def parse_conf(pairs: Iterable[str]) -> dict[str, str]:
    conf: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ConfError(pair)
        conf[key.strip()] = value.strip()
    return conf


def session(master: str | None = None, conf: dict[str, str] | None = None):
    """The active session (spark-submit, notebooks), else a new one for ``master`` with ``conf``."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # spark-submit started the JVM and this Python
    master = master if submitted else master_from(master)
    settings = dict(DEFAULTS)
    if master and master.startswith("local"):
        settings.update(LOCAL_DEFAULTS)
        # Local workers should run this Python, where opsbook is installed; pyspark reads only the variable.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if not submitted:  # Spark's convention for quiet logs: a log4j2 file for the driver JVM (the default is INFO)
        settings["spark.driver.extraJavaOptions"] = f"-Dlog4j2.configurationFile={LOG4J.as_uri()}"
    settings.update(conf or {})
    builder = SparkSession.builder.appName("opsbook check")
    if master:
        builder = builder.master(master)
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(os.environ.get("OPSBOOK_SPARK_LOG_LEVEL", "ERROR"))
    return spark
