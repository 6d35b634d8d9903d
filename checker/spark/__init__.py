"""The checker on Apache Spark: ``opsbook check --engine spark``.

Spark only moves rows; every decision is the local engine's own code. The run
(``checker.spark.audit``) has three stages:

1. **Read** (``checker.spark.read``): the inputs are files, or anything Spark
   can list (URIs, folders, globs: ``checker.spark.inputs``); a task per file
   (or per pack of small listed files) runs the Polars readers, ``engine.prepare`` and ``admit`` on the executor that reads it, so
   mapping, normalisation, references and rejections are those of the local
   engine, byte for byte.
2. **Cases**: step events are shuffled into buckets by a stable hash of the
   case id (whole cases per bucket) and ``groupBy(bucket).applyInArrow`` runs
   the case rules (``SCOPE = "case"``) on each bucket as a Polars frame, with
   the handbook, roster and calendar broadcast once to every executor.
3. **Log**: the obligation and unknown-label events and the witness rows of
   every bucket (``periods.witnesses``) are small; they are collected and the
   log rules (``SCOPE = "log"``) run on the driver.

pyspark is an optional extra (``pip install 'opsbook[spark]'``) and needs a
Java 17 runtime; ``require()`` says which is missing before Spark starts.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path


class SparkUnavailable(Exception):
    """pyspark or Java is missing: ``what`` is the catalogue id of the explanation (cli domain)."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


def require() -> None:
    """Raise SparkUnavailable unless pyspark (with pyarrow and pandas) and a ``java`` command are there."""
    for module in ("pyspark", "pandas", "pyarrow"):
        if importlib.util.find_spec(module) is None:
            raise SparkUnavailable("check.spark-no-pyspark")
    home = os.environ.get("JAVA_HOME")
    if not (home and (Path(home) / "bin" / "java").is_file()) and shutil.which("java") is None:
        raise SparkUnavailable("check.spark-no-java")
