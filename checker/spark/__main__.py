"""``spark-submit`` entry point: ``opsbook check --engine spark`` with spark-submit's master and ``--conf``.

    spark-submit --master yarn --conf spark.executor.memory=4g \\
        "$(python -c 'import checker.spark.__main__ as m; print(m.__file__)')" LOG... --roster roster.csv --out out/

Arguments after the script are those of ``opsbook check`` (without ``--engine``).
"""

from __future__ import annotations

import sys

from opsbook.cli import main

if __name__ == "__main__":
    sys.exit(main(["check", "--engine", "spark", *sys.argv[1:]]))
