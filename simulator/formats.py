"""The log formats ``opsbook simulate`` writes: name → file suffix.

A module of its own so that the command line can list them without importing the
generator (numpy), which ``opsbook check`` and every other command would pay for.
"""

from __future__ import annotations

FORMATS = {"csv": ".csv", "jsonl": ".jsonl", "parquet": ".parquet", "xes": ".xes"}
