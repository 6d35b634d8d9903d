"""Which files a Spark run reads: any path Spark can read, expanded on the driver by Spark itself.

An input that is a regular file on this machine is read where it lies, as
before. Anything else (a ``file://``, ``hdfs://`` or ``s3a://`` URI, a folder,
a glob) is listed by Spark's ``binaryFile`` source with ``recursiveFileLookup``
(only ``path`` is selected, so no file is read): every file below a folder, in
the file systems Spark is configured for, with Spark's own rules for what to
skip (names starting with ``_`` or ``.``: ``_SUCCESS``, ``.crc`` checksums).
Of those, only the log formats the readers know (``checker.readers.FORMATS``)
are kept, sorted by their URI, so a folder of part files is read in the order
of its part numbers. The inputs keep the order they were given in; each is
expanded in place.

Each task then receives its files' bytes through ``binaryFile`` (see
``checker.spark.read``): a file is read whole into an executor's memory, so it
must be smaller than 2 GiB (Spark's limit for one value), which part files
written by Spark normally are by far.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from checker.readers import FORMATS

from . import read

_GLOB = re.compile(r"([\\*?\[\]{}])")


class NoLogFiles(ValueError):
    """An input that names no log file Spark can read: ``msgid`` and ``params`` word it (cli domain)."""

    def __init__(self, msgid: str, **params: str):
        super().__init__(msgid, params)
        self.msgid, self.params = msgid, params


def plain(given: str | Path) -> bool:
    """A regular file of this machine, named as a path (read where it lies, as the local engine does)."""
    return Path(given).is_file()


def is_log(uri: str) -> bool:
    name = uri.rstrip("/").rsplit("/", 1)[-1]
    return not name.startswith(("_", ".")) and name.lower().endswith(tuple(FORMATS))


def shown(uri: str) -> str:
    """How reports name a listed file: a ``file:`` URI as its local path, any other URI as it is."""
    parts = urlsplit(uri)
    return unquote(parts.path) if parts.scheme == "file" and parts.netloc in ("", "localhost") else uri


def escaped(uri: str) -> str:
    """``uri`` as a literal for ``load``, which reads ``* ? [ ] { }`` and backslashes as a glob."""
    return _GLOB.sub(r"\\\1", uri)


def listed(spark, given: str) -> list[str]:
    """The log files under ``given`` (a file, folder or glob, as a path or URI), sorted by URI."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    try:
        found = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(given).select("path")
        uris = [row.path for row in found.collect()]
    except (PySparkException, Py4JError) as exc:
        reason = (str(exc).strip() or type(exc).__name__).splitlines()[0]
        raise NoLogFiles("check.spark-unreadable", path=given, reason=reason) from None
    logs = sorted(uri for uri in uris if is_log(uri))
    if not logs:
        raise NoLogFiles("check.spark-no-logs", path=given, formats=", ".join(FORMATS))
    return logs


def expand(spark, given: list[str | Path]) -> list[read.Source]:
    """Every input in order, a folder or glob replaced by its log files; ``spark`` lists what is not plain."""
    paths: list[str] = []
    uris: list[str | None] = []
    for item in given:
        if plain(item):
            paths.append(str(item))
            uris.append(None)
            continue
        for uri in listed(spark, str(item)):
            paths.append(shown(uri))
            uris.append(uri)
    return read.sources(paths, uris)
