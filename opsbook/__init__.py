"""opsbook: policy as data for an organisation's roles and processes.

The core package: the typed data model, the YAML loader and validator, the
working-day calendar and durations, and the command line. The manual
generator lives in ``handbook`` and the compliance checker in ``checker``.
"""

__version__ = "0.1.0"
