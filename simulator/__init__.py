"""A realistic activity-log simulator with ground truth, for testing the compliance checker.

``opsbook simulate`` reads the handbook's processes and recurring obligations and
writes, into one folder:

| file | what |
|---|---|
| ``events.<csv, parquet, jsonl or xes>`` | the activity log: cases that follow the processes, and the recurring reports, meetings and return visits |
| ``roster.csv`` | person, name, role, from, to: who held which role when |
| ``ground-truth.jsonl`` | every finding a correct checker must report, one JSON object a line |
| ``meta.json`` | seed, period, as-of time, counts per process and per finding code |

Everything is drawn from numpy ``Generator`` objects (PCG64) seeded by ``--seed``, in
chunks of cases that depend only on the seed and their index, so the same seed
gives the same bytes (also with ``--jobs`` worker processes) and memory stays
bounded however many events are written.

The modules, in pipeline order: ``clock`` (working time, deadline limits via
``opsbook.durations.shift``), ``rand``, ``names``, ``roster``, ``plan`` (what each
process asks of a case), ``labels`` (misspelt labels), ``cases`` (clean cases),
``inject`` (deviations), ``evaluate`` (the expected findings of a case, read from
SPEC-checker §2), ``periods`` and ``obligations`` (SPEC-checker §4),
``scenario`` (what all chunks share), ``chunk``, ``writers``, ``truth``, ``run``
and ``cli``.
"""
